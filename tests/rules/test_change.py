"""Gain or hold and the swing between the top two: plain arithmetic, tested without a database."""

import pytest

from constituencies.rules import change
from constituencies.rules.explain import PartyRef

LAB = PartyRef("Lab", "Labour", "progressive")
LD = PartyRef("LD", "Liberal Democrats", "progressive")
CON = PartyRef("Con", "Conservative", "target")
RUK = PartyRef("RUK", "Reform UK", "target")
OTHERS = PartyRef("Oth", "Other candidates")
SPEAKER = PartyRef("Spk", "Speaker")


def test_a_different_winner_is_a_gain_and_the_same_one_a_hold():
    assert change.result_label(LAB, CON, "2019 general election") == "Labour gain from Conservative"
    assert change.result_label(RUK, CON, "2019 general election") == "Reform UK gain from Conservative"
    assert change.result_label(CON, CON, "2019 general election") == "Conservative hold"
    assert change.changed_hands("Lab", "Con") is True
    assert change.changed_hands("Con", "Con") is False


def test_nothing_can_be_said_without_a_previous_winner_or_with_one_known_only_as_other_candidates():
    assert change.changed_hands("Lab", None) is None
    assert change.changed_hands("Spk", "Oth") is None
    assert change.changed_hands("Oth", "Lab") is None
    label = change.result_label(SPEAKER, OTHERS, "2019 notional result on 2024 boundaries")
    assert label == (
        "Speaker won; the 2019 notional result on 2024 boundaries gives its winner only as other candidates, "
        "so we cannot say whether the seat changed hands."
    )


def test_butler_swing_is_half_the_winners_rise_minus_the_runner_ups():
    before = {"Con": 53.4, "LD": 34.1, "Lab": 9.0}
    after = {"Con": 42.6, "LD": 41.0, "Lab": 5.0}
    # ((42.6 - 53.4) - (41.0 - 34.1)) / 2 = (-10.8 - 6.9) / 2
    assert change.butler_swing("Con", "LD", before, after) == pytest.approx(-8.85)
    assert change.butler_swing("LD", "Con", before, after) == pytest.approx(8.85)


def test_the_swing_is_told_from_the_party_it_went_towards():
    before = {"Con": 53.4, "LD": 34.0}
    after = {"Con": 42.6, "LD": 41.0}
    swing = change.swing_between(CON, LD, before, after)  # the Conservatives held on, losing ground
    assert (swing.towards, swing.away_from) == (LD, CON)
    assert swing.points == pytest.approx(8.9)
    assert change.swing_sentence(swing, "2019 general election") == (
        "A swing of 8.9 percentage points from Conservative to Liberal Democrats since the 2019 general election."
    )
    gain = change.swing_between(LAB, CON, {"Lab": 30.0, "Con": 50.0}, {"Lab": 45.0, "Con": 25.0})
    assert (gain.towards, gain.away_from, gain.points) == (LAB, CON, 20.0)


def test_one_point_is_singular_and_an_equal_change_is_no_swing():
    one = change.swing_between(LAB, CON, {"Lab": 40.0, "Con": 40.0}, {"Lab": 41.0, "Con": 39.0})
    assert change.swing_sentence(one, "2017 general election").startswith(
        "A swing of 1.0 percentage point from"
    )
    level = change.swing_between(LAB, CON, {"Lab": 40.0, "Con": 40.0}, {"Lab": 45.0, "Con": 45.0})
    assert level.is_none
    assert change.swing_sentence(level, "2017 general election") == (
        "No swing between Labour and Conservative since the 2017 general election."
    )


def test_a_tie_now_still_has_a_winner_and_a_swing():
    # Tied on votes, the declared winner (by lot) is passed in; the swing is between the two all the same.
    before = {"Lab": 48.0, "Con": 42.0}
    after = {"Lab": 45.0, "Con": 45.0}
    assert change.result_label(CON, LAB, "2019 general election") == "Conservative gain from Labour"
    swing = change.swing_between(CON, LAB, before, after)
    assert (swing.towards, swing.points) == (CON, 3.0)


def test_a_party_absent_from_the_previous_contest_counts_as_0_percent_and_is_said():
    before = {
        "Con": 60.0,
        "Lab": 25.0,
        "Brexit": 0.0,
    }  # Reform UK did not stand; the Brexit Party is another party
    after = {"RUK": 40.0, "Con": 35.0, "Lab": 20.0}
    swing = change.swing_between(RUK, CON, before, after)
    assert (swing.towards, swing.points) == (RUK, pytest.approx((40.0 - (35.0 - 60.0)) / 2))
    assert change.absent_note([RUK, CON], before, "2019 general election") == (
        "Reform UK had no votes in the 2019 general election, so the swing counts its share there as 0%."
    )
    assert change.absent_note([CON, LAB], before, "2019 general election") == ""
    assert change.absent_note([RUK, LD], before, "x") == (
        "Reform UK and Liberal Democrats had no votes in the x, so the swing counts their shares there as 0%."
    )


def test_shares_and_the_side_by_side_rows_include_a_party_from_either_contest():
    now = change.shares({"Lab": 600, "Con": 300, "RUK": 100}, 1000)
    before = change.shares({"Con": 500, "Lab": 400, "Brexit": 100}, 1000)
    assert now == {"Lab": 60.0, "Con": 30.0, "RUK": 10.0}
    assert change.side_by_side(now, before) == [
        ("Lab", 60.0, 40.0),
        ("Con", 30.0, 50.0),
        ("RUK", 10.0, None),
        ("Brexit", None, 10.0),
    ]
    assert change.shares({}, 0) == {}
