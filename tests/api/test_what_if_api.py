"""GET /api/what-if/: the scenario as JSON, the inputs as understood, and a 400 naming each bad parameter."""

import pytest

from tests.builders import import_seats, numbered_seat
from tests.query_counts import WHAT_IF_QUERIES
from tests.web.test_what_if_page import SEATS

URL = "/api/what-if/"


@pytest.fixture
def election(default_parties):
    return import_seats("ge2024", SEATS)


def test_the_default_scenario(election, client, django_assert_num_queries):
    with django_assert_num_queries(WHAT_IF_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["election"]["slug"] == "ge2024"
    assert body["inputs"] == {
        "stand_aside": ["Green", "Lab", "LD", "PC", "SNP"],
        "follow": 100.0,
        "seats": "all",
        "seat_filters": {},
        "seats_considered": 7,
        "can_stand_aside": ["Green", "Lab", "LD", "PC", "SNP"],
    }
    assert body["seats_changed"] == [
        {
            "slug": "tragedy-lab",
            "name": "Tragedy Lab",
            "from": "Con",
            "to": "Lab",
            "votes_moved": 3000,
            "lead": 2000,
            "url": "http://testserver/seats/tragedy-lab/?election=ge2024",
        },
        {
            "slug": "tragedy-ld",
            "name": "Tragedy LD",
            "from": "Con",
            "to": "LD",
            "votes_moved": 2500,
            "lead": 500,
            "url": "http://testserver/seats/tragedy-ld/?election=ge2024",
        },
    ]
    assert body["house"] == [
        {"party": "Lab", "name": "Labour", "real": 2, "scenario": 3, "change": 1},
        {"party": "Con", "name": "Conservative", "real": 4, "scenario": 2, "change": -2},
        {"party": "LD", "name": "Liberal Democrats", "real": 1, "scenario": 2, "change": 1},
    ]
    assert (body["total_seats"], body["majority_needed"]) == (7, 4)
    assert body["largest_party"] == {
        "party": "Lab",
        "name": "Labour",
        "seats": 3,
        "has_majority": False,
        "majority": None,
        "shortfall": 1,
    }
    assert body["governing_party"] == {
        "party": "Con",
        "name": "Conservative",
        "had_majority": True,
        "real_seats": 4,
        "seats": 2,
        "keeps_majority": False,
    }
    assert [(f["follow"], f["seats_changed"], f["governing_party_seats"]) for f in body["by_follow"]] == [
        (50.0, 1, 3),
        (70.0, 1, 3),
        (100.0, 2, 2),
    ]
    assert "Speaker" in body["speaker_convention"] and "turnout" in body["assumptions"]


def test_comma_separated_parties_any_case_a_decimal_follow_and_a_seat_filter(election, client):
    body = client.get(URL, {"stand_aside": "ld, GREEN", "follow": "70.5%", "region": "south west"}).json()
    assert body["inputs"]["stand_aside"] == ["Green", "LD"]
    assert body["inputs"]["follow"] == 70.5
    assert body["inputs"]["seat_filters"] == {"region": "South West"}
    assert body["inputs"]["seats_considered"] == 3
    assert [s["slug"] for s in body["seats_changed"]] == []  # Tragedy LD: Labour does not stand aside
    body = client.get(URL, {"stand_aside": "Lab", "seats": "tragedies"}).json()
    assert body["inputs"]["seats_considered"] == 2
    assert [s["slug"] for s in body["seats_changed"]] == ["tragedy-ld"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"election": "ge1066"}, "election", "There is no election “ge1066” loaded"),
        ({"follow": "half"}, "follow", "as a number from 0 to 100, such as 70, not “half”."),
        ({"follow": "100.5"}, "follow", "not “100.5”."),
        ({"follow": "nan"}, "follow", "not “nan”."),
        ({"stand_aside": "Lab,Tory"}, "stand_aside", "“Tory” is not a party we know."),
        ({"stand_aside": "RUK"}, "stand_aside", "Reform UK (RUK) is not in the progressive bloc"),
        ({"seats": "every"}, "seats", "“every” is not a choice of seats: use all or tragedies."),
        ({"marginality": "wobbly"}, "marginality", "is not a marginality band"),
    ],
)
def test_bad_input_answers_400_naming_the_parameter(election, client, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field] and message in body["errors"][field][0]
    assert body["error"].startswith(f"{field}: ") and "seats_changed" not in body


def test_a_by_election_is_refused_saying_why(election, client):
    import_seats(
        "by-x-2025", [numbered_seat("X", {"Lab": 2, "Con": 1})], year=2025, kind="by", boundaries="2024"
    )
    response = client.get(URL, {"election": "by-x-2025"})
    assert response.status_code == 400
    assert "elected one MP, with no House of Commons to work out" in response.json()["errors"]["election"][0]


def test_no_results_loaded_is_a_404(default_parties, client):
    response = client.get(URL)
    assert response.status_code == 404 and response.json() == {
        "error": "No general election results are loaded yet.",
        "message": "No general election results are loaded yet.",
    }
