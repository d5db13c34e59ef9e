"""Scoring advice against what happened: the track record, as plain arithmetic.

Given the advice per seat (as advice.advise gave it before an election) and the actual result per
seat (votes per party code), count the seats advised, how many named a party and how many of those
were right, how many said "no tactical vote needed", "too close to call" or "not applicable", and
list the wrong ones. A named party is right when it polled the most votes of any progressive party in
the actual result. "No tactical vote needed" is checked too: the seats where a target party went on to
win are listed, since that advice told voters the target bloc could not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constituencies.rules.advice import NONE_NEEDED, NOT_APPLICABLE, TOO_CLOSE
from constituencies.rules.arithmetic import Blocs


@dataclass(frozen=True)
class Miss:
    seat: str
    named: str  # the party the advice named
    actual: str | None  # the progressive party that polled the most votes


@dataclass(frozen=True)
class Score:
    advised: int
    named: int
    right: int
    none_needed: int
    too_close: int
    not_applicable: int
    wrong: tuple[Miss, ...]
    none_needed_but_target_won: tuple[str, ...]

    @property
    def right_pct(self) -> float:
        """Of the seats where a party was named, the share where it was the right one."""
        return 100.0 * self.right / self.named if self.named else 0.0

    @property
    def contested(self) -> int:
        """Seats where the advice says the target bloc can win: named or too close."""
        return self.named + self.too_close

    @property
    def named_pct(self) -> float:
        """Of the seats where the target bloc can win, the share where a party was named."""
        return 100.0 * self.named / self.contested if self.contested else 0.0


def best_progressive(votes: Mapping[str, int], blocs: Blocs) -> str | None:
    progressive = {party: n for party, n in votes.items() if party in blocs.progressive and n > 0}
    return max(progressive, key=lambda party: (progressive[party], party), default=None)


def winner(votes: Mapping[str, int]) -> str | None:
    return max(votes, key=lambda party: (votes[party], party), default=None)


def score(advice: Mapping[str, str], actual: Mapping[str, Mapping[str, int]], blocs: Blocs) -> Score:
    """`advice`: seat -> advice code (a party code, none_needed, too_close or not_applicable);
    `actual`: seat -> votes per party code. Only seats in both are scored."""
    seats = sorted(set(advice) & set(actual))
    counts = {NONE_NEEDED: 0, TOO_CLOSE: 0, NOT_APPLICABLE: 0}
    named = right = 0
    wrong: list[Miss] = []
    target_won: list[str] = []
    for seat in seats:
        code, votes = advice[seat], actual[seat]
        if code in counts:
            counts[code] += 1
            if code == NONE_NEEDED and winner(votes) in blocs.target:
                target_won.append(seat)
            continue
        named += 1
        top = best_progressive(votes, blocs)
        if top is not None and votes.get(code, 0) == votes[top]:
            right += 1
        else:
            wrong.append(Miss(seat, code, top))
    return Score(
        advised=len(seats),
        named=named,
        right=right,
        none_needed=counts[NONE_NEEDED],
        too_close=counts[TOO_CLOSE],
        not_applicable=counts[NOT_APPLICABLE],
        wrong=tuple(wrong),
        none_needed_but_target_won=tuple(target_won),
    )
