"""The recommendation wording: a pure function, tested without a database."""

import pytest

from constituencies.rules import explain
from constituencies.rules.explain import PartyRef, SeatFacts, party_phrase, possessive, recommend, votes

LAB = PartyRef("Lab", "Labour", "progressive")
LD = PartyRef("LD", "Liberal Democrats", "progressive")
GREEN = PartyRef("Green", "Green Party", "progressive")
SNP = PartyRef("SNP", "Scottish National Party", "progressive")
CON = PartyRef("Con", "Conservative", "target")
RUK = PartyRef("RUK", "Reform UK", "target")
SPEAKER = PartyRef("Spk", "Speaker")
DUP = PartyRef("DUP", "Democratic Unionist Party")
SF = PartyRef("SF", "Sinn Féin")


def facts(**overrides):
    base = {
        "election_name": "2019 general election",
        "winner": CON,
        "winner_votes": 20000,
        "runner_up": LAB,
        "runner_up_votes": 19980,
        "majority": 20,
        "majority_pct": 0.05,
        "progressive_total": 19980 + 4415,
        "is_tragedy": True,
        "best_placed": LAB,
        "best_placed_votes": 19980,
        "best_placed_position": 2,
        "gap_to_win": 20,
        "next_progressive": LD,
        "lead_over_next_progressive": 15565,
        "lead_over_next_progressive_pct": 38.0,
        "lead_is_clear": True,
    }
    base.update(overrides)
    return SeatFacts(**base)


def test_the_issue_example_word_for_word():
    rec = recommend(facts(is_tragedy=False, progressive_total=19980 + 4415))
    assert rec.text == (
        "Labour is best placed to beat the Conservatives here: they came second, 20 votes behind. "
        "The other progressive parties together won 4,415 votes."
    )
    assert rec.party == LAB and rec.clear


def test_a_tragedy_says_so_with_the_numbers():
    rec = recommend(facts())
    assert rec.reasoning[-1] == (
        "Together the progressive parties won 24,395 votes, more than the Conservatives' 20,000: "
        "a progressive tragedy."
    )


def test_plural_party_names_take_are():
    rec = recommend(
        facts(
            runner_up=LD,
            best_placed=LD,
            best_placed_votes=22402,
            winner_votes=23293,
            gap_to_win=891,
            progressive_total=26393,
            next_progressive=LAB,
        )
    )
    assert rec.headline == (
        "The Liberal Democrats are best placed to beat the Conservatives here: they came second, 891 votes behind."
    )
    assert rec.reasoning[0] == "The other progressive parties together won 3,991 votes."


def test_third_place_names_who_came_second():
    rec = recommend(
        facts(winner=RUK, runner_up=CON, best_placed_position=3, gap_to_win=5000, is_tragedy=False)
    )
    assert (
        rec.headline == "Labour is best placed to beat Reform UK here: they came third, 5,000 votes behind."
    )
    assert "The Conservatives came second." in rec.reasoning


def test_an_unclear_lead_is_not_dressed_up_as_certainty():
    rec = recommend(
        facts(
            best_placed_votes=12000,
            gap_to_win=8000,
            lead_over_next_progressive=500,
            lead_over_next_progressive_pct=1.2,
            lead_is_clear=False,
            next_progressive=LD,
            progressive_total=23500,
            is_tragedy=True,
        )
    )
    assert rec.party is None and not rec.clear
    assert rec.headline == (
        "It is not clear which progressive party is best placed to beat the Conservatives here: "
        "Labour and the Liberal Democrats finished within 2 percentage points of each other."
    )
    assert rec.reasoning[0] == (
        "Labour won 12,000 votes and the Liberal Democrats 11,500, a difference of 500 votes "
        "(1.2% of the votes cast)."
    )
    assert rec.reasoning[1] == "Labour came second, 8,000 votes behind the Conservatives."
    assert "best placed to beat" not in " ".join(rec.reasoning)


