"""/track-record/ and /methodology/: public pages about the advice, in a fixed number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from constituencies.rules.advice import PROJECTION_MARGIN_POINTS, RESULT_MARGIN_POINTS
from tests.builders import import_seats
from tests.projection_builders import add_projection
from tests.seats.test_track_record import AFTER, BEFORE


def test_the_track_record_shows_each_election_with_its_figures_and_misses(default_parties, client):
    import_seats("ge2019", BEFORE, year=2019, boundaries="2024")
    import_seats("ge2024", AFTER)
    page = client.get(reverse("constituencies:track_record")).content.decode()
    assert "2024 test election ge2024" in page and "2019 test election" not in page  # nothing before 2019
    assert 'Advice as of <time datetime="2024-07-03">3 July 2024</time>' in page
    row = page[page.index('<th scope="row">Every seat (all in Great Britain)</th>') :].split("</tr>")[0]
    cells = [cell.split(">")[1] for cell in row.split("<td")[1:]]
    assert [c.removesuffix("</td") for c in cells] == ["4", "2", "1", "50.0%", "1", "1", "0", "66.7% of 3"]
    assert (
        '<a href="/seats/lib-dem-wrong/?election=ge2024">Lib Dem Wrong</a></th><td>Liberal Democrats</td><td>Labour</td>'
        in page
    )
    assert '<li><a href="/seats/safe-labour/?election=ge2024">Safe Labour</a></li>' in page
    assert reverse("constituencies:methodology") in page


def test_with_nothing_to_score_the_page_says_so(default_parties, client):
    import_seats("ge2024", AFTER)  # the first election on its boundaries
    page = client.get(reverse("constituencies:track_record")).content.decode()
    assert "there is no track record to show yet" in page


@pytest.mark.parametrize("elections", [2, 3])
def test_the_track_record_in_a_fixed_number_of_queries(
    default_parties, client, django_assert_num_queries, elections
):
    if elections == 3:
        import_seats("ge2017", BEFORE, year=2017, boundaries="2024")
    import_seats("ge2019", BEFORE, year=2019, boundaries="2024")
    import_seats("ge2024", AFTER)
    add_projection("An MRP", date(2024, 6, 1), {"E14000001": {"Lab": 50, "Con": 40, "LD": 10}})
    with django_assert_num_queries(9):
        assert client.get(reverse("constituencies:track_record")).status_code == 200


def test_the_methodology_page_states_the_constants_and_the_blocs(
    default_parties, client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        page = client.get(reverse("constituencies:methodology")).content.decode()
    assert f"A past result: {RESULT_MARGIN_POINTS} points." in page
    assert f"A poll projection: {PROJECTION_MARGIN_POINTS} points." in page
    assert (
        "The progressive parties are Green Party, Labour, Liberal Democrats, Plaid Cymru, Scottish National Party."
        in page
    )
    assert "Brexit Party, Conservative, Reform UK, UK Independence Party" in page
    assert "100 ± 2 points when every party has a figure" in page


def test_every_page_links_to_both(default_parties, client):
    page = client.get(reverse("constituencies:home")).content.decode()
    assert f'href="{reverse("constituencies:methodology")}">How the advice works</a>' in page
    assert f'href="{reverse("constituencies:track_record")}">Track record</a>' in page
