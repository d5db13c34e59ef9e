"""The recommendation in plain English: which progressive party is best placed, and why.

Plain functions over plain data, with no Django and no database, like arithmetic.py.
The seat page turns a stored assessment into `SeatFacts`; `recommend()` turns those
into one headline sentence and the numbers behind it. It never claims more certainty
than the assessment has: when the lead is unclear it says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from constituencies.rules.arithmetic import UNCLEAR_LEAD_WITHIN_POINTS, is_close_behind
from constituencies.rules.parties import PROGRESSIVE, TARGET

SPEAKER = "Spk"

# How parties read in a sentence: (noun phrase, takes a plural verb).
PARTY_PHRASES: dict[str, tuple[str, bool]] = {
    "Lab": ("Labour", False),
    "LD": ("the Liberal Democrats", True),
    "Green": ("the Greens", True),
    "SNP": ("the SNP", False),
    "PC": ("Plaid Cymru", False),
    "Con": ("the Conservatives", True),
    "RUK": ("Reform UK", False),
    "Brexit": ("the Brexit Party", False),
    "UKIP": ("UKIP", False),
    "DUP": ("the DUP", False),
    "SF": ("Sinn Féin", False),
    "SDLP": ("the SDLP", False),
    "UUP": ("the UUP", False),
    "APNI": ("Alliance", False),
    "TUV": ("the TUV", False),
    "WPB": ("the Workers Party", False),
    "Alba": ("Alba", False),
    SPEAKER: ("the Speaker", False),
    "Ind": ("the independent candidate", False),
    "Oth": ("another candidate", False),
}

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


@dataclass(frozen=True)
class PartyRef:
    code: str
    name: str
    bloc: str = ""  # "progressive", "target" or ""


@dataclass(frozen=True)
class SeatFacts:
    """The numbers of one contest that the recommendation is reasoned from."""

    election_name: str
    winner: PartyRef
    winner_votes: int
    runner_up: PartyRef | None
    runner_up_votes: int | None
    majority: int
    majority_pct: float
    progressive_total: int
    is_tragedy: bool
    best_placed: PartyRef | None
    best_placed_votes: int
    best_placed_position: int | None  # 1 = won the seat
    gap_to_win: int
    next_progressive: PartyRef | None = None
    lead_over_next_progressive: int | None = None
    lead_over_next_progressive_pct: float | None = None
    lead_is_clear: bool = False
    is_tie: bool = False
    is_notional: bool = False
    valid_votes: int = 0
    strongest_target: PartyRef | None = None  # the target bloc party with the most votes, if any stood
    strongest_target_votes: int = 0


@dataclass(frozen=True)
class Recommendation:
    headline: str  # the one sentence
    reasoning: tuple[str, ...] = ()  # the numbers behind it, one sentence each
    party: PartyRef | None = None  # the party to back; None when unclear or there is none
    clear: bool = False
    caveat: str = ""

    @property
    def text(self) -> str:
        return " ".join((self.headline, *self.reasoning))


def party_phrase(party: PartyRef) -> tuple[str, bool]:
    """ "Con" -> ("the Conservatives", True); an unknown party reads as its name."""
    if party.code in PARTY_PHRASES:
        return PARTY_PHRASES[party.code]
    name = party.name or party.code
    if "party" in name.casefold().split() and not name.casefold().startswith("the "):
        return f"the {name}", False
    return name, False


def phrase(party: PartyRef) -> str:
    return party_phrase(party)[0]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def is_are(party: PartyRef) -> str:
    return "are" if party_phrase(party)[1] else "is"


def counted(n: int, noun: str) -> str:
    """How many of a thing: 1 seat, 650 seats, 4,515 candidacies, 1 constituency."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {noun[:-1]}ies" if noun.endswith("y") else f"{n:,} {noun}s"


def votes(n: int) -> str:
    return f"{n:,} vote" if n == 1 else f"{n:,} votes"


def ordinal(position: int) -> str:
    return ORDINALS[position - 1] if 1 <= position <= len(ORDINALS) else f"{position}th"


def possessive(party: PartyRef) -> str:
    text = phrase(party)
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def pct(value: float) -> str:
    return f"{value:.1f}%"


def recommend(facts: SeatFacts) -> Recommendation:
    caveat = (
        f"The {facts.election_name} is an estimate of how votes cast in 2019 would have fallen on these "
        "boundaries, not a contest held here."
        if facts.is_notional
        else ""
    )
    if facts.best_placed is None:
        return Recommendation(headline=_no_progressive(facts), caveat=caveat)
    if facts.is_tie:
        return Recommendation(
            headline=(
                f"The top two tied on {votes(facts.winner_votes)} in the {facts.election_name}, "
                "so no party can be called best placed here."
            ),
            caveat=caveat,
        )
    if facts.best_placed.code == facts.winner.code:
        return _holding(facts, caveat)
    if facts.lead_is_clear:
        return _challenging(facts, caveat)
    return _unclear(facts, caveat)


def _no_progressive(facts: SeatFacts) -> str:
    if facts.winner.code == SPEAKER:
        return (
            "This is the Speaker's seat: by convention the main parties do not stand against the Speaker, "
            "so there is no progressive candidate to back."
        )
    return f"No progressive party stood here in the {facts.election_name}, so there is no progressive candidate to back."


