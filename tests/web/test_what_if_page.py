"""The what-if page (/what-if/): the scenario from a plain GET form, its bad input beside the fields, its queries."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.builders import import_seats, numbered_seat
from tests.query_counts import WHAT_IF_FILTERED_QUERIES, WHAT_IF_QUERIES

URL = "/what-if/"

# Con wins 4 of 7 (a majority of 1); two tragedies flip with everyone standing aside and all following.
SEATS = [
    numbered_seat("Tragedy Lab", {"Con": 10_000, "Lab": 9_000, "LD": 3_000}, number=1),
    numbered_seat("Tragedy LD", {"Con": 10_000, "LD": 8_000, "Lab": 2_500}, number=2, region="South West"),
    numbered_seat("Safe Con", {"Con": 20_000, "Lab": 5_000}, number=3),
    numbered_seat("Safe Con Too", {"Con": 20_000, "LD": 5_000}, number=4, region="South West"),
    numbered_seat("Safe Lab", {"Lab": 20_000, "Con": 5_000}, number=5),
    numbered_seat("Safe LD", {"LD": 20_000, "Con": 5_000}, number=6, region="South West"),
    numbered_seat("Safe Lab Too", {"Lab": 20_000, "Con": 5_000}, number=7, region="North West"),
]


@pytest.fixture
def election(default_parties):
    return import_seats("ge2024", SEATS)


def page(client, **params):
    response = client.get(URL, params)
    return response, unescape(response.content.decode())


def headline(html: str) -> str:
    return re.search(r'data-testid="headline"><strong>(.*?)</strong>', html, re.S).group(1)


def scenario_seats(html: str, party: str) -> int:
    return int(re.search(rf'data-testid="scenario-{party}">(\d+)<', html).group(1))


def test_the_default_scenario_flips_the_tragedies_and_ends_the_majority(election, client):
    response, html = page(client)
    assert response.status_code == 200
    assert headline(html) == (
        "The Conservative majority would not have survived: 2 seats, 2 short of the 4 needed for a majority of "
        "the 7 seats, and Labour would be the largest party with 3."
    )
    assert (scenario_seats(html, "Con"), scenario_seats(html, "Lab"), scenario_seats(html, "LD")) == (2, 3, 2)
    flips = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>: ([^<]+) gain from ([^<]+) <', html)
    assert flips == [
        ("/seats/tragedy-lab/?election=ge2024", "Tragedy Lab", "Labour", "Conservative"),
        ("/seats/tragedy-ld/?election=ge2024", "Tragedy LD", "Liberal Democrats", "Conservative"),
    ]
    assert "Turnout changes are not modelled" in html and "Voters do not transfer wholesale" in html
    assert "The Speaker's seat is counted as the Speaker's" in html
    # Every progressive party ticked by default, the follow share 100, every seat.
    assert sorted(re.findall(r'name="stand_aside" value="(\w+)" checked', html)) == sorted(
        ["Green", "Lab", "LD", "PC", "SNP"]
    )
    assert 'name="follow" id="id_follow" min="0" max="100" step="0.1" value="100"' in html


def test_the_scenario_is_a_shareable_url_and_changes_with_the_inputs(election, client):
    response, html = page(client, election="ge2024", stand_aside="Lab", follow="100")
    assert headline(html).startswith("The Conservative majority would not have survived: 3 seats, 1 short")
    flips = html.split('id="flips-title"')[1].split("</ol>")[0]
    assert "Tragedy LD" in flips and "Tragedy Lab" not in flips  # Labour stands aside; the LDs do not
    share = re.search(r'data-testid="share-url">([^<]+)<', html).group(1)
    assert share.endswith("/what-if/?election=ge2024&stand_aside=Lab&follow=100&seats=all")


def test_unticking_every_party_is_no_one_standing_aside_not_the_default(election, client):
    _, html = page(client, stand_aside="")  # the form's hidden empty value, nothing ticked
    assert "no party stands aside" in html
    assert (
        headline(html) == "The Conservative majority would have survived unchanged: 4 seats, a majority of 1."
    )
    assert not re.findall(r'name="stand_aside" value="\w+" checked', html)


def test_the_side_by_side_follow_shares(election, client):
    _, html = page(client)
    table = html.split('data-testid="side-by-side"')[1].split("</table>")[0]
    rows = re.findall(r">(\d+)%</a></th><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", table)
    # At 50%: Tragedy Lab 10,500 > 10,000 flips; Tragedy LD 9,250 < 10,000 does not.
    assert rows == [("50", "1", "3"), ("70", "1", "3"), ("100", "2", "2")]


def test_tragedies_only_and_the_seat_list_filters_narrow_the_seats(
    election, client, django_assert_num_queries
):
    _, html = page(client, seats="tragedies")
    assert "in 2 of 7 seats (progressive tragedies)" in html
    with django_assert_num_queries(WHAT_IF_FILTERED_QUERIES):
        response, html = page(client, region="South West")
    assert response.status_code == 200
    assert "in 3 of 7 seats (region South West)" in html
    flips = html.split('id="flips-title"')[1].split("</section>")[0]
    assert "Tragedy LD" in flips and "Tragedy Lab" not in flips
    assert headline(html).startswith("The Conservative majority would not have survived: 3 seats")


def test_the_page_answers_in_a_fixed_number_of_queries(election, client, django_assert_num_queries):
    with django_assert_num_queries(WHAT_IF_QUERIES):
        assert client.get(URL).status_code == 200
    import_seats("ge2024", [numbered_seat(f"More {n}", {"Con": 9_000, "Lab": 8_000, "LD": 2_000}, number=n) for n in range(8, 61)])  # fmt: skip
    with django_assert_num_queries(WHAT_IF_QUERIES):
        _, html = page(client)
    assert (
        re.search(r"\d+ seats change hands", html).group(0) == "53 seats change hands"
    )  # the import replaced the 7


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"election": "ge1066"}, "election", "There is no election “ge1066” loaded. Choose a general election: ge2024, ge2019."),
        ({"follow": "lots"}, "follow", "a number from 0 to 100, such as 70, not “lots”."),
        ({"follow": "101"}, "follow", "a number from 0 to 100, such as 70, not “101”."),
        ({"follow": "-5"}, "follow", "not “-5”."),
        ({"stand_aside": "Lab,Whigs"}, "stand_aside", "“Whigs” is not a party we know. The parties that can stand aside: Green, Lab, LD, PC, SNP."),
        ({"stand_aside": "Con"}, "stand_aside", "Conservative (Con) is not in the progressive bloc, and only a progressive party stands aside here. The parties that can stand aside: Green, Lab, LD, PC, SNP."),
        ({"seats": "marginals"}, "seats", "“marginals” is not a choice of seats: use all or tragedies."),
        ({"winner": "Whigs"}, "winner", "“Whigs” is not a party code we know."),
    ],
)  # fmt: skip
def test_bad_input_is_shown_beside_its_field_with_400_and_no_scenario(
    election, client, params, field, message
):
    import_seats("ge2019", SEATS, year=2019, boundaries="2024")
    response, html = page(client, **params)
    assert response.status_code == 400
    assert message in html
    if field != "winner":  # the seat list's filters not on this form are listed in the problems box
        assert re.search(rf'id="id_{field}_error">[^<]*{re.escape(message)}', html)
    assert 'data-testid="headline"' not in html and 'data-testid="house"' not in html


def test_a_by_election_or_a_notional_result_says_why_no_what_if_is_offered(election, client):
    import_seats("by-seat-001-2025", SEATS[:1], year=2025, kind="by", boundaries="2024")
    response, html = page(client, election="by-seat-001-2025")
    assert response.status_code == 400
    assert re.search(r'id="id_election_error">The 2025 test election by-seat-001-2025 elected one MP, with no House of Commons to work out, so no what-if is offered. Choose a general election: ge2024.<', html)  # fmt: skip
    import_seats("notional-2019", SEATS, year=2019, kind="notional", boundaries="2024")
    response, html = page(client, election="notional-2019")
    assert (
        response.status_code == 400
        and "is a notional result" in html
        and "which elected no House of Commons" in html
    )
    # Only general elections are offered in the select.
    assert re.findall(
        r'<option value="([^"]+)"', html.split('id="id_election"')[1].split("</select>")[0]
    ) == ["ge2024"]


def test_the_page_is_in_the_site_nav(election, client):
    _, html = page(client)
    assert f'<a href="{reverse("constituencies:what_if")}" aria-current="page">What if</a>' in html


def test_a_bad_election_still_checks_the_parties_and_shows_every_problem(election, client):
    response, html = page(client, election="ge1066", stand_aside="Con", follow="150")
    assert response.status_code == 400
    for field in ("election", "stand_aside", "follow"):
        assert f'id="id_{field}_error"' in html, field
    assert "Conservative (Con) is not in the progressive bloc" in html
    assert re.findall(r'name="stand_aside" value="(\w+)"', html)  # the boxes are still there to tick
    assert 'value="150"' in html  # what was typed, beside its message


def test_with_no_results_the_page_says_so(default_parties, client):
    response, html = page(client)
    assert response.status_code == 200 and 'data-testid="no-results"' in html
    assert 'data-testid="headline"' not in html


def test_the_seats_that_change_hands_stand_out_on_the_hex_map(ge2024, client):
    """The seven real 2024 sample seats: Godalming and Ash, the one tragedy, goes to the Liberal Democrats."""
    _, html = page(client)
    hexes = dict(re.findall(r'<a href="[^"]+" aria-label="([^"]+)" class="(hex[^"]*)"', html))
    assert hexes["Godalming and Ash: Liberal Democrats gain from Conservative in this scenario"] == "hex"
    others = [label for label in hexes if "gain from" not in label]
    assert len(others) == 6 and all(hexes[label] == "hex hex--faded" for label in others)
    assert re.search(r"<li><svg class=\"swatch\".*?</svg>Liberal Democrats: 1</li>", html)


def test_on_other_boundaries_the_map_is_not_drawn_and_the_page_says_why(ge2019, client):
    _, html = page(client, election="ge2019")
    assert 'data-testid="not-covered"' in html and 'data-testid="hex-map"' not in html
    assert (
        "The hex map shows the 2024 constituencies only, and the 2019 general election was fought on the 2010 constituency boundaries"
        in html
    )
