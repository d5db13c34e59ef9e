"""How the hex map colours seats: one style per category, chosen to stay apart for colour-blind readers.

Parties take the Okabe-Ito palette (designed to be told apart with any common colour-vision deficiency),
each near its usual colour; smaller parties share one grey and are named in the text legend. Bands run
light to dark, so they differ in lightness, not only in hue. Progressive tragedies are hatched, never
marked by colour alone. Plain Python: the map page, its SVG and its PNG all draw from these.
"""

from __future__ import annotations

from dataclasses import dataclass

from constituencies.rules.advice import NONE_NEEDED, NOT_APPLICABLE, TOO_CLOSE
from constituencies.rules.arithmetic import MARGINAL, MARGINALITY_LABELS, SAFE, VERY_MARGINAL

WINNER, TRAGEDY, MARGINALITY, ADVICE, CHANGED = "winner", "tragedy", "marginality", "advice", "changed"
SUPPORTERS = "supporters"
COLOUR_BY = {
    WINNER: "Winner",
    TRAGEDY: "Progressive tragedy",
    MARGINALITY: "Marginality",
    ADVICE: "Best-placed party (the advice)",
    CHANGED: "Changed hands since the previous election",
    SUPPORTERS: "Confirmed supporters",
}
COLOUR_BY_ERROR = "colour: “{value}” is not a way to colour the map: use winner, tragedy, marginality, advice, changed or supporters."


@dataclass(frozen=True)
class Style:
    fill: str
    hatch: str = ""  # the colour of diagonal stripes over the fill, if hatched
    ink: str = "#1b1b1b"  # the hex's outline

    @property
    def paint(self) -> str:
        """The SVG fill: the colour, or the hatch pattern the SVG defines for it (svg_pattern_id)."""
        return f"url(#{self.pattern_id})" if self.hatch else self.fill

    @property
    def pattern_id(self) -> str:
        return f"hatch-{self.fill[1:]}-{self.hatch[1:]}"


PARTY_STYLES = {
    "Lab": Style("#D55E00"),  # vermilion
    "Con": Style("#0072B2"),  # blue
    "LD": Style("#E69F00"),  # orange
    "SNP": Style("#F0E442"),  # yellow
    "Green": Style("#009E73"),  # bluish green
    "RUK": Style("#56B4E9"),  # sky blue
    "Brexit": Style("#56B4E9"),
    "PC": Style("#CC79A7"),  # reddish purple
}
OTHER_PARTY = "other"
OTHER_STYLE = Style("#9A9A9A")
FADED_OPACITY = 0.28  # how much of a hex that does not match the filters shows
NO_DATA = "no_data"
NO_DATA_STYLE = Style("#FFFFFF", ink="#8a8a8a")
NO_DATA_LABEL = "No result loaded"
NO_ADVICE = "no_advice"
# Supporters: the seats whose count may not be shown are one band, whatever their count; the bands above it
# go by the number shown (the threshold itself is the supporters app's rule, seats/supporter_counts.py).
FEWER = "fewer"
SUPPORTER_BANDS = ((25, "25_plus", "25 or more"), (10, "10_24", "10–24"), (0, "5_9", "5–9"))

CATEGORY_STYLES = {
    TRAGEDY: {"tragedy": Style("#E69F00", hatch="#1b1b1b"), "not_tragedy": Style("#E4E4E4")},
    MARGINALITY: {
        VERY_MARGINAL: Style("#3F007D"),
        MARGINAL: Style("#807DBA"),
        SAFE: Style("#EFEDF5"),
    },
    CHANGED: {"changed": Style("#0072B2"), "held": Style("#E4E4E4"), "no_previous": NO_DATA_STYLE},
    SUPPORTERS: {
        FEWER: Style("#E4E4E4"),
        "5_9": Style("#9ECAE1"),
        "10_24": Style("#4292C6"),
        "25_plus": Style("#08306B"),
    },
    ADVICE: {
        NONE_NEEDED: Style("#E4E4E4"),
        TOO_CLOSE: Style("#FFFFFF", hatch="#505a5f"),
        NOT_APPLICABLE: Style("#5A5A5A"),
        NO_ADVICE: NO_DATA_STYLE,
    },
}
CATEGORY_LABELS = {
    TRAGEDY: {"tragedy": "Progressive tragedy (hatched)", "not_tragedy": "Not a tragedy"},
    MARGINALITY: dict(MARGINALITY_LABELS),
    CHANGED: {
        "changed": "Changed hands",
        "held": "Held by the same party",
        "no_previous": "No earlier result on these boundaries",
    },
    SUPPORTERS: {FEWER: "Fewer than the threshold", **{key: label for _, key, label in SUPPORTER_BANDS}},
    ADVICE: {
        NONE_NEEDED: "No tactical vote needed",
        TOO_CLOSE: "Too close to call (hatched)",
        NOT_APPLICABLE: "Not applicable",
        NO_ADVICE: "No advice available",
    },
}
CATEGORY_ORDER = {
    TRAGEDY: ["tragedy", "not_tragedy"],
    MARGINALITY: [VERY_MARGINAL, MARGINAL, SAFE],
    CHANGED: ["changed", "held", "no_previous"],
    ADVICE: [TOO_CLOSE, NONE_NEEDED, NOT_APPLICABLE],
    SUPPORTERS: [FEWER, *(key for _, key, _ in reversed(SUPPORTER_BANDS))],
}


def style_for(colour_by: str, key: str) -> Style:
    """The style of one category key: a party code (winner, advice) or a category of the colouring."""
    if key == NO_DATA:
        return NO_DATA_STYLE
    categories = CATEGORY_STYLES.get(colour_by, {})
    if key in categories:
        return categories[key]
    if colour_by in (WINNER, ADVICE):
        return PARTY_STYLES.get(key, OTHER_STYLE)
    raise KeyError(f"no style for {key!r} when colouring by {colour_by}")


def party_key(code: str) -> str:
    """Parties without a colour of their own share the legend's "Other parties" entry."""
    return code if code in PARTY_STYLES else OTHER_PARTY


def changed_key(winner: str, previous_winner: str | None) -> str:
    if previous_winner is None:
        return "no_previous"
    return "held" if winner == previous_winner else "changed"


def supporters_key(shown: int | None) -> str:
    """The band of a seat's supporters from the number that may be shown (None: below the threshold)."""
    if shown is None:
        return FEWER
    return next(key for least, key, _ in SUPPORTER_BANDS if shown >= least)