def _holding(facts: SeatFacts, caveat: str) -> Recommendation:
    best = facts.best_placed
    runner_up = facts.runner_up
    if runner_up is None:
        headline = f"{capitalised(phrase(best))} {is_are(best)} best placed to hold this seat: they were returned unopposed."
        return Recommendation(headline=headline, party=best, clear=True, caveat=caveat)
    headline = (
        f"{capitalised(phrase(best))} {is_are(best)} best placed to hold this seat: they won it by "
        f"{votes(facts.majority)} ({pct(facts.majority_pct)}) over {phrase(runner_up)}."
    )
    reasoning = []
    if runner_up.bloc == TARGET:
        others = facts.progressive_total - facts.best_placed_votes
        keep_out = f"Backing {phrase(best)} is the way to keep {phrase(runner_up)} out"
        if others:
            reasoning.append(f"{keep_out}; the other progressive parties together won {votes(others)}.")
        else:
            reasoning += [f"{keep_out}.", "No other progressive party stood."]
    elif runner_up.bloc == PROGRESSIVE:
        reasoning.append(_progressive_runner_up(facts))
    return Recommendation(
        headline=headline, reasoning=tuple(reasoning), party=best, clear=True, caveat=caveat
    )


def _progressive_runner_up(facts: SeatFacts) -> str:
    runner_up, target = facts.runner_up, facts.strongest_target
    said = f"The runner-up, {phrase(runner_up)}, is also a progressive party"
    behind_winner = facts.winner_votes - facts.strongest_target_votes
    if target is None or not is_close_behind(behind_winner, facts.valid_votes):
        return f"{said}, so the Conservatives and Reform are not the ones to beat here."
    behind_runner_up = (facts.runner_up_votes or 0) - facts.strongest_target_votes
    return (
        f"{said}, but {phrase(target)} {is_are(target)} close behind: {votes(behind_runner_up)} behind "
        f"{phrase(runner_up)} and {votes(behind_winner)} behind {phrase(facts.winner)}."
    )


def _short_together(facts: SeatFacts) -> str | None:
    """Where the target bloc won and even all the progressive votes together fell short."""
    others = facts.progressive_total - facts.best_placed_votes
    if facts.winner.bloc != TARGET or not others or facts.progressive_total >= facts.winner_votes:
        return None
    return (
        f"Even together the progressive parties won {votes(facts.progressive_total)}, "
        f"{facts.winner_votes - facts.progressive_total:,} fewer than {possessive(facts.winner)} "
        f"{facts.winner_votes:,}."
    )


def _behind(facts: SeatFacts) -> str:
    """ "came second, 20 votes behind" ("finished 20 votes behind" when the position is unknown)."""
    position = facts.best_placed_position
    place = f"came {ordinal(position)}," if position else "finished"
    return f"{place} {votes(facts.gap_to_win)} behind"


def _challenging(facts: SeatFacts, caveat: str) -> Recommendation:
    best, winner = facts.best_placed, facts.winner
    headline = f"{capitalised(phrase(best))} {is_are(best)} best placed to beat {phrase(winner)} here: they {_behind(facts)}."
    others = facts.progressive_total - facts.best_placed_votes
    reasoning = [
        f"The other progressive parties together won {votes(others)}."
        if others
        else "No other progressive party stood."
    ]
    if facts.best_placed_position and facts.best_placed_position > 2 and facts.runner_up:
        reasoning.append(f"{capitalised(phrase(facts.runner_up))} came second.")
    if facts.is_tragedy:
        reasoning.append(_tragedy(facts))
    elif short := _short_together(facts):
        reasoning.append(short)
    if winner.code == SPEAKER:
        reasoning.append(
            "This is the Speaker's seat: by convention the main parties do not stand against the Speaker."
        )
    return Recommendation(
        headline=headline, reasoning=tuple(reasoning), party=best, clear=True, caveat=caveat
    )


def _tragedy(facts: SeatFacts) -> str:
    return (
        f"Together the progressive parties won {votes(facts.progressive_total)}, more than "
        f"{possessive(facts.winner)} {facts.winner_votes:,}: a progressive tragedy."
    )


def _unclear(facts: SeatFacts, caveat: str) -> Recommendation:
    best, winner, runner = facts.best_placed, facts.winner, facts.next_progressive
    if runner is None:  # an unclear lead needs a second progressive party; be safe if the data disagrees
        return _challenging(facts, caveat)
    headline = (
        f"It is not clear which progressive party is best placed to beat {phrase(winner)} here: "
        f"{phrase(best)} and {phrase(runner)} finished within {UNCLEAR_LEAD_WITHIN_POINTS} percentage points "
        "of each other."
    )
    lead = facts.lead_over_next_progressive or 0
    runner_votes = facts.best_placed_votes - lead
    reasoning = [
        f"{capitalised(phrase(best))} won {votes(facts.best_placed_votes)} and {phrase(runner)} "
        f"{runner_votes:,}, a difference of {votes(lead)} ({pct(facts.lead_over_next_progressive_pct or 0)} "
        "of the votes cast).",
        f"{capitalised(phrase(best))} {_behind(facts)} {phrase(winner)}.",
    ]
    if facts.is_tragedy:
        reasoning.append(_tragedy(facts))
    elif short := _short_together(facts):
        reasoning.append(short)
    return Recommendation(
        headline=headline, reasoning=tuple(reasoning), party=None, clear=False, caveat=caveat
    )
