"""Proportional representation from an election's votes: highest-averages allocation and how far a result is
from the votes. Plain functions over plain data (no Django); `rules/pr_comparison.py` builds the page's table.

    seats = highest_averages({"A": 100_000, "B": 80_000, "C": 30_000}, 8, DHONDT)   # {"A": 4, "B": 3, "C": 1}
    result = allocate(regions, SAINTE_LAGUE, REGIONAL, Threshold(5, THRESHOLD_REGIONAL))

**Highest averages.** Seats are handed out one at a time; each goes to the party whose votes divided by a
divisor is largest, the divisor growing with the seats the party already has: 1, 2, 3, ... (D'Hondt), or
1, 3, 5, ... (Sainte-Laguë). Averages are compared exactly (in integers, never floats). **Ties**: when two
parties' averages are equal for the last seat in play, the party with more votes in that area wins it; if
their votes are equal too, the party whose code sorts first (Python's string order) does. So the same votes
always give the same seats.

**By region** (`REGIONAL`): each region elects as many members as it has constituencies in the election, from
its own votes, as the UK's former European Parliament elections did (Northern Ireland used STV then; here it
is a region like the others). **Nationally** (`NATIONAL`): one allocation of every seat over the UK's totals.

**No list seats for independents, the Speaker or "other candidates".** Candidates standing as independents
(code "Ind"), the Speaker ("Spk") and the minor candidates a file publishes only as a combined figure
(OTHER_CANDIDATES, "Oth") are not parties with lists, so they get no seats here (`NO_LIST_SEATS`). Their votes
still count in the total votes, so every party's share of the vote is its share of all valid votes, and those
votes are in effect wasted: all the seats go to the parties, in proportion to the parties' votes alone.

**Thresholds.** A party below the threshold gets no seats. Its share is of all valid votes (independents
included) in the area the threshold is measured over: the UK (`THRESHOLD_NATIONAL`), or each region
(`THRESHOLD_REGIONAL`). A regional threshold in a national allocation lets in a party that reaches it in at
least one region (so the SNP or Plaid Cymru can qualify); a national threshold in a regional allocation keeps
a party out of every region unless it reaches it across the UK. A party exactly at the threshold qualifies.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from constituencies.rules.parties import OTHER_CANDIDATES

DHONDT = "dhondt"
SAINTE_LAGUE = "sainte_lague"
METHODS = {DHONDT: "D'Hondt", SAINTE_LAGUE: "Sainte-Laguë"}

NATIONAL = "nation"
REGIONAL = "region"
ALLOCATED_BY = {NATIONAL: "Nationally", REGIONAL: "By region"}

THRESHOLD_NATIONAL = "national"
THRESHOLD_REGIONAL = "regional"
THRESHOLD_SCOPES = {THRESHOLD_NATIONAL: "of the UK vote", THRESHOLD_REGIONAL: "of the vote in a region"}
MAX_THRESHOLD = 50  # percent: above half the vote, at most one party could ever qualify

INDEPENDENT = "Ind"
SPEAKER = "Spk"
NO_LIST_SEATS = frozenset({INDEPENDENT, SPEAKER, OTHER_CANDIDATES})
# Not an entry of the Gallagher index: a combined figure of many parties' and independents' votes (see below).
NOT_IN_INDEX = frozenset({OTHER_CANDIDATES})

UNITED_KINGDOM = "United Kingdom"


def divisor(method: str, seats_won: int) -> int:
    """The divisor of a party that has already won `seats_won` seats: 1, 2, 3, ... or 1, 3, 5, ..."""
    if method == DHONDT:
        return seats_won + 1
    if method == SAINTE_LAGUE:
        return 2 * seats_won + 1
    raise ValueError(f"unknown method {method!r}")


class _Bid:
    """A party's claim on the next seat: its average is votes / divisor. Ordered so that the heap's smallest
    is the seat's winner; averages compared by cross-multiplying, exactly."""

    __slots__ = ("code", "votes", "divisor")

    def __init__(self, code: str, votes: int, divisor: int):
        self.code, self.votes, self.divisor = code, votes, divisor

    def __lt__(self, other: _Bid) -> bool:
        mine, theirs = self.votes * other.divisor, other.votes * self.divisor
        if mine != theirs:
            return mine > theirs
        if self.votes != other.votes:
            return self.votes > other.votes
        return self.code < other.code


def highest_averages(votes: Mapping[str, int], seats: int, method: str) -> dict[str, int]:
    """Seats by party for `seats` seats among `votes` (every party given; those with no votes get none).

    Fewer seats than asked are handed out only when no party has a vote: the caller counts them unallocated."""
    first = divisor(method, 0)  # an unknown method fails before any work
    won = dict.fromkeys(votes, 0)
    heap = [_Bid(code, n, first) for code, n in votes.items() if n > 0]
    heapq.heapify(heap)
    for _ in range(seats):
        if not heap:
            break
        bid = heapq.heappop(heap)
        won[bid.code] += 1
        heapq.heappush(heap, _Bid(bid.code, bid.votes, divisor(method, won[bid.code])))
    return won


@dataclass(frozen=True)
class Area:
    """Where seats are allocated: a region's name, its number of seats, and every candidate group's votes
    there (by party code, independents and the Speaker included: they count in the total)."""

    name: str
    seats: int
    votes: Mapping[str, int]
    total_votes: int = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "total_votes", sum(self.votes.values()))


