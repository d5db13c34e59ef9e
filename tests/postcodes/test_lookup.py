"""The postcode look-up service: local directory, boundaries, splits and every specific failure."""

from datetime import date

import pytest

from constituencies.models import Election
from constituencies.postcodes.lookup import AREA_COVERED_FROM, Outcome, lookup_postcode
from constituencies.rules.postcodes import normalise_postcode
from tests.builders import (
    ABERDEEN_NORTH,
    GE2019_DAY,
    GODALMING,
    add_postcode,
    contest,
    cover_area,
    load_election,
    small_ge2024,
)

AB_NORTH, GODALMING_ID = ABERDEEN_NORTH[0], GODALMING[0]


@pytest.fixture
def seats(default_parties):
    return small_ge2024()


@pytest.mark.parametrize("typed", ["ab101pe", " AB10 1PE ", "Ab10  1pe", "AB10-1PE", "ab10\t1pe\n"])
def test_any_reasonable_typing_resolves(seats, typed):
    add_postcode("AB10 1PE", AB_NORTH)  # real: ONSPD August 2024, Aberdeen North
    result = lookup_postcode(typed)
    assert result.outcome is Outcome.FOUND
    assert result.postcode == "AB10 1PE"
    assert [c.name for c in result.constituencies] == ["Aberdeen North"]
    assert result.source == "directory" and not result.is_split
    assert result.text == typed  # what the person typed is kept for the form


def test_a_found_postcode_costs_one_query(seats, django_assert_num_queries):
    add_postcode("AB10 1PE", AB_NORTH)
    with django_assert_num_queries(1):
        result = lookup_postcode("AB10 1PE")
        assert result.constituencies[0].boundary_set.code == "2024"


def test_a_split_postcode_offers_every_constituency(seats):
    # A postcode with a row for each of two constituencies (made up for the test).
    add_postcode("GU7 9ZZ", GODALMING_ID)
    add_postcode("GU7 9ZZ", AB_NORTH)
    result = lookup_postcode("gu79zz")
    assert result.outcome is Outcome.FOUND and result.is_split
    assert [c.name for c in result.constituencies] == ["Aberdeen North", "Godalming and Ash"]


def test_retired_postcode_says_when_and_where_it_was(seats):
    add_postcode("AB1 1LD", AB_NORTH, terminated_on=date(1996, 6, 1))  # real: retired June 1996
    result = lookup_postcode("AB1 1LD")
    assert result.outcome is Outcome.TERMINATED
    assert result.terminated_on == date(1996, 6, 1)
    assert [c.name for c in result.constituencies] == ["Aberdeen North"]
    assert result.message.startswith("AB1 1LD is no longer in use: Royal Mail retired it in June 1996.")


def test_a_live_row_wins_over_a_retired_one(seats):
    add_postcode("AB10 1PE", AB_NORTH)
    add_postcode("AB10 1PE", GODALMING_ID, terminated_on=date(2001, 1, 1))
    result = lookup_postcode("AB10 1PE")
    assert result.outcome is Outcome.FOUND
    assert [c.name for c in result.constituencies] == ["Aberdeen North"]


def test_a_typing_slip_gets_the_postcode_it_looks_like_and_whether_we_hold_it(seats):
    add_postcode("AB10 1PE", AB_NORTH)
    held = lookup_postcode("ab1o ipe")
    assert (held.outcome, held.postcode, held.suggestion, held.suggestion_in_directory) == (
        Outcome.NOT_A_POSTCODE,
        None,
        "AB10 1PE",
        True,
    )
    assert (
        held.message
        == "“ab1o ipe” is not a UK postcode. Did you mean AB10 1PE? It is in our postcode directory."
    )
    not_held = lookup_postcode("SWIA OAA")
    assert (not_held.suggestion, not_held.suggestion_in_directory) == ("SW1A 0AA", False)
    assert not_held.message == "“SWIA OAA” is not a UK postcode. Did you mean SW1A 0AA?"
    add_postcode("AB1 1LD", AB_NORTH, terminated_on=date(1996, 6, 1))
    retired = lookup_postcode("AB1 ILD")  # held, but no longer in use
    assert (retired.suggestion, retired.suggestion_in_directory) == ("AB1 1LD", False)


