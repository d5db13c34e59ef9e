"""The staff seat list at /seats/: filters, sorting, pagination, the summary, bad input, query counts."""

import re
from html import unescape

import pytest
from django.urls import reverse

from constituencies.models import Constituency, Party, RecommendationOverride, SeatAssessment
from tests.builders import import_seats, numbered_seat, numbered_seats
from tests.query_counts import ADVICE_QUERIES, SUPPORTER_COUNTS_QUERIES, advised_seats

URL = reverse("constituencies:seat_list")


def names(response) -> list[str]:
    return [record.name for record in response.context["records"]]


def text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    html = response.content.decode()
    page = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([,.])", r"\1", page)


SAMPLE = [
    "Aberdeen North",
    "Aldershot",
    "Birmingham Hodge Hill and Solihull North",
    "Chorley",
    "Clacton",
    "Godalming and Ash",
    "Islington North",
]


def test_lists_every_seat_of_the_latest_general_election_with_its_assessment(ge2024, client):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == SAMPLE
    godalming = next(r for r in response.context["records"] if r.name == "Godalming and Ash")
    assert (godalming.winner.code, godalming.runner_up.code, godalming.best.party.code) == ("Con", "LD", "LD")
    assert (godalming.majority, godalming.best.gap_to_win) == (891, 891)
    page = text(response)
    assert "Godalming and Ash South East Con LD 891 1.6% Very marginal Tragedy LD 891" in page
    # Chorley, the Speaker's seat: no progressive party stood against him... except the Greens
    assert "Chorley North West Spk Green 20,575 60.6% Safe No Green 20,575" in page
    html = response.content.decode()
    assert 'href="/seats/godalming-and-ash/?election=ge2024"' in html


def test_default_election_is_the_most_recent_general_election_not_a_later_by_election(ge2024, client):
    import_seats(
        "by-test-2025",
        [numbered_seat("Clacton", {"Lab": 100, "Con": 90}, number=1174)],
        year=2025,
        kind="by",
        boundaries="2024",
    )
    response = client.get(URL)
    assert response.context["election"].slug == "ge2024"
    assert len(names(response)) == 7
    by_election = client.get(URL, {"election": "by-test-2025"})
    assert names(by_election) == ["Clacton"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tragedy": "true"}, ["Godalming and Ash"]),
        ({"tragedy": "false"}, [n for n in SAMPLE if n != "Godalming and Ash"]),
        ({"marginality": "very_marginal"}, None),
        ({"marginality": "very_marginal,marginal"}, None),  # checked below against the stored bands
        ({"majority_pct_min": "10", "majority_pct_max": "20"}, None),
        ({"winner": "Lab"}, ["Aldershot", "Birmingham Hodge Hill and Solihull North"]),
        ({"winner": "lab"}, ["Aldershot", "Birmingham Hodge Hill and Solihull North"]),
        ({"runner_up": "Con"}, ["Aldershot", "Clacton"]),
        ({"best_placed": "LD"}, ["Godalming and Ash"]),
        ({"country": "Scotland"}, ["Aberdeen North"]),
        ({"region": "south east"}, ["Aldershot", "Godalming and Ash"]),
        ({"q": "islington"}, ["Islington North"]),
        ({"q": "HODGE  hill & solihull"}, ["Birmingham Hodge Hill and Solihull North"]),
        ({"q": "E14001174"}, ["Clacton"]),
        ({"region": "South East", "tragedy": "true", "best_placed": "LD"}, ["Godalming and Ash"]),
        ({"region": "South East", "winner": "RUK"}, []),
    ],
)
def test_each_filter_and_combinations(ge2024, client, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["problems"] == []
    got = names(response)
    if expected is None:  # compare with the stored assessments directly
        assessments = SeatAssessment.objects.filter(election__slug="ge2024")
        if "marginality" in params:
            assessments = assessments.filter(marginality__in=params["marginality"].split(","))
        if "majority_pct_min" in params:
            assessments = assessments.filter(majority_pct__gte=10, majority_pct__lte=20)
        expected = list(assessments.values_list("constituency__name", flat=True))
        assert expected  # the check means something
    assert sorted(got) == sorted(expected)


def test_a_search_ignores_accents_and_punctuation(default_parties, client):
    import_seats(
        "ge2024",
        [
            numbered_seat(
                "Ynys Môn",
                {"Con": 12_500, "Lab": 12_000, "PC": 11_000},
                region="Wales",
                country="Wales",
                number=1,
            ),
            numbered_seat("Batley and Spen", {"Lab": 15_000, "Con": 9_000}, region="Yorkshire", number=2),
        ],
    )
    assert names(client.get(URL, {"q": "ynys mon"})) == ["Ynys Môn"]
    assert names(client.get(URL, {"q": "Ynys Môn"})) == ["Ynys Môn"]
    assert names(client.get(URL, {"q": "batley & spen"})) == ["Batley and Spen"]
    assert names(client.get(URL, {"q": "spen batley"})) == ["Batley and Spen"]
    assert names(client.get(URL, {"q": "batley mon"})) == []


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("majority", lambda r: r.majority, False),
        ("-majority", lambda r: r.majority, True),
        ("majority_pct", lambda r: r.majority_pct, False),
        ("-majority_pct", lambda r: r.majority_pct, True),
        ("-name", lambda r: r.name, True),
    ],
)
def test_sorting(ge2024, client, sort, key, reverse):
    records = client.get(URL, {"sort": sort}).context["records"]
    values = [key(r) for r in records]
    assert len(values) == 7
    assert values == sorted(values, reverse=reverse)
    assert values != sorted(values, reverse=not reverse)


