"""Highest-averages allocation, thresholds, votes per MP and the Gallagher index, worked by hand (rules/pr.py)."""

import math

import pytest

from constituencies.rules import pr
from constituencies.rules.pr import (
    DHONDT,
    NATIONAL,
    REGIONAL,
    SAINTE_LAGUE,
    THRESHOLD_NATIONAL,
    THRESHOLD_REGIONAL,
    Area,
    Threshold,
    allocate,
    gallagher_index,
    highest_averages,
    votes_per_mp,
)

# The textbook example: 8 seats among four parties.
TEXTBOOK = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_dhondt_by_hand():
    # Averages: A 100k, 50k, 33.3k, 25k; B 80k, 40k, 26.7k; C 30k; D 20k. The eight largest:
    # 100k A, 80k B, 50k A, 40k B, 33.3k A, 30k C, 26.7k B, 25k A.
    assert highest_averages(TEXTBOOK, 8, DHONDT) == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_by_hand():
    # Divisors 1, 3, 5, 7: A 100k, 33.3k, 20k; B 80k, 26.7k, 16k; C 30k; D 20k. The eight largest:
    # 100k A, 80k B, 33.3k A, 30k C, 26.7k B, 20k A and 20k D, 16k B.
    assert highest_averages(TEXTBOOK, 8, SAINTE_LAGUE) == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_the_divisors():
    assert [pr.divisor(DHONDT, s) for s in range(4)] == [1, 2, 3, 4]
    assert [pr.divisor(SAINTE_LAGUE, s) for s in range(4)] == [1, 3, 5, 7]
    with pytest.raises(ValueError, match="unknown method"):
        highest_averages(TEXTBOOK, 8, "hare")


def test_a_tie_on_averages_goes_to_the_party_with_more_votes():
    # D'Hondt, 2 seats: Z 200 takes the first; then Z 200/2 = 100 ties A 100/1, and Z has more votes.
    assert highest_averages({"A": 100, "Z": 200}, 2, DHONDT) == {"A": 0, "Z": 2}


def test_a_tie_on_votes_too_goes_to_the_code_first_in_order_whatever_the_order_given():
    assert highest_averages({"B": 100, "A": 100}, 1, DHONDT) == {"A": 1, "B": 0}
    assert highest_averages({"A": 100, "B": 100}, 1, SAINTE_LAGUE) == {"A": 1, "B": 0}
    assert highest_averages({"B": 100, "A": 100}, 3, SAINTE_LAGUE) == {"A": 2, "B": 1}


def test_a_party_with_no_votes_gets_no_seat_even_with_seats_to_spare():
    assert highest_averages({"A": 10, "Zero": 0}, 3, DHONDT) == {"A": 3, "Zero": 0}
    assert highest_averages({"Zero": 0}, 3, SAINTE_LAGUE) == {"Zero": 0}
    assert highest_averages({"A": 10}, 0, DHONDT) == {"A": 0}


def test_large_numbers_compare_exactly():
    # Sainte-Laguë's second seat: Z's (3·10**17 + 2) / 3 is just below A's 10**17 + 1. In floats both are
    # 1e17, a tie that would go to Z, the party with more votes.
    votes = {"Z": 3 * 10**17 + 2, "A": 10**17 + 1}
    assert highest_averages(votes, 2, SAINTE_LAGUE) == {"Z": 1, "A": 1}


# -- Independents, the Speaker, thresholds, regions -----------------------------------------------------------


def test_independents_the_speaker_and_other_candidates_get_no_list_seats_but_count_in_the_total():
    area = Area("UK", 10, {"A": 600, "B": 300, "Ind": 2_000, "Spk": 500, "Oth": 400})
    result = allocate([area], DHONDT)
    assert result.seats == {"A": 7, "B": 3}  # every seat goes to a party: 600/300 is 2:1
    assert area.total_votes == 3_800
    # With a 10% threshold, B's 300 of 3,800 (7.9%) is too little: the independents' votes count in the total.
    assert allocate([area], DHONDT, threshold=Threshold(10)).seats == {"A": 10, "B": 0}


def test_a_party_exactly_at_the_threshold_qualifies_and_one_vote_short_does_not():
    area = Area("UK", 20, {"A": 950, "B": 50})  # B: exactly 5%
    assert allocate([area], SAINTE_LAGUE, threshold=Threshold(5)).seats["B"] == 1
    short = Area("UK", 20, {"A": 951, "B": 49})
    kept_out = allocate([short], SAINTE_LAGUE, threshold=Threshold(5))
    assert kept_out.seats == {"A": 20, "B": 0} and kept_out.below_threshold == {"B"}


def test_a_decimal_threshold_is_exact():
    area = Area("UK", 10, {"A": 967, "B": 33})  # B: 3.3% exactly, which 3.3 as a binary float is not
    assert "B" not in allocate([area], DHONDT, threshold=Threshold(3.3)).below_threshold
    assert "B" in allocate([area], DHONDT, threshold=Threshold(3.31)).below_threshold


