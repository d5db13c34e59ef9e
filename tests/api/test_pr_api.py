"""GET /api/pr/: the made-up seats of tests/web/test_pr_page.py as JSON, and each bad parameter a 400."""

import pytest
from django.urls import reverse

from constituencies.seats import pr_votes
from tests.builders import import_seats
from tests.pr_builders import SEATS
from tests.query_counts import PR_QUERIES


@pytest.fixture
def election(default_parties):
    pr_votes.forget()
    return import_seats("ge2024", SEATS)


def api(client, **params):
    return client.get(reverse("constituencies:api_pr"), params)


def test_seats_votes_shares_votes_per_mp_and_the_index(election, client):
    body = api(client, method="sainte_lague", by="region").json()
    assert (
        body["election"]["slug"] == "ge2024" and body["method"] == "sainte_lague" and body["by"] == "region"
    )
    assert body["total_votes"] == 150_000 and body["total_seats"] == 5 and body["regions"] == 2
    parties = {p["code"]: p for p in body["parties"]}
    assert [p["code"] for p in body["parties"]] == ["Lab", "SNP", "Con", "Spk", "Green", "Ind"]  # by votes
    assert {code: p["seats"] for code, p in parties.items()} == {
        "Lab": 1,
        "SNP": 2,
        "Con": 1,
        "Spk": 0,
        "Green": 1,
        "Ind": 0,
    }
    assert parties["Lab"]["seats_by_method"] == {"dhondt": 2, "sainte_lague": 1}
    assert parties["Lab"] | {"seats_by_method": None} == {
        "code": "Lab",
        "name": "Labour",
        "votes": 44_000,
        "vote_share": 29.33,
        "fptp_seats": 1,
        "fptp_seat_share": 20.0,
        "seats": 1,
        "seats_by_method": None,
        "seat_share": 20.0,
        "votes_per_mp": 44_000,
        "pr_votes_per_mp": 44_000,
        "gets_list_seats": True,
        "below_threshold": False,
    }
    assert parties["Green"]["votes_per_mp"] is None and parties["Green"]["pr_votes_per_mp"] == 13_000
    assert not parties["Spk"]["gets_list_seats"] and not parties["Ind"]["gets_list_seats"]
    assert body["gallagher"]["fptp"] == 13.25 and body["gallagher"]["pr"] == body["gallagher"]["sainte_lague"]
    assert body["threshold"] == {"percent": 0.0, "scope": None, "description": "No threshold"}
    assert body["unallocated_seats"] == 0 and "no list seats" in body["no_list_seats"]
    assert body["by_region"] == [
        {"region": "London", "seats": 3, "won": {"Con": 1, "Green": 1, "Lab": 1}},
        {"region": "Scotland", "seats": 2, "won": {"SNP": 2}},
    ]
    assert api(client).json()["by_region"] is None  # nationally
    assert client.get(reverse("constituencies:api_pr"))["Access-Control-Allow-Origin"] == "*"


def test_a_threshold_is_given_back_with_the_parties_it_kept_out(election, client):
    body = api(client, threshold="10", threshold_scope="national").json()
    assert body["threshold"] == {
        "percent": 10.0,
        "scope": "national",
        "description": "A threshold of 10% of the UK vote",
    }
    green = next(p for p in body["parties"] if p["code"] == "Green")
    assert green["below_threshold"] and green["seats"] == 0


@pytest.mark.parametrize(
    "params, field",
    [
        ({"election": "ge1066"}, "election"),
        ({"method": "hare"}, "method"),
        ({"by": "county"}, "by"),
        ({"threshold": "five"}, "threshold"),
        ({"threshold": "51"}, "threshold"),
        ({"threshold": "-0.5"}, "threshold"),
        ({"threshold_scope": "county"}, "threshold_scope"),
    ],
)
def test_each_bad_parameter_is_a_400_naming_it(election, client, params, field):
    response = api(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field] and body["error"] == body["errors"][field][0]
    assert str(next(iter(params.values()))) in body["error"]


def test_several_bad_parameters_are_all_named(election, client):
    body = api(client, method="x", by="y", threshold="z").json()
    assert set(body["errors"]) == {"method", "by", "threshold"}


def test_a_by_election_is_a_400(election, client):
    import_seats("by-lab-seat-2025", [SEATS[0]], year=2025, kind="by", boundaries="2024")
    response = api(client, election="by-lab-seat-2025")
    assert response.status_code == 400
    assert "no national allocation" in response.json()["errors"]["election"][0]


def test_nothing_loaded_is_a_404(default_parties, client):
    response = api(client)
    assert response.status_code == 404 and response.json()["error"] == "No general election is loaded yet."


def test_the_api_in_a_fixed_number_of_queries(election, client, django_assert_num_queries):
    with django_assert_num_queries(PR_QUERIES):
        assert api(client, by="region", threshold="5").json()["total_seats"] == 5
