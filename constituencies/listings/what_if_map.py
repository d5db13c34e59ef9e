"""The what-if's seats that change hands on the hex map: those seats in their new winner's colour, the rest faded
in their real winner's. Drawn with the map's own pieces (the layout, the party styles, web/map_svg.py), and
only on the boundaries the layout covers (the 2024 constituencies). No query: the seats are the what-if's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from constituencies.listings.maps import LegendEntry, MapHex
from constituencies.listings.what_if import WhatIf
from constituencies.rules import map_colours as colours
from constituencies.seats import hex_layout


@dataclass
class WhatIfMap:
    covered: bool
    hexes: list[MapHex] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)  # the new winners of the seats that change hands
    width: float = 0
    height: float = 0


def build_what_if_map(what_if: WhatIf) -> WhatIfMap:
    election, scenario = what_if.election, what_if.scenario
    if election is None or scenario is None or not hex_layout.covers(election.boundary_set):
        return WhatIfMap(covered=False)
    shape = hex_layout.geometry()
    seats = what_if.seats
    by_code = {seats.ons_ids[s.key]: s for s in seats.seats}
    flips = {flip.seat.key: flip for flip in scenario.flips}
    gains = Counter()
    hexes = []
    for code, placed in shape.placed.items():
        seat = by_code.get(code)
        if seat is None:
            style = colours.style_for(colours.WINNER, colours.NO_DATA)
            hexes.append(MapHex(code, placed.hex.name, placed.points, placed.corners, "", colours.NO_DATA, style, False, f"{placed.hex.name}: {colours.NO_DATA_LABEL.lower()}"))  # fmt: skip
            continue
        flip = flips.get(seat.key)
        winner = flip.now if flip else seat.winner
        key = colours.party_key(winner)
        if flip:
            gains[key] += 1
            label = (
                f"{seat.name}: {seats.name_of(flip.now)} gain from {seats.name_of(flip.was)} in this scenario"
            )
        else:
            label = f"{seat.name}: {seats.name_of(winner)}, no change"
        style = colours.style_for(colours.WINNER, key)
        hexes.append(MapHex(code, seat.name, placed.points, placed.corners, what_if.seat_url(seat), key, style, bool(flip), label))  # fmt: skip
    legend = [
        LegendEntry(key, "Other parties" if key == colours.OTHER_PARTY else seats.name_of(key),
                    colours.style_for(colours.WINNER, key), seats=count, matching=count)
        for key, count in sorted(gains.items(), key=lambda item: (-item[1], item[0]))
    ]  # fmt: skip
    return WhatIfMap(True, hexes, legend, shape.width, shape.height)
