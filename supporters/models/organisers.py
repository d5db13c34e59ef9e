"""Organisers: staff given chosen seats (OrganiserSeat, with the organise_seats permission), and the audit
of their CSV exports (who, when, which seat, how many rows; no supporter's details)."""

from django.conf import settings
from django.db import models

from constituencies.models import Constituency

ORGANISE_PERMISSION = "supporters.organise_seats"
ORGANISERS_GROUP = "Organisers"  # made by migration 0004 (and services.organisers.organisers_group), with ORGANISE_PERMISSION


class OrganiserSeat(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organiser_seats"
    )
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="organiser_seats")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "constituency"], name="one_organiser_seat")]
        permissions = [("organise_seats", "Can see and export the contactable supporters of their seats")]

    def __str__(self):
        return f"{self.user} organises {self.constituency}"


class SupporterExport(models.Model):
    """One CSV export by an organiser. The username is kept as written, so the record outlives the account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    username = models.CharField(max_length=150)
    constituency_ons_id = models.CharField(max_length=9)
    rows = models.PositiveIntegerField()
    exported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Export of {self.rows} supporters in {self.constituency_ons_id} by {self.username}"
