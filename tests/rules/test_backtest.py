"""Scoring advice against what happened, without a database."""

import pytest

from constituencies.rules.arithmetic import Blocs
from constituencies.rules.backtest import Miss, best_progressive, score

BLOCS = Blocs(
    progressive=frozenset({"Lab", "LD", "Green", "SNP", "PC"}),
    target=frozenset({"Con", "RUK"}),
)
ACTUAL = {
    "A": {"Con": 200, "LD": 180, "Lab": 90},  # the Lib Dems polled the most progressive votes
    "B": {"Lab": 300, "Green": 250, "Con": 100},
    "C": {"Con": 300, "Lab": 120, "LD": 120},  # a tie between Labour and the Lib Dems
    "D": {"Con": 260, "Lab": 250},  # advised "no tactical vote needed", and the Conservatives won
    "E": {"Lab": 400, "Con": 100},
    "F": {"DUP": 300, "APNI": 250},
}


def test_counts_each_kind_of_advice_and_lists_the_wrong_picks():
    advice = {
        "A": "LD",
        "B": "Green",
        "C": "Lab",
        "D": "none_needed",
        "E": "too_close",
        "F": "not_applicable",
    }
    result = score(advice, ACTUAL, BLOCS)
    assert (result.advised, result.named, result.right) == (6, 3, 2)
    assert (result.none_needed, result.too_close, result.not_applicable) == (1, 1, 1)
    assert result.wrong == (Miss("B", "Green", "Lab"),)
    assert result.right_pct == pytest.approx(200 / 3)
    assert result.contested == 4  # named or too close: where the advice says the target bloc can win
    assert result.named_pct == 75.0
    assert result.none_needed_but_target_won == ("D",)


def test_only_seats_with_both_advice_and_a_result_are_scored():
    result = score({"A": "Lab", "Z": "Lab"}, ACTUAL, BLOCS)
    assert (result.advised, result.named, result.right) == (1, 1, 0)
    assert result.wrong == (Miss("A", "Lab", "LD"),)


def test_a_named_party_that_did_not_stand_is_wrong_and_nothing_scored_is_not_a_division_by_zero():
    result = score({"E": "Green"}, ACTUAL, BLOCS)
    assert result.wrong == (Miss("E", "Green", "Lab"),)
    empty = score({}, ACTUAL, BLOCS)
    assert (empty.right_pct, empty.named_pct) == (0.0, 0.0)


def test_best_progressive_ignores_other_parties():
    assert best_progressive({"Con": 500, "Green": 20, "LD": 30}, BLOCS) == "LD"
    assert best_progressive({"DUP": 300, "APNI": 250}, BLOCS) is None
