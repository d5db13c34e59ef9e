"""The hex map (/map/), its SVG and PNG downloads, and the seat page's small map of neighbours."""

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from PIL import Image

from constituencies.models import SeatAssessment
from constituencies.seats.hex_layout import geometry
from constituencies.web.map_image import pngs
from tests.builders import contest, import_ge2019, load_election
from tests.query_counts import SUPPORTER_COUNTS_QUERIES

SVG = "{http://www.w3.org/2000/svg}"
# The queries of /map/: elections, parties, regions and the parties placed (the filter and its form), the seats,
# the matching seats.
MAP_QUERIES = 6 + SUPPORTER_COUNTS_QUERIES


def count_line_of(html: str) -> str:
    return re.search(r'data-testid="map-count"><strong>([^<]+)</strong>', html).group(1)


def count_line(response) -> str:
    return count_line_of(response.content.decode())


def hex_links_of(html: str) -> dict[str, str]:
    """aria-label -> href of every linked hex."""
    return {
        label: href for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)" class="hex', html)
    }


def hex_links(response) -> dict[str, str]:
    return hex_links_of(response.content.decode())


def test_every_seat_loaded_is_a_linked_hex_named_for_its_seat(ge2024, client):
    response = client.get("/map/")
    assert response.status_code == 200
    assert count_line(response) == "7 of 7 seats match"
    links = hex_links(response)
    assert len(links) == 7
    godalming = next(label for label in links if label.startswith("Godalming and Ash:"))
    assert godalming.startswith("Godalming and Ash: Conservative won")
    assert links[godalming] == "/seats/godalming-and-ash/?election=ge2024"
    # the other 643 hexes are drawn with no link, as no data
    assert response.content.decode().count('class="hex hex--empty"') == len(geometry().placed) - 7
    assert 'data-testid="legend-no_data"' in response.content.decode()


def test_a_filter_fades_the_rest_and_says_how_many_match(ge2024, client):
    conservative = SeatAssessment.objects.filter(election=ge2024, winner__code="Con").count()
    assert 0 < conservative < 7
    response = client.get("/map/", {"winner": "Con"})
    assert count_line(response) == f"{conservative} of 7 seats match"
    html = response.content.decode()
    assert html.count("hex--faded") == 7 - conservative
    assert html.count("(does not match the filters)") == 2 * (7 - conservative)  # aria-label and title
    # the same view as a list, CSV and JSON, and this map as SVG and PNG, carry the filter
    for path in ("/seats/", "/seats/export.csv", "/seats/export.json", "/map/map.svg", "/map/map.png"):
        assert f'href="{path}?election=ge2024&amp;winner=Con"' in html


@pytest.mark.parametrize("colour", ["winner", "tragedy", "marginality", "advice", "changed", "supporters"])
def test_each_colouring_in_a_fixed_number_of_queries(ge2024, client, colour, django_assert_max_num_queries):
    extra = {"advice": 8, "changed": 1}.get(colour, 0)  # the advice's evidence; the previous winners
    with django_assert_max_num_queries(MAP_QUERIES + extra):
        response = client.get("/map/", {"colour": colour})
    assert response.status_code == 200
    assert 'data-testid="hex-map"' in response.content.decode()


def test_tragedies_are_hatched_and_named_in_the_legend(ge2024, client):
    tragedies = SeatAssessment.objects.filter(election=ge2024, is_tragedy=True).count()
    html = client.get("/map/", {"colour": "tragedy"}).content.decode()
    legend = re.search(r'data-testid="legend-tragedy">(.*?)</li>', html, re.S).group(1)
    assert "Progressive tragedy (hatched)" in legend and f": {tragedies}" in legend
    assert '<pattern id="hatch-' in html
    assert html.count('fill="url(#hatch-') == tragedies + 1  # the hexes and the legend swatch


def test_advice_with_no_evidence_says_it_is_not_available(ge2024, client):
    response = client.get("/map/", {"colour": "advice"})
    html = response.content.decode()
    assert 'data-testid="advice-unavailable"' in html
    assert "Nothing on the 2024 constituency boundaries is dated before the 2024 general election" in html


def test_changed_hands_without_an_earlier_result_says_so(ge2024, client):
    html = client.get("/map/", {"colour": "changed"}).content.decode()
    assert "so no seat can be shown as changing hands" in html
    assert "No earlier result on these boundaries" in html


