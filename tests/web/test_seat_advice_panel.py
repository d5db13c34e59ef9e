"""The seat page leads with the advice from the evidence (seats/advice.py), then shows each source."""

from datetime import date

import pytest
from django.urls import reverse

from constituencies.models import Constituency, Election, Party, RecommendationOverride
from tests.builders import GE2019_DAY, GODALMING, contest, load_election, small_ge2024
from tests.projection_builders import add_projection
from tests.web.test_voter_pages import SEAT_PAGE_MAX_QUERIES, text_of

JUNE_2024 = date(2024, 6, 20)
SAFE = ("E14001990", "Safe Town")
BELFAST_EAST = ("N05000001", "Belfast East")
CHORLEY = ("E14001991", "Chorley")


def notional(*contests):
    return load_election(
        "notional-ge2019-2024", GE2019_DAY, list(contests), kind=Election.Kind.NOTIONAL,
        name="2019 notional result on 2024 boundaries", check_names=False,
    )  # fmt: skip


@pytest.fixture
def seats(default_parties):
    ni = {"region": "Northern Ireland", "country": "Northern Ireland"}
    small_ge2024(
        contest(*SAFE, {"Lab": 30000, "Con": 6000, "LD": 3000, "Green": 2000}),
        contest(*BELFAST_EAST, {"DUP": 19894, "Alliance": 17218, "UUP": 4113, "Green": 1000}, **ni),
        contest(*CHORLEY, {"Spk": 25238, "Green": 3663, "Ind": 1000}),
    )
    # The Speaker held Chorley at the 2019 general election (on the older boundaries).
    load_election("ge2019", GE2019_DAY, [contest("E14000638", "Chorley", {"Spk": 26831, "Green": 3600})],
                  boundary_code="2010", check_names=False)  # fmt: skip
    notional(
        contest(*GODALMING[:2], {"Con": 29728, "LD": 19008, "Lab": 4964, "Green": 903}),
        contest(*SAFE, {"Lab": 28000, "Con": 8000, "LD": 3000, "Green": 2000}),
        contest(
            *BELFAST_EAST, {"DUP": 20874, "Alliance": 19819, "UUP": 2516, "Green": 900, "Con": 561}, **ni
        ),
        contest(*CHORLEY, {"Spk": 26831, "Green": 3600}),
    )


def page(client, slug, **params):
    response = client.get(reverse("constituencies:seat", args=[slug]), params)
    assert response.status_code == 200
    return response


def test_projections_that_agree_name_the_party_first(seats, client):
    add_projection(
        "YouGov MRP",
        JUNE_2024,
        {GODALMING[0]: {"LD": 42, "Con": 30, "Lab": 15, "RUK": 13}},
        publisher="YouGov",
    )
    add_projection("Survation MRP", JUNE_2024, {GODALMING[0]: {"LD": 40, "Con": 31, "Lab": 16, "RUK": 13}}, publisher="Survation")  # fmt: skip
    response = page(client, "godalming-and-ash")
    advice = response.context["page"].advice.advice
    assert (advice.advice, advice.party) == ("LD", "LD")
    text = text_of(response)
    assert "Our advice for the 2024 general election Back Liberal Democrats" in text
    assert text.index("Back Liberal Democrats") < text.index("How to make your vote count here")
    for label in ("YouGov MRP", "Survation MRP", "2019 notional result on 2024 boundaries"):
        assert label in text
    assert "20 June 2024" in text and "Points to: Liberal Democrats" in text


def test_projections_that_disagree_are_too_close_and_each_is_shown(seats, client):
    add_projection(
        "YouGov MRP",
        JUNE_2024,
        {GODALMING[0]: {"LD": 40, "Con": 30, "Lab": 18, "RUK": 12}},
        publisher="YouGov",
    )
    add_projection("Survation MRP", JUNE_2024, {GODALMING[0]: {"Lab": 40, "Con": 30, "LD": 18, "RUK": 12}}, publisher="Survation")  # fmt: skip
    response = page(client, "godalming-and-ash")
    assert response.context["page"].advice.advice.advice == "too_close"
    text = text_of(response)
    assert "Too close to call" in text
    sources = response.context["page"].advice.sources
    assert {s["label"]: s["points_to"] for s in sources if s["kind"] == "projection"} == {
        "YouGov MRP": "Liberal Democrats",
        "Survation MRP": "Labour",
    }


def test_a_safe_seat_needs_no_tactical_vote(seats, client):
    response = page(client, "safe-town")
    assert response.context["page"].advice.advice.advice == "none_needed"
    assert "No tactical vote needed: vote for the party you support" in text_of(response)


def test_northern_ireland_never_gets_a_green_recommendation_against_the_dup(seats, client):
    response = page(client, "belfast-east")
    advice = response.context["page"].advice.advice
    assert advice.advice in ("none_needed", "not_applicable") and advice.party is None
    text = text_of(response)
    assert "Back Green" not in text
    assert "best placed to beat the DUP" not in text  # the last result's own sentence would contradict it


def test_the_speakers_seat_is_not_applicable(seats, client):
    response = page(client, "chorley")
    assert response.context["page"].advice.advice.advice == "not_applicable"
    assert "Not applicable" in text_of(response)


def test_an_override_heads_the_panel_with_its_public_reason(seats, client):
    RecommendationOverride.objects.create(
        election=Election.objects.get(slug="ge2024"),
        constituency=Constituency.objects.get(ons_id=SAFE[0]),
        recommended_party=Party.objects.get(code="Green"),
        reason="The Labour candidate was suspended",
    )
    text = text_of(page(client, "safe-town"))
    assert "Back Green Party" in text or "Back Green" in text
    assert "Set by our editors: The Labour candidate was suspended" in text


def test_the_panel_costs_a_fixed_number_of_queries(seats, client, django_assert_max_num_queries):
    for n in (1, 3):
        add_projection(f"MRP {n}", JUNE_2024, {GODALMING[0]: {"LD": 40, "Con": 30, "Lab": 18, "RUK": 12}})
    with django_assert_max_num_queries(SEAT_PAGE_MAX_QUERIES):
        page(client, "godalming-and-ash")
    with django_assert_max_num_queries(SEAT_PAGE_MAX_QUERIES):
        page(client, "godalming-and-ash", election="notional-ge2019-2024")


def test_bad_election_still_gives_a_clear_page_not_a_500(seats, client):
    response = client.get(reverse("constituencies:seat", args=["godalming-and-ash"]), {"election": "<x>"})
    assert response.status_code == 404
