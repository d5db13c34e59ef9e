"""The PR comparison over the demo (load_demo): the Green Party's and the Brexit Party's votes against their
seats in 2019, as published; and 2024 from the House of Commons Library's candidate file, every party apart."""

import pytest
from django.urls import reverse

from constituencies.seats import pr_votes


@pytest.fixture
def ge2019(demo_data, client):
    pr_votes.forget()
    body = client.get(reverse("constituencies:api_pr"), {"election": "ge2019"}).json()
    return {p["code"]: p for p in body["parties"]}


def test_the_greens_polled_865_715_votes_for_one_seat(ge2019):
    green = ge2019["Green"]
    assert (green["votes"], green["fptp_seats"], green["votes_per_mp"]) == (865_715, 1, 865_715)
    assert green["vote_share"] == 2.7
    # 2.7% of the votes is 17.6 seats in 650; nationally, without a threshold:
    assert green["seats_by_method"] == {"dhondt": 17, "sainte_lague": 18}


def test_the_brexit_party_polled_644_257_votes_and_won_no_seat(ge2019):
    brexit = ge2019["Brexit"]
    assert (brexit["votes"], brexit["fptp_seats"], brexit["votes_per_mp"]) == (644_257, 0, None)
    assert brexit["vote_share"] == 2.01  # 13.1 seats in 650
    assert brexit["seats_by_method"] == {"dhondt": 13, "sainte_lague": 13}


def test_2024_from_the_candidate_file_gives_the_published_gallagher_index_too(demo_data, client):
    body = client.get(reverse("constituencies:api_pr"), {"election": "ge2024"}).json()
    assert "Oth" not in {p["code"] for p in body["parties"]}  # every candidate under a party or "Ind"
    assert body["gallagher"]["fptp"] == 23.70
    parties = {p["code"]: p for p in body["parties"]}
    assert (parties["WPB"]["votes"], parties["Ind"]["votes"], parties["Ind"]["fptp_seats"]) == (
        210_252,
        564_042,
        6,
    )
