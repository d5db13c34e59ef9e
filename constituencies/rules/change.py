"""What changed in one seat between a contest and the previous one on the same boundaries: plain arithmetic.

- Gain or hold: the seat changed hands when the previous contest's winner is a different party from this one's
  ("Labour gain from Conservative", "Conservative hold"). A tie settled by lot counts its declared winner.
  Where either winner is published only as "other candidates" (the notional 2019 result for the Speaker's
  seat), it cannot be said.
- Swing: the conventional two-party (Butler) swing between this contest's winner's party and runner-up's party,
  in percentage points of the valid vote: half the rise in the winner's share minus the rise in the runner-up's,
  ((W_now - W_before) - (R_now - R_before)) / 2. Positive means a swing towards this winner. A party that did
  not stand in a contest had 0% there (the Brexit Party and Reform UK are different parties in the data).

Which contest is the previous one is seats/previous.py's; it never crosses a boundary change.
"""

from __future__ import annotations

from dataclasses import dataclass

from constituencies.rules.explain import PartyRef
from constituencies.rules.parties import OTHER_CANDIDATES

# Below this many points, a swing reads as none (it would show as 0.0).
NO_SWING_BELOW = 0.05


def changed_hands(winner_code: str, previous_winner_code: str | None) -> bool | None:
    """Whether the seat changed hands; None when that cannot be said (no previous winner, or a winner known only
    as other candidates). The SQL form is seats.previous.with_previous's."""
    if previous_winner_code is None or OTHER_CANDIDATES in (winner_code, previous_winner_code):
        return None
    return previous_winner_code != winner_code


def result_label(winner: PartyRef, previous_winner: PartyRef, previous_title: str) -> str:
    """ "Labour gain from Conservative", "Conservative hold", or why neither can be said."""
    changed = changed_hands(winner.code, previous_winner.code)
    if changed is None:
        return (
            f"{winner.name} won; the {previous_title} gives its winner only as other candidates, "
            "so we cannot say whether the seat changed hands."
        )
    return f"{winner.name} gain from {previous_winner.name}" if changed else f"{winner.name} hold"


def butler_swing(first: str, second: str, before: dict[str, float], after: dict[str, float]) -> float:
    """The swing from `second` to `first`, in points: shares are % of valid votes by party code."""
    rise_first = after.get(first, 0.0) - before.get(first, 0.0)
    rise_second = after.get(second, 0.0) - before.get(second, 0.0)
    return (rise_first - rise_second) / 2


@dataclass(frozen=True)
class Swing:
    points: float  # never negative: the swing from `away_from` to `towards`
    towards: PartyRef
    away_from: PartyRef

    @property
    def is_none(self) -> bool:
        return self.points < NO_SWING_BELOW


def swing_between(winner: PartyRef, runner_up: PartyRef, before: dict[str, float], after: dict[str, float]):
    """The swing between this contest's top two, told from the party it went towards."""
    points = butler_swing(winner.code, runner_up.code, before, after)
    if points < 0:
        return Swing(-points, towards=runner_up, away_from=winner)
    return Swing(points, towards=winner, away_from=runner_up)


def swing_sentence(swing: Swing, previous_title: str) -> str:
    """ "A swing of 12.3 points from Conservative to Labour since the 2019 general election." """
    if swing.is_none:
        return f"No swing between {swing.towards.name} and {swing.away_from.name} since the {previous_title}."
    return (
        f"A swing of {swing.points:.1f} percentage point{'' if f'{swing.points:.1f}' == '1.0' else 's'} "
        f"from {swing.away_from.name} to {swing.towards.name} since the {previous_title}."
    )


def absent_note(parties: list[PartyRef], before: dict[str, float], previous_title: str) -> str:
    """Says which of these parties did not stand in the previous contest, which the swing counts at 0%."""
    absent = [p.name for p in parties if before.get(p.code, 0.0) == 0.0]
    if not absent:
        return ""
    whose = "its share" if len(absent) == 1 else "their shares"
    return f"{' and '.join(absent)} had no votes in the {previous_title}, so the swing counts {whose} there as 0%."


def shares(votes: dict[str, int], valid_votes: int) -> dict[str, float]:
    """% of valid votes by party code (a contest with no valid votes has no shares)."""
    total = valid_votes or sum(votes.values())
    return {code: 100.0 * n / total for code, n in votes.items()} if total else {}


def side_by_side(
    after: dict[str, float], before: dict[str, float]
) -> list[tuple[str, float | None, float | None]]:
    """Every party in either contest with its share now and before (None where it did not stand), largest
    share now first, then largest share before."""
    codes = set(after) | set(before)
    ordered = sorted(codes, key=lambda c: (-after.get(c, -1.0), -before.get(c, -1.0), c))
    return [(code, after.get(code), before.get(code)) for code in ordered]
