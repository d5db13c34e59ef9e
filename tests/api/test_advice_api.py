"""GET /api/advice/<election>/[?as_of=]: every seat's advice as JSON, and clear JSON errors, never a 500."""

from datetime import date

import pytest
from django.test import Client

from constituencies.imports.demo import boundary_set
from constituencies.models import Election
from constituencies.seats import data_version
from tests.builders import GODALMING, import_seats, notional_godalming_2019, numbered_seats, small_ge2024
from tests.projection_builders import add_projection

MRP = {GODALMING[0]: {"LD": 40, "Con": 37, "Lab": 12, "RUK": 7, "Green": 4}}


@pytest.fixture
def evidence(default_parties):
    small_ge2024()
    notional_godalming_2019()
    add_projection("YouGov MRP (June 2024)", date(2024, 6, 20), MRP, publisher="YouGov")


def test_every_seat_with_its_advice_reason_and_sources(evidence, client):
    response = client.get("/api/advice/ge2024/")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["election"] == {
        "slug": "ge2024", "name": "2024 general election", "date": "2024-07-04", "kind": "general",
        "boundary_set": "2024",
    }  # fmt: skip
    assert (body["as_of"], body["count"]) == (None, 3)
    godalming = next(seat for seat in body["results"] if seat["ons_id"] == GODALMING[0])
    assert set(godalming) == {"ons_id", "name", "slug", "advice", "party", "reason", "overridden", "sources"}
    assert (godalming["advice"], godalming["party"], godalming["overridden"]) == ("LD", "LD", False)
    assert [s["label"] for s in godalming["sources"]] == [
        "YouGov MRP (June 2024)",
        "2019 notional result on 2024 boundaries",
    ]
    aberdeen = next(seat for seat in body["results"] if seat["name"] == "Aberdeen North")
    assert (aberdeen["advice"], aberdeen["party"]) == ("not_applicable", None)


def test_as_of_uses_only_what_was_known_that_day(evidence, client):
    body = client.get("/api/advice/ge2024/?as_of=2024-06-19").json()
    assert body["as_of"] == "2024-06-19"
    godalming = next(seat for seat in body["results"] if seat["ons_id"] == GODALMING[0])
    assert [s["kind"] for s in godalming["sources"]] == ["notional"]


@pytest.mark.parametrize(
    "as_of",
    ["yesterday", "2024-13-01", "2024-7-3", "03/07/2024", "20240703", "2024-02-30", "é" * 500, "2024-06-19x"],
)
def test_an_as_of_that_is_not_a_date(evidence, client, as_of):
    response = client.get("/api/advice/ge2024/", {"as_of": as_of})
    assert response.status_code == 400
    assert response.json()["error"].startswith("as_of must be a date written YYYY-MM-DD, such as 2024-07-03")


def test_an_as_of_before_any_evidence(evidence, client):
    response = client.get("/api/advice/ge2024/?as_of=2019-12-11")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "as_of 2019-12-11 is before any evidence for the 2024 general election: the earliest is dated 2019-12-12."
    )


def test_unknown_elections_no_boundaries_and_nothing_before(evidence, client):
    response = client.get("/api/advice/ge1066/")
    assert response.status_code == 404 and "There is no election “ge1066”" in response.json()["error"]
    Election.objects.create(
        slug="ge2034", name="2034 general election", date=date(2034, 5, 4), kind="general",
        boundary_set=boundary_set("2034"),
    )  # fmt: skip
    response = client.get("/api/advice/ge2034/")
    assert response.status_code == 404 and "no constituencies are loaded" in response.json()["error"]
    response = client.get("/api/advice/notional-ge2019-2024/")  # the first thing on the 2024 boundaries
    assert (
        response.status_code == 404
        and "Nothing on the 2024 constituency boundaries" in response.json()["error"]
    )


@pytest.mark.parametrize("seats", [3, 40])
def test_a_fixed_number_of_queries(default_parties, django_assert_num_queries, client, seats):
    import_seats("ge2019", numbered_seats(seats), year=2019, boundaries="2024")
    import_seats("ge2024", numbered_seats(seats))
    add_projection("An MRP", date(2024, 6, 20), {"E14000001": {"Lab": 60, "Con": 40}})
    with django_assert_num_queries(9):  # the election, then the evidence and the overrides (advice.py)
        assert client.get("/api/advice/ge2024/").json()["count"] == seats


@pytest.mark.django_db(transaction=True)
def test_cached_until_the_evidence_changes(evidence, django_assert_num_queries):
    data_version.responses.clear()
    client = Client()
    first = client.get("/api/advice/ge2024/").json()
    with django_assert_num_queries(1):  # the seat data version
        assert client.get("/api/advice/ge2024/").json() == first
    add_projection("Survation MRP (June 2024)", date(2024, 6, 25), MRP, publisher="Survation")
    again = client.get("/api/advice/ge2024/").json()
    godalming = next(seat for seat in again["results"] if seat["ons_id"] == GODALMING[0])
    assert "Survation MRP (June 2024)" in [s["label"] for s in godalming["sources"]]
    data_version.responses.clear()
