"""Which contest a result is compared with: the previous one on the same boundaries, never across a change."""

from datetime import date

import pytest

from constituencies.models import Election
from constituencies.seats.previous import previous_election, previous_result
from tests.builders import GODALMING, notional_godalming_2019, small_ge2024

GENERAL, NOTIONAL, BY = Election.Kind.GENERAL, Election.Kind.NOTIONAL, Election.Kind.BY_ELECTION
OLD, NEW = 1, 2  # boundary set ids


def election(slug, day, kind=GENERAL, boundaries=NEW):
    return Election(slug=slug, name=slug, date=day, kind=kind, boundary_set_id=boundaries)


GE2017 = election("ge2017", date(2017, 6, 8), boundaries=OLD)
GE2019 = election("ge2019", date(2019, 12, 12), boundaries=OLD)
NOTIONAL_2019 = election("notional-2019", date(2019, 12, 12), NOTIONAL)
BY_2021 = election("by-2021", date(2021, 7, 1), BY, boundaries=OLD)
BY_2023 = election("by-2023", date(2023, 7, 1), BY)
GE2024 = election("ge2024", date(2024, 7, 4))
GE2029 = election("ge2029", date(2029, 5, 3))
EVERY = [GE2017, GE2019, NOTIONAL_2019, BY_2021, BY_2023, GE2024, GE2029]


@pytest.mark.parametrize(
    ("shown", "elections", "expected"),
    [
        (GE2024, EVERY, NOTIONAL_2019),  # the notional result on the new boundaries, not 2019 on the old
        (GE2024, [GE2017, GE2019, BY_2023, GE2024], None),  # no notional result: never across the change
        (GE2029, EVERY, GE2024),  # a general election on the same boundaries, not the by-election between
        (GE2019, EVERY, GE2017),
        (BY_2021, EVERY, GE2019),  # a by-election is compared with the general election before it
        (NOTIONAL_2019, EVERY, None),  # nothing earlier on the new boundaries
        (GE2017, EVERY, None),
    ],
    ids=lambda value: getattr(value, "slug", None),
)
def test_the_previous_contest_is_the_latest_general_or_notional_one_before_it_on_the_same_boundaries(
    shown, elections, expected
):
    assert previous_election(shown, elections) is expected


def test_a_general_election_comes_before_a_notional_result_on_the_same_day():
    same_day = election("general-2019-new", date(2019, 12, 12))
    assert previous_election(GE2024, [NOTIONAL_2019, same_day]) is same_day


def test_one_seat_takes_two_queries_and_carries_the_previous_votes(
    default_parties, django_assert_num_queries
):
    ge2024 = small_ge2024()
    notional = notional_godalming_2019()
    godalming = ge2024.results.get(constituency__ons_id=GODALMING[0]).constituency
    with django_assert_num_queries(2):
        found = previous_result(godalming, ge2024)
        assert found.election == notional
        assert found.assessment.winner.code == "Con"
        assert [(c.party.code, c.votes) for c in found.candidacies] == [
            ("Con", 29728),
            ("LD", 19008),
            ("Lab", 4964),
            ("Green", 903),
        ]


def test_a_seat_without_a_result_in_the_previous_contest_has_none(default_parties):
    ge2024 = small_ge2024()
    notional = notional_godalming_2019()  # Godalming and Ash only
    aberdeen = ge2024.results.get(constituency__name="Aberdeen North").constituency
    found = previous_result(aberdeen, ge2024)
    assert (found.election, found.result, found.candidacies, found.assessment) == (notional, None, [], None)