@pytest.mark.parametrize("typed", ["", "   ", "hello", "12345", "SW1A", "SW1A 0CA", "SW1A 0AAA", "Z Z", "∞"])
def test_not_a_postcode(seats, typed):
    result = lookup_postcode(typed)
    assert result.outcome is Outcome.NOT_A_POSTCODE
    assert result.postcode is None
    assert ("is not a UK postcode" in result.message) or ("Enter your postcode" in result.message)
    assert result.suggestion is None and "Did you mean" not in result.message


def test_a_well_formed_postcode_we_do_not_know(seats, django_assert_num_queries):
    cover_area("ZE3", AB_NORTH)  # the directory covers the ZE area
    with django_assert_num_queries(2):  # the directory, then whether it covers the area
        result = lookup_postcode("ZE1 0AA")
    assert result.outcome is Outcome.UNKNOWN and result.directory_covers_area
    assert result.message.startswith("We could not find the postcode ZE1 0AA. Check it against a letter")


@pytest.mark.parametrize("held", [0, 3, AREA_COVERED_FROM - 1])
def test_a_postcode_in_an_area_our_directory_does_not_cover_is_our_gap_not_the_voters(seats, held):
    cover_area("ZE3", AB_NORTH, count=held)  # none, the demo's handful, or just too few
    result = lookup_postcode("ZE1 0AA")
    assert result.outcome is Outcome.UNKNOWN and not result.directory_covers_area
    coverage = "covers only a few" if held else "does not cover"
    assert result.message == (
        f"We cannot look up ZE1 0AA yet: our postcode directory {coverage} ZE postcodes. "
        "Search for your constituency by name instead."
    )


def test_coverage_counts_only_the_postcodes_own_area(seats):
    """S (Sheffield) is not SW or SE: their postcodes do not make the directory cover S."""
    cover_area("SW1A", AB_NORTH)
    cover_area("SE1", AB_NORTH)
    assert not lookup_postcode("S1 2HH").directory_covers_area
    assert lookup_postcode("SW1A 9ZZ").directory_covers_area
    assert lookup_postcode("SE1 9ZZ").directory_covers_area


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("JE2 4WD", "Jersey"),
        ("gy1 1aa", "Guernsey"),
        ("IM1 1AA", "the Isle of Man"),
        ("GX11 1AA", "Gibraltar"),
        ("ASCN 1ZZ", "Ascension Island"),
        ("fiqq1zz", "the Falkland Islands"),
        ("BF1 4FB", "the British Forces Post Office"),
    ],
)
def test_postcodes_outside_great_britains_constituencies(seats, typed, place):
    result = lookup_postcode(typed)
    assert result.outcome is Outcome.OUTSIDE
    assert result.place == place
    assert place in result.message and "no Westminster seat" in result.message


def test_northern_ireland_postcode_not_in_the_directory(seats):
    result = lookup_postcode("BT1 5GS")
    assert result.outcome is Outcome.OUTSIDE and result.place == "Northern Ireland"
    assert "covers Great Britain only" in result.message


@pytest.mark.parametrize(
    ("held", "message"),
    [
        (AREA_COVERED_FROM, "We could not find the postcode BT1 5GS. Check it against a letter"),
        (1, "We cannot look up BT1 5GS yet: our postcode directory covers only a few BT postcodes."),
    ],
    ids=["full-onspd", "a-few"],
)
def test_an_unknown_northern_ireland_postcode_when_the_directory_holds_some(default_parties, held, message):
    """The full ONSPD includes Northern Ireland: an unknown BT postcode is then just unknown."""
    small_ge2024(
        contest("N05000001", "Belfast East", {"APNI": 19894, "DUP": 17218}, country="Northern Ireland")
    )
    cover_area("BT4", "N05000001", count=held)  # made up for the test
    result = lookup_postcode("BT1 5GS")
    assert result.outcome is Outcome.UNKNOWN
    assert result.message.startswith(message)
    assert "Great Britain only" not in result.message