def test_sorting_by_gap_to_win_puts_targets_first_then_seats_held_then_no_progressive_candidate(
    default_parties, client
):
    import_seats(
        "ge2024",
        [
            numbered_seat("No Progressives", {"Con": 10_000, "RUK": 9_000}, number=1),
            numbered_seat("Close", {"Con": 10_000, "Lab": 9_900}, number=2),
            numbered_seat("Far", {"Con": 10_000, "LD": 2_000}, number=3),
            numbered_seat("Held", {"Lab": 10_000, "Con": 2_000}, number=4),
        ],
    )
    assert names(client.get(URL, {"sort": "gap_to_win"})) == ["Close", "Far", "Held", "No Progressives"]
    assert names(client.get(URL, {"sort": "-gap_to_win"})) == ["Far", "Close", "Held", "No Progressives"]
    page = text(client.get(URL, {"sort": "gap_to_win"}))
    assert "No Progressives London Con RUK 1,000 5.3% Marginal No None stood –" in page


def test_sorting_by_gap_to_win_follows_the_gap_shown_when_the_editors_override(default_parties, client):
    election = import_seats(
        "ge2024",
        [
            numbered_seat("No Progressives", {"Con": 10_000, "RUK": 9_000}, number=1),
            numbered_seat("Close", {"Con": 10_000, "Lab": 9_900, "LD": 500}, number=2),
            numbered_seat("Far", {"Con": 10_000, "LD": 2_000}, number=3),
            numbered_seat("Held", {"Lab": 10_000, "Con": 2_000}, number=4),
        ],
    )

    def override(name, code):
        RecommendationOverride.objects.create(
            election=election,
            constituency=Constituency.objects.get(name=name),
            recommended_party=Party.objects.get(code=code),
            reason="The editors know something the numbers do not",
        )

    override("Close", "LD")  # not the best placed (Lab, 100 behind): the list shows no gap
    override("Far", "LD")  # the best placed itself: its gap still shows

    def shown(sort):
        response = client.get(URL, {"sort": sort})
        return [(r.name, r.best.gap_to_win) for r in response.context["records"]], text(response)

    ascending, page = shown("gap_to_win")
    assert ascending == [("Far", 8000), ("Held", 0), ("Close", None), ("No Progressives", None)]
    assert "Far London Con LD 8,000 66.7% Safe No LD editors’ choice 1 8,000 " in page
    assert "Close London Con Lab 100 0.5% Very marginal Tragedy LD editors’ choice 2 – " in page
    descending, _ = shown("-gap_to_win")
    assert descending == [("Far", 8000), ("Held", 0), ("Close", None), ("No Progressives", None)]
    api = client.get(reverse("constituencies:api_seats"), {"sort": "gap_to_win"}).json()["results"]
    assert [(r["name"], r["gap_to_win"]) for r in api] == ascending


