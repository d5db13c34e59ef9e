"""What if the progressive parties had worked together: the seats and the House of Commons that would follow.

Plain functions over plain data (each seat's votes by candidacy, its real winner, the progressive bloc), with no
Django and no database, so a scenario for 650 seats is pure computation.

The method
- In each seat the best-placed progressive party is the one `arithmetic.progressive_order` puts first (the most
  votes in the progressive bloc). Every other progressive party that stands aside there loses `follow` per cent
  of its votes, and the best-placed party gains them. A standing-aside party that is itself best placed stays.
- The best-placed party wins the seat only with more votes than every other named candidate afterwards. A tie
  is not a gain: the seat stays with its real winner and is reported as tied. Nothing else moves: no other
  party's voters, and no one who did not vote (turnout is not modelled).
- A combined figure for several minor candidates ("Oth") never wins, as in the real ranking.
- The House: each seat to its winner. The Speaker's seat is the Speaker's, not a party's. A majority needs more
  than half of all the seats (326 of 650); a party's majority is its seats less all the others, the Speaker's
  included, as majorities are usually reported (80 for the Conservatives in 2019). The working majority,
  reckoned without the Speaker, the deputies and any members who do not take their seats, is a little larger
  and is not shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from constituencies.rules.arithmetic import Blocs, Candidacy, progressive_order, progressive_votes_by_party

SPEAKER = "Spk"
DEFAULT_FOLLOW = Decimal(100)
SIDE_BY_SIDE_FOLLOWS = (Decimal(50), Decimal(70), Decimal(100))
SCALE = 1000  # votes are compared in thousandths, so a follow share to one decimal place stays exact


@dataclass(frozen=True)
class Seat:
    key: str  # the constituency's slug
    name: str
    candidacies: tuple[Candidacy, ...]
    winner: str  # the real winner's party code (the stored assessment: a declared winner settles a tie)
    is_tragedy: bool = False


@dataclass(frozen=True)
class Flip:
    """A seat that changes hands in the scenario."""

    seat: Seat
    was: str
    now: str
    votes_moved: int  # to the best-placed party, rounded to whole votes
    lead: int  # the new winner's lead over the next named candidate, rounded


@dataclass(frozen=True)
class Standing:
    """The largest party in a House and its majority (positive) or how far it falls short."""

    party: str | None
    seats: int
    total: int

    @property
    def needed(self) -> int:
        return self.total // 2 + 1

    @property
    def majority(self) -> int:
        """Its seats less every other seat, the Speaker's included; zero or less is no majority."""
        return 2 * self.seats - self.total

    @property
    def has_majority(self) -> bool:
        return self.seats >= self.needed

    @property
    def shortfall(self) -> int:
        return max(self.needed - self.seats, 0)


@dataclass(frozen=True)
class Scenario:
    stand_aside: frozenset[str]
    follow: Decimal
    seats_considered: int  # the seats the scenario applies to
    winners: dict[str, str]  # seat key -> winning party code
    flips: list[Flip]
    ties: list[Seat]  # seats where the best-placed party would draw level: held by the real winner
    house: Counter = field(default_factory=Counter)  # party code -> seats (the Speaker as SPEAKER)
    real_house: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.real_house.values())

    @property
    def largest(self) -> Standing:
        return largest_party(self.house, self.total)

    @property
    def real_largest(self) -> Standing:
        return largest_party(self.real_house, self.total)

    @property
    def governing(self) -> str | None:
        """The largest party at the real election."""
        return self.real_largest.party

    @property
    def governing_had_majority(self) -> bool:
        return self.real_largest.has_majority

    @property
    def governing_seats(self) -> int:
        return self.house.get(self.governing, 0) if self.governing else 0

    @property
    def governing_keeps_majority(self) -> bool:
        return self.governing_had_majority and self.governing_seats >= self.real_largest.needed


def check_follow(follow) -> Decimal:
    follow = Decimal(follow)
    if not follow.is_finite() or not 0 <= follow <= 100:
        raise ValueError(f"the follow share is a percentage from 0 to 100, not {follow}")
    return follow.quantize(Decimal("0.1"))


def largest_party(house: Mapping[str, int], total: int) -> Standing:
    """The party with the most seats (never the Speaker); of two level, the first by code."""
    parties = sorted(((-seats, code) for code, seats in house.items() if code != SPEAKER and seats))
    if not parties:
        return Standing(None, 0, total)
    seats, code = parties[0]
    return Standing(code, -seats, total)


@dataclass(frozen=True)
class Contest:
    """One seat as the scenarios read it, worked out once per seat and bloc (`prepare`)."""

    seat: Seat
    best: str | None  # the best-placed progressive party (arithmetic.progressive_order)
    best_votes: int
    others: tuple[tuple[str, int], ...]  # the other progressive parties' votes: those that may stand aside
    rivals: tuple[tuple[str, int], ...]  # every named candidacy but the best-placed party's


def prepare(seats: Iterable[Seat], progressive: Iterable[str]) -> tuple[Contest, ...]:
    """The seats read for the scenarios; keep it to run many scenarios over the same seats and bloc."""
    blocs = Blocs(frozenset(progressive), frozenset())
    contests = []
    for seat in seats:
        order = progressive_order(progressive_votes_by_party(seat.candidacies, blocs))
        best, best_votes = order[0] if order else (None, 0)
        rivals = tuple((c.party, c.votes) for c in seat.candidacies if not c.combined and c.party != best)
        contests.append(Contest(seat, best, best_votes, tuple(order[1:]), rivals))
    return tuple(contests)


