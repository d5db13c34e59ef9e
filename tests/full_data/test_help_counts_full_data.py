"""'Where your help counts' over the 650 real 2024 seats, with mySociety's centres (fixtures/), skipped, saying
why, without the data folder."""

import pytest

from constituencies.imports.centres import CentresImporter
from constituencies.imports.demo_fixtures import DEMO_CENTRES_FILE, FIXTURES_DIR
from constituencies.rules.files import read_bytes
from tests.web.test_help_counts_section import section
from tests.web.test_voter_pages import SAFE_SEAT_PAGE_MAX_QUERIES, seat, text_of

pytestmark = pytest.mark.full_data


@pytest.fixture
def real_ge2024_with_centres(ge2024_results, data_dir):
    """The real 2024 results (imported once and shared, conftest.py) with every seat's centre, in this test's
    transaction."""
    summary = CentresImporter(*read_bytes(FIXTURES_DIR / DEMO_CENTRES_FILE)).run()
    assert (summary.updated, summary.without_centre, len(summary.notes)) == (650, 0, 5)


def test_a_safe_seat_is_pointed_to_its_three_nearest_close_seats(
    real_ge2024_with_centres, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(SAFE_SEAT_PAGE_MAX_QUERIES):
        response = seat(client, "liverpool-walton")  # Labour's majority: 19,817 (57.6%)
    html = section(response)
    assert "Liverpool Walton is a safe seat" in html
    assert [item.split("</a>")[0] for item in html.split("<li>")[1:]] == [
        '<a href="/seats/fylde/">Fylde',
        '<a href="/seats/altrincham-and-sale-west/">Altrincham and Sale West',
        '<a href="/seats/tatton/">Tatton',
    ]
    assert (
        'Fylde</a>, 37 km (23 miles) away. <span class="help-counts-why">A progressive tragedy: the progressive '
        "parties together outpolled the Conservatives; very marginal: a majority of 561 votes.</span>"
    ) in html


def test_absent_for_a_marginal_seat(real_ge2024_with_centres, client):
    response = seat(client, "godalming-and-ash")  # the Conservatives' 891
    assert response.status_code == 200
    assert section(response) == "" and "Where your help counts" not in text_of(response)
