"""The public JSON API: /api/seats/, /api/seats/<slug>/, /api/elections/ and the /api/ docs page."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constituencies.models import Result, SeatAssessment
from tests.builders import import_seats, numbered_seat, numbered_seats
from tests.query_counts import ADVICE_QUERIES, SUPPORTER_COUNTS_QUERIES, advised_seats

SEATS = reverse("constituencies:api_seats")
ELECTIONS = reverse("constituencies:api_elections")


def seat_url(slug):
    return reverse("constituencies:api_seat", args=[slug])


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_seats_gives_the_fields_the_issue_lists_for_each_seat(ge2024, client):
    data = get_json(client, SEATS, {"election": "ge2024", "q": "godalming"})
    assert data["count"] == 1
    assert (data["next"], data["previous"]) == (None, None)
    assert data["election"]["slug"] == "ge2024"
    godalming = data["results"][0]
    assert (
        godalming
        == {
            "ons_id": "E14001249",
            "name": "Godalming and Ash",
            "slug": "godalming-and-ash",
            "url": "http://testserver/seats/godalming-and-ash/?election=ge2024",
            "region": "South East",
            "country": "England",
            "election": "ge2024",
            "winner": "Con",
            "winner_candidate": "Jeremy Hunt",
            "runner_up": "LD",
            "majority": 891,
            "majority_pct": 1.63,
            "marginality": "very_marginal",
            "is_tragedy": True,
            "progressive_total": 26393,
            "best_placed": "LD",
            "best_placed_votes": 22402,
            "best_placed_lead_is_clear": True,
            "best_placed_source": "results",
            "override_reason": None,
            "computed_best_placed": "LD",
            "gap_to_win": 891,
            "advice": None,  # nothing before the 2024 sample to reason from (see tests/web/test_seat_list_advice.py)
            "valid_votes": 54696,
            "electorate": 75816,
            "votes": {"Con": 23293, "LD": 22402, "RUK": 4815, "Lab": 2748, "Green": 1243, "Oth": 195},
            "previous_winner": None,  # no notional 2019 result loaded: nothing on these boundaries before
            "previous_majority": None,
            "gained_from": None,
            "supporters": {"count": None, "display": "fewer than 5"},
        }
    )
    assert list(godalming["votes"]) == ["Con", "LD", "RUK", "Lab", "Green", "Oth"]  # most votes first


def test_votes_add_up_for_every_seat_including_independents_and_the_speaker(ge2024, client):
    data = get_json(client, SEATS)
    assert data["count"] == 7
    valid = dict(Result.objects.values_list("constituency__slug", "valid_votes"))
    for result in data["results"]:
        assert sum(result["votes"].values()) == valid[result["slug"]], result["name"]
    by_name = {r["name"]: r for r in data["results"]}
    assert by_name["Islington North"]["winner"] == "Ind"
    assert by_name["Islington North"]["votes"]["Ind"] == 24120
    assert by_name["Chorley"]["winner"] == "Spk"
    assert by_name["Chorley"]["is_tragedy"] is False


def test_seats_takes_the_same_filters_as_the_page(ge2024, client):
    data = get_json(client, SEATS, {"tragedy": "true", "region": "South East"})
    assert [r["name"] for r in data["results"]] == ["Godalming and Ash"]
    data = get_json(client, SEATS, {"winner": "Lab", "sort": "-majority"})
    assert [r["name"] for r in data["results"]] == ["Aldershot", "Birmingham Hodge Hill and Solihull North"]
    data = get_json(client, SEATS, {"majority_pct_max": "5", "sort": "majority_pct"})
    assert [r["majority_pct"] for r in data["results"]] == sorted(r["majority_pct"] for r in data["results"])
    assert all(r["majority_pct"] <= 5 for r in data["results"]) and data["count"] == 3


def test_seats_paginates_with_next_and_previous_links(default_parties, client):
    import_seats("ge2024", numbered_seats(250))
    first = get_json(client, SEATS, {"region": "London"})
    london = SeatAssessment.objects.filter(constituency__region="London").count()
    assert first["count"] == london == 117
    assert (first["page"], first["pages"], len(first["results"])) == (1, 2, 100)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/seats/?election=ge2024&region=London&page=2"
    second = get_json(client, first["next"])
    assert len(second["results"]) == 17 and second["next"] is None
    assert second["previous"] == "http://testserver/api/seats/?election=ge2024&region=London"
    names = [r["name"] for r in first["results"] + second["results"]]
    assert len(set(names)) == 117

    small = get_json(client, SEATS, {"region": "London", "page_size": "50", "page": "3"})
    assert len(small["results"]) == 17 and small["pages"] == 3
    assert small["previous"].endswith("region=London&page_size=50&page=2")
    everything = get_json(client, SEATS, {"page_size": "1000"})
    assert len(everything["results"]) == everything["count"] == 250


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"majority_pct_min": "five"}, "majority_pct_min", "Enter the smallest majority as a number"),
        ({"winner": "Tory"}, "winner", "“Tory” is not a party code we know."),
        ({"election": "ge1066"}, "election", "There is no election “ge1066” loaded."),
        ({"tragedy": "sometimes"}, "tragedy", "“sometimes” is not a choice here: use true or false."),
        ({"marginality": "very"}, "marginality", "“very” is not a marginality band"),
        ({"page_size": "0"}, "page_size", "page_size must be a whole number from 1 to 1000, not 0."),
        ({"page_size": "lots"}, "page_size", "page_size must be a whole number from 1 to 1000, not “lots”."),
        ({"page": "-1"}, "page", "page must be a whole number"),
    ],
)
def test_bad_parameters_get_a_400_naming_them_and_an_empty_list(ge2024, client, params, field, message):
    data = get_json(client, SEATS, params, status=400)
    assert data["errors"][field][0].startswith(message)
    assert f"{field}: {message}" in data["error"]
    assert (data["count"], data["results"]) == (0, [])


def test_a_page_past_the_end_is_a_404(ge2024, client):
    data = get_json(client, SEATS, {"page": "2"}, status=404)
    assert data["error"] == "Page 2 is past the last page (1)."


def test_no_results_loaded(db, client):
    assert get_json(client, SEATS, status=404)["error"] == "No election results are loaded yet."
    assert get_json(client, ELECTIONS) == {"count": 0, "results": []}


def test_one_seat_with_its_candidates(ge2024, client):
    data = get_json(client, seat_url("islington-north"), {"election": "ge2024"})
    assert (data["name"], data["winner"], data["winner_candidate"]) == (
        "Islington North",
        "Ind",
        "Jeremy Corbyn",
    )
    assert data["election"]["slug"] == "ge2024"
    assert data["turnout_pct"] == round(100 * (49006 + 189) / 72852, 2)
    assert data["candidates"][0] == {
        "party": "Ind",
        "party_name": "Independent",
        "candidate": "Jeremy Corbyn",
        "votes": 24120,
        "combined": False,
    }
    assert sum(c["votes"] for c in data["candidates"]) == data["valid_votes"] == 49006
    assert get_json(client, seat_url("islington-north"))["name"] == "Islington North"  # default election


def test_one_seat_errors(ge2024, client):
    data = get_json(client, seat_url("atlantis"), {"election": "ge2024"}, status=404)
    assert (
        data["error"] == "There is no constituency “atlantis” on the boundaries of the 2024 general election."
    )
    data = get_json(client, seat_url("aldershot"), {"election": "nope"}, status=400)
    assert data["error"] == "election: There is no election “nope” loaded."
    import_seats(
        "by-2025",
        [numbered_seat("Clacton", {"Lab": 100, "Con": 90}, number=1174)],
        year=2025,
        kind="by",
        boundaries="2024",
    )
    data = get_json(client, seat_url("aldershot"), {"election": "by-2025"}, status=404)
    assert data["error"] == "Aldershot has no result in the 2025 test election by-2025."


def test_elections_lists_slugs_and_seat_counts_newest_first(ge2024, client):
    import_seats("ge2019", numbered_seats(4), year=2019)
    data = get_json(client, ELECTIONS)
    assert data["count"] == 2
    assert [(e["slug"], e["seat_count"], e["tragedy_count"]) for e in data["results"]] == [
        ("ge2024", 7, 1),
        ("ge2019", 4, 1),
    ]
    first = data["results"][0]
    assert (first["name"], first["date"], first["kind"], first["boundary_set"]) == (
        "2024 general election",
        "2024-07-04",
        "general",
        "2024",
    )
    assert first["seats_url"] == "http://testserver/api/seats/?election=ge2024"


def test_docs_page_describes_every_endpoint_and_parameter_with_examples(ge2024, client):
    response = client.get(reverse("constituencies:api_docs"))
    html = response.content.decode()
    for endpoint in (
        "/api/elections/",
        "/api/seats/",
        "/api/seats/&lt;slug&gt;/",
        "/api/postcodes/&lt;postcode&gt;/",
    ):
        assert f"GET {endpoint}" in html
    for parameter in (
        "election", "tragedy", "marginality", "majority_pct_min", "majority_pct_max", "winner", "runner_up",
        "best_placed", "advice", "supporters", "country", "region", "q", "sort",
    ):  # fmt: skip
        assert f"<code>{parameter}</code>" in html
    assert "curl 'http://testserver/api/seats/godalming-and-ash/?election=ge2024'" in html  # a real tragedy
    assert "400" in html and "404" in html


@pytest.mark.parametrize("seats", [3, 120])
def test_api_runs_in_a_fixed_number_of_queries(default_parties, client, django_assert_num_queries, seats):
    advised_seats(seats)
    # elections, parties, regions, the count, the page of seats, their candidacies, the advice, the supporters
    with django_assert_num_queries(6 + ADVICE_QUERIES + SUPPORTER_COUNTS_QUERIES):
        data = get_json(client, SEATS, {"page_size": "1000", "tragedy": "false"})
    assert data["count"] == SeatAssessment.objects.filter(election__slug="ge2024", is_tragedy=False).count()
    assert all(seat["advice"] for seat in data["results"])
    # elections, parties, regions, the seat, its candidacies, and the advice (the supporter counts are cached)
    with django_assert_num_queries(5 + ADVICE_QUERIES):
        assert get_json(client, seat_url("seat-002"))["advice"]["advice"] == "Lab"
    with django_assert_num_queries(1):
        get_json(client, ELECTIONS)


PARAMETERS = [
    "election", "tragedy", "marginality", "majority_pct_min", "majority_pct_max", "winner", "runner_up",
    "best_placed", "advice", "supporters", "country", "region", "q", "sort", "page", "page_size",
]  # fmt: skip


# Anything the <slug:slug> converter lets through, and seats that exist.
SLUGS = st.one_of(
    st.sampled_from(["godalming-and-ash", "aldershot"]), st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(PARAMETERS), st.text(max_size=30), max_size=4), slug=SLUGS)
def test_any_text_in_any_parameter_never_gives_a_500(ge2024, client, query, slug):
    pages = [reverse("constituencies:seat_list"), reverse("constituencies:seat_list_csv")]
    json_answers = [SEATS, seat_url(slug), reverse("constituencies:seat_list_json")]
    for url in pages + json_answers:
        response = client.get(url, query)
        assert response.status_code in (200, 400, 404), (url, query)
        if url in json_answers:
            json.loads(response.content)  # errors included
