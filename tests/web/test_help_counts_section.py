"""The seat page's "Where your help counts": a safe seat's three nearest seats where help counts, linked."""

import pytest

from constituencies.models import Constituency
from tests.builders import import_seats, numbered_seats
from tests.query_counts import advised_seats
from tests.seats.test_help_counts import place_in_a_line
from tests.web.test_voter_pages import SAFE_SEAT_PAGE_MAX_QUERIES, seat, text_of


@pytest.fixture
def in_a_line(default_parties):
    election = advised_seats(7)  # 3 and 6 tragedies; Labour advised in every seat but 1, 4 and 7
    place_in_a_line(7)
    return election


def section(response) -> str:
    html = response.content.decode()
    start = html.find('data-testid="help-counts"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def test_a_safe_seat_lists_the_three_nearest_with_distance_and_why(in_a_line, client):
    response = seat(client, "seat-001")
    assert response.status_code == 200
    assert "Where your help counts" in text_of(response)
    html = section(response)
    assert "Seat 001 is a safe seat" in html and "measured from the centre of Seat 001" in html
    items = [item.strip() for item in html.split("<li>")[1:]]
    assert len(items) == 3
    assert items[0].startswith('<a href="/seats/seat-002/">Seat 002</a>, 11 km (7 miles) away.')
    assert "Our advice names Labour here." in items[0]
    assert '<a href="/seats/seat-003/">Seat 003</a>, 22 km (14 miles) away.' in items[1]
    assert "A progressive tragedy: the progressive parties together outpolled the Conservatives" in items[1]
    assert '<a href="/seats/seat-005/">Seat 005</a>' in items[2]


def test_not_on_a_marginal_or_tragic_seat_nor_without_a_centre(in_a_line, client):
    assert section(seat(client, "seat-003")) == ""  # a tragedy, very marginal
    assert "Seat 002 is a safe seat" in section(seat(client, "seat-002"))  # safe Conservative: shown
    Constituency.objects.filter(name="Seat 004").update(centre_latitude=None, centre_longitude=None)
    assert section(seat(client, "seat-004")) == ""
    assert "Where your help counts" not in text_of(seat(client, "seat-004"))


def test_not_on_boundaries_without_centres(default_parties, client):
    import_seats("ge2019", numbered_seats(4), year=2019)  # the 2019 boundaries: no centres loaded
    assert section(seat(client, "seat-001")) == ""


def test_the_safe_seat_page_query_ceiling(in_a_line, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(SAFE_SEAT_PAGE_MAX_QUERIES):
        assert section(seat(client, "seat-001"))
