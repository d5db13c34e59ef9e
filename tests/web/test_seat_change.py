"""The change since the previous contest: the seat page's panel, the list's changed= filter and Gained from
column, and previous_winner, previous_majority and gained_from in the downloads and the API."""

import json

import pytest
from django.urls import reverse

from constituencies.models import SeatAssessment
from tests.builders import import_seats, numbered_seat
from tests.csv_helpers import csv_rows
from tests.query_counts import ADVICE_QUERIES, SUPPORTER_COUNTS_QUERIES
from tests.web.test_seat_list import text

LIST = reverse("constituencies:seat_list")
CSV = reverse("constituencies:seat_list_csv")
JSON = reverse("constituencies:seat_list_json")
API = reverse("constituencies:api_seats")

BEFORE = {
    1: {"Lab": 20000, "Con": 10000},
    2: {"Con": 20000, "Lab": 15000},
    3: {"Con": 25000, "LD": 5000},
    4: {"Con": 22000, "Lab": 9000, "Brexit": 3000},
    5: {"Oth": 30000, "Green": 3000},  # the winner published only as other candidates
}
NOW = {
    1: {"Lab": 18000, "Con": 9000, "RUK": 5000},  # Labour hold
    2: {"Lab": 17000, "Con": 12000},  # Labour gain from Conservative
    3: {"Con": 15000, "RUK": 14000, "LD": 4000},  # Conservative hold
    4: {"RUK": 16000, "Con": 14000, "Lab": 6000},  # Reform UK gain from Conservative
    5: {"Spk": 25000, "Green": 4000},  # cannot be said
    6: {"Lab": 10000, "Con": 9000},  # no previous result
}
NOTIONAL_NAME = "2019 test election notional-2019"


def seats(votes):
    return [numbered_seat(f"Seat {n:03d}", v, number=n) for n, v in votes.items()]


@pytest.fixture
def elections(default_parties):
    import_seats("notional-2019", seats(BEFORE), year=2019, kind="notional", boundaries="2024")
    import_seats("ge2024", seats(NOW))


def listed(client, **params):
    response = client.get(LIST, {"election": "ge2024", **params})
    assert response.status_code == 200
    return response, [record.name for record in response.context["records"]]


def test_the_changed_filter_gives_exactly_the_seats_that_changed_hands_or_were_held(elections, client):
    _, changed = listed(client, changed="true")
    assert changed == ["Seat 002", "Seat 004"]
    _, held = listed(client, changed="No")
    assert held == ["Seat 001", "Seat 003"]
    _, every = listed(client)
    assert len(every) == 6  # seats 5 and 6 are in neither: nothing can be said of them


def test_the_list_shows_whom_each_seat_was_gained_from(elections, client):
    response, _ = listed(client)
    gained = {record.name: record.gained_from for record in response.context["records"]}
    assert {name: party.code for name, party in gained.items() if party} == {
        "Seat 002": "Con",
        "Seat 004": "Con",
    }
    page = text(response)
    assert "Gained from" in page
    assert "Seat 004 London RUK Con Con" in page  # winner RUK, gained from Con, runner-up Con


def test_bad_changed_values_are_refused_with_a_message_and_nothing_filtered(elections, client):
    response, names = listed(client, changed="maybe")
    assert "changed: “maybe” is not a choice here: use true or false." in text(response)
    assert len(names) == 6
    api = client.get(API, {"election": "ge2024", "changed": "maybe"})
    assert api.status_code == 400
    assert json.loads(api.content)["errors"] == {
        "changed": ["“maybe” is not a choice here: use true or false."]
    }
    export = client.get(CSV, {"changed": "maybe"})
    assert export.status_code == 400


def test_an_election_with_nothing_before_it_on_its_boundaries_says_so(elections, client):
    response = client.get(LIST, {"election": "notional-2019", "changed": "true"})
    message = (
        f"changed: The {NOTIONAL_NAME} has no earlier result on the same boundaries to compare with, "
        "so no seat can be said to have changed hands."
    )
    assert message in text(response)
    assert len(response.context["records"]) == 5  # not filtered
    api = client.get(API, {"election": "notional-2019", "changed": "false"})
    assert api.status_code == 400
    assert message in json.loads(api.content)["error"]


def test_the_exports_and_api_carry_the_previous_winner_and_majority(elections, client):
    rows = {r["name"]: r for r in csv_rows(client.get(CSV).content)}
    picked = {
        name: (r["gained_from"], r["previous_winner"], r["previous_majority"]) for name, r in rows.items()
    }
    assert picked == {
        "Seat 001": ("", "Lab", "10000"),
        "Seat 002": ("Con", "Con", "5000"),
        "Seat 003": ("", "Con", "20000"),
        "Seat 004": ("Con", "Con", "13000"),
        "Seat 005": ("", "Oth", "27000"),
        "Seat 006": ("", "", ""),
    }
    exported_json = json.loads(client.get(JSON, {"changed": "true"}).content)
    assert exported_json["previous_election"] == "notional-2019"
    exported = exported_json["results"]
    assert [
        (s["name"], s["gained_from"], s["previous_winner"], s["previous_majority"]) for s in exported
    ] == [
        ("Seat 002", "Con", "Con", 5000),
        ("Seat 004", "Con", "Con", 13000),
    ]
    api_json = json.loads(client.get(API, {"changed": "false"}).content)
    assert api_json["previous_election"] == "notional-2019"
    one = json.loads(client.get(reverse("constituencies:api_seat", args=["seat-002"])).content)
    assert (one["previous_election"], one["previous_winner"], one["gained_from"]) == (
        "notional-2019",
        "Con",
        "Con",
    )
    api = api_json["results"]
    assert [(s["name"], s["gained_from"], s["previous_winner"]) for s in api] == [
        ("Seat 001", None, "Lab"),
        ("Seat 003", None, "Con"),
    ]


