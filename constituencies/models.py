import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from constituencies import arithmetic
from constituencies.parties import PROGRESSIVE, TARGET

ONS_CODE_PATTERN = r"^(E14|W07|S14|N05|N06)[0-9]{6}$"
RESULT_WORD = re.compile(r"\bresults?\b", re.IGNORECASE)


class Party(models.Model):
    class Bloc(models.TextChoices):
        PROGRESSIVE = PROGRESSIVE, "Progressive bloc"
        TARGET = TARGET, "Target bloc (Conservative and Reform)"
        NONE = "", "Neither"

    code = models.CharField(max_length=20, unique=True, help_text='Short code, e.g. "Lab"')
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, default="#AAAAAA", help_text="Hex colour, e.g. #E4003B")
    bloc = models.CharField(max_length=12, choices=Bloc.choices, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="party_colour_is_hex"
            ),
        ]

    def __str__(self):
        return self.name


# The boundary sets import_results may create on first use. Any other is added in the admin first, so a
# mistyped --boundaries cannot start a new set (and a second copy of every constituency).
WELL_KNOWN_BOUNDARY_SETS = ("2010", "2024")


class BoundarySet(models.Model):
    """A generation of constituency boundaries: "2010" (used 2010-2019), "2024" (from 2024)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["-code"]

    def __str__(self):
        return self.name


class Constituency(models.Model):
    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.PROTECT, related_name="constituencies")
    ons_id = models.CharField("ONS code", max_length=9)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    region = models.CharField(max_length=60, blank=True)
    country = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"
        constraints = [
            models.UniqueConstraint(fields=["boundary_set", "ons_id"], name="constituency_unique_ons_id"),
            models.UniqueConstraint(fields=["boundary_set", "slug"], name="constituency_unique_slug"),
            models.CheckConstraint(
                condition=Q(ons_id__regex=ONS_CODE_PATTERN), name="constituency_ons_id_format"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.boundary_set.code} boundaries)"


class ElectionQuerySet(models.QuerySet):
    def with_seat_counts(self):
        """Newest first, each with `seat_count` and `tragedy_count` over its assessed seats."""
        # Meta.ordering is not applied to aggregating queries, so order explicitly.
        return (
            self.select_related("boundary_set")
            .annotate(
                seat_count=Count("assessments"),
                tragedy_count=Count("assessments", filter=Q(assessments__is_tragedy=True)),
            )
            .order_by("-date", "slug")
        )


class Election(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", "General election"
        BY_ELECTION = "by", "By-election"
        NOTIONAL = "notional", "Notional result on new boundaries"

    slug = models.SlugField(max_length=80, unique=True, help_text='e.g. "ge2024", "by-batley-and-spen-2021"')
    name = models.CharField(max_length=120)
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.PROTECT, related_name="elections")

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "slug"]
        indexes = [models.Index(fields=["kind", "-date"], name="election_kind_date")]

    def __str__(self):
        return self.name

    @property
    def result_title(self) -> str:
        """ "2024 general election result"; a name that already says so ("2019 notional result on 2024
        boundaries") as it is, so that pages never read "... result result"."""
        return self.name if RESULT_WORD.search(self.name) else f"{self.name} result"


class Result(models.Model):
    """The declared result in one constituency at one election: the facts as published."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="results")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="results")
    electorate = models.PositiveIntegerField(null=True, blank=True)
    valid_votes = models.PositiveIntegerField()
    invalid_votes = models.PositiveIntegerField(null=True, blank=True)
    description = models.CharField(
        max_length=80, blank=True, help_text='As published, e.g. "Lab gain from Con"'
    )
    declared_winner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The winner's party where the source names it; settles a tie on votes",
    )

    class Meta:
        ordering = ["constituency__name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "constituency"], name="result_unique_per_seat"),
        ]

    def __str__(self):
        return f"{self.constituency.name}, {self.election.name}"

    @property
    def turnout_pct(self):
        if not self.electorate:
            return None
        return arithmetic.percentage(self.valid_votes + (self.invalid_votes or 0), self.electorate)


class Candidacy(models.Model):
    """Votes for one candidate (or, where the source lumps them, one group of candidates)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="candidacies")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="candidacies")
    candidate_name = models.CharField(max_length=200, blank=True)
    votes = models.PositiveIntegerField()
    is_sitting_mp = models.BooleanField(
        null=True, blank=True, help_text="Unknown when the source does not say"
    )
    is_combined = models.BooleanField(
        default=False,
        help_text="Several minor candidates' votes combined as published, none of whom came first or second",
    )

    class Meta:
        ordering = ["-votes", "party__code"]
        verbose_name_plural = "candidacies"

    def __str__(self):
        return f"{self.candidate_name or self.party.name}: {self.votes}"