def test_a_progressive_winner_is_best_placed_to_hold_against_the_conservatives():
    rec = recommend(
        facts(
            winner=LAB,
            winner_votes=13296,
            runner_up=CON,
            runner_up_votes=12973,
            majority=323,
            majority_pct=0.857,
            best_placed=LAB,
            best_placed_votes=13296,
            best_placed_position=1,
            gap_to_win=0,
            progressive_total=13296 + 1254,
            is_tragedy=False,
        )
    )
    assert rec.headline == (
        "Labour is best placed to hold this seat: they won it by 323 votes (0.9%) over the Conservatives."
    )
    assert rec.reasoning == (
        "Backing Labour is the way to keep the Conservatives out; the other progressive parties together won 1,254 votes.",
    )


def test_a_progressive_winner_with_no_other_progressive_candidate():
    rec = recommend(
        facts(winner=LAB, winner_votes=13296, runner_up=CON, runner_up_votes=12973, majority=323,
              majority_pct=0.857, best_placed=LAB, best_placed_votes=13296, best_placed_position=1,
              gap_to_win=0, progressive_total=13296, is_tragedy=False, next_progressive=None)
    )  # fmt: skip
    assert rec.reasoning == (
        "Backing Labour is the way to keep the Conservatives out.",
        "No other progressive party stood.",
    )
    assert "0 votes" not in rec.text


def test_the_unclear_lead_threshold_is_the_one_the_arithmetic_uses(monkeypatch):
    monkeypatch.setattr(explain, "UNCLEAR_LEAD_WITHIN_POINTS", 3)
    rec = recommend(
        facts(lead_over_next_progressive=500, lead_over_next_progressive_pct=2.5, lead_is_clear=False)
    )
    assert "finished within 3 percentage points of each other." in rec.headline


def test_a_progressive_winner_with_a_progressive_runner_up():
    rec = recommend(
        facts(
            winner=SNP,
            winner_votes=14533,
            runner_up=LAB,
            majority=1760,
            majority_pct=4.18,
            best_placed=SNP,
            best_placed_position=1,
            gap_to_win=0,
            is_tragedy=False,
        )
    )
    assert rec.headline.startswith(
        "The SNP is best placed to hold this seat: they won it by 1,760 votes (4.2%) over Labour."
    )
    assert "also a progressive party" in rec.reasoning[0]


def test_the_speakers_seat_without_a_progressive_candidate():
    rec = recommend(
        facts(winner=SPEAKER, runner_up=PartyRef("Ind", "Independent"), best_placed=None, best_placed_votes=0,
              best_placed_position=None, progressive_total=0, is_tragedy=False, next_progressive=None)
    )  # fmt: skip
    assert rec.headline.startswith("This is the Speaker's seat")
    assert rec.party is None


def test_the_speakers_seat_where_the_greens_stood():
    rec = recommend(
        facts(winner=SPEAKER, runner_up=GREEN, best_placed=GREEN, best_placed_votes=4663, gap_to_win=20575,
              progressive_total=4663, is_tragedy=False, next_progressive=None, lead_is_clear=True)
    )  # fmt: skip
    assert (
        rec.headline
        == "The Greens are best placed to beat the Speaker here: they came second, 20,575 votes behind."
    )
    assert rec.reasoning[0] == "No other progressive party stood."
    assert "by convention" in rec.reasoning[-1]


def test_no_progressive_party_stood():
    rec = recommend(
        facts(winner=DUP, runner_up=SF, best_placed=None, best_placed_votes=0, best_placed_position=None,
              progressive_total=0, is_tragedy=False, next_progressive=None)
    )  # fmt: skip
    assert rec.headline == (
        "No progressive party stood here in the 2019 general election, so there is no progressive candidate to back."
    )


