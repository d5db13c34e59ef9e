"""The hex layout's geometry and neighbours, and the map's styles: plain Python, no database."""

import json
from pathlib import Path

import pytest

from constituencies.rules import map_colours
from constituencies.rules.hexmap import HexLayoutError, neighbour_codes, parse_hexjson, place

LAYOUT = Path(__file__).resolve().parents[2] / "fixtures" / "uk-constituencies-2024.hexjson"


def layout_of(hexes: dict, layout: str = "odd-r") -> str:
    return json.dumps({"layout": layout, "hexes": hexes})


def grid(rows, cols, layout="odd-r"):
    return parse_hexjson(
        layout_of({f"{q},{r}": {"n": f"{q},{r}", "q": q, "r": r} for q in range(cols) for r in rows}, layout)
    )


def test_odd_rows_touch_the_hexes_at_q_and_q_plus_one_above_and_below():
    neighbours = neighbour_codes(grid(range(-3, 0), 4))
    # r = -1 is odd, so shifted right: above (r = 0 is not in this grid) and below, q and q + 1
    assert set(neighbours["1,-1"]) == {"0,-1", "2,-1", "1,-2", "2,-2"}
    # r = -2 is even: q - 1 and q
    assert set(neighbours["1,-2"]) == {"0,-2", "2,-2", "0,-3", "1,-3", "0,-1", "1,-1"}


def test_even_r_shifts_the_other_rows():
    neighbours = neighbour_codes(grid(range(0, 3), 4, "even-r"))
    assert set(neighbours["1,1"]) == {"0,1", "2,1", "0,0", "1,0", "0,2", "1,2"}
    assert set(neighbours["1,2"]) == {"0,2", "2,2", "1,1", "2,1"}


def test_neighbours_are_mutual_and_touching_hexes_are_one_hex_apart():
    layout = grid(range(-4, 2), 5)
    geometry = place(layout, size=10)
    for code, near in geometry.neighbours.items():
        for other in near:
            assert code in geometry.neighbours[other]
            a, b = geometry.placed[code], geometry.placed[other]
            assert ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5 == pytest.approx(10 * 3**0.5, abs=0.02)


def test_north_is_drawn_at_the_top():
    geometry = place(grid([-5, 0], 1), size=10)
    assert geometry.placed["0,0"].y < geometry.placed["0,-5"].y


def test_the_real_layout_has_650_hexes_and_barnsley_north_six_neighbours():
    layout = parse_hexjson(LAYOUT.read_text(encoding="utf-8"))
    assert len(layout.hexes) == 650
    names = {code: h.name for code, h in layout.hexes.items()}
    near = neighbour_codes(layout)["E14001074"]  # Barnsley North
    assert sorted(names[c] for c in near) == [
        "Barnsley South",
        "Dewsbury and Batley",
        "Ossett and Denby Dale",
        "Penistone and Stocksbridge",
        "Sheffield Brightside and Hillsborough",
        "Sheffield Hallam",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "not valid JSON"),
        ('{"layout": "odd-r"}', 'no "hexes"'),
        (layout_of({"A": {"q": 0, "r": 0}}, "odd-q"), "only odd-r and even-r"),
        (layout_of({"A": {"q": "0", "r": 0}}), "Hex A needs whole-number q and r"),
        (layout_of({"A": {"q": 0, "r": 0}, "B": {"q": 0, "r": 0}}), "A and B are both at q=0, r=0"),
        (layout_of({}), "no hexes"),
    ],
)
def test_a_layout_that_cannot_be_drawn_says_why(text, message):
    with pytest.raises(HexLayoutError, match=message):
        parse_hexjson(text)


def test_party_colours_are_distinct_and_small_parties_share_other():
    fills = {code: style.fill for code, style in map_colours.PARTY_STYLES.items() if code != "Brexit"}
    assert len(set(fills.values())) == len(fills)
    assert map_colours.style_for("winner", "DUP") == map_colours.OTHER_STYLE
    assert map_colours.party_key("DUP") == map_colours.OTHER_PARTY


def test_tragedies_are_hatched_not_coloured_alone():
    tragedy = map_colours.style_for("tragedy", "tragedy")
    assert tragedy.hatch and tragedy.paint == f"url(#{tragedy.pattern_id})"
    assert not map_colours.style_for("tragedy", "not_tragedy").hatch


def test_marginality_bands_run_dark_to_light():
    def lightness(colour):
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    bands = [
        map_colours.style_for("marginality", band).fill for band in ("very_marginal", "marginal", "safe")
    ]
    assert lightness(bands[0]) < lightness(bands[1]) < lightness(bands[2])


def test_an_unknown_category_is_an_error_not_a_silent_colour():
    with pytest.raises(KeyError):
        map_colours.style_for("marginality", "tiny")


def test_hexes_come_in_reading_order_so_the_tab_key_goes_north_to_south():
    placed = list(place(grid(range(-3, 1), 3), size=10).placed.values())
    assert [(p.y, p.x) for p in placed] == sorted((p.y, p.x) for p in placed)
    assert placed[0].hex.r == 0 and placed[-1].hex.r == -3