def test_northern_ireland_postcode_in_the_directory_resolves(default_parties):
    small_ge2024(
        contest("N05000001", "Belfast East", {"APNI": 19894, "DUP": 17218}, country="Northern Ireland")
    )
    add_postcode("BT4 1AA", "N05000001")  # made up for the test
    result = lookup_postcode("BT4 1AA")
    assert result.outcome is Outcome.FOUND and result.constituencies[0].name == "Belfast East"


def test_birmingham_is_not_northern_ireland(seats):
    assert lookup_postcode("B1 1BB").outcome is Outcome.UNKNOWN


def test_no_results_loaded_at_all(db):
    result = lookup_postcode("SW1A 0AA")
    assert result.outcome is Outcome.NO_DATA
    assert "no election results loaded" in result.message


def test_resolves_on_the_boundaries_of_the_latest_general_election(default_parties):
    """AB10 1AB really moved from Aberdeen North (2010 boundaries) to Aberdeen South (2024), per ONSPD."""
    load_election(
        "ge2019",
        GE2019_DAY,
        [contest("S14000001", "Aberdeen North", {"SNP": 20205, "Lab": 7689}, country="Scotland")],
        boundary_code="2010",
    )
    add_postcode("AB10 1AB", "S14000001", boundary_code="2010")
    assert lookup_postcode("AB10 1AB").constituencies[0].ons_id == "S14000001"

    # A by-election on the old boundaries does not make them current again.
    load_election(
        "by-aberdeen-2023",
        date(2023, 1, 1),
        [contest("S14000001", "Aberdeen North", {"SNP": 100, "Lab": 90}, country="Scotland")],
        boundary_code="2010",
        kind=Election.Kind.BY_ELECTION,
        name="made-up by-election",
    )
    load_election(
        "ge2024",
        date(2024, 7, 4),
        [contest("S14000061", "Aberdeen South", {"SNP": 15213, "Lab": 11455}, country="Scotland")],
    )
    add_postcode("AB10 1AB", "S14000061")
    result = lookup_postcode("AB10 1AB")
    assert [(c.name, c.boundary_set.code) for c in result.constituencies] == [("Aberdeen South", "2024")]


def test_the_remote_provider_is_not_asked_when_switched_off(seats, settings):
    settings.SEATFINDER_POSTCODES_IO_URL = "http://127.0.0.1:9"  # nothing listens: a call would fail
    assert lookup_postcode("ZE1 0AA").outcome is Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("sw1a0aa", "SW1A 0AA"),
        ("ascn1zz", "ASCN 1ZZ"),
        ("m11aa", "M1 1AA"),
        ("gir0aa", "GIR 0AA"),
        ("bfpo 57", "BFPO 57"),
        ("BFPO1234", "BFPO 1234"),
        ("BFPO 12345", None),
        ("not one", None),
        ("", None),
    ],
)
def test_canonical_postcode(typed, canonical):
    assert normalise_postcode(typed) == canonical


def test_girobanks_postcode_is_well_formed(seats):
    result = lookup_postcode("GIR 0AA")
    assert result.outcome is Outcome.UNKNOWN and result.postcode == "GIR 0AA"


@pytest.mark.parametrize("typed", ["BF1 4FB", "bfpo 57"])
def test_service_voters_are_told_to_use_their_uk_home_postcode(seats, typed):
    result = lookup_postcode(typed)
    assert result.outcome is Outcome.OUTSIDE and result.place == "the British Forces Post Office"
    assert "no Westminster seat" in result.message
    assert result.message.endswith("enter the postcode of the UK home where you are registered to vote.")