def contest_winner(contest: Contest, stand_aside: frozenset[str], share: int) -> tuple[str, int, int | None]:
    """(the winner, thousandths of votes moved, the winner's lead in thousandths; None for a tie), when `share`
    thousandths of each standing-aside party's votes go to the best-placed party."""
    aside = [(party, votes) for party, votes in contest.others if party in stand_aside]
    if not aside or not share:
        return contest.seat.winner, 0, 0
    moved = share * sum(votes for _, votes in aside)
    best_total = contest.best_votes * SCALE + moved
    parties_aside = {party for party, _ in aside}
    rival = max(
        (votes * SCALE - (share * votes if party in parties_aside else 0) for party, votes in contest.rivals),
        default=0,
    )
    if best_total > rival:
        return contest.best, moved, best_total - rival
    return contest.seat.winner, moved, None if best_total == rival else 0


def seat_winner(
    seat: Seat, progressive: Iterable[str], stand_aside: Iterable[str], follow: Decimal
) -> tuple[str, int, int | None]:
    """One seat's winner in a scenario: see contest_winner."""
    share = int(check_follow(follow) * 10)
    return contest_winner(prepare([seat], progressive)[0], frozenset(stand_aside), share)


def run_scenario(
    seats: Iterable[Seat],
    progressive: Iterable[str],
    stand_aside: Iterable[str],
    follow: Decimal | int = DEFAULT_FOLLOW,
    applies_to: Iterable[str] | None = None,
    *,
    prepared: tuple[Contest, ...] | None = None,
) -> Scenario:
    """The scenario: `stand_aside` (progressive party codes) stand aside for the best-placed progressive in
    each seat of `applies_to` (seat keys; None for every seat), and `follow` per cent of their voters follow.
    `prepared`: `prepare(seats, progressive)`, if it is kept."""
    progressive = frozenset(progressive)
    stand_aside = frozenset(stand_aside)
    not_progressive = sorted(stand_aside - progressive)
    if not_progressive:
        raise ValueError(f"not in the progressive bloc: {', '.join(not_progressive)}")
    follow = check_follow(follow)
    share = int(follow * 10)  # thousandths of each standing-aside party's votes
    applies = None if applies_to is None else frozenset(applies_to)
    winners, flips, ties = {}, [], []
    house, real_house = Counter(), Counter()
    considered = 0
    for contest in prepared if prepared is not None else prepare(seats, progressive):
        seat = contest.seat
        real_house[seat.winner] += 1
        winner = seat.winner
        if applies is None or seat.key in applies:
            considered += 1
            winner, moved, lead = contest_winner(contest, stand_aside, share)
            if lead is None:
                ties.append(seat)
            elif winner != seat.winner:
                flips.append(Flip(seat, seat.winner, winner, _whole(moved), _whole(lead)))
        winners[seat.key] = winner
        house[winner] += 1
    flips.sort(key=lambda flip: flip.seat.name.casefold())
    return Scenario(stand_aside, follow, considered, winners, flips, ties, house, real_house)


def _whole(thousandths: int) -> int:
    return (thousandths + SCALE // 2) // SCALE


def house_rows(scenario: Scenario) -> list[tuple[str, int, int]]:
    """(party code, real seats, scenario seats), the most seats in the scenario first, the Speaker last."""
    parties = set(scenario.house) | set(scenario.real_house)
    rows = [(code, scenario.real_house.get(code, 0), scenario.house.get(code, 0)) for code in parties]
    return sorted(rows, key=lambda row: (row[0] == SPEAKER, -row[2], -row[1], row[0]))


def headline(scenario: Scenario, name_of: Mapping[str, str]) -> str:
    """One sentence: whether the governing party's majority survives (or, with none, who leads)."""
    real, now = scenario.real_largest, scenario.largest
    if real.party is None:
        return "There are no seats to count."
    governing = name_of.get(real.party, real.party)
    seats = scenario.governing_seats
    needed = f"{real.needed} needed for a majority of the {real.total} seats"
    if real.has_majority:
        if scenario.governing_keeps_majority and seats == real.seats:
            return f"The {governing} majority would have survived unchanged: {seats} seats, a majority of {real.majority}."
        if scenario.governing_keeps_majority:
            return (
                f"The {governing} majority would have survived: {seats} seats, a majority of "
                f"{2 * seats - real.total} rather than {real.majority}."
            )
        leader = ""
        if now.party != real.party:
            leader = f", and {name_of.get(now.party, now.party)} would be the largest party with {now.seats}"
        return (
            f"The {governing} majority would not have survived: {seats} seats, "
            f"{real.needed - seats} short of the {needed}{leader}."
        )
    if now.has_majority:
        return (
            f"The largest party, {governing}, had no majority to lose ({real.seats} seats); here "
            f"{name_of.get(now.party, now.party)} would win one: {now.seats} seats, a majority of {now.majority}."
        )
    return (
        f"The largest party, {governing}, had no majority to lose ({real.seats} seats, {real.shortfall} short), and no party "
        f"would have one here: the largest, {name_of.get(now.party, now.party)}, would have {now.seats} seats, "
        f"{now.shortfall} short of the {needed}."
    )
