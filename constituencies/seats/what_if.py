"""An election's seats as the what-if's plain data (rules/what_if.py), read in three queries and kept per seat
data version in each process, so that a scenario costs no query beyond the version.

    seats = election_seats(election)   # ElectionSeats: every seat, the parties, the progressive bloc
    scenario = run_scenario(seats.seats, seats.progressive, ...)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from constituencies.models import Candidacy, Party, SeatAssessment
from constituencies.rules import arithmetic
from constituencies.rules.what_if import Contest, Seat, prepare
from constituencies.seats.data_version import KeptPerVersion

LOAD_QUERIES = 3  # the assessments, the candidacies, the parties


@dataclass(frozen=True)
class PartyInfo:
    code: str
    name: str
    colour: str
    bloc: str


@dataclass(frozen=True)
class ElectionSeats:
    seats: tuple[Seat, ...]
    parties: dict[str, PartyInfo]  # by code: every party, whether or not it stood
    progressive: frozenset[str]  # the progressive bloc's codes
    ons_ids: dict[str, str]  # seat key (slug) -> ONS code, for the hex map
    keys_by_constituency: dict[int, str]  # constituency id -> seat key, to apply the seat list's filters
    prepared: tuple[Contest, ...]  # the seats as the scenarios read them, with this bloc

    def name_of(self, code: str) -> str:
        party = self.parties.get(code)
        return party.name if party else code

    @property
    def names(self) -> dict[str, str]:
        return {code: party.name for code, party in self.parties.items()}


kept = KeptPerVersion(size=8)


def election_seats(election) -> ElectionSeats:
    """Every assessed seat of the election, with its candidacies and real winner."""
    return kept.get(("what_if", election.pk), lambda: read_seats(election))


def read_seats(election) -> ElectionSeats:
    rows = list(
        SeatAssessment.objects.filter(election_id=election.pk)
        .order_by("constituency__name")
        .values_list(
            "result_id",
            "constituency_id",
            "constituency__slug",
            "constituency__name",
            "constituency__ons_id",
            "winner__code",
            "is_tragedy",
        )
    )
    candidacies = defaultdict(list)
    for result_id, party, votes, combined, name in (
        Candidacy.objects.filter(result__election_id=election.pk)
        .order_by()
        .values_list("result_id", "party__code", "votes", "is_combined", "candidate_name")
    ):
        candidacies[result_id].append(arithmetic.Candidacy(party, votes, name, combined))
    parties = {
        code: PartyInfo(code, name, colour, bloc)
        for code, name, colour, bloc in Party.objects.values_list("code", "name", "colour", "bloc")
    }
    seats = tuple(
        Seat(slug, name, tuple(candidacies[result_id]), winner, is_tragedy)
        for result_id, _, slug, name, _, winner, is_tragedy in rows
    )
    progressive = frozenset(c for c, p in parties.items() if p.bloc == Party.Bloc.PROGRESSIVE)
    return ElectionSeats(
        seats=seats,
        parties=parties,
        progressive=progressive,
        ons_ids={slug: ons for _, _, slug, _, ons, _, _ in rows},
        keys_by_constituency={constituency: slug for _, constituency, slug, *_ in rows},
        prepared=prepare(seats, progressive),
    )
