"""The track record: the advice as it stood the day before a past election, scored against what happened.

`backtest(election)` for one election, `track_record()` for every general election loaded that has
earlier evidence on its boundaries to reason from (the first election on new boundaries has none). The
scoring is rules/backtest.py's: a named party is right when it polled the most progressive votes. The
advice scored is the method's own, without the editors' overrides, so the record measures the method the
methodology page describes. A fixed number of queries however many elections and seats.
"""

from __future__ import annotations

from dataclasses import dataclass

from constituencies.models import Election, Party
from constituencies.rules.backtest import Score, score
from constituencies.seats.advice import NoEvidence, day_before, election_advice, evidence_store
from constituencies.seats.evidence import EvidenceStore, Seat

NORTHERN_IRELAND = "Northern Ireland"


@dataclass(frozen=True)
class ElectionRecord:
    election: Election
    everywhere: Score  # every seat with a result
    great_britain: Score  # without Northern Ireland, where the target bloc hardly stands
    seats: dict[str, Seat]  # ONS code -> the seat (name, slug), to list the misses
    party_names: dict[str, str]  # party code -> name

    @property
    def as_of(self):
        return day_before(self.election)

    @property
    def has_northern_ireland(self) -> bool:
        return self.everywhere.advised != self.great_britain.advised


class NoResults(Exception):
    """The election has no results yet to compare the advice with."""


def _record(election: Election, store: EvidenceStore, party_names: dict[str, str]) -> ElectionRecord:
    advice = election_advice(election, store=store, with_overrides=False)  # as of the day before
    actual_by_id = store.votes(election)
    if not actual_by_id:
        raise NoResults(f"The {election.name} has no results yet to compare the advice with.")
    seats = {a.seat.pk: a for a in advice.seats}
    actual = {seats[pk].seat.ons_id: votes for pk, votes in actual_by_id.items() if pk in seats}
    codes = {a.seat.ons_id: a.advice for a in advice.seats}
    gb = {a.seat.ons_id for a in advice.seats if a.seat.country != NORTHERN_IRELAND}
    return ElectionRecord(
        election=election,
        everywhere=score(codes, actual, store.blocs),
        great_britain=score({s: c for s, c in codes.items() if s in gb}, actual, store.blocs),
        seats={a.seat.ons_id: a.seat for a in advice.seats},
        party_names=party_names,
    )


def _party_names() -> dict[str, str]:
    return dict(Party.objects.values_list("code", "name"))


def backtest(election: Election) -> ElectionRecord:
    """Raises NoEvidence (nothing dated before it) or NoResults (not held yet, or not loaded)."""
    return _record(election, evidence_store(election, with_own_results=True), _party_names())


def track_record() -> list[ElectionRecord]:
    """Every general election with results and earlier evidence on its boundaries, newest first."""
    elections = list(
        Election.objects.filter(kind=Election.Kind.GENERAL, results__isnull=False)
        .distinct()
        .select_related("boundary_set")
        .order_by("-date", "slug")
    )
    if not elections:
        return []
    store = EvidenceStore({e.boundary_set_id for e in elections}, max(e.date for e in elections))
    party_names = _party_names()
    records = []
    for election in elections:
        try:
            records.append(_record(election, store, party_names))
        except NoEvidence:
            continue  # the first election on its boundaries: nothing earlier to reason from
    return records
