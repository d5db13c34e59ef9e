"""The recommendation for a seat: the editors' override where there is one, else the best-placed progressive party.

`recommend()` is the rule. Everything that shows a recommendation reaches it through one of its doors:

- `recommendation_for(assessment, override)`: model instances (the seat page, the admin); no queries.
- `recommendation_from_row(row, parties)`: a plain `.values(*RECOMMENDATION_FIELDS)` row of an assessment
  queryset passed through `join_override` (the seat list, the exports, the API).
- `effective_recommendation(s)` / `attach_recommendations`: look the overrides up for assessments.

`with_recommendation(assessments)` is the same rule in SQL, for filtering and sorting. The wording of a
recommendation is rules/explain.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, FilteredRelation, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from constituencies.models import Party, RecommendationOverride, SeatAssessment

# The columns recommendation_from_row reads, from an assessment queryset passed through join_override.
RECOMMENDATION_FIELDS = (
    "best_placed_id",
    "best_placed_votes",
    "gap_to_win",
    "lead_is_clear",
    "seat_override__id",
    "seat_override__recommended_party_id",
    "seat_override__reason",
    "seat_override__updated_at",
)


@dataclass(frozen=True)
class EffectiveRecommendation:
    party: Party | None  # who the site recommends; None when no progressive party stood and no override
    computed_party: Party | None  # what the numbers say (the best-placed progressive party)
    # The recommended party's votes, its gap to the winner (0 when it holds the seat) and whether its lead
    # over the next progressive party is clear: known only for the computed party, so None (and False) when
    # no progressive party stood or the editors chose another.
    votes: int | None
    gap_to_win: int | None
    lead_is_clear: bool
    override: RecommendationOverride | None = None

    @property
    def is_overridden(self) -> bool:
        return self.override is not None

    @property
    def source(self) -> str:
        """ "override" for the editors' choice, "results" for the arithmetic on the declared result."""
        return "override" if self.is_overridden else "results"

    @property
    def reason(self) -> str:
        """The public reason for an override; empty for a computed recommendation."""
        return self.override.reason if self.override else ""

    @property
    def differs_from_computed(self) -> bool:
        return self.is_overridden and self.party != self.computed_party

    def as_dict(self) -> dict:

        def code(party):
            return party.code if party else None

        return {
            "party": code(self.party),
            "party_name": self.party.name if self.party else None,
            "overridden": self.is_overridden,
            "reason": self.reason or None,
            "overridden_at": self.override.updated_at.isoformat() if self.override else None,
            "computed_party": code(self.computed_party),
            "lead_is_clear": self.lead_is_clear,
        }


def recommend(
    computed: Party | None,
    votes: int,
    gap_to_win: int,
    lead_is_clear: bool,
    override: RecommendationOverride | None = None,
) -> EffectiveRecommendation:
    """The rule: the override's party if there is one, else the computed best-placed party (if any stood)."""
    party = override.recommended_party if override is not None else computed
    if party is None:
        return EffectiveRecommendation(None, None, None, None, False)
    if party != computed:
        return EffectiveRecommendation(party, computed, None, None, False, override)
    return EffectiveRecommendation(party, computed, votes, gap_to_win, lead_is_clear, override)


def recommendation_for(
    assessment: SeatAssessment, override: RecommendationOverride | None = None
) -> EffectiveRecommendation:
    """The recommendation from a stored assessment and its override (if any). No database access of its own
    with "best_placed" (and the override's "recommended_party") select_related."""
    if override is not None and (
        override.election_id != assessment.election_id
        or override.constituency_id != assessment.constituency_id
    ):
        raise ValueError(f"{override} is not an override of {assessment}")
    return recommend(
        assessment.best_placed,
        assessment.best_placed_votes,
        assessment.gap_to_win,
        assessment.lead_is_clear,
        override,
    )


def recommendation_from_row(row: dict, parties) -> EffectiveRecommendation:
    """The recommendation from a RECOMMENDATION_FIELDS row; `parties.get(id)` gives a Party (or None)."""
    override = None
    if row["seat_override__id"] is not None:
        override = RecommendationOverride(
            pk=row["seat_override__id"],
            recommended_party=parties.get(row["seat_override__recommended_party_id"]),
            reason=row["seat_override__reason"],
            updated_at=row["seat_override__updated_at"],
        )
    return recommend(
        parties.get(row["best_placed_id"]),
        row["best_placed_votes"],
        row["gap_to_win"],
        row["lead_is_clear"],
        override,
    )


# The rule in SQL ---------------------------------------------------------------------------------------


def join_override(queryset):
    """Join each row's override (if any) as `seat_override`: for SeatAssessment or Result querysets."""
    return queryset.annotate(
        seat_override=FilteredRelation(
            "constituency__overrides", condition=Q(constituency__overrides__election=F("election"))
        )
    )


def with_recommendation(assessments):
    """Assessments annotated as `recommend()` decides, to filter and sort by: `recommended_party_id` and
    `shown_gap_to_win` (None where no progressive party stood or the editors chose another party)."""
    return join_override(assessments).annotate(
        recommended_party_id=Coalesce("seat_override__recommended_party_id", "best_placed_id"),
        shown_gap_to_win=Case(
            When(best_placed__isnull=True, then=Value(None)),
            When(seat_override__isnull=True, then=F("gap_to_win")),
            When(seat_override__recommended_party=F("best_placed"), then=F("gap_to_win")),
            default=Value(None),
            output_field=IntegerField(),
        ),
    )


# Looking the overrides up ---------------------------------------------------------------------------------


def _overrides():
    return RecommendationOverride.objects.select_related("recommended_party")


def effective_recommendation(assessment: SeatAssessment) -> EffectiveRecommendation:
    """The recommendation for one seat, override included (one query for the override)."""
    override = (
        _overrides()
        .filter(election_id=assessment.election_id, constituency_id=assessment.constituency_id)
        .first()
    )
    return recommendation_for(assessment, override)


def overrides_by_seat(election_ids: Iterable[int], constituency_ids: Iterable[int]) -> dict:
    """{(election_id, constituency_id): override} for the given seats, in one query."""
    election_ids, constituency_ids = set(election_ids), set(constituency_ids)
    if not election_ids or not constituency_ids:
        return {}
    overrides = _overrides().filter(election_id__in=election_ids, constituency_id__in=constituency_ids)
    return {(o.election_id, o.constituency_id): o for o in overrides}


def effective_recommendations(assessments: Iterable[SeatAssessment]) -> dict[int, EffectiveRecommendation]:
    """{assessment pk: EffectiveRecommendation} for a list of assessments, in at most two queries."""
    assessments = list(assessments)
    overrides = overrides_by_seat(
        (a.election_id for a in assessments), (a.constituency_id for a in assessments)
    )
    best_placed = SeatAssessment._meta.get_field("best_placed")
    missing = {a.best_placed_id for a in assessments if a.best_placed_id and not best_placed.is_cached(a)}
    if missing:
        parties = Party.objects.in_bulk(missing)
        for a in assessments:
            if a.best_placed_id and not best_placed.is_cached(a):
                best_placed.set_cached_value(a, parties[a.best_placed_id])
    return {
        a.pk: recommendation_for(a, overrides.get((a.election_id, a.constituency_id))) for a in assessments
    }


def attach_recommendations(assessments: Iterable[SeatAssessment]) -> list[SeatAssessment]:
    """Set `.recommendation` on each assessment (for templates); returns them as a list."""
    assessments = list(assessments)
    recommendations = effective_recommendations(assessments)
    for a in assessments:
        a.recommendation = recommendations[a.pk]
    return assessments
