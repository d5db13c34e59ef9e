"""Records of admin work: applied imports, the audit trail and uploads waiting for confirmation."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from constituencies.models.elections import Constituency, Election


class MadeByUser(models.Model):
    """A record of something a person did: when, and who (their name kept if the user is deleted)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the user is deleted")

    class Meta:
        abstract = True


class ResultsImport(MadeByUser):
    """One applied results import: who, when, which file and what it changed. Written once, never edited."""

    class Source(models.TextChoices):
        ADMIN = "admin", "Admin upload"
        COMMAND = "command", "manage.py import_results"

    source = models.CharField(max_length=10, choices=Source.choices)
    election = models.ForeignKey(
        Election, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    election_slug = models.CharField(max_length=80, help_text="Kept if the election is deleted")
    election_created = models.BooleanField(default=False)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField(help_text="Bytes")
    checksum = models.CharField("SHA-256", max_length=64)
    candidates_file_name = models.CharField(max_length=255, blank=True)
    candidates_checksum = models.CharField("candidates file SHA-256", max_length=64, blank=True)
    layout = models.CharField(max_length=30)
    rows_read = models.PositiveIntegerField()
    seats_in_file = models.PositiveIntegerField()
    seats_changed = models.PositiveIntegerField(
        help_text="Seats given a result, removed, or whose figures changed"
    )
    results_replaced = models.PositiveIntegerField()
    constituencies_created = models.PositiveIntegerField()
    candidacies = models.PositiveIntegerField()
    winner_changes = models.PositiveIntegerField()
    changes = models.JSONField(default=dict, help_text="The full list of changes, as previewed")
    archived_as = models.CharField(
        max_length=500, blank=True, help_text="Where a copy was kept, if configured"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("import_results", "Can upload and apply results files")]
        indexes = [models.Index(fields=["election_slug", "-created_at"], name="import_election_date")]

    def __str__(self):
        return f"{self.file_name} into {self.election_slug} by {self.username or 'unknown'}"


class AuditEvent(MadeByUser):
    """The audit trail: every applied import, bloc change, override change and election deleted, read-only in admin."""

    class Action(models.TextChoices):
        RESULTS_IMPORTED = "results_imported", "Results imported"
        BLOCS_CHANGED = "blocs_changed", "Party blocs changed"
        OVERRIDE_ADDED = "override_added", "Recommendation override added"
        OVERRIDE_CHANGED = "override_changed", "Recommendation override changed"
        OVERRIDE_REMOVED = "override_removed", "Recommendation override removed"
        ELECTION_DELETED = "election_deleted", "Election deleted"
        PROJECTIONS_IMPORTED = "projections_imported", "Poll projections imported"
        PARTIES_MERGED = "parties_merged", "Parties merged"

    action = models.CharField(max_length=20, choices=Action.choices)
    election = models.ForeignKey(
        Election, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    constituency = models.ForeignKey(
        Constituency, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    results_import = models.OneToOneField(
        ResultsImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_event"
    )
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"], name="audit_action_date")]

    def __str__(self):
        return f"{self.get_action_display()} by {self.username or 'unknown'}: {self.summary}"


class PendingUpload(models.Model):
    """A results or projections file an admin has previewed but not yet confirmed or cancelled, compressed
    (uploads.py).

    Confirming or cancelling deletes it; so does the first upload, preview, confirm or cancel by anyone
    once it is over an hour old. At most three per admin.
    """

    class Kind(models.TextChoices):
        RESULTS = "results", "Results"
        PROJECTIONS = "projections", "Poll projections"

    token = models.CharField(max_length=43, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RESULTS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    file_name = models.TextField()
    checksum = models.CharField("SHA-256", max_length=64, help_text="Of the file as uploaded")
    data = models.BinaryField(help_text="The file, zlib-compressed")
    layout_name = models.CharField(max_length=30, blank=True)
    # The second file: a results file's candidate file, or a projections file's short-code map.
    candidates_name = models.TextField(blank=True)
    candidates_data = models.BinaryField(
        null=True, blank=True, help_text="The candidate (or short-code) file, zlib-compressed"
    )
    election = models.ForeignKey(
        Election,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: a new one",
    )
    new_election = models.JSONField(
        null=True, blank=True, help_text="The new election: slug, name, date (ISO), kind, boundary_set_id"
    )
    projection_options = models.JSONField(
        null=True,
        blank=True,
        help_text="A projections file's name, publisher, date (ISO), average, boundaries",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} (waiting since {self.created_at:%Y-%m-%d %H:%M})"
