"""GET /api/postcodes/<postcode>/: statuses and bodies for every outcome."""

from datetime import date

import pytest
from django.urls import reverse

from tests.builders import ABERDEEN_NORTH, GODALMING, add_postcode, small_ge2024


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])
    add_postcode("AB1 1LD", ABERDEEN_NORTH[0], terminated_on=date(1996, 6, 1))
    add_postcode("GU7 9ZZ", GODALMING[0])  # split, made up for the test
    add_postcode("GU7 9ZZ", ABERDEEN_NORTH[0])


def api(client, postcode):
    return client.get(reverse("constituencies:api-postcode", args=[postcode]))


def test_found(seats, client):
    response = api(client, "ab101pe")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "postcode": "AB10 1PE",
        "boundary_set": "2024",
        "split": False,
        "source": "directory",
        "constituencies": [
            {
                "ons_id": "S14000060",
                "name": "Aberdeen North",
                "slug": "aberdeen-north",
                "boundary_set": "2024",
                "region": "Scotland",
                "country": "Scotland",
                "url": "http://testserver/seats/aberdeen-north/",
            }
        ],
    }


def test_seat_urls_use_the_public_site_url_when_set(seats, client, settings):
    settings.SEATFINDER_SITE_URL = "https://seatfinder.example.org"
    [seat] = api(client, "AB10 1PE").json()["constituencies"]
    assert seat["url"] == "https://seatfinder.example.org/seats/aberdeen-north/"


def test_a_space_in_the_url_is_fine(seats, client):
    assert client.get("/api/postcodes/AB10%201PE/").json()["postcode"] == "AB10 1PE"


def test_split(seats, client):
    body = api(client, "GU7 9ZZ").json()
    assert body["split"] is True
    assert [c["name"] for c in body["constituencies"]] == ["Aberdeen North", "Godalming and Ash"]


@pytest.mark.parametrize("typed", ["hello", "12345", "SW1A", "%00", "a" * 300])
def test_malformed_is_400_with_a_message(seats, client, typed):
    response = client.get(f"/api/postcodes/{typed}/")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "not_a_postcode"
    assert "is not a UK postcode" in body["message"]


def test_a_typing_slip_is_400_with_the_postcode_it_looks_like(seats, client):
    response = api(client, "AB1OIPE")
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["suggestion"], body["postcode"]) == ("not_a_postcode", "AB10 1PE", None)
    assert "Did you mean AB10 1PE? It is in our postcode directory." in body["message"]
    assert "suggestion" not in api(client, "hello").json()


@pytest.mark.parametrize(
    ("typed", "error", "field", "value"),
    [
        pytest.param("ZE1 0AA", "unknown_postcode", "postcode", "ZE1 0AA", id="unknown"),
        pytest.param(
            "JE2 4WD", "outside_coverage", "place", "Jersey", id="outside_great_britain_with_the_place"
        ),
    ],
)
def test_unknown_or_outside_is_404(seats, client, typed, error, field, value):
    response = api(client, typed)
    assert response.status_code == 404
    assert response.json()["error"] == error
    assert response.json()[field] == value


def test_retired_is_410_gone_with_where_it_used_to_be(seats, client):
    response = api(client, "AB1 1LD")
    assert response.status_code == 410
    body = response.json()
    assert body["error"] == "terminated_postcode"
    assert body["terminated_on"] == "1996-06-01"
    assert [c["name"] for c in body["former_constituencies"]] == ["Aberdeen North"]


def test_no_data_loaded_is_404(db, client):
    response = api(client, "SW1A 0AA")
    assert response.status_code == 404
    assert response.json()["error"] == "no_data"


def test_only_get(seats, client):
    assert client.post("/api/postcodes/AB101PE/").status_code == 405


def test_constant_queries(seats, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert api(client, "AB10 1PE").status_code == 200
    with django_assert_max_num_queries(1):
        assert api(client, "GU7 9ZZ").status_code == 200
