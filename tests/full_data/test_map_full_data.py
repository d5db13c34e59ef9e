"""The hex map over all 650 real 2024 seats (skipped, saying why, without the data folder)."""

import re

import pytest

from constituencies.models import SeatAssessment
from tests.web.test_hex_map import MAP_QUERIES, count_line, hex_links

pytestmark = pytest.mark.full_data


@pytest.fixture
def real_ge2024(ge2024_results, data_dir):
    """The real 2024 results, imported once and shared (conftest.py)."""


def test_every_real_seat_is_a_linked_hex_in_a_fixed_number_of_queries(
    real_ge2024, client, django_assert_num_queries
):
    with django_assert_num_queries(MAP_QUERIES):
        response = client.get("/map/")
    assert count_line(response) == "650 of 650 seats match"
    links = hex_links(response)
    assert len(links) == 650 and len(set(links.values())) == 650
    html = response.content.decode()
    assert "hex--empty" not in html and 'data-testid="unplaced"' not in html  # the layout and results agree
    assert re.search(r'data-testid="legend-Lab">.*?Labour</span>: 411', html, re.S)


def test_the_tragedy_filter_narrows_the_map_to_107_seats(real_ge2024, client):
    tragedies = SeatAssessment.objects.filter(election__slug="ge2024", is_tragedy=True).count()
    response = client.get("/map/", {"tragedy": "true", "colour": "marginality"})
    assert count_line(response) == f"{tragedies} of 650 seats match" == "107 of 650 seats match"
    assert response.content.decode().count("hex--faded") == 650 - tragedies


@pytest.mark.parametrize("colour", ["tragedy", "changed"])  # changed: no earlier result here to read
def test_other_colourings_of_650_seats_stay_in_fixed_queries(
    real_ge2024, client, django_assert_num_queries, colour
):
    with django_assert_num_queries(MAP_QUERIES):
        assert client.get("/map/", {"colour": colour}).status_code == 200


def test_the_png_of_650_seats(real_ge2024, client):
    response = client.get("/map/map.png", {"colour": "tragedy"})
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG\r\n\x1a\n")