def test_a_bad_colour_is_explained_and_the_map_coloured_by_winner(ge2024, client):
    response = client.get("/map/", {"colour": "rainbow", "tragedy": "maybe"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "colour: “rainbow” is not a way to colour the map: use winner, tragedy" in html
    assert "tragedy: “maybe” is not a choice here" in html
    assert "coloured by winner" in html
    assert count_line(response) == "7 of 7 seats match"


def test_earlier_boundaries_get_a_plain_sentence_and_no_map(ge2024, ge2019, client):
    response = client.get("/map/", {"election": "ge2019"})
    html = response.content.decode()
    assert "The hex map shows the 2024 constituencies only" in html
    assert "2010 constituency boundaries" in html
    assert '<a href="/map/?election=ge2024">See the map of the 2024 constituencies</a>' in html
    assert "<svg" not in html.split("<main", 1)[1]
    for download in ("/map/map.svg", "/map/map.png"):
        refused = client.get(download, {"election": "ge2019"})
        assert refused.status_code == 404
        assert "covers the 2024 constituencies only" in refused.content.decode()


def test_the_svg_download_is_a_standalone_svg_with_absolute_links_and_a_legend(ge2024, client):
    response = client.get("/map/map.svg", {"colour": "marginality"})
    assert response["Content-Type"].startswith("image/svg+xml")
    assert 'filename="seat-map-ge2024-marginality.svg"' in response["Content-Disposition"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f".//{SVG}polygon")) == len(geometry().placed)
    hrefs = [a.get("href") for a in root.findall(f".//{SVG}a")]
    assert len(hrefs) == 7 and all(h.startswith("http://testserver/seats/") for h in hrefs)
    legend = [t.text for t in root.findall(f".//{SVG}text")]
    assert any(text.startswith("Safe: ") for text in legend)


def test_a_download_of_a_bad_query_is_refused_saying_why(ge2024, client):
    pngs.clear()
    for path in ("/map/map.svg", "/map/map.png"):
        response = client.get(path, {"colour": "plaid"})
        assert response.status_code == 400
        assert "colour: “plaid” is not a way to colour the map" in response.content.decode()
    assert pngs.computed == 0


@pytest.mark.django_db(transaction=True)  # the data version changes when a change is committed
def test_the_png_is_a_png_rendered_once_per_data_version(ge2024, client):
    pngs.clear()
    first = client.get("/map/map.png", {"colour": "tragedy", "winner": "con"})
    assert first["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(first.content))
    assert image.format == "PNG" and image.width > 400
    # the same query, spelt differently, is the same PNG
    again = client.get("/map/map.png", {"winner": "Con", "colour": "tragedy"})
    assert again.content == first.content and pngs.computed == 1
    SeatAssessment.objects.filter(election=ge2024, constituency__slug="clacton").update(majority=1)
    client.get("/map/map.png", {"colour": "tragedy", "winner": "Con"})
    assert pngs.computed == 2
    client.get("/map/map.png", {"colour": "winner"})  # another view: another PNG
    assert pngs.computed == 3


def test_inside_a_transaction_the_png_is_not_kept(ge2024, client):
    pngs.clear()
    client.get("/map/map.png")
    assert pngs.computed == 0


def test_the_seat_page_shows_the_seat_and_its_neighbours(ge2024, client):
    html = client.get("/seats/godalming-and-ash/").content.decode()
    section = html.split('id="neighbours-title"', 1)[1].split("</section>", 1)[0]
    near = geometry().neighbours["E14001249"]  # Godalming and Ash
    names = [geometry().placed[code].hex.name for code in near]
    assert "Farnham and Bordon" in names
    for name in names:
        assert name in section
    # the seat itself is linked, and named as this seat
    assert 'aria-label="Godalming and Ash: Conservative (this seat)"' in section
    assert section.count("<polygon") == len(near) + 1


def test_a_seat_on_earlier_boundaries_says_the_map_does_not_cover_it(ge2019, client):
    html = client.get("/seats/batley-and-spen/").content.decode()
    assert "The hex map covers the 2024 constituencies only, not the 2010 constituency boundaries" in html
    assert 'data-testid="neighbours-map"' not in html


def test_the_seat_list_links_to_the_same_view_on_the_map(ge2024, client):
    html = client.get("/seats/", {"winner": "Con", "region": "south east"}).content.decode()
    assert (
        '<a href="/map/?election=ge2024&amp;winner=Con&amp;region=South+East">see them on the map</a>' in html
    )


@pytest.fixture
def ge2019(default_parties, tmp_path):
    return import_ge2019(tmp_path=tmp_path)


def test_a_seat_the_layout_has_no_hex_for_is_listed_not_drawn_and_names_are_escaped(default_parties, client):
    load_election(
        "ge-test",
        date(2029, 5, 3),
        [
            contest("E14099999", "Nowhere & “Elsewhere”", {"Lab": 200, "Con": 100}),
            contest("E14001249", "Godalming and Ash", {"Con": 300, "LD": 290}),
        ],
    )
    html = client.get("/map/").content.decode()
    assert count_line_of(html) == "2 of 2 seats match"
    unplaced = html.split('data-testid="unplaced"', 1)[1].split("</ul>", 1)[0]
    assert "Nowhere &amp; “Elsewhere”" in unplaced and "Godalming" not in unplaced
    assert len(hex_links_of(html)) == 1  # only Godalming and Ash is drawn
    svg = client.get("/map/map.svg")
    ET.fromstring(svg.content)  # well-formed, names escaped


def test_a_colour_with_control_characters_is_quoted_without_them(ge2024, client):
    html = client.get("/map/", {"colour": "tra\x00gedy\x1b"}).content.decode()
    assert "colour: “tragedy” is not a way to colour the map" in html
    assert "\x00" not in html and "\x1b" not in html


def test_colour_is_read_in_any_case(ge2024, client):
    assert "Coloured by marginality" in client.get("/map/", {"colour": " Marginality "}).content.decode()


def test_the_map_view_shares_its_own_png_as_og_image(ge2024, ge2019, client):
    html = client.get("/map/", {"tragedy": "true", "colour": "marginality"}).content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    assert image, "no og:image"
    url = image.group(1).replace("&amp;", "&")
    assert url.startswith("http://testserver/map/map.png?")
    assert "tragedy=true" in url and "colour=marginality" in url
    png = client.get(url.removeprefix("http://testserver"))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    # No card for a view that draws no map: earlier boundaries.
    earlier = client.get("/map/", {"election": "ge2019"}).content.decode()
    assert 'property="og:image"' not in earlier
