from django.db import models
from django.db.models import Q

from constituencies import arithmetic
from constituencies.parties import PROGRESSIVE, TARGET

ONS_CODE_PATTERN = r"^(E14|W07|S14|N05|N06)[0-9]{6}$"


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

    class Meta:
        ordering = ["-date", "slug"]
        indexes = [models.Index(fields=["kind", "-date"], name="election_kind_date")]

    def __str__(self):
        return self.name


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
