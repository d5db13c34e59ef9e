"""The election arithmetic: majority, marginality, tragedy and best placed.

Plain functions over plain data, with no Django and no database, so the rules
can be read in one screen and tested without either.

Rules
- Majority: winner's votes minus runner-up's, also as a percentage of valid votes.
- Marginality: a majority under VERY_MARGINAL_BELOW_PCT per cent of valid votes is very marginal, under
  MARGINAL_BELOW_PCT marginal, otherwise safe.
- Tragedy: the winner is in the target bloc AND the progressive bloc's votes
  together exceed the winner's votes.
- Best placed: the progressive party with the most votes; when the next
  progressive party is within 2 points of it, the lead is unclear.
- Ranking: only named candidates rank. A combined figure for several minor candidates never wins or comes
  second; when it polled more votes than every named candidate and the source names no winner, the winner
  may be among them, so `assess_seat` refuses the contest (UnrankableContest) rather than guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

VERY_MARGINAL_BELOW_PCT = 5
MARGINAL_BELOW_PCT = 10
UNCLEAR_LEAD_WITHIN_POINTS = 2

VERY_MARGINAL = "very_marginal"
MARGINAL = "marginal"
SAFE = "safe"

MARGINALITY_LABELS = {VERY_MARGINAL: "Very marginal", MARGINAL: "Marginal", SAFE: "Safe"}
# Each band's majority, as a share of the votes cast.
MARGINALITY_RANGES = {
    VERY_MARGINAL: f"under {VERY_MARGINAL_BELOW_PCT}%",
    MARGINAL: f"{VERY_MARGINAL_BELOW_PCT}% to under {MARGINAL_BELOW_PCT}%",
    SAFE: f"{MARGINAL_BELOW_PCT}% or more",
}
MARGINALITY_EXPLAINED = {
    VERY_MARGINAL: f"won by under {VERY_MARGINAL_BELOW_PCT}% of the votes cast",
    MARGINAL: f"won by {VERY_MARGINAL_BELOW_PCT}% to {MARGINAL_BELOW_PCT}% of the votes cast",
    SAFE: f"won by {MARGINAL_BELOW_PCT}% or more of the votes cast",
}


@dataclass(frozen=True)
class Candidacy:
    party: str  # party short code, e.g. "Lab"
    votes: int
    name: str = ""
    combined: bool = False  # several minor candidates' votes, none of whom came first or second


@dataclass(frozen=True)
class Blocs:
    progressive: frozenset[str]
    target: frozenset[str]


@dataclass(frozen=True)
class Assessment:
    winner: Candidacy
    runner_up: Candidacy | None
    majority: int
    majority_pct: float
    marginality: str
    is_tie: bool  # the top two polled the same and the source did not say who won
    progressive_total: int
    is_tragedy: bool
    best_placed: str | None  # party code
    best_placed_votes: int
    gap_to_win: int  # votes the best-placed party trails the winner by (0 if it won)
    next_progressive: str | None
    lead_over_next_progressive: int | None
    lead_over_next_progressive_pct: float | None
    lead_is_clear: bool


def percentage(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def marginality_band(majority: int, valid_votes: int) -> str:
    # Compare in integers so a seat on a boundary is not moved by float rounding.
    if majority * 100 < VERY_MARGINAL_BELOW_PCT * valid_votes:
        return VERY_MARGINAL
    if majority * 100 < MARGINAL_BELOW_PCT * valid_votes:
        return MARGINAL
    return SAFE


def is_close_behind(behind_by: int, valid_votes: int) -> bool:
    """A party this many votes behind another is in contention: the gap would make a marginal seat."""
    return marginality_band(behind_by, valid_votes) != SAFE


def progressive_votes_by_party(candidacies: Iterable[Candidacy], blocs: Blocs) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for candidacy in candidacies:
        if candidacy.party in blocs.progressive:
            totals[candidacy.party] += candidacy.votes
    return dict(totals)


def progressive_order(progressive: dict[str, int]) -> list[tuple[str, int]]:
    """The progressive parties best placed first: the most votes, then by party code."""
    return sorted(progressive.items(), key=lambda item: (-item[1], item[0]))


class UnrankableContest(ValueError):
    """A combined figure for minor candidates polled more than any named candidate: the winner is unknown."""


def assess_seat(
    candidacies: Iterable[Candidacy],
    blocs: Blocs,
    valid_votes: int | None = None,
    declared_winner: str | None = None,
) -> Assessment:
    """Assess one contest. `declared_winner` (a party code) settles a tie on votes, and vouches for the named
    leader when a combined figure for minor candidates is larger."""
    candidacies = list(candidacies)
    ranked = sorted((c for c in candidacies if not c.combined), key=lambda c: (-c.votes, c.party, c.name))
    if not ranked:
        raise ValueError("a contest needs at least one candidate")
    declared = [c for c in ranked if c.party == declared_winner]
    if not declared and any(c.combined and c.votes > ranked[0].votes for c in candidacies):
        raise UnrankableContest(
            f"{ranked[0].party} has the most votes of the named candidates ({ranked[0].votes:,}), but the "
            "combined figure for minor candidates is larger, and the source names no winner"
        )
    valid_votes = valid_votes or sum(c.votes for c in candidacies)

    tied = [c for c in ranked if c.votes == ranked[0].votes]
    declared = [c for c in tied if c.party == declared_winner]
    if declared:
        ranked.remove(declared[0])
        ranked.insert(0, declared[0])
    winner = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    is_tie = len(tied) > 1 and not declared

    if runner_up is None:  # returned unopposed
        majority, majority_pct, band = winner.votes, 100.0, SAFE
    else:
        majority = winner.votes - runner_up.votes
        majority_pct = percentage(majority, valid_votes)
        band = marginality_band(majority, valid_votes)

    progressive = progressive_votes_by_party(candidacies, blocs)
    progressive_total = sum(progressive.values())
    is_tragedy = not is_tie and winner.party in blocs.target and progressive_total > winner.votes

    best_placed, best_votes, next_party, lead, lead_pct = None, 0, None, None, None
    lead_is_clear = False
    if progressive:
        order = progressive_order(progressive)
        best_placed, best_votes = order[0]
        if len(order) > 1:
            next_party, next_votes = order[1]
            lead = best_votes - next_votes
            lead_pct = percentage(lead, valid_votes)
            lead_is_clear = lead_pct > UNCLEAR_LEAD_WITHIN_POINTS
        else:
            lead_is_clear = True
    gap_to_win = 0 if best_placed is None else max(winner.votes - best_votes, 0)

    return Assessment(
        winner=winner,
        runner_up=runner_up,
        majority=majority,
        majority_pct=majority_pct,
        marginality=band,
        is_tie=is_tie,
        progressive_total=progressive_total,
        is_tragedy=is_tragedy,
        best_placed=best_placed,
        best_placed_votes=best_votes,
        gap_to_win=gap_to_win,
        next_progressive=next_party,
        lead_over_next_progressive=lead,
        lead_over_next_progressive_pct=lead_pct,
        lead_is_clear=lead_is_clear,
    )
