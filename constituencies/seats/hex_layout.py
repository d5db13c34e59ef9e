"""The hex layout of the 2024 constituencies (fixtures/uk-constituencies-2024.hexjson, Open Innovations),
read once per process and matched to the constituencies loaded, by ONS code.

The layout covers the 2024 boundaries only. On any other boundary set nothing is drawn: a 2010 code that
happens to equal a 2024 one would put a seat in the wrong place.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Subquery

from constituencies.models import Constituency, SeatAssessment
from constituencies.rules import hexmap
from constituencies.rules.map_colours import NO_DATA, WINNER, style_for
from constituencies.seats.links import seat_path

LAYOUT_FILE = settings.BASE_DIR / "fixtures" / "uk-constituencies-2024.hexjson"
LAYOUT_BOUNDARIES = "2024"  # the BoundarySet.code the layout is drawn for
HEX_SIZE = 10.0


@functools.cache
def geometry() -> hexmap.Geometry:
    return hexmap.place(hexmap.parse_hexjson(LAYOUT_FILE.read_text(encoding="utf-8")), size=HEX_SIZE)


def covers(boundary_set) -> bool:
    return boundary_set is not None and boundary_set.code == LAYOUT_BOUNDARIES


@dataclass(frozen=True)
class NeighbourHex:
    placed: hexmap.Placed
    name: str
    url: str  # empty when no constituency with the hex's code is loaded
    is_seat: bool  # the seat the small map is about
    winner: str = ""  # the party name, at the election the page shows
    colour: str = ""

    @property
    def points(self) -> str:
        return self.placed.points


@dataclass
class Neighbourhood:
    """A seat and the seats that touch it on the hex map, placed in a small box of their own."""

    covered: bool  # whether the layout covers the seat's boundaries
    hexes: list[NeighbourHex] = field(default_factory=list)  # empty when the layout has no hex for the seat
    view_box: str = ""

    @property
    def neighbours(self) -> list[NeighbourHex]:
        return [h for h in self.hexes if not h.is_seat]


def neighbourhood(constituency: Constituency, election=None) -> Neighbourhood:
    """The seat and its neighbours, each with its seat page and the winner at `election`: one query, none
    when the layout does not cover the seat's boundaries or has no hex for it."""
    if not covers(constituency.boundary_set):
        return Neighbourhood(covered=False)
    shape = geometry()
    if constituency.ons_id not in shape.placed:
        return Neighbourhood(covered=True)
    codes = [constituency.ons_id, *shape.neighbours[constituency.ons_id]]
    rows = Constituency.objects.filter(boundary_set_id=constituency.boundary_set_id, ons_id__in=codes)
    if election is not None:
        rows = rows.annotate(
            winner_name=_winner(election, "winner__name"), winner_code=_winner(election, "winner__code")
        )
    loaded = {c.ons_id: c for c in rows}
    hexes = []
    for code in codes:
        c = loaded.get(code)
        placed = shape.placed[code]
        hexes.append(
            NeighbourHex(
                placed,
                c.name if c else placed.hex.name,
                seat_path(c.slug) if c else "",
                code == constituency.ons_id,
                getattr(c, "winner_name", None) or "",
                style_for(WINNER, getattr(c, "winner_code", None) or NO_DATA).fill,
            )
        )
    pad = shape.size * 1.2
    xs = [x for h in hexes for x, _ in h.placed.corners]
    ys = [y for h in hexes for _, y in h.placed.corners]
    box = (
        f"{min(xs) - pad:g} {min(ys) - pad:g} {max(xs) - min(xs) + 2 * pad:g} {max(ys) - min(ys) + 2 * pad:g}"
    )
    return Neighbourhood(True, hexes, box)


def _winner(election, column: str):
    return Subquery(
        SeatAssessment.objects.filter(election=election, constituency=OuterRef("pk")).values(column)[:1]
    )
