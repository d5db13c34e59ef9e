"""The alliance what-if's arithmetic (rules/what_if.py), on seats typed here: no database."""

from decimal import Decimal

import pytest

from constituencies.rules.arithmetic import Candidacy
from constituencies.rules.what_if import (
    SPEAKER,
    Seat,
    Standing,
    headline,
    house_rows,
    largest_party,
    prepare,
    run_scenario,
    seat_winner,
)

PROGRESSIVE = frozenset({"Lab", "LD", "Green", "SNP", "PC"})
NAMES = {"Con": "Conservative", "Lab": "Labour", "LD": "Liberal Democrats", "Spk": "Speaker"}


def seat(key, votes, winner=None, *, combined=0, tragedy=False):
    candidacies = tuple(Candidacy(party, n) for party, n in votes.items())
    if combined:
        candidacies += (Candidacy("Oth", combined, combined=True),)
    winner = winner or max(votes, key=votes.get)
    return Seat(key, key.title(), candidacies, winner, tragedy)


def winner_of(s, stand_aside=PROGRESSIVE, follow=100):
    return seat_winner(s, PROGRESSIVE, frozenset(stand_aside), Decimal(follow))[0]


def test_a_tragedy_flips_to_the_best_placed_progressive_when_the_others_stand_aside():
    s = seat("a", {"Con": 10_000, "Lab": 9_000, "LD": 3_000, "Green": 500})
    assert winner_of(s) == "Lab"
    winner, moved, lead = seat_winner(s, PROGRESSIVE, PROGRESSIVE, Decimal(100))
    assert (moved, lead) == (3_500_000, 2_500_000)  # thousandths of a vote: 3,500 move, Lab leads by 2,500


def test_only_the_parties_that_stand_aside_give_their_votes():
    s = seat("a", {"Con": 10_000, "Lab": 8_000, "LD": 1_500, "Green": 1_000})
    assert winner_of(s, {"LD"}) == "Con"  # 9,500 < 10,000
    assert winner_of(s, {"LD", "Green"}) == "Lab"  # 10,500


def test_follow_share_scales_the_votes_moved_exactly():
    s = seat("a", {"Con": 10_000, "Lab": 9_000, "LD": 2_000})
    assert winner_of(s, follow=50) == "Con"  # exactly level: 10,000 against 10,000, a tie, no gain
    assert winner_of(s, follow=Decimal("50.1")) == "Lab"  # 10,002
    assert winner_of(s, follow=Decimal("49.9")) == "Con"


def test_follow_zero_changes_nothing():
    seats = [seat("a", {"Con": 10_000, "Lab": 9_000, "LD": 3_000}, tragedy=True)]
    scenario = run_scenario(seats, PROGRESSIVE, PROGRESSIVE, 0)
    assert scenario.flips == [] and scenario.ties == [] and scenario.house == scenario.real_house


def test_a_tie_after_the_transfer_is_held_by_the_real_winner_and_reported():
    s = seat("tied", {"Con": 10_000, "Lab": 9_000, "LD": 1_000})
    scenario = run_scenario([s], PROGRESSIVE, PROGRESSIVE, 100)
    assert scenario.winners == {"tied": "Con"} and scenario.flips == [] and scenario.ties == [s]


def test_a_tie_in_the_real_result_keeps_its_declared_winner_when_nothing_moves():
    s = seat("a", {"Con": 10_000, "Lab": 10_000}, winner="Lab")  # the source named Labour
    assert winner_of(s) == "Lab"
    s = seat("b", {"Con": 10_000, "Lab": 10_000}, winner="Con")
    assert winner_of(s) == "Con"  # no one else stands: nothing moves


def test_a_seat_with_no_progressive_candidate_stays_as_it_was():
    s = seat("ni", {"DUP": 15_000, "SF": 14_000, "UUP": 3_000})
    assert winner_of(s) == "DUP"
    assert seat_winner(s, PROGRESSIVE, PROGRESSIVE, Decimal(100))[1] == 0


def test_a_standing_aside_party_that_is_itself_best_placed_stays_in():
    s = seat("ld-seat", {"Con": 12_000, "LD": 11_000, "Lab": 2_000})
    assert winner_of(s, {"LD", "Lab"}) == "LD"  # Labour stands aside for the Liberal Democrats
    assert winner_of(s, {"LD"}) == "Con"  # the Liberal Democrats are best placed: no one stands aside


def test_the_best_placed_party_is_the_arithmetic_s_even_when_it_does_not_stand_aside_anywhere():
    s = seat("a", {"Con": 10_000, "Green": 6_000, "Lab": 5_000})  # Green ahead of Labour here
    assert winner_of(s, {"Lab"}) == "Green"
    tie = seat("b", {"Con": 10_000, "Lab": 6_000, "LD": 6_000})  # level: the first by code, as arithmetic.py
    assert winner_of(tie) == "LD"


def test_a_combined_figure_for_other_candidates_never_wins_and_keeps_its_votes():
    s = seat("a", {"Con": 10_000, "Lab": 8_000, "LD": 2_500}, combined=11_000)
    assert winner_of(s) == "Lab"  # 10,500 beats Con's 10,000; Oth's 11,000 is no one candidate
    scenario = run_scenario([s], PROGRESSIVE, PROGRESSIVE)
    assert "Oth" not in scenario.house


