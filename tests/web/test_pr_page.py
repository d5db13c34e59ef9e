"""/pr/: five made-up seats whose seats under D'Hondt and Sainte-Laguë are worked by hand, every bad input a
message beside its field, and a fixed number of queries."""

import math
import re
from datetime import date

import pytest
from django.urls import reverse

from constituencies.models import Election
from constituencies.seats import pr_votes
from tests.builders import import_seats
from tests.pr_builders import SEATS
from tests.query_counts import PR_QUERIES


@pytest.fixture
def election(default_parties):
    pr_votes.forget()
    return import_seats("ge2024", SEATS)  # see tests/pr_builders.py for the figures


def seats_column(page: str, column: str) -> dict[str, int]:
    """{party code: seats} from the table's column (fptp, dhondt, sainte_lague)."""
    rows = re.findall(r'<tr data-party="([^"]+)">(.*?)</tr>', page, re.S)
    return {
        code: int(re.search(rf'data-col="{column}">(\d+)<', row).group(1))
        for code, row in rows
        if re.search(rf'data-col="{column}">(\d+)<', row)
    }


def shown(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', page).group(1).strip()


def get(client, **params):
    response = client.get(reverse("constituencies:pr"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_national_seats_by_hand_under_both_methods(election, client):
    page = get(client)  # defaults: the latest general election, D'Hondt, nationally, no threshold
    # D'Hondt: 44,000 Lab, 31,000 SNP, 30,000 Con, 22,000 Lab, 15,500 SNP.
    assert seats_column(page, "dhondt") == {"Lab": 2, "SNP": 2, "Con": 1, "Green": 0, "Spk": 0, "Ind": 0}
    # Sainte-Laguë: 44,000 Lab, 31,000 SNP, 30,000 Con, 14,667 Lab, 13,000 Green.
    assert seats_column(page, "sainte_lague") == {
        "Lab": 2,
        "SNP": 1,
        "Con": 1,
        "Green": 1,
        "Spk": 0,
        "Ind": 0,
    }
    assert seats_column(page, "fptp") == {"Lab": 1, "SNP": 1, "Con": 1, "Green": 0, "Spk": 1, "Ind": 1}
    assert "No threshold" in shown(page, "pr-threshold")


def test_by_region_each_region_fills_its_constituencies(election, client):
    page = get(client, by="region", method="sainte_lague")
    # London, 3 seats: D'Hondt 34,000 Lab, 25,000 Con, 17,000 Lab; Sainte-Laguë 34,000, 25,000, 13,000 Green.
    # Scotland, 2 seats: SNP both ways (31,000 and 10,333 beat Labour's 10,000).
    assert seats_column(page, "dhondt") == {"Lab": 2, "SNP": 2, "Con": 1, "Green": 0, "Spk": 0, "Ind": 0}
    assert seats_column(page, "sainte_lague") == {
        "Lab": 1,
        "SNP": 2,
        "Con": 1,
        "Green": 1,
        "Spk": 0,
        "Ind": 0,
    }
    assert "region by region (2 regions" in page
    regions = re.sub(r"<[^>]+>", "", page[page.index('data-testid="pr-regions"') :].split("</details>")[0])
    assert "London (3 seats): Labour 1, Conservative 1, Green Party 1" in regions
    assert "Scotland (2 seats): Scottish National Party 2" in regions
    assert 'data-testid="pr-regions"' not in get(client)  # nationally: no regions to list


def test_a_national_threshold_keeps_the_greens_out(election, client):
    page = get(client, method="sainte_lague", threshold="10")  # Green: 13,000 of 150,000 is 8.7%
    assert seats_column(page, "sainte_lague")["Green"] == 0
    assert seats_column(page, "sainte_lague") == {
        "Lab": 2,
        "SNP": 2,
        "Con": 1,
        "Green": 0,
        "Spk": 0,
        "Ind": 0,
    }
    assert shown(page, "pr-threshold") == "A threshold of 10% of the UK vote"
    assert re.search(r"Green Party <span class=\"muted\">\(below the threshold\)</span>", page)


def test_a_regional_threshold_no_one_reaches_leaves_seats_empty(election, client):
    # 50% in each region: London's largest party has 47% (34,000 of 72,000); the SNP has 53% in Scotland.
    page = get(client, by="region", threshold="50", threshold_scope="regional")
    assert seats_column(page, "dhondt") == {"Lab": 0, "SNP": 2, "Con": 0, "Green": 0, "Spk": 0, "Ind": 0}
    assert "3 seats could not be given to any party" in shown(page, "pr-unallocated")
    assert "London (3 seats): no party reached the threshold" in re.sub(r"<[^>]+>", "", page)


def test_the_indexes_votes_per_mp_and_the_no_list_seats_note(election, client):
    page = get(client)
    # Vote shares 29.3, 20.7, 20, 13.3, 8.7, 8 against seat shares 20, 20, 20, 20, 0, 20.
    votes = {"Lab": 44_000, "SNP": 31_000, "Con": 30_000, "Spk": 20_000, "Green": 13_000, "Ind": 12_000}
    fptp = {"Lab": 1, "SNP": 1, "Con": 1, "Spk": 1, "Green": 0, "Ind": 1}
    squares = sum((100 * votes[p] / 150_000 - 100 * fptp[p] / 5) ** 2 for p in votes)
    assert shown(page, "gallagher-fptp") == f"{math.sqrt(squares / 2):.1f}" == "13.2"
    dhondt = {"Lab": 2, "SNP": 2, "Con": 1}
    squares = sum((100 * votes[p] / 150_000 - 100 * dhondt.get(p, 0) / 5) ** 2 for p in votes)
    assert shown(page, "gallagher-pr") == f"{math.sqrt(squares / 2):.1f}"
    labour = re.search(r'<tr data-party="Lab">(.*?)</tr>', page, re.S).group(1)
    assert 'data-col="votes-per-mp">44,000<' in labour
    green = re.search(r'<tr data-party="Green">(.*?)</tr>', page, re.S).group(1)
    assert 'data-col="votes-per-mp"><span class="muted">no MP</span>' in green
    assert "get no list seats" in page and "32,000, 21.3% of the total" in page  # the Speaker's and Ind's
    assert 'Independent <span class="muted">(no list seats)</span>' in page
    assert "divisors 1, 2, 3, 4" in page and "divisors 1, 3, 5, 7" in page and "√(½ Σ" in page


def test_the_chart_gives_each_share_as_text(election, client):
    page = get(client, method="sainte_lague")
    chart = page[page.index('data-testid="pr-chart"') : page.index("</figure>")]
    labour = chart[chart.index('<h3 class="pr-chart-name">Labour</h3>') :].split("</li>\n    \n")[0]
    values = re.findall(r'<span class="bar-value">([\d.]+)%</span>', labour)
    assert values[:3] == ["29.3", "20.0", "40.0"]  # votes, first past the post, Sainte-Laguë
    names = re.findall(r'<h3 class="pr-chart-name">([^<]+)</h3>', chart)
    assert names == ["Labour", "Scottish National Party", "Conservative", "Green Party"]  # no Speaker, no Ind


@pytest.mark.parametrize(
    "params",
    [{}, {"method": "sainte_lague", "by": "region", "threshold": "5", "threshold_scope": "regional"}],
)
def test_the_page_in_a_fixed_number_of_queries(election, client, django_assert_num_queries, params):
    with django_assert_num_queries(PR_QUERIES):
        page = get(client, **params)
    assert 'data-testid="gallagher-pr"' in page


BAD_INPUT = [
    (
        {"election": "ge1066"},
        "election",
        "There is no election “ge1066”; choose one of the general elections loaded.",
    ),
    (
        {"method": "hare"},
        "method",
        "There is no method “hare”: use dhondt (D'Hondt) or sainte_lague (Sainte-Laguë).",
    ),
    (
        {"by": "county"},
        "by",
        "There is no allocation “county”: use nation (Nationally) or region (By region).",
    ),
    (
        {"threshold": "five"},
        "threshold",
        "The threshold must be a number from 0 to 50, a percentage of the vote, not “five”.",
    ),
    ({"threshold": "50.1"}, "threshold", "not “50.1”"),
    ({"threshold": "-1"}, "threshold", "not “-1”"),
    ({"threshold": "NaN"}, "threshold", "not “NaN”"),
    ({"threshold": "1e400"}, "threshold", "not “1e400”"),
    ({"threshold_scope": "county"}, "threshold_scope", "There is no threshold scope “county”"),
]


@pytest.mark.parametrize("params, field, message", BAD_INPUT)
def test_bad_input_is_a_message_beside_its_field_and_no_table(election, client, params, field, message):
    page = get(client, **params)
    error = re.search(rf'data-testid="error-{field}">([^<]*)<', page)
    assert error and message in error.group(1).replace("&#x27;", "'")
    assert 'data-testid="pr-table"' not in page and "Some choices could not be used" in page


def test_a_by_election_has_no_national_allocation(election, client):
    import_seats("by-lab-seat-2025", [SEATS[0]], year=2025, kind="by", boundaries="2024")
    page = get(client, election="by-lab-seat-2025")
    error = re.search(r'data-testid="error-election">([^<]*)<', page).group(1)
    assert "filled one seat, so there is no national allocation to compare" in error
    assert "by-lab-seat-2025" not in re.search(r'<select name="election".*?</select>', page, re.S).group(0)
    # The default is still the latest general election, not the later by-election.
    assert "Under proportional representation: 2024 test election ge2024" in get(client)


def test_a_threshold_may_be_written_with_a_percent_sign_or_decimals(election, client):
    assert shown(get(client, threshold="7.5%"), "pr-threshold") == "A threshold of 7.5% of the UK vote"
    assert shown(get(client, threshold="0"), "pr-threshold") == "No threshold"


def test_with_nothing_loaded_the_page_says_so(default_parties, client):
    assert "No general election is loaded yet" in get(client)


def test_the_nav_links_the_page(election, client):
    page = get(client)
    assert '<a href="/pr/" aria-current="page">Under PR</a>' in page


def test_an_election_with_no_results_loaded_says_so(election, client):
    Election.objects.create(
        slug="ge2029",
        name="2029 general election",
        date=date(2029, 5, 3),
        kind="general",
        boundary_set=election.boundary_set,
    )
    page = get(client)  # the latest general election is the default, and it has no results yet
    error = re.search(r'data-testid="error-election">([^<]*)<', page).group(1)
    assert error == "No results of the 2029 general election are loaded yet: choose another election."
    assert 'data-testid="pr-table"' not in page
    assert 'data-testid="pr-table"' in get(client, election="ge2024")
    assert client.get(reverse("constituencies:api_pr")).status_code == 400