class SeatAssessment(models.Model):
    """What the arithmetic says about one result. Derived: recomputed on import and when blocs change."""

    class Marginality(models.TextChoices):
        VERY_MARGINAL = arithmetic.VERY_MARGINAL, "Very marginal"
        MARGINAL = arithmetic.MARGINAL, "Marginal"
        SAFE = arithmetic.SAFE, "Safe"

    result = models.OneToOneField(Result, on_delete=models.CASCADE, related_name="assessment")
    # Denormalised from the result so the seat list filters on one table.
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="assessments")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="assessments")

    winner = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    winner_name = models.CharField(max_length=200, blank=True)
    winner_votes = models.PositiveIntegerField()
    runner_up = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    runner_up_votes = models.PositiveIntegerField(null=True, blank=True)
    majority = models.PositiveIntegerField()
    majority_pct = models.DecimalField(max_digits=5, decimal_places=2, help_text="% of valid votes")
    marginality = models.CharField(max_length=15, choices=Marginality.choices)
    is_tie = models.BooleanField(default=False)
    progressive_total = models.PositiveIntegerField()
    is_tragedy = models.BooleanField()
    best_placed = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    best_placed_votes = models.PositiveIntegerField(default=0)
    gap_to_win = models.PositiveIntegerField(
        default=0, help_text="Votes the best-placed party trails the winner by"
    )
    next_progressive = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lead_over_next_progressive = models.PositiveIntegerField(null=True, blank=True)
    lead_over_next_progressive_pct = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    lead_is_clear = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["constituency__name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "constituency"], name="assessment_unique_per_seat"),
        ]
        indexes = [
            models.Index(fields=["election", "is_tragedy"], name="assessment_tragedy"),
            models.Index(fields=["election", "marginality"], name="assessment_marginality"),
            models.Index(fields=["election", "majority_pct"], name="assessment_majority_pct"),
            models.Index(fields=["election", "winner"], name="assessment_winner"),
            models.Index(fields=["election", "runner_up"], name="assessment_runner_up"),
            models.Index(fields=["election", "best_placed"], name="assessment_best_placed"),
        ]

    def __str__(self):
        return f"Assessment of {self.constituency.name}, {self.election.name}"


class Postcode(models.Model):
    """One postcode's constituency on one boundary set (a postcode split between seats has a row for each)."""

    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.CASCADE, related_name="postcodes")
    postcode = models.CharField(max_length=8, help_text='Normalised, e.g. "SW1A 0AA"')
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="postcodes")
    terminated_on = models.DateField(
        null=True, blank=True, help_text="When the postcode was retired, if it was"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["postcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["boundary_set", "postcode", "constituency"], name="postcode_unique_per_constituency"
            ),
        ]

    def __str__(self):
        return self.postcode