def test_without_a_known_position_it_still_reads_well():
    rec = recommend(facts(best_placed_position=None, is_tragedy=False))
    assert (
        rec.headline == "Labour is best placed to beat the Conservatives here: they finished 20 votes behind."
    )


def test_a_tie_makes_no_call():
    rec = recommend(facts(is_tie=True, majority=0))
    assert "tied on 20,000 votes" in rec.headline
    assert rec.party is None


def test_notional_results_carry_a_caveat():
    rec = recommend(facts(election_name="2019 notional result on 2024 boundaries", is_notional=True))
    assert "estimate" in rec.caveat
    assert recommend(facts()).caveat == ""


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        (PartyRef("Yrks", "Yorkshire Party"), ("the Yorkshire Party", False)),
        (PartyRef("FBM", "For Britain Movement"), ("For Britain Movement", False)),
        (PartyRef("X", ""), ("X", False)),
        (CON, ("the Conservatives", True)),
    ],
)
def test_party_phrases(party, expected):
    assert party_phrase(party) == expected


def test_possessives_and_counts():
    assert possessive(CON) == "the Conservatives'"
    assert possessive(RUK) == "Reform UK's"
    assert votes(1) == "1 vote"
    assert votes(12345) == "12,345 votes"


def test_where_even_all_the_progressive_votes_fell_short_it_says_so():
    # Richmond and Northallerton, 2024 (House of Commons Library figures).
    rec = recommend(
        facts(
            election_name="2024 general election",
            winner_votes=23059,
            runner_up_votes=10874,
            majority=12185,
            majority_pct=25.11,
            progressive_total=10874 + 4322 + 2058,
            is_tragedy=False,
            best_placed_votes=10874,
            gap_to_win=12185,
            lead_over_next_progressive=10874 - 4322,
            valid_votes=48526,
            strongest_target=CON,
            strongest_target_votes=23059,
        )
    )
    assert rec.text == (
        "Labour is best placed to beat the Conservatives here: they came second, 12,185 votes behind. "
        "The other progressive parties together won 6,380 votes. "
        "Even together the progressive parties won 17,254 votes, 5,805 fewer than the Conservatives' 23,059."
    )


def test_a_tragedy_is_not_also_called_short():
    rec = recommend(facts())  # 24,395 progressive votes against 20,000
    assert not any(sentence.startswith("Even together") for sentence in rec.reasoning)


ABERDEEN_SOUTH_2024 = {
    "election_name": "2024 general election",
    "winner": SNP,
    "winner_votes": 15213,
    "runner_up": LAB,
    "runner_up_votes": 11455,
    "majority": 3758,
    "majority_pct": 8.11,
    "progressive_total": 15213 + 11455 + 2921 + 1609,
    "is_tragedy": False,
    "best_placed": SNP,
    "best_placed_votes": 15213,
    "best_placed_position": 1,
    "gap_to_win": 0,
    "valid_votes": 46345,
}


def test_a_target_party_close_behind_a_progressive_runner_up_is_not_dismissed():
    # Aberdeen South, 2024: the Conservatives 11,300, 3,913 behind the SNP (8.4% of the votes cast: marginal).
    rec = recommend(SeatFacts(**ABERDEEN_SOUTH_2024, strongest_target=CON, strongest_target_votes=11300))
    assert rec.reasoning == (
        "The runner-up, Labour, is also a progressive party, but the Conservatives are close behind: "
        "155 votes behind Labour and 3,913 votes behind the SNP.",
    )


def test_a_target_party_far_behind_a_progressive_runner_up_is_not_the_one_to_beat():
    # The same seat with the Conservatives on 10,500: 4,713 behind, 10.2% of the votes cast, which is safe.
    rec = recommend(SeatFacts(**ABERDEEN_SOUTH_2024, strongest_target=CON, strongest_target_votes=10500))
    assert rec.reasoning == (
        "The runner-up, Labour, is also a progressive party, so the Conservatives and Reform are not the ones "
        "to beat here.",
    )
