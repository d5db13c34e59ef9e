"""The election rules on small contests, without a database."""

import pytest

from constituencies.rules.arithmetic import (
    MARGINAL,
    SAFE,
    VERY_MARGINAL,
    Blocs,
    Candidacy,
    UnrankableContest,
    assess_seat,
    marginality_band,
)

BLOCS = Blocs(
    progressive=frozenset({"Lab", "LD", "Green", "SNP", "PC"}),
    target=frozenset({"Con", "RUK", "Brexit", "UKIP"}),
)


def test_batley_and_spen_2021_labour_hold_by_323():
    seat = assess_seat(
        [
            Candidacy("Lab", 13296, "Kim Leadbeater"),
            Candidacy("Con", 12973, "Ryan Stephenson"),
            Candidacy("WPB", 8264, "George Galloway"),
            Candidacy("LD", 1254),
            Candidacy("Oth", 1908),
        ],
        BLOCS,
        valid_votes=37695,
    )
    assert (seat.winner.party, seat.winner.name, seat.runner_up.party) == (
        "Lab",
        "Kim Leadbeater",
        "Con",
    )
    assert seat.majority == 323
    assert seat.majority_pct == pytest.approx(0.857, abs=0.001)
    assert seat.marginality == VERY_MARGINAL
    assert not seat.is_tragedy  # a progressive party won
    assert (seat.best_placed, seat.gap_to_win, seat.next_progressive) == ("Lab", 0, "LD")
    assert seat.lead_over_next_progressive == 13296 - 1254
    assert seat.lead_is_clear


def test_conservative_win_where_labour_and_lib_dems_together_polled_more_is_a_tragedy():
    seat = assess_seat([Candidacy("Con", 20000), Candidacy("Lab", 15000), Candidacy("LD", 9000)], BLOCS)
    assert seat.is_tragedy
    assert seat.progressive_total == 24000
    assert (seat.best_placed, seat.best_placed_votes, seat.gap_to_win) == ("Lab", 15000, 5000)
    assert seat.majority_pct == pytest.approx(100 * 5000 / 44000)
    assert seat.marginality == SAFE


def test_conservative_win_with_more_votes_than_all_progressives_is_not_a_tragedy():
    seat = assess_seat([Candidacy("Con", 20000), Candidacy("Lab", 12000), Candidacy("LD", 8000)], BLOCS)
    assert seat.progressive_total == 20000
    assert not seat.is_tragedy  # equal is not "more"


def test_reform_is_in_the_target_bloc():
    seat = assess_seat([Candidacy("RUK", 15000), Candidacy("Lab", 14000), Candidacy("Green", 3000)], BLOCS)
    assert seat.is_tragedy


def test_speakers_seat_is_assessed_and_never_a_tragedy():
    seat = assess_seat(
        [
            Candidacy("Spk", 25238, "Lindsay Hoyle"),
            Candidacy("Green", 4663),
            Candidacy("Oth", 4063),
        ],
        BLOCS,
    )
    assert seat.winner.party == "Spk"
    assert not seat.is_tragedy
    assert seat.best_placed == "Green"
    assert seat.gap_to_win == 25238 - 4663


def test_seat_with_no_progressive_candidate():
    seat = assess_seat([Candidacy("DUP", 15000), Candidacy("UUP", 9000), Candidacy("Con", 500)], BLOCS)
    assert seat.progressive_total == 0
    assert seat.best_placed is None
    assert seat.gap_to_win == 0
    assert not seat.is_tragedy
    assert not seat.lead_is_clear


def test_tie_without_a_declared_winner_is_flagged_and_not_called_a_tragedy():
    seat = assess_seat([Candidacy("Con", 10000), Candidacy("Lab", 10000), Candidacy("LD", 3000)], BLOCS)
    assert seat.is_tie
    assert seat.majority == 0
    assert seat.marginality == VERY_MARGINAL
    assert not seat.is_tragedy


def test_tie_settled_by_the_declared_winner():
    seat = assess_seat(
        [Candidacy("Lab", 10000), Candidacy("Con", 10000), Candidacy("LD", 3000)],
        BLOCS,
        declared_winner="Con",
    )
    assert not seat.is_tie
    assert (seat.winner.party, seat.runner_up.party) == ("Con", "Lab")
    assert seat.is_tragedy


def test_declared_winner_does_not_override_a_clear_count():
    seat = assess_seat([Candidacy("Lab", 10001), Candidacy("Con", 10000)], BLOCS, declared_winner="Con")
    assert seat.winner.party == "Lab"


def test_lead_within_two_points_is_unclear():
    seat = assess_seat(
        [Candidacy("Con", 20000), Candidacy("LD", 15000), Candidacy("Lab", 14500)],
        BLOCS,
        valid_votes=50000,
    )
    assert seat.best_placed == "LD"
    assert seat.next_progressive == "Lab"
    assert seat.lead_over_next_progressive_pct == pytest.approx(1.0)
    assert not seat.lead_is_clear


def test_lead_of_more_than_two_points_is_clear():
    seat = assess_seat(
        [Candidacy("Con", 20000), Candidacy("LD", 16500), Candidacy("Lab", 15000)],
        BLOCS,
        valid_votes=51500,
    )
    assert seat.lead_is_clear


def test_combined_minor_candidates_are_never_winner_or_runner_up():
    seat = assess_seat(
        [Candidacy("Lab", 10000), Candidacy("Oth", 12000, combined=True), Candidacy("Con", 9000)],
        BLOCS,
        declared_winner="Lab",  # as the House of Commons Library file names the first party
    )
    assert (seat.winner.party, seat.runner_up.party, seat.majority) == ("Lab", "Con", 1000)


def test_a_combined_figure_larger_than_every_named_candidate_is_not_ranked_and_the_seat_not_assessed():
    # Chorley's 2019 notional result: "other" (the Speaker and the rest, 36,270) against the Greens' 3,600.
    chorley = [Candidacy("Green", 3600), Candidacy("Oth", 36270, combined=True)]
    with pytest.raises(UnrankableContest, match="Green has the most votes of the named candidates"):
        assess_seat(chorley, BLOCS)


def test_a_declared_winner_vouches_for_the_named_leader_over_a_larger_combined_figure():
    seat = assess_seat(
        [Candidacy("Ind", 5000), Candidacy("Lab", 4000), Candidacy("Oth", 6000, combined=True)],
        BLOCS,
        declared_winner="Ind",
    )
    assert (seat.winner.party, seat.runner_up.party) == ("Ind", "Lab")


@pytest.mark.parametrize(
    ("majority", "valid", "band"),
    [
        (0, 100, VERY_MARGINAL),
        (499, 10000, VERY_MARGINAL),
        (500, 10000, MARGINAL),
        (999, 10000, MARGINAL),
        (1000, 10000, SAFE),
    ],
)
def test_marginality_thresholds(majority, valid, band):
    assert marginality_band(majority, valid) == band


def test_a_contest_needs_a_candidate():
    with pytest.raises(ValueError, match="at least one candidate"):
        assess_seat([], BLOCS)