NORTH = Area("North", 4, {"A": 500, "R": 450, "B": 50})  # R: 45% here
SOUTH = Area("South", 6, {"A": 600, "B": 400, "R": 0})  # R: none here
REGIONS = [NORTH, SOUTH]  # R: 450 of 2,000 = 22.5% nationally


def test_by_region_each_region_fills_its_own_seats():
    result = allocate(REGIONS, DHONDT, REGIONAL)
    assert result.by_area == {"North": {"A": 2, "R": 2, "B": 0}, "South": {"A": 4, "B": 2}}
    assert result.seats == {"A": 6, "R": 2, "B": 2} and result.total_seats == 10


def test_nationally_one_allocation_over_the_totals():
    # Totals A 1,100, R 450, B 450 for 10 seats: A 1100, 550, 366.7, 275, 220, 183.3...; R and B 450, 225, 150.
    # The ten largest: 1100 A, 550 A, 450 B, 450 R, 366.7 A, 275 A, 225 B, 225 R, 220 A, 183.3 A.
    result = allocate(REGIONS, DHONDT, NATIONAL)
    assert result.seats == {"A": 6, "R": 2, "B": 2}
    assert list(result.by_area) == [pr.UNITED_KINGDOM]


def test_a_regional_threshold_in_a_national_allocation_admits_a_party_strong_in_one_region():
    # A 30% threshold: R (22.5% nationally) reaches it in the North (45%); B (22.5%) reaches it nowhere (10%, 40%)...
    regional = allocate(REGIONS, DHONDT, NATIONAL, Threshold(30, THRESHOLD_REGIONAL))
    assert regional.seats["R"] > 0
    # ... B reaches 40% in the South, so it is in too; at 41%, only A and R.
    stricter = allocate(REGIONS, DHONDT, NATIONAL, Threshold(41, THRESHOLD_REGIONAL))
    assert stricter.seats == {"A": 7, "R": 3, "B": 0} and stricter.below_threshold == {"B"}
    national = allocate(REGIONS, DHONDT, NATIONAL, Threshold(30, THRESHOLD_NATIONAL))
    assert national.seats == {"A": 10, "R": 0, "B": 0} and national.below_threshold == {"R", "B"}


def test_a_national_threshold_in_a_regional_allocation_keeps_a_party_out_of_every_region():
    result = allocate(REGIONS, DHONDT, REGIONAL, Threshold(25, THRESHOLD_NATIONAL))
    assert result.by_area["North"] == {"A": 4}  # R's 45% in the North is not enough: 22.5% of the UK
    regional = allocate(REGIONS, DHONDT, REGIONAL, Threshold(25, THRESHOLD_REGIONAL))
    assert regional.by_area["North"] == {"A": 2, "R": 2} and regional.by_area["South"] == {"A": 4, "B": 2}


def test_seats_no_party_can_take_are_counted_unallocated():
    only_independents = Area("Island", 2, {"Ind": 900, "A": 100})
    result = allocate([only_independents, SOUTH], SAINTE_LAGUE, REGIONAL, Threshold(20, THRESHOLD_REGIONAL))
    assert result.by_area["Island"] == {} and result.unallocated == 2
    assert result.total_seats == 8 and sum(result.seats.values()) == 6


def test_thresholds_are_checked():
    for bad in (-1, 50.5, 100):
        with pytest.raises(ValueError, match="from 0 to 50"):
            Threshold(bad)
    with pytest.raises(ValueError, match="scope"):
        Threshold(5, "county")
    assert Threshold(50).applies and not Threshold(0).applies
    assert Threshold(5, THRESHOLD_REGIONAL).description == "A threshold of 5% of the vote in a region"
    assert Threshold().description == "No threshold"
    with pytest.raises(ValueError, match="allocation"):
        allocate(REGIONS, DHONDT, "county")


# -- Votes per MP and the Gallagher index -----------------------------------------------------------------------


def test_votes_per_mp_to_the_nearest_vote():
    assert votes_per_mp(9_708_716, 411) == 23_622  # Labour, 2024: 23,622.18
    assert votes_per_mp(5, 2) == 3  # 2.5: halves up
    assert votes_per_mp(7, 3) == 2
    assert votes_per_mp(1_000, 0) is None


def test_gallagher_by_hand():
    # Votes 60:40, seats 100:0: sqrt(½ (40² + 40²)) = 40.
    assert gallagher_index([(60, 10), (40, 0)], 100, 10) == pytest.approx(40)
    assert gallagher_index([(50, 5), (50, 5)], 100, 10) == 0
    # 50:30:20 of the votes, 60:40:0 of the seats: sqrt(½ (100 + 100 + 400)) = sqrt(300).
    assert gallagher_index([(50, 6), (30, 4), (20, 0)], 100, 10) == pytest.approx(math.sqrt(300))
    assert gallagher_index([], 0, 0) == 0


def test_how_entries_are_grouped_changes_the_index():
    # Two small seatless parties of 10% each as two entries, or one "other" of 20%: 10²+10² against 20².
    apart = gallagher_index([(80, 10), (10, 0), (10, 0)], 100, 10)
    together = gallagher_index([(80, 10), (20, 0)], 100, 10)
    assert apart == pytest.approx(math.sqrt(300)) and together == pytest.approx(math.sqrt(400))
