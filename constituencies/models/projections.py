"""Poll projections: per-seat vote shares from a pollster (an MRP) or an average of several.

Facts as published, like results: one PollProjection per pollster and publication (the shared MRP file
holds four pollsters and their average, stored as five), with its shares per seat and party. The advice
(rules/advice.py) reads them beside past results; nothing derived is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from constituencies.models.elections import BoundarySet, Constituency, Party


class PollProjection(models.Model):
    """One projection source: "YouGov MRP (June 2024)", or an average of several pollsters."""

    name = models.CharField(max_length=120, help_text='e.g. "YouGov MRP (June 2024)"')
    publisher = models.CharField(max_length=120, help_text='Who made it, e.g. "YouGov", "Movement Forward"')
    date = models.DateField(help_text="When it was published; it counts as evidence from this day")
    is_average = models.BooleanField(default=False, help_text="An average of several pollsters' projections")
    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.PROTECT, related_name="projections")
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Who imported it; kept if the user is deleted")
    file_name = models.CharField(max_length=255)
    checksum = models.CharField("SHA-256", max_length=64, help_text="Of the file imported")
    seats = models.PositiveIntegerField(help_text="Seats with figures")

    class Meta:
        ordering = ["-date", "-is_average", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="projection_unique_name")]
        indexes = [models.Index(fields=["boundary_set", "date"], name="projection_boundaries_date")]

    def __str__(self):
        return self.name


class ProjectedShare(models.Model):
    """One party's projected share of the vote in one seat, in percentage points."""

    projection = models.ForeignKey(PollProjection, on_delete=models.CASCADE, related_name="shares")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="projected_shares")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(max_digits=5, decimal_places=2, help_text="% of the vote, 0 to 100")

    class Meta:
        ordering = ["projection", "constituency", "-share"]
        constraints = [
            models.UniqueConstraint(
                fields=["projection", "constituency", "party"], name="projected_share_unique_per_party"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100), name="projected_share_0_to_100"
            ),
        ]

    def __str__(self):
        return f"{self.projection.name}, {self.constituency.name}: {self.party.code} {self.share}%"
