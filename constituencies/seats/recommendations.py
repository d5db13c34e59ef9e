"""The recommendation for a seat, from model instances: the computed best-placed party, or the editors' override.

The admin's seat assessments use these:

- `recommendation_for(assessment, override)`: pure, no queries (select_related "best_placed" and,
  on the override, "recommended_party" first).
- `effective_recommendation(assessment)`: looks the override up (one query).
- `effective_recommendations(assessments)` / `attach_recommendations(assessments)`: for a list, at
  most two queries however many seats (overrides, plus best-placed parties not already loaded).

The public pages apply the same rule without model instances: the seat list, exports and API through
`seat_records.best_placed_for` over plain rows, the seat page by joining the override in
`seat_page.build_seat_page`. Templates show an override with `constituencies/includes/_override_notice.html`.
The wording of a recommendation is explain.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from constituencies.models import Party, RecommendationOverride, SeatAssessment


@dataclass(frozen=True)
class EffectiveRecommendation:
    party: Party | None  # who the site recommends; None when no progressive party stood and no override
    computed_party: Party | None  # what the numbers say (the best-placed progressive party)
    lead_is_clear: bool  # whether the computed party's lead over the next progressive party is clear
    override: RecommendationOverride | None = None

    @property
    def is_overridden(self) -> bool:
        return self.override is not None

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


def recommendation_for(
    assessment: SeatAssessment, override: RecommendationOverride | None = None
) -> EffectiveRecommendation:
    """Combine a stored assessment with its override (if any). No database access of its own."""
    if override is not None and (
        override.election_id != assessment.election_id
        or override.constituency_id != assessment.constituency_id
    ):
        raise ValueError(f"{override} is not an override of {assessment}")
    computed = assessment.best_placed
    return EffectiveRecommendation(
        party=override.recommended_party if override else computed,
        computed_party=computed,
        lead_is_clear=assessment.lead_is_clear,
        override=override,
    )


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