@pytest.mark.parametrize("url", [LIST, API, CSV])
def test_the_previous_result_adds_no_query(elections, client, django_assert_max_num_queries, url):
    # The same ceilings as without it (test_seat_list, test_seat_api, test_seat_exports).
    with django_assert_max_num_queries((6 if url != CSV else 5) + ADVICE_QUERIES + SUPPORTER_COUNTS_QUERIES):
        response = client.get(url, {"changed": "true", "sort": "-majority"})
    assert response.status_code == 200


def swing(first, second, before, now):
    share = lambda votes, code: 100 * votes.get(code, 0) / sum(votes.values())  # noqa: E731
    return ((share(now, first) - share(before, first)) - (share(now, second) - share(before, second))) / 2


def test_the_seat_page_shows_a_gain_the_swing_and_both_shares(elections, client):
    response = client.get("/seats/seat-004/")
    page = text(response)
    assert "Change since the 2019 test election notional-2019" in page
    assert "Reform UK gain from Conservative" in page
    points = swing("RUK", "Con", BEFORE[4], NOW[4])
    assert (
        f"A swing of {points:.1f} percentage points from Conservative to Reform UK since the {NOTIONAL_NAME}."
        in page
    )
    assert (
        f"Reform UK had no votes in the {NOTIONAL_NAME}, so the swing counts its share there as 0%." in page
    )
    rows = [(r.party.code, r.now, r.before, r.change_display) for r in response.context["page"].change.rows]
    assert rows == [
        ("RUK", pytest.approx(100 * 16 / 36), None, ""),
        (
            "Con",
            pytest.approx(100 * 14 / 36),
            pytest.approx(100 * 22 / 34),
            f"−{100 * 22 / 34 - 100 * 14 / 36:.1f}",
        ),
        (
            "Lab",
            pytest.approx(100 * 6 / 36),
            pytest.approx(100 * 9 / 34),
            f"−{100 * 9 / 34 - 100 * 6 / 36:.1f}",
        ),
        ("Brexit", None, pytest.approx(100 * 3 / 34), ""),
    ]
    assert "Reform UK – 44.4% –" in page
    assert "Brexit Party 8.8% – –" in page


def test_the_seat_page_says_hold_and_that_the_winner_held_on_against_a_swing(elections, client):
    page = text(client.get("/seats/seat-003/"))
    assert "Conservative hold" in page
    points = -swing("Con", "RUK", BEFORE[3], NOW[3])
    assert f"A swing of {points:.1f} percentage points from Conservative to Reform UK" in page


def test_the_seat_page_says_plainly_when_there_is_nothing_to_compare_with(elections, client):
    assert "We hold no result for Seat 006 at the 2019 test election notional-2019." in text(
        client.get("/seats/seat-006/")
    )
    notional = text(client.get("/seats/seat-001/?election=notional-2019"))
    assert "There is no earlier result on the 2024 constituency boundaries to compare with." in notional
    unknown = text(client.get("/seats/seat-005/"))
    assert (
        "Speaker won; the 2019 test election notional-2019 gives its winner only as other candidates"
        in unknown
    )


def test_no_comparison_across_a_boundary_change(default_parties, client):
    import_seats(
        "ge2019", seats({2: BEFORE[2]}), year=2019, boundaries="2010"
    )  # the same ONS code, old boundaries
    import_seats("ge2024", seats({2: NOW[2]}))
    page = text(client.get("/seats/seat-002/"))
    assert (
        "The boundaries changed after the 2019 test election ge2019 and no notional result on the 2024 "
        "constituency boundaries is loaded, so there is nothing like for like to compare this result with."
    ) in page
    assert "gain from" not in page
    assert SeatAssessment.objects.filter(election__slug="ge2024", constituency__name="Seat 002").exists()


# The demo data: the 2019 general election against 2017's, on the same (2010) boundaries.


def test_demo_2019_against_2017(demo_data, client):
    before = dict(
        SeatAssessment.objects.filter(election__slug="ge2017").values_list("constituency_id", "winner__code")
    )
    now = dict(
        SeatAssessment.objects.filter(election__slug="ge2019").values_list("constituency_id", "winner__code")
    )
    expected = sorted(
        SeatAssessment.objects.filter(
            election__slug="ge2019",
            constituency_id__in=[c for c, w in now.items() if before.get(c) not in (None, w)],
        ).values_list("constituency__name", flat=True)
    )
    response = client.get(LIST, {"election": "ge2019", "changed": "true"})
    assert response.context["summary"].seats == len(expected) == 81  # 80 and the Speaker's seat, Chorley
    json_names = [
        s["name"]
        for s in json.loads(client.get(JSON, {"election": "ge2019", "changed": "yes"}).content)["results"]
    ]
    assert sorted(json_names) == expected

    bassetlaw = text(client.get("/seats/bassetlaw/?election=ge2019"))
    assert "Change since the 2017 general election" in bassetlaw
    assert "Conservative gain from Labour" in bassetlaw
    assert "Labour hold" in text(client.get("/seats/islington-north/?election=ge2019"))
