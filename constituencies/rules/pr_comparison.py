"""An election's real first-past-the-post House beside the same votes under D'Hondt and Sainte-Laguë.

    comparison = compare(votes, SAINTE_LAGUE, REGIONAL, Threshold(5, THRESHOLD_REGIONAL))
    comparison.rows            # one PartyRow a party (independents, the Speaker, "other candidates" too)
    comparison.gallagher_fptp  # 23.7 for 2024; comparison.gallagher_pr for the chosen method

Plain data in (ElectionVotes, loaded by seats/pr_votes.py), plain data out, no Django. The allocation and
the index are rules/pr.py's; this module puts them side by side, one row per party.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from constituencies.rules import pr
from constituencies.rules.arithmetic import percentage

UNALLOCATED = "unallocated"  # the Gallagher index's entry for seats no qualifying party could take


@dataclass(frozen=True)
class PartyInfo:
    name: str
    colour: str


@dataclass(frozen=True)
class ElectionVotes:
    """Every region's seats and votes by party code, the seats each party really won, and the parties' names."""

    regions: list[pr.Area]
    fptp_seats: dict[str, int]
    parties: dict[str, PartyInfo] = field(default_factory=dict)

    @property
    def nation(self) -> pr.Area:
        return pr.national_totals(self.regions)


@dataclass(frozen=True)
class PartyRow:
    code: str
    name: str
    colour: str
    votes: int
    vote_share: float  # % of all valid votes
    fptp_seats: int
    fptp_seat_share: float
    seats: dict[str, int]  # by method, under the chosen allocation and threshold
    seat_share: float  # % of the seats under the chosen method
    gets_list_seats: bool  # False for independents, the Speaker and "other candidates"
    below_threshold: bool
    method: str  # the chosen method, which pr_seats and seat_share follow

    @property
    def pr_seats(self) -> int:
        return self.seats[self.method]

    @property
    def votes_per_mp(self) -> int | None:
        """Under first past the post, as published."""
        return pr.votes_per_mp(self.votes, self.fptp_seats)

    @property
    def pr_votes_per_mp(self) -> int | None:
        return pr.votes_per_mp(self.votes, self.pr_seats)


@dataclass(frozen=True)
class Comparison:
    method: str
    by: str
    threshold: pr.Threshold
    rows: list[PartyRow]
    total_votes: int
    total_seats: int
    regions: int
    areas: list[pr.Area]
    allocations: dict[str, pr.Allocation]  # by method
    gallagher_fptp: float
    gallagher: dict[str, float]  # by method

    @property
    def allocation(self) -> pr.Allocation:
        return self.allocations[self.method]

    @property
    def gallagher_pr(self) -> float:
        return self.gallagher[self.method]

    @property
    def unallocated(self) -> int:
        return self.allocation.unallocated

    @property
    def no_list_seat_votes(self) -> int:
        """Votes for independents, the Speaker and "other candidates", which no list seat answers."""
        return sum(row.votes for row in self.rows if not row.gets_list_seats)

    @property
    def no_list_seat_share(self) -> float:
        return percentage(self.no_list_seat_votes, self.total_votes)

    def regions_won(self) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """Under the chosen method by region: (region, its seats, [(party code, seats won)]), most seats first
        (then most votes in the region)."""
        if self.by != pr.REGIONAL:
            return []
        won = self.allocation.by_area
        return [
            (
                area.name,
                area.seats,
                sorted(
                    ((code, n) for code, n in won[area.name].items() if n),
                    key=lambda item, votes=area.votes: (-item[1], -votes[item[0]], item[0]),
                ),
            )
            for area in self.areas
        ]

    def shown_rows(self, min_share: float = 0.5) -> tuple[list[PartyRow], list[PartyRow]]:
        """The rows worth a line of their own (a seat under any system, or min_share% of the vote), and the
        rest, which a page may add up into one line."""
        shown, rest = [], []
        for row in self.rows:
            if row.fptp_seats or any(row.seats.values()) or row.vote_share >= min_share:
                shown.append(row)
            else:
                rest.append(row)
        return shown, rest


def compare(
    votes: ElectionVotes, method: str, by: str = pr.NATIONAL, threshold: pr.Threshold = pr.NO_THRESHOLD
) -> Comparison:
    """Both methods under the same allocation and threshold, `method` the one the shares and index follow."""
    pr.divisor(method, 0)  # an unknown method fails here
    nation = votes.nation
    allocations = {m: pr.allocate(votes.regions, m, by, threshold) for m in pr.METHODS}
    total_votes, total_seats = nation.total_votes, nation.seats
    codes = set(nation.votes) | set(votes.fptp_seats)
    rows = []
    for code in codes:
        info = votes.parties.get(code, PartyInfo(code, "#AAAAAA"))
        party_votes = nation.votes.get(code, 0)
        seats = {m: a.seats.get(code, 0) for m, a in allocations.items()}
        fptp = votes.fptp_seats.get(code, 0)
        row = PartyRow(
            code=code,
            name=info.name,
            colour=info.colour,
            votes=party_votes,
            vote_share=percentage(party_votes, total_votes),
            fptp_seats=fptp,
            fptp_seat_share=percentage(fptp, total_seats),
            seats=seats,
            seat_share=percentage(seats[method], total_seats),
            gets_list_seats=code not in pr.NO_LIST_SEATS,
            below_threshold=code in allocations[method].below_threshold,
            method=method,
        )
        rows.append(row)
    rows.sort(key=lambda r: (-r.votes, -r.fptp_seats, r.code))
    indexed = [row for row in rows if row.code not in pr.NOT_IN_INDEX]
    gallagher = {}
    for m, allocation in allocations.items():
        pairs = [(row.votes, row.seats[m]) for row in indexed]
        if allocation.unallocated:
            pairs.append((0, allocation.unallocated))
        gallagher[m] = pr.gallagher_index(pairs, total_votes, total_seats)
    return Comparison(
        method=method,
        by=by,
        threshold=threshold,
        rows=rows,
        total_votes=total_votes,
        total_seats=total_seats,
        regions=len(votes.regions),
        areas=votes.regions,
        allocations=allocations,
        gallagher_fptp=pr.gallagher_index(
            [(row.votes, row.fptp_seats) for row in indexed], total_votes, total_seats
        ),
        gallagher=gallagher,
    )
