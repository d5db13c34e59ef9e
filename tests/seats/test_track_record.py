"""The track record (seats/track_record.py) and `manage.py backtest`: the advice of the day before, scored."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from constituencies.models import Election
from constituencies.seats.track_record import backtest, track_record
from tests.builders import import_seats, numbered_seat
from tests.projection_builders import add_projection

# Four made-up seats, as they stood in 2019 and what happened in 2024.
BEFORE = [
    numbered_seat("Labour Right", {"Con": 20_000, "Lab": 15_000, "LD": 3_000}, number=1),  # Lab named
    numbered_seat("Lib Dem Wrong", {"Con": 20_000, "LD": 14_000, "Lab": 4_000}, number=2),  # LD named
    numbered_seat("Safe Labour", {"Lab": 30_000, "Con": 5_000}, number=3),  # none needed
    numbered_seat("Too Close", {"Con": 20_000, "Lab": 10_000, "LD": 9_000}, number=4),  # too close
]
AFTER = [
    numbered_seat("Labour Right", {"Lab": 18_000, "Con": 15_000, "LD": 3_000}, number=1),
    numbered_seat("Lib Dem Wrong", {"Con": 16_000, "Lab": 12_000, "LD": 9_000}, number=2),
    numbered_seat("Safe Labour", {"Con": 16_000, "Lab": 15_000}, number=3),
    numbered_seat("Too Close", {"LD": 17_000, "Con": 16_000, "Lab": 6_000}, number=4),
]


@pytest.fixture
def two_elections(default_parties):
    import_seats("ge2019", BEFORE, year=2019, boundaries="2024")
    return import_seats("ge2024", AFTER)


def test_the_advice_of_the_day_before_is_scored_against_the_result(two_elections):
    record = backtest(Election.objects.select_related("boundary_set").get(slug="ge2024"))
    s = record.everywhere
    assert (s.advised, s.named, s.right, s.none_needed, s.too_close, s.not_applicable) == (4, 2, 1, 1, 1, 0)
    assert [(m.seat, m.named, m.actual) for m in s.wrong] == [("E14000002", "LD", "Lab")]
    assert s.none_needed_but_target_won == ("E14000003",)
    assert record.as_of == date(2024, 7, 3) and not record.has_northern_ireland


def test_the_command_prints_the_figures_and_the_wrong_picks(two_elections):
    out = StringIO()
    call_command("backtest", "ge2024", stdout=out)
    text = out.getvalue()
    assert "advice as of 2024-07-03" in text
    assert (
        "All seats: 4 seats advised; a party named in 2, right in 1 (50.0%); none needed 1; too close 1"
        in text
    )
    assert (
        "Lib Dem Wrong (E14000002): named Liberal Democrats, but Labour polled the most progressive votes"
        in text
    )
    assert "No tactical vote needed, but a target party won (1):\n    Safe Labour (E14000003)" in text


def test_the_command_refuses_what_it_cannot_score(two_elections):
    with pytest.raises(CommandError, match="There is no election nope. Loaded: ge2024, ge2019."):
        call_command("backtest", "nope")
    with pytest.raises(
        CommandError, match="Nothing on the 2024 constituency boundaries is dated before the 2019"
    ):
        call_command("backtest", "ge2019")
    Election.objects.create(
        slug="ge2029", name="2029 general election", date=date(2029, 5, 3), kind="general",
        boundary_set=two_elections.boundary_set,
    )  # fmt: skip
    with pytest.raises(
        CommandError, match="The 2029 general election has no results yet to compare the advice with"
    ):
        call_command("backtest", "ge2029")


@pytest.mark.parametrize("elections", [2, 3])
def test_the_track_record_covers_every_general_election_with_one_before_it_in_fixed_queries(
    default_parties, django_assert_num_queries, elections
):
    if elections == 3:
        import_seats("ge2017", BEFORE, year=2017, boundaries="2024")
    import_seats("ge2019", BEFORE, year=2019, boundaries="2024")
    import_seats("ge2024", AFTER)
    add_projection("An MRP", date(2024, 6, 1), {"E14000001": {"Lab": 50, "Con": 40, "LD": 10}})
    with django_assert_num_queries(9):
        records = track_record()
    assert [r.election.slug for r in records] == ["ge2024", "ge2019", "ge2017"][: elections - 1]