@dataclass(frozen=True)
class Threshold:
    """A minimum share of the vote, in percent (0: none), over the UK or over each region."""

    percent: float = 0
    scope: str = THRESHOLD_NATIONAL
    _exact: Fraction = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not 0 <= self.percent <= MAX_THRESHOLD:
            raise ValueError(f"a threshold is from 0 to {MAX_THRESHOLD}%, not {self.percent}")
        if self.scope not in THRESHOLD_SCOPES:
            raise ValueError(f"unknown threshold scope {self.scope!r}")
        object.__setattr__(self, "_exact", Fraction(str(self.percent)))  # 3.3 as 33/10, not a binary float

    @property
    def applies(self) -> bool:
        return self.percent > 0

    def reached(self, votes: int, total: int) -> bool:
        """votes is at least percent% of total, compared exactly."""
        return votes * 100 * self._exact.denominator >= self._exact.numerator * total

    @property
    def description(self) -> str:
        if not self.applies:
            return "No threshold"
        return f"A threshold of {self.percent:g}% {THRESHOLD_SCOPES[self.scope]}"


NO_THRESHOLD = Threshold()


@dataclass(frozen=True)
class Allocation:
    """Seats by party code overall and in each area, and the seats no qualifying party could take."""

    method: str
    by: str
    threshold: Threshold
    seats: dict[str, int]
    by_area: dict[str, dict[str, int]]
    unallocated: int
    below_threshold: frozenset[str]  # parties with votes kept out by the threshold everywhere

    @property
    def total_seats(self) -> int:
        return sum(self.seats.values()) + self.unallocated


def national_totals(regions: Iterable[Area]) -> Area:
    """The UK as one area: every region's seats and votes added up."""
    votes: dict[str, int] = {}
    seats = 0
    for region in regions:
        seats += region.seats
        for code, n in region.votes.items():
            votes[code] = votes.get(code, 0) + n
    return Area(UNITED_KINGDOM, seats, votes)


def allocate(
    regions: list[Area], method: str, by: str = NATIONAL, threshold: Threshold = NO_THRESHOLD
) -> Allocation:
    """Seats under `method`, allocated nationally or region by region, after the threshold."""
    if by not in ALLOCATED_BY:
        raise ValueError(f"unknown allocation {by!r}")
    nation = national_totals(regions)
    areas = [nation] if by == NATIONAL else list(regions)
    eligible = {area.name: _eligible(area, nation, regions, threshold) for area in areas}
    seats = {code: 0 for code in nation.votes if code not in NO_LIST_SEATS}
    by_area, unallocated = {}, 0
    for area in areas:
        won = highest_averages(
            {code: area.votes.get(code, 0) for code in eligible[area.name]}, area.seats, method
        )
        by_area[area.name] = won
        for code, n in won.items():
            seats[code] += n
        unallocated += area.seats - sum(won.values())
    kept_out = {
        code
        for code in seats
        if nation.votes[code] > 0 and not any(code in eligible[area.name] for area in areas)
    }
    return Allocation(method, by, threshold, seats, by_area, unallocated, frozenset(kept_out))


def _eligible(area: Area, nation: Area, regions: list[Area], threshold: Threshold) -> set[str]:
    """The parties that may win seats in `area`: list parties with votes there that pass the threshold."""
    parties = {code for code, n in area.votes.items() if n > 0 and code not in NO_LIST_SEATS}
    if not threshold.applies:
        return parties
    if threshold.scope == THRESHOLD_NATIONAL:
        return {code for code in parties if threshold.reached(nation.votes[code], nation.total_votes)}
    if area is nation:  # a regional threshold in a national allocation: reached in any one region
        return {
            code
            for code in parties
            if any(threshold.reached(r.votes.get(code, 0), r.total_votes) for r in regions)
        }
    return {code for code in parties if threshold.reached(area.votes[code], area.total_votes)}


def votes_per_mp(votes: int, seats: int) -> int | None:
    """Votes cast for a party per member it elected, to the nearest vote (halves up); None without a seat."""
    if seats <= 0:
        return None
    return (2 * votes + seats) // (2 * seats)


def gallagher_index(pairs: Iterable[tuple[int, int]], total_votes: int, total_seats: int) -> float:
    """The Gallagher least-squares index, in percentage points: sqrt(½ Σ (v_i − s_i)²), where v_i and s_i are
    each entry's share of the votes and of the seats in percent.

    `pairs` are (votes, seats), one per entry, and what an entry is changes the figure: grouping small parties
    makes their gap one larger square rather than several small ones. Seat Finder counts every party apart,
    all independents together as one entry (the files name them all "Ind"), the Speaker as one, and seats no
    party could take (a threshold) as an entry with no votes. A file's combined "other candidates" figure
    (OTHER_CANDIDATES) is left out of the sum (NOT_IN_INDEX, applied by rules/pr_comparison.py): it is many
    seatless parties and independents at once, each of whose squares is tiny, so squaring their total as
    one party would overstate the index. Its votes stay in total_votes. This reproduces the published 23.7 for
    2024 from the House of Commons Library's constituency file alone (23.68, where "all other candidates" is
    one column; as one entry it would be 23.76) and from its candidate file (23.70, every party apart).
    """
    if total_votes <= 0 or total_seats <= 0:
        return 0.0
    squares = sum((100 * votes / total_votes - 100 * seats / total_seats) ** 2 for votes, seats in pairs)
    return math.sqrt(squares / 2)