def test_column_headers_sort_and_reverse_keeping_the_filters(ge2024, client):
    response = client.get(URL, {"region": "South East", "sort": "majority"})
    links = response.context["sort_links"]
    assert links["majority"]["state"] == "ascending"
    assert links["majority"]["url"] == f"{URL}?election=ge2024&region=South+East&sort=-majority"
    assert links["name"]["url"] == f"{URL}?election=ge2024&region=South+East"  # name is the default
    assert links["gap_to_win"]["state"] == "none"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_pagination_and_the_summary_count_every_matching_seat(default_parties, client):
    import_seats("ge2024", numbered_seats(120))
    response = client.get(URL, {"region": "London"})
    london = SeatAssessment.objects.filter(constituency__region="London")
    summary = response.context["summary"]
    assert summary.seats == london.count() == 56
    assert summary.tragedies == london.filter(is_tragedy=True).count() == 40
    assert [(party.code, n) for party, n in summary.by_winner] == [("Con", 48), ("Lab", 8)]
    page = text(response)
    assert "56 seats match, 40 of them progressive tragedies. Won by: Conservative 48, Labour 8." in page
    assert len(names(response)) == 50
    assert "Page 1 of 2 (seats 1 to 50)" in page

    second = client.get(response.context["page_links"]["next"])
    assert len(names(second)) == 6
    assert set(names(response)).isdisjoint(names(second))
    assert second.context["summary"].seats == 56
    assert names(client.get(URL, {"region": "London", "page": "abc"})) == names(response)
    assert names(client.get(URL, {"region": "London", "page": "99"})) == names(second)