class PostcodeDirectory(models.Model):
    """The postcode directory imported for one boundary set: which import is in place, from what file.

    `generation` names the table the import built (a new one every import), so a look-up snapshot
    (constituencies/postcode_snapshots.py) can tell whether it was made from the directory in place.
    """

    boundary_set = models.OneToOneField(
        BoundarySet, on_delete=models.CASCADE, primary_key=True, related_name="postcode_directory"
    )
    generation = models.CharField(max_length=63, unique=True)
    source_file = models.CharField(max_length=255)
    postcodes = models.PositiveIntegerField()
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "postcode directories"

    def __str__(self):
        return f"Postcode directory for the {self.boundary_set.name}"


# --- Admin work: overrides, imports and the audit trail ---------------------------------------

MIN_OVERRIDE_REASON_LENGTH = 10


class RecommendationOverride(models.Model):
    """Editors' recommendation for one seat in one election, replacing the computed best-placed party.

    The reason is public: the seat page, the list and the API show it beside the override.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="overrides")
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="overrides")
    recommended_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", help_text="The party voters are advised to back"
    )
    reason = models.TextField(
        max_length=500,
        help_text='Shown to the public beside the recommendation, e.g. "Recent by-election: the Liberal '
        'Democrats won the council seats"',
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["election", "constituency__name"]
        verbose_name = "recommendation override"
        constraints = [
            models.UniqueConstraint(fields=["election", "constituency"], name="override_unique_per_seat"),
            models.CheckConstraint(condition=~Q(reason=""), name="override_reason_required"),
        ]

    def __str__(self):
        return f"{self.constituency.name}, {self.election.name}: {self.recommended_party.name}"

    def clean(self):
        self.reason = (self.reason or "").strip()
        errors = {}
        if len(self.reason) < MIN_OVERRIDE_REASON_LENGTH:
            errors["reason"] = (
                f"Give the public reason for the override (at least {MIN_OVERRIDE_REASON_LENGTH} characters)."
            )
        if self.election_id and self.constituency_id:
            election = self.election
            constituency = self.constituency
            if constituency.boundary_set_id != election.boundary_set_id:
                errors["constituency"] = (
                    f"{constituency.name} is on the {constituency.boundary_set.name}, but {election.name} "
                    f"was fought on the {election.boundary_set.name}."
                )
            elif not Result.objects.filter(election=election, constituency=constituency).exists():
                errors["constituency"] = f"{election.name} has no result for {constituency.name}."
        if errors:
            raise ValidationError(errors)


class ResultsImport(models.Model):
    """One applied results import: who, when, which file and what it changed. Written once, never edited."""

    class Source(models.TextChoices):
        ADMIN = "admin", "Admin upload"
        COMMAND = "command", "manage.py import_results"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the user is deleted")
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


class AuditEvent(models.Model):
    """The audit trail: every applied import, bloc change, override change and election deleted, read-only in admin."""

    class Action(models.TextChoices):
        RESULTS_IMPORTED = "results_imported", "Results imported"
        BLOCS_CHANGED = "blocs_changed", "Party blocs changed"
        OVERRIDE_ADDED = "override_added", "Recommendation override added"
        OVERRIDE_CHANGED = "override_changed", "Recommendation override changed"
        OVERRIDE_REMOVED = "override_removed", "Recommendation override removed"
        ELECTION_DELETED = "election_deleted", "Election deleted"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the user is deleted")
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
    """A results file an admin has previewed but not yet confirmed or cancelled, compressed (uploads.py).

    Confirming or cancelling deletes it; so does the first upload, preview, confirm or cancel by anyone
    once it is over an hour old. At most three per admin.
    """

    token = models.CharField(max_length=43, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    file_name = models.TextField()
    checksum = models.CharField("SHA-256", max_length=64, help_text="Of the file as uploaded")
    data = models.BinaryField(help_text="The file, zlib-compressed")
    layout_name = models.CharField(max_length=30, blank=True)
    candidates_name = models.TextField(blank=True)
    candidates_data = models.BinaryField(
        null=True, blank=True, help_text="The candidate file, zlib-compressed"
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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} (waiting since {self.created_at:%Y-%m-%d %H:%M})"
