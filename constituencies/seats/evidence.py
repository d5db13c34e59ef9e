"""The evidence the advice reasons from, read from the database in a fixed number of queries.

`EvidenceStore(boundary_set_ids, until)` loads, once, everything on those boundaries dated on or before
`until`: every result (general elections, notional results, by-elections) as votes per party, and every
poll projection with its shares; plus the parties' blocs and the Speaker's seats. Then `evidence(election,
as_of)` gives each seat's evidence as rules/advice.py's plain Result and Projection objects, and `votes(election)`
an election's own results, for scoring; neither asks the database again. rules/advice.py decides which
evidence counts (dated before polling day and on or before `as_of`, the last general election or notional
result, by-elections since, the newest projections).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import FloatField
from django.db.models.functions import Cast

from constituencies.models import (
    Candidacy,
    Constituency,
    Election,
    Party,
    PollProjection,
    ProjectedShare,
    SeatAssessment,
)
from constituencies.rules import advice as rules
from constituencies.rules.arithmetic import Blocs
from constituencies.rules.explain import SPEAKER

KIND = {
    Election.Kind.GENERAL: rules.GENERAL,
    Election.Kind.NOTIONAL: rules.NOTIONAL,
    Election.Kind.BY_ELECTION: rules.BY_ELECTION,
}


@dataclass(frozen=True)
class Seat:
    pk: int
    boundary_set_id: int
    ons_id: str
    name: str
    slug: str
    country: str


def votes_by_party(candidacies: Iterable[tuple[str, int, bool]]) -> dict[str, int]:
    """Votes per party code from (code, votes, is_combined) rows. Combined minor candidates are "others"
    (rules.OTHERS, never a contender); a party with several candidates (independents) keeps its largest
    under its code and the rest among the others, so no candidate looks stronger than they were."""
    votes: dict[str, int] = {}
    for code, n, combined in sorted(candidacies, key=lambda c: -c[1]):
        key = rules.OTHERS if combined or code in votes else code
        votes[key] = votes.get(key, 0) + n
    return votes


class EvidenceStore:
    """Everything on the given boundary sets dated on or before `until`, loaded in seven queries; with
    `constituency_ids`, only those seats' evidence (the seat page reads one seat)."""

    def __init__(
        self, boundary_set_ids: Iterable[int], until: date, constituency_ids: Iterable[int] | None = None
    ):
        ids = set(boundary_set_ids)
        only = None if constituency_ids is None else set(constituency_ids)
        seats = Constituency.objects.filter(boundary_set_id__in=ids)
        candidacies = Candidacy.objects.all()
        shares = ProjectedShare.objects.all()
        if only is not None:
            seats = seats.filter(pk__in=only)
            candidacies = candidacies.filter(result__constituency_id__in=only)
            shares = shares.filter(constituency_id__in=only)
        # .order_by() everywhere: the models' default orderings would join and sort thousands of rows.
        parties = list(Party.objects.order_by().values_list("pk", "code", "bloc", "name"))
        code = {pk: c for pk, c, _, _ in parties}
        self.party_names = {c: name for _, c, _, name in parties}
        self.blocs = Blocs(
            progressive=frozenset(c for _, c, b, _ in parties if b == Party.Bloc.PROGRESSIVE),
            target=frozenset(c for _, c, b, _ in parties if b == Party.Bloc.TARGET),
        )
        self.seats: dict[int, list[Seat]] = defaultdict(list)
        for row in seats.order_by("name", "pk").values_list(
            "pk", "boundary_set_id", "ons_id", "name", "slug", "country"
        ):
            self.seats[row[1]].append(Seat(*row))
        self.elections = {
            e.pk: e
            for e in Election.objects.filter(boundary_set_id__in=ids, date__lte=until).order_by("date")
        }
        rows: dict[tuple[int, int], list] = defaultdict(list)  # (election, constituency) -> candidacies
        for election_id, seat_id, party_id, n, combined in (
            candidacies.filter(result__election_id__in=self.elections)
            .order_by()
            .values_list("result__election_id", "result__constituency_id", "party_id", "votes", "is_combined")
        ):
            rows[(election_id, seat_id)].append((code[party_id], n, combined))
        self.results: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)  # election -> seat -> votes
        for (election_id, seat_id), candidacies in rows.items():
            self.results[election_id][seat_id] = votes_by_party(candidacies)
        self.projections = {
            p.pk: p
            for p in PollProjection.objects.filter(boundary_set_id__in=ids, date__lte=until).order_by(
                "date", "name"
            )
        }
        self.shares: dict[int, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
        for projection_id, seat_id, party_id, share in (
            shares.filter(projection_id__in=self.projections)
            .order_by()
            .values_list("projection_id", "constituency_id", "party_id", Cast("share", FloatField()))
        ):
            self.shares[projection_id][seat_id][code[party_id]] = share
        # The Speaker's seats, by slug, at each general election (on any boundaries): by convention the
        # Speaker stands again, and a notional result on new boundaries does not show it.
        self.speaker_slugs: dict[date, set[str]] = defaultdict(set)
        for day, slug in (
            SeatAssessment.objects.filter(
                election__kind=Election.Kind.GENERAL, election__date__lte=until, winner__code=SPEAKER
            )
            .order_by()
            .values_list("election__date", "constituency__slug")
        ):
            self.speaker_slugs[day].add(slug)

    def evidence(self, election: Election, as_of: date) -> dict[int, list[rules.Evidence]]:
        """{constituency id: its evidence} dated before the election and on or before `as_of`."""
        found: dict[int, list[rules.Evidence]] = defaultdict(list)
        for e in self.elections.values():
            if e.boundary_set_id == election.boundary_set_id and e.date < election.date and e.date <= as_of:
                for seat_id, votes in self.results[e.pk].items():
                    found[seat_id].append(
                        rules.Result(e.name, e.date, votes, KIND.get(e.kind, rules.GENERAL))
                    )
        for p in self.projections.values():
            if p.boundary_set_id == election.boundary_set_id and p.date < election.date and p.date <= as_of:
                for seat_id, shares in self.shares[p.pk].items():
                    found[seat_id].append(rules.Projection(p.name, p.publisher, p.date, shares, p.is_average))
        return found

    def earliest_evidence(self, election: Election) -> date | None:
        """The day of the earliest evidence on the election's boundaries before polling day, if any."""
        same = election.boundary_set_id
        days = [e.date for e in self.elections.values() if e.boundary_set_id == same and self.results[e.pk]]
        days += [p.date for p in self.projections.values() if p.boundary_set_id == same]
        days = [day for day in days if day < election.date]
        return min(days, default=None)

    def speakers_seats(self, election: Election) -> set[str]:
        """Slugs of the seats the Speaker held at the last general election before this one."""
        before = [day for day in self.speaker_slugs if day < election.date]
        return self.speaker_slugs[max(before)] if before else set()

    def votes(self, election: Election) -> dict[int, dict[str, int]]:
        """{constituency id: votes per party} of the election's own results (for scoring advice)."""
        return self.results.get(election.pk, {})
