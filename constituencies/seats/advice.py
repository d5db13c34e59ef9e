"""The advice for every seat of an election: rules/advice.py reasoning over the evidence in the database
(evidence.py), with the editors' overrides on top. A fixed number of queries, however many seats.

    advice = election_advice(election, as_of=None)  # ElectionAdvice; raises AdviceUnavailable
    one = seat_advice(election, constituency)  # SeatAdvice for one seat, or None when unavailable
    advice.seats[0].advice, .party, .reason, .sources, .as_dict()

Every seat on the election's boundaries is advised from the evidence dated before polling day and, with
`as_of`, on or before that day. An election not yet held (no results, a date to come) is advised from
everything loaded. An override (RecommendationOverride, per seat and election) wins, with its public
reason; the evidence is still listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from constituencies.models import Election, RecommendationOverride
from constituencies.rules import advice as rules
from constituencies.seats.evidence import EvidenceStore, Seat


class AdviceUnavailable(Exception):
    """The election cannot be advised on; the message says why, for people."""


class NoConstituencies(AdviceUnavailable):
    pass


class NoEvidence(AdviceUnavailable):
    pass


@dataclass(frozen=True)
class Override:
    party: str
    reason: str


@dataclass(frozen=True)
class SeatAdvice:
    seat: Seat
    computed: rules.Advice  # what the evidence says
    override: Override | None = None

    @property
    def advice(self) -> str:
        """A party code, rules.NONE_NEEDED, rules.TOO_CLOSE or rules.NOT_APPLICABLE."""
        return self.override.party if self.override else self.computed.advice

    @property
    def party(self) -> str | None:
        return self.override.party if self.override else self.computed.party

    @property
    def reason(self) -> str:
        return self.override.reason if self.override else self.computed.reason

    @property
    def sources(self) -> tuple[rules.Source, ...]:
        return self.computed.sources

    def as_dict(self) -> dict:
        return {
            "ons_id": self.seat.ons_id,
            "name": self.seat.name,
            "slug": self.seat.slug,
            "advice": self.advice,
            "party": self.party,
            "reason": self.reason,
            "overridden": self.override is not None,
            "sources": [source_dict(s) for s in self.sources],
        }


def source_dict(source: rules.Source) -> dict:
    return {
        "label": source.label,
        "date": source.date.isoformat(),
        "kind": source.kind,
        "points_to": source.points_to,
        "target_can_win": source.target_can_win,
        "figures": source.figures,
    }


@dataclass(frozen=True)
class ElectionAdvice:
    election: Election
    as_of: date | None  # the as_of asked for (no later than the day before polling day); None: not asked
    seats: list[SeatAdvice]


def day_before(election: Election) -> date:
    return election.date - timedelta(days=1)


def evidence_store(election: Election, *, with_own_results: bool = False) -> EvidenceStore:
    """The evidence for one election; with its own results too, to score the advice against them."""
    until = election.date if with_own_results else day_before(election)
    return EvidenceStore([election.boundary_set_id], until)


def one_seat_store(election: Election, constituency) -> EvidenceStore:
    """The evidence for one seat of the election (store.party_names names the parties for the page)."""
    return EvidenceStore([election.boundary_set_id], day_before(election), [constituency.pk])


def seat_advice(election: Election, constituency, store: EvidenceStore | None = None) -> SeatAdvice | None:
    """The advice for one seat of the election (the seat page), in the same fixed number of queries as
    election_advice, reading only that seat's evidence. None when the election cannot be advised on or
    the seat is not on its boundaries."""
    if constituency.boundary_set_id != election.boundary_set_id:
        return None
    store = store or one_seat_store(election, constituency)
    try:
        advised = election_advice(election, store=store, only=constituency.pk)
    except AdviceUnavailable:
        return None
    return advised.seats[0] if advised.seats else None


def election_advice(
    election: Election,
    as_of: date | None = None,
    *,
    store: EvidenceStore | None = None,
    with_overrides: bool = True,
    only: int | None = None,
) -> ElectionAdvice:
    """The advice for every seat of the election, by name. Raises NoConstituencies when its boundary
    set has none loaded, NoEvidence when nothing is dated before it (or on or before `as_of`)."""
    store = store or evidence_store(election)
    seats = store.seats.get(election.boundary_set_id, [])
    if not seats:
        raise NoConstituencies(
            f"The {election.name} is fought on the {election.boundary_set.name}, and no constituencies are "
            "loaded on them yet: import results or notional results on those boundaries first."
        )
    asked = min(as_of, day_before(election)) if as_of else None
    cutoff = asked or day_before(election)
    earliest = store.earliest_evidence(election)
    if earliest is None:
        raise NoEvidence(
            f"Nothing on the {election.boundary_set.name} is dated before the {election.name} "
            f"({election.date.isoformat()}): no earlier result, notional result or poll projection to "
            "advise from."
        )
    if earliest > cutoff:
        raise NoEvidence(
            f"as_of {as_of.isoformat()} is before any evidence for the {election.name}: the earliest "
            f"is dated {earliest.isoformat()}."
        )
    evidence = store.evidence(election, cutoff)
    speakers = store.speakers_seats(election)
    overrides = (
        {
            seat_id: Override(code, reason)
            for seat_id, code, reason in RecommendationOverride.objects.filter(
                election=election, **({"constituency_id": only} if only is not None else {})
            ).values_list("constituency_id", "recommended_party__code", "reason")
        }
        if with_overrides
        else {}
    )
    advised = [
        SeatAdvice(
            seat,
            rules.advise(
                evidence.get(seat.pk, ()),
                store.blocs,
                election_date=election.date,
                as_of=cutoff,
                seat_is_speakers=seat.slug in speakers,
            ),
            overrides.get(seat.pk),
        )
        for seat in seats
    ]
    return ElectionAdvice(election, asked, advised)
