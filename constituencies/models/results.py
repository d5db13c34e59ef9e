"""Results as published, candidacies, and what is derived from them: assessments and overrides."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from constituencies.models.elections import Constituency, Election, Party
from constituencies.rules import arithmetic


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
        VERY_MARGINAL = arithmetic.VERY_MARGINAL, arithmetic.MARGINALITY_LABELS[arithmetic.VERY_MARGINAL]
        MARGINAL = arithmetic.MARGINAL, arithmetic.MARGINALITY_LABELS[arithmetic.MARGINAL]
        SAFE = arithmetic.SAFE, arithmetic.MARGINALITY_LABELS[arithmetic.SAFE]

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


# --- Editors’ overrides ---

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
