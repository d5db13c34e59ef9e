"""The what-if on the demo's real 2019 results (the uk-politics package): the campaign's claim reproduced."""

from django.http import QueryDict

from constituencies.listings.what_if import build_what_if
from constituencies.models import SeatAssessment
from tests.query_counts import WHAT_IF_QUERIES


def test_2019_with_the_defaults_every_tragedy_flips_and_the_conservative_majority_goes(demo_data, client):
    tragedies = SeatAssessment.objects.filter(election__slug="ge2019", is_tragedy=True)
    assert tragedies.count() == 65 and set(tragedies.values_list("winner__code", flat=True)) == {"Con"}

    what_if = build_what_if(QueryDict("election=ge2019"))
    scenario = what_if.scenario
    assert what_if.errors == {} and what_if.stand_aside == ["Green", "Lab", "LD", "PC", "SNP"]
    assert {flip.seat.key for flip in scenario.flips} == set(
        tragedies.values_list("constituency__slug", flat=True)
    )
    assert {flip.was for flip in scenario.flips} == {"Con"}
    assert (scenario.real_house["Con"], scenario.house["Con"]) == (365, 300)
    assert scenario.real_largest.majority == 80  # the majority as reported in 2019
    assert scenario.governing == "Con" and not scenario.governing_keeps_majority
    assert scenario.house["Spk"] == 1 and scenario.winners["chorley"] == "Spk"
    assert what_if.headline == (
        "The Conservative majority would not have survived: 300 seats, 26 short of the 326 needed for a "
        "majority of the 650 seats."
    )
    # Tragedies only gives the same answer: no other seat flips in 2019.
    assert build_what_if(QueryDict("election=ge2019&seats=tragedies")).scenario.house == scenario.house


def test_2019_at_half_and_seven_in_ten_following(demo_data):
    by_follow = {s.follow: s for s in build_what_if(QueryDict("election=ge2019")).side_by_side}
    assert [(int(f), len(s.flips), s.house["Con"]) for f, s in by_follow.items()] == [
        (50, 33, 332),
        (70, 42, 323),
        (100, 65, 300),
    ]
    assert by_follow[50].governing_keeps_majority and not by_follow[70].governing_keeps_majority


def test_the_page_and_the_api_for_650_seats_in_a_fixed_number_of_queries(
    demo_data, client, django_assert_num_queries
):
    with django_assert_num_queries(WHAT_IF_QUERIES):
        page = client.get("/what-if/", {"election": "ge2019"})
    assert page.status_code == 200 and "Seats that change hands (65)" in page.content.decode()
    with django_assert_num_queries(WHAT_IF_QUERIES):
        api = client.get("/api/what-if/", {"election": "ge2019", "stand_aside": "Lab,LD", "follow": "70"})
    body = api.json()
    assert body["governing_party"]["seats"] == 331 and body["governing_party"]["keeps_majority"]
