"""After confirming, a supporter in a safe seat is pointed to the nearest seats where their help counts."""

import pytest

from constituencies.models import Constituency
from tests.builders import add_postcode
from tests.query_counts import advised_seats
from tests.seats.test_help_counts import place_in_a_line
from tests.supporters.conftest import join_data, last_email, link_in
from tests.web.test_help_counts_section import section


@pytest.fixture
def in_a_line(default_parties):
    """Seven seats in a line, 11 km apart: 3 and 6 tragedies, Labour advised in every seat but 1, 4 and 7."""
    election = advised_seats(7)
    place_in_a_line(7)
    return election


def confirmed_page(client, postcode: str):
    response = client.post("/join/", join_data(postcode=postcode))
    assert response.status_code == 302 and response["Location"] == "/join/check-your-email/"
    return client.post(link_in(last_email(), "confirm"))


def test_a_supporter_in_a_safe_seat_is_shown_the_three_nearest_seats_where_help_counts(in_a_line, client):
    add_postcode("ZZ1 1AA", Constituency.objects.get(slug="seat-001").ons_id)
    html = section(confirmed_page(client, "ZZ1 1AA"))
    assert "Where your help counts" in html
    items = html.split("<li>")[1:]
    assert len(items) == 3
    assert items[0].strip().startswith('<a href="/seats/seat-002/">Seat 002</a>, 11 km (7 miles) away.')


def test_a_supporter_in_a_seat_that_matters_is_not_sent_elsewhere(in_a_line, client):
    add_postcode("ZZ3 3AA", Constituency.objects.get(slug="seat-003").ons_id)  # a progressive tragedy
    assert section(confirmed_page(client, "ZZ3 3AA")) == ""
