"""Hex cartograms in the HexJSON format (Open Innovations): parse, place and find neighbours. Plain Python.

    layout = parse_hexjson(text)  # HexLayout; raises HexLayoutError naming the problem
    geometry = place(layout, size=10)  # each hex's centre and corners, in pixels, north at the top
    geometry.neighbours["E14001074"]  # the codes of the hexes that touch it

HexJSON gives each hex a column q and a row r in an offset layout. Rows count up northwards (the file for the
UK's 2024 constituencies has r from -46 in the south to 0 in the north), so a row's y is drawn from the top.
In "odd-r" the odd rows sit half a hex to the right, in "even-r" the even ones; hexes are pointy-topped.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

ROW_LAYOUTS = ("odd-r", "even-r")
SQRT3 = math.sqrt(3)


class HexLayoutError(ValueError):
    """The file is not a HexJSON layout we can draw; the message says what is wrong."""


@dataclass(frozen=True)
class Hex:
    code: str  # the key: an ONS code for constituency layouts
    name: str
    q: int
    r: int
    region: str = ""


@dataclass(frozen=True)
class HexLayout:
    layout: str
    hexes: dict[str, Hex]

    def shifted(self, r: int) -> bool:
        """Whether row r sits half a hex to the right."""
        return r % 2 == (1 if self.layout == "odd-r" else 0)


def parse_hexjson(text: str) -> HexLayout:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HexLayoutError(f"The layout is not valid JSON: {exc.msg} at line {exc.lineno}.") from None
    if not isinstance(data, dict) or not isinstance(data.get("hexes"), dict):
        raise HexLayoutError('The layout has no "hexes" object.')
    layout = data.get("layout")
    if layout not in ROW_LAYOUTS:
        raise HexLayoutError(f"The layout is “{layout}”; only {' and '.join(ROW_LAYOUTS)} can be drawn.")
    hexes: dict[str, Hex] = {}
    taken: dict[tuple[int, int], str] = {}
    for code, item in data["hexes"].items():
        q, r = (item.get(k) if isinstance(item, dict) else None for k in ("q", "r"))
        if not isinstance(q, int) or not isinstance(r, int) or isinstance(q, bool) or isinstance(r, bool):
            raise HexLayoutError(f"Hex {code} needs whole-number q and r.")
        if (q, r) in taken:
            raise HexLayoutError(f"Hexes {taken[(q, r)]} and {code} are both at q={q}, r={r}.")
        taken[(q, r)] = code
        hexes[code] = Hex(code, str(item.get("n") or code), q, r, str(item.get("region") or ""))
    if not hexes:
        raise HexLayoutError("The layout has no hexes.")
    return HexLayout(layout, hexes)


def neighbour_codes(layout: HexLayout) -> dict[str, tuple[str, ...]]:
    """Each hex's neighbours: the hexes one step away in the offset layout (two beside it, two above, two below).

    In a shifted row the hexes that touch it in the rows above and below are at q and q + 1; in the others at
    q - 1 and q."""
    at = {(h.q, h.r): h.code for h in layout.hexes.values()}
    neighbours = {}
    for h in layout.hexes.values():
        left = 0 if layout.shifted(h.r) else -1
        steps = [(-1, 0), (1, 0)] + [(left + dq, dr) for dr in (-1, 1) for dq in (0, 1)]
        found = (at.get((h.q + dq, h.r + dr)) for dq, dr in steps)
        neighbours[h.code] = tuple(sorted(code for code in found if code))
    return neighbours


@dataclass(frozen=True)
class Placed:
    hex: Hex
    x: float  # the centre
    y: float
    corners: tuple[tuple[float, float], ...]
    points: str  # the corners as an SVG points attribute


@dataclass(frozen=True)
class Geometry:
    placed: dict[str, Placed]
    width: float
    height: float
    size: float
    neighbours: dict[str, tuple[str, ...]]


def corners(x: float, y: float, radius: float) -> tuple[tuple[float, float], ...]:
    """The six corners of a pointy-topped hex, clockwise from the top."""
    return tuple(
        (
            round(x + radius * math.sin(math.radians(60 * i)), 2),
            round(y - radius * math.cos(math.radians(60 * i)), 2),
        )
        for i in range(6)
    )


def place(layout: HexLayout, size: float = 10.0, gap: float = 0.06) -> Geometry:
    """Every hex's centre and corners: size is the centre-to-corner radius; gap shrinks each hex by that share,
    so a focused hex's outline is not hidden under its neighbours."""
    hexes = layout.hexes.values()
    width_step, height_step = SQRT3 * size, 1.5 * size
    min_q, max_r = min(h.q for h in hexes), max(h.r for h in hexes)
    margin = size
    placed = {}
    for h in hexes:
        x = margin + width_step * (h.q - min_q + (0.5 if layout.shifted(h.r) else 0.0)) + width_step / 2
        y = margin + size + height_step * (max_r - h.r)
        shape = corners(x, y, size * (1 - gap))
        placed[h.code] = Placed(h, round(x, 2), round(y, 2), shape, points_attribute(shape))
    placed = dict(
        sorted(placed.items(), key=lambda item: (item[1].y, item[1].x))
    )  # reading order, for the Tab key
    width = max(p.x for p in placed.values()) + width_step / 2 + margin
    height = max(p.y for p in placed.values()) + size + margin
    return Geometry(placed, round(width, 1), round(height, 1), size, neighbour_codes(layout))


def points_attribute(points: tuple[tuple[float, float], ...]) -> str:
    """Corners as an SVG points attribute: "x,y x,y ..."."""
    return " ".join(f"{x:g},{y:g}" for x, y in points)