def test_the_speaker_seat_is_the_speaker_s_and_never_the_largest_party():
    seats = [
        seat("chorley", {SPEAKER: 26_000, "Green": 3_000}),
        seat("a", {"Con": 10_000, "Lab": 9_000}),
        seat("b", {"Lab": 10_000, "Con": 9_000}),
        seat("c", {"Con": 10_000, "Lab": 5_000}),
    ]
    scenario = run_scenario(seats, PROGRESSIVE, PROGRESSIVE)
    assert scenario.house[SPEAKER] == 1 and scenario.winners["chorley"] == SPEAKER
    assert scenario.largest == Standing("Con", 2, 4)
    assert house_rows(scenario)[-1] == (SPEAKER, 1, 1)  # last, whatever its seats
    only_speaker = largest_party({SPEAKER: 1}, 1)
    assert only_speaker.party is None


def test_majority_counts_the_speaker_among_the_others_as_usually_reported():
    standing = Standing("Con", 365, 650)
    assert (standing.needed, standing.majority, standing.has_majority, standing.shortfall) == (
        326,
        80,
        True,
        0,
    )
    short = Standing("Con", 300, 650)
    assert (short.majority, short.has_majority, short.shortfall) == (-50, False, 26)
    assert Standing("Con", 326, 650).has_majority and not Standing("Con", 325, 650).has_majority


def many(con, lab, tragedies):
    """con safe Conservative seats, lab safe Labour, and `tragedies` Conservative seats that flip."""
    seats = [seat(f"con{i}", {"Con": 20_000, "Lab": 5_000}) for i in range(con)]
    seats += [seat(f"lab{i}", {"Lab": 20_000, "Con": 5_000}) for i in range(lab)]
    seats += [
        seat(f"t{i}", {"Con": 10_000, "Lab": 8_000, "LD": 4_000}, tragedy=True) for i in range(tragedies)
    ]
    return seats


def test_the_governing_party_loses_its_majority_and_the_headline_says_so():
    scenario = run_scenario(many(4, 3, 2), PROGRESSIVE, PROGRESSIVE)  # Con 6 of 9 -> 4
    assert scenario.governing == "Con" and scenario.governing_had_majority
    assert scenario.governing_seats == 4 and not scenario.governing_keeps_majority
    assert [f.seat.key for f in scenario.flips] == ["t0", "t1"]
    assert headline(scenario, NAMES) == (
        "The Conservative majority would not have survived: 4 seats, 1 short of the 5 needed for a majority "
        "of the 9 seats, and Labour would be the largest party with 5."
    )


def test_the_headline_when_the_majority_survives_smaller_or_unchanged():
    smaller = run_scenario(many(6, 1, 2), PROGRESSIVE, PROGRESSIVE)  # Con 8 of 9 -> 6
    assert smaller.governing_keeps_majority
    assert headline(smaller, NAMES) == (
        "The Conservative majority would have survived: 6 seats, a majority of 3 rather than 7."
    )
    unchanged = run_scenario(many(6, 1, 2), PROGRESSIVE, PROGRESSIVE, 10)
    assert headline(unchanged, NAMES) == (
        "The Conservative majority would have survived unchanged: 8 seats, a majority of 7."
    )


def test_the_headline_of_a_hung_parliament():
    scenario = run_scenario(many(3, 3, 2), PROGRESSIVE, PROGRESSIVE)  # Con 5 of 8: 5 needed; Lab 5
    assert scenario.real_largest == Standing("Con", 5, 8) and scenario.governing_had_majority
    hung = run_scenario(many(2, 3, 1), PROGRESSIVE, PROGRESSIVE)  # Con 3, Lab 3 of 6: none has 4 -> Lab 4
    assert not hung.governing_had_majority
    assert headline(hung, NAMES) == (
        "The largest party, Conservative, had no majority to lose (3 seats); here Labour would win one: "
        "4 seats, a majority of 2."
    )


def test_applies_to_limits_the_seats_and_counts_them():
    seats = many(1, 0, 3)
    scenario = run_scenario(seats, PROGRESSIVE, PROGRESSIVE, applies_to={"t0", "t2"})
    assert scenario.seats_considered == 2 and [f.seat.key for f in scenario.flips] == ["t0", "t2"]
    assert scenario.house == {"Con": 2, "Lab": 2} and scenario.total == 4


def test_bad_input_to_the_rules_is_refused():
    with pytest.raises(ValueError, match="not in the progressive bloc: Con"):
        run_scenario([], PROGRESSIVE, {"Con"})
    for bad in (-1, 101, Decimal("NaN")):
        with pytest.raises(ValueError, match="from 0 to 100"):
            run_scenario([], PROGRESSIVE, PROGRESSIVE, bad)


def test_seats_prepared_once_give_the_same_scenarios_as_the_bare_seats():
    seats = many(2, 2, 3) + [seat("ld", {"Con": 12_000, "LD": 11_000, "Lab": 2_000}, combined=500)]
    prepared = prepare(seats, PROGRESSIVE)
    assert prepared[-1].best == "LD" and prepared[-1].others == (("Lab", 2_000),)
    for stand_aside, follow in [(PROGRESSIVE, 100), ({"Lab"}, 70), ({"LD"}, 50), (set(), 100)]:
        bare = run_scenario(seats, PROGRESSIVE, stand_aside, follow)
        kept = run_scenario(seats, PROGRESSIVE, stand_aside, follow, prepared=prepared)
        assert (kept.winners, kept.flips, kept.house) == (bare.winners, bare.flips, bare.house)
