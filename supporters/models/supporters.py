"""Supporters (pending until they confirm by email), their seat's local group, and the audit of deletions."""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models

from constituencies.models import Constituency
from supporters.rules.consent import ACTIVITIES, VERSIONS


def new_key() -> str:
    return secrets.token_urlsafe(16)


class Supporter(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (not yet confirmed)"
        CONFIRMED = "confirmed", "Confirmed"

    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="supporters")
    email = models.EmailField(unique=True)  # normalised: rules.emails
    first_name = models.CharField(max_length=60, blank=True)
    activities = ArrayField(models.CharField(max_length=20, choices=ACTIVITIES), default=list, blank=True)
    consents_to_email = models.BooleanField()
    consents_to_contact = models.BooleanField()
    consent_version = models.CharField(max_length=20, choices=[(v, v) for v in VERSIONS])
    consented_at = models.DateTimeField()
    consent_page = models.CharField(max_length=200, help_text="The page the form was on, e.g. /join/")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # In the confirmation link; cleared once used, so the link works once.
    confirmation_key = models.CharField(max_length=40, default=new_key, blank=True)
    # In the your-data and unsubscribe links; never shown or changed.
    access_key = models.CharField(max_length=40, default=new_key)
    is_fake = models.BooleanField(default=False, help_text="Made up by seed_supporters --demo")

    class Meta:
        indexes = [models.Index(fields=["constituency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consents_to_email=True), name="supporter_consents_to_email"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="confirmed_supporter_has_time",
            ),
        ]

    def __str__(self):
        return f"Supporter {self.pk} ({self.get_status_display()})"


class LocalGroup(models.Model):
    """A constituency's public local group details, shown on its seat page and to confirmed supporters there
    who consented to contact. Edited by the seat's organisers (/organise/<slug>/) or in the admin."""

    constituency = models.OneToOneField(Constituency, on_delete=models.CASCADE, related_name="local_group")
    name = models.CharField(max_length=120, blank=True)
    meeting_link = models.URLField(
        blank=True,
        validators=[
            URLValidator(
                schemes=["https"],
                message="Use a secure link: one that starts with https://",
                code="not_https",
            )
        ],
    )
    email = models.EmailField(blank=True)
    next_meeting = models.CharField(
        max_length=200, blank=True, help_text="e.g. Thursday 8 January, 7pm, online"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name or f"Local group for {self.constituency}"

    @property
    def has_details(self) -> bool:
        return bool(self.meeting_link or self.email or self.next_meeting)


class SupporterDeletion(models.Model):
    """A deleted supporter, audited without personal data: which seat, whether they counted, when, why."""

    class Reason(models.TextChoices):
        REQUESTED = "requested", "Deleted at the supporter's request"

    constituency_ons_id = models.CharField(max_length=9)
    was_confirmed = models.BooleanField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    deleted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Deletion {self.pk} in {self.constituency_ons_id}"
