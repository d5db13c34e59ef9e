"""listings/advice.py: the advice for a listed election, reasoned once per seat data version in each process."""

import pytest

from constituencies.listings.advice import forget, listed_advice
from constituencies.models import Constituency, Party, RecommendationOverride
from tests.builders import import_seats, numbered_seats
from tests.query_counts import ADVICE_QUERIES, advised_seats


@pytest.mark.django_db(transaction=True)
def test_reasoned_once_until_the_data_changes(default_parties, django_assert_num_queries):
    forget()
    election = advised_seats(3)
    with django_assert_num_queries(1 + ADVICE_QUERIES):  # the seat data version, then the reasoning
        first = listed_advice(election)
    assert {pk: a.advice for pk, a in first.by_seat.items()} == {
        seat.pk: "none_needed" if seat.name == "Seat 001" else "Lab"
        for seat in Constituency.objects.filter(boundary_set_id=election.boundary_set_id)
    }
    with django_assert_num_queries(1):  # the version only
        assert listed_advice(election) is first

    seat = Constituency.objects.get(name="Seat 002")
    RecommendationOverride.objects.create(
        election=election, constituency=seat, recommended_party=Party.objects.get(code="LD"), reason="Local"
    )  # committed: a new seat data version
    again = listed_advice(election)
    assert again is not first
    assert (again.by_seat[seat.pk].advice, again.by_seat[seat.pk].reason) == ("LD", "Local")
    assert again.seat_ids("LD") == [seat.pk]
    forget()


def test_an_election_that_cannot_be_advised_on_has_no_advice_and_says_why(default_parties):
    election = import_seats("ge2024", numbered_seats(2))
    advice = listed_advice(election)
    assert advice.by_seat == {} and advice.seat_ids("none_needed") == []
    assert advice.unavailable.startswith(
        "Nothing on the 2024 constituency boundaries is dated before the 2024"
    )
