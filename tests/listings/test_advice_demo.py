"""The advice filter on the demo's 650 real seats (the 2019 general election, advised from 2017's result): it
gives exactly the seats whose advice is the one asked for."""

from collections import defaultdict

from django.urls import reverse

from constituencies.models import Election
from constituencies.seats.advice import election_advice


def test_the_advice_filter_matches_the_advice_seat_for_seat(demo_data, client):
    election = Election.objects.select_related("boundary_set").get(slug="ge2019")
    computed = defaultdict(set)
    for seat in election_advice(election).seats:
        computed[seat.advice].add(seat.seat.slug)
    assert len(computed["none_needed"]) > 100 and computed["too_close"] and computed["LD"]  # a real mix
    for advice in ("none_needed", "too_close", "LD", "Lab", "not_applicable"):
        api = client.get(
            reverse("constituencies:api_seats"), {"election": "ge2019", "advice": advice, "page_size": "1000"}
        )
        assert {seat["slug"] for seat in api.json()["results"]} == computed[advice], advice
    page = client.get(reverse("constituencies:seat_list"), {"election": "ge2019", "advice": "none_needed"})
    assert page.context["summary"].seats == len(computed["none_needed"])
    assert {record.advice_label for record in page.context["records"]} == {"No tactical vote needed"}
