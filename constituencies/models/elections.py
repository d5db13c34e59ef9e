"""Parties, boundary sets, constituencies and elections: what a result is about."""

import re

from django.db import models
from django.db.models import Count, Q

from constituencies.rules.ons import ONS_CODE_PATTERN
from constituencies.rules.parties import PROGRESSIVE, TARGET

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
    # A point near the middle of the seat (mySociety's center_lat/center_lon), to measure distances between
    # seats; loaded by manage.py import_constituency_centres. None where no centre is loaded.
    centre_latitude = models.FloatField(null=True, blank=True)
    centre_longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(centre_latitude__isnull=True, centre_longitude__isnull=True)
                | Q(centre_latitude__range=(-90, 90), centre_longitude__range=(-180, 180)),
                name="constituency_centre_in_range",
            ),
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