def test_the_form_keeps_its_values_and_links_carry_the_canonical_filters(ge2024, client):
    response = client.get(
        URL,
        {
            "region": "south-east",
            "winner": "con",
            "tragedy": "yes",
            "marginality": ["very_marginal", "Marginal"],
            "majority_pct_max": "5%",
            "q": "godalming",
            "sort": "-MAJORITY",
        },
    )
    html = response.content.decode()
    assert names(response) == ["Godalming and Ash"]
    assert '<option value="South East" selected>' in html
    assert '<option value="Con" selected>' in html
    assert '<option value="true" selected>' in html
    assert '<option value="-majority" selected>' in html
    assert re.search(r'value="very_marginal"[^>]*checked', html)
    assert re.search(r'value="marginal"[^>]*checked', html)
    assert not re.search(r'value="safe"[^>]*checked', html)
    assert re.search(r'name="majority_pct_max" value="5"', html)
    assert 'name="q" value="godalming"' in html
    query = (
        "election=ge2024&tragedy=true&marginality=very_marginal&marginality=marginal&majority_pct_max=5"
        "&winner=Con&region=South+East&q=godalming&sort=-majority"
    )
    assert response.context["csv_url"] == f"/seats/export.csv?{query}"
    assert response.context["json_url"] == f"/seats/export.json?{query}"
    assert response.context["api_url"] == f"/api/seats/?{query}"
    assert response.context["share_url"] == f"http://testserver/seats/?{query}"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"majority_pct_min": "abc"},
            "majority_pct_min: Enter the smallest majority as a number from 0 to 100",
        ),
        (
            {"majority_pct_max": "1e999999"},
            "majority_pct_max: Ensure this value is less than or equal to 100.",
        ),
        ({"majority_pct_min": "NaN"}, "majority_pct_min: Enter the smallest majority as a number"),
        ({"majority_pct_min": "-3"}, "majority_pct_min: Ensure this value is greater than or equal to 0."),
        ({"winner": "XYZ"}, "winner: “XYZ” is not a party code we know."),
        ({"runner_up": "Labour Party"}, "runner_up: “Labour Party” is not a party code we know."),
        ({"best_placed": "Con'; DROP TABLE"}, "best_placed: “Con'; DROP TABLE” is not a party code we know."),
        ({"tragedy": "maybe"}, "tragedy: “maybe” is not a choice here: use true or false."),
        ({"marginality": "tight"}, "marginality: “tight” is not a marginality band"),
        ({"region": "Atlantis"}, "region: “Atlantis” is not a region with seats in this election."),
        ({"country": "France"}, "country: “France” is not a country with seats in this election."),
        ({"sort": "votes"}, "sort: “votes” is not a way to sort"),
        ({"q": "x" * 101}, "q: Search for at most 100 characters."),
        ({"q": "a\x00b"}, "q: Null characters are not allowed."),
    ],
)
def test_a_bad_filter_value_is_explained_and_the_rest_of_the_list_still_shows(
    ge2024, client, params, message
):
    response = client.get(URL, {**params, "region": "South East"} if "region" not in params else params)
    assert response.status_code == 200
    assert any(problem.startswith(message) for problem in response.context["problems"]), response.context[
        "problems"
    ]
    assert "Some filters could not be used" in text(response)
    expected = 7 if "region" in params else 2  # the bad filter is ignored, the good one still applies
    assert len(names(response)) == expected


def test_an_unknown_election_shows_the_default_one_and_says_so(ge2024, client):
    response = client.get(URL, {"election": "ge2099", "tragedy": "true"})
    assert response.status_code == 200
    assert response.context["election"].slug == "ge2024"
    assert names(response) == ["Godalming and Ash"]
    page = text(response)
    assert "election: There is no election “ge2099” loaded." in page
    assert "Showing the 2024 general election instead." in page
    assert '<option value="ge2024" selected>' in response.content.decode()


def test_a_majority_range_the_wrong_way_round_gives_an_empty_list_and_says_why(ge2024, client):
    response = client.get(URL, {"majority_pct_min": "10", "majority_pct_max": "5"})
    assert names(response) == []
    page = text(response)
    assert "The smallest majority asked for (10%) is larger than the largest (5%)" in page
    assert "No seats match these filters." in page


def test_no_results_loaded_explains_how_to_load_them(db, client):
    response = client.get(URL, {"winner": "Lab"})
    assert response.status_code == 200
    assert "No results are loaded yet" in text(response)


@pytest.mark.parametrize("seats", [3, 120])
def test_the_list_runs_in_a_fixed_number_of_queries_whatever_the_number_of_seats(
    default_parties, client, django_assert_num_queries, seats
):
    advised_seats(seats)
    # elections, parties, regions, the summary (which also counts for the paginator), the page of seats,
    # the parties placed in the election (for the drop-downs), the advice and the supporter counts
    with django_assert_num_queries(6 + ADVICE_QUERIES + SUPPORTER_COUNTS_QUERIES):
        response = client.get(
            URL, {"tragedy": "true", "sort": "-gap_to_win", "region": "London", "advice": "Lab"}
        )
    matching = SeatAssessment.objects.filter(
        election__slug="ge2024", is_tragedy=True, constituency__region="London"
    ).count()
    assert response.context["summary"].seats == matching == seats // 3
    assert len(response.context["records"]) == min(matching, 50)
    assert {r.advice_label for r in response.context["records"]} == {"Labour"}
