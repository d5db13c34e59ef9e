"""Advice from the evidence, on small made-up seats, without a database.

Votes are given out of 1,000 so that 450 votes read as 45.0% of the vote.
"""

from datetime import date

import pytest

from constituencies.rules.advice import (
    BY_ELECTION,
    GENERAL,
    NONE_NEEDED,
    NOT_APPLICABLE,
    NOTIONAL,
    PROJECTION,
    PROJECTION_MARGIN_POINTS,
    RESULT_MARGIN_POINTS,
    TOO_CLOSE,
    Projection,
    Result,
    advise,
)
from constituencies.rules.arithmetic import Blocs

BLOCS = Blocs(
    progressive=frozenset({"Lab", "LD", "Green", "SNP", "PC"}),
    target=frozenset({"Con", "RUK", "Brexit", "UKIP"}),
)
ELECTION = date(2024, 7, 4)
GE2019 = date(2019, 12, 12)
JUNE = date(2024, 6, 20)
PROGRESSIVE_CODES = {"Lab", "LD", "Green", "SNP", "PC"}


def notional(**votes):
    return Result("notional 2019 result", GE2019, votes, NOTIONAL)


def general(when, **votes):
    return Result(f"{when.year} general election", when, votes, GENERAL)


def by_election(when, **votes):
    return Result(f"{when.year} by-election", when, votes, BY_ELECTION)


def mrp(publisher="YouGov", when=JUNE, average=False, **shares):
    name = "MRP average" if average else f"{publisher} MRP"
    return Projection(name, publisher, when, shares, is_average=average)


def average(**shares):
    return mrp("Movement Forward", average=True, **shares)


def advice(*evidence, **options):
    return advise(list(evidence), BLOCS, election_date=ELECTION, **options)


# A Conservative-held seat where the Lib Dems are the challengers in every source.
LD_CHALLENGE = (
    notional(Con=500, LD=300, Lab=150, Green=50),
    average(Con=35, LD=33, Lab=20, Green=7, RUK=5),
    mrp("YouGov", Con=34, LD=36, Lab=18, Green=7, RUK=5),
    mrp("Survation", Con=40, LD=26, Lab=23, Green=6, RUK=5),
)


def test_sources_that_agree_on_a_clear_lead_name_the_party():
    result = advice(*LD_CHALLENGE)
    assert (result.advice, result.party) == ("LD", "LD")
    assert result.reason.startswith("The Liberal Democrats are best placed to beat the Conservatives")
    assert (
        "puts the Liberal Democrats 13.0 points ahead of Labour" in result.reason
    )  # the deciding source: the average, 33 - 20
    # Every counted source is shown, the deciding average first and the old result last.
    assert [s.kind for s in result.sources] == [PROJECTION, PROJECTION, PROJECTION, NOTIONAL]
    assert result.sources[0].label == "MRP average"
    assert [s.points_to for s in result.sources] == ["LD", "LD", TOO_CLOSE, "LD"]
    assert result.sources[3].figures == {"Con": 50.0, "LD": 30.0, "Lab": 15.0, "Green": 5.0}


def test_a_pollster_that_clearly_points_elsewhere_makes_it_too_close_and_every_source_is_shown():
    result = advice(
        notional(Con=500, LD=300, Lab=150, Green=50),
        average(Con=33, Lab=30, LD=24, Green=8, RUK=5),
        mrp("YouGov", Con=32, Lab=36, LD=20, Green=7, RUK=5),
        mrp("Survation", Con=33, LD=34, Lab=22, Green=6, RUK=5),
    )
    assert (result.advice, result.party) == (TOO_CLOSE, None)
    assert result.reason.startswith("Too close to call: the sources disagree.")
    assert "MRP average" in result.reason and "Survation MRP" in result.reason
    assert {s.label: s.points_to for s in result.sources} == {
        "MRP average": "Lab",
        "YouGov MRP": "Lab",
        "Survation MRP": "LD",
        "notional 2019 result": "LD",
    }


def test_a_narrow_lead_in_the_deciding_source_is_too_close():
    result = advice(notional(Con=450, Lab=260, LD=240, Green=50))  # Labour lead by 2 points
    assert result.advice == TOO_CLOSE
    assert "only 2.0 points ahead of the Liberal Democrats" in result.reason


def test_a_lead_of_exactly_the_margin_is_clear_and_just_under_it_is_not():
    lead = RESULT_MARGIN_POINTS * 10  # in votes out of 1,000
    assert advice(notional(Con=450, Lab=200 + lead, LD=200, Oth=150 - lead)).advice == "Lab"
    assert advice(notional(Con=450, Lab=199 + lead, LD=200, Oth=151 - lead)).advice == TOO_CLOSE
    edge = {"Con": 40.0, "Lab": 30.0, "LD": 30.0 - PROJECTION_MARGIN_POINTS}
    assert advice(average(**edge)).advice == "Lab"
    assert advice(average(**{**edge, "LD": edge["LD"] + 0.1})).advice == TOO_CLOSE


def test_a_safe_progressive_seat_needs_no_tactical_vote():
    result = advice(
        notional(Lab=600, Con=200, LD=100, Green=60, Brexit=40),
        average(Lab=55, Con=16, RUK=13, Green=9, LD=7),
    )
    assert (result.advice, result.party) == (NONE_NEEDED, None)
    assert result.reason.startswith("No tactical vote needed: vote for the party you support.")
    assert (
        "(20 June 2024) puts the Conservatives 39.0 points behind the leader" in result.reason
    )  # the closest
    assert not any(s.target_can_win for s in result.sources)


def test_the_target_bloc_in_reach_in_any_source_means_a_tactical_vote_is_needed():
    safe_now = average(Lab=55, Con=15, RUK=14, Green=9, LD=7)
    # 2019: the Conservatives trailed by 9.9 points, within a past result's 10-point margin.
    close_then = notional(Lab=449, Con=350, LD=150, Green=51)
    assert advice(close_then, safe_now).advice == "Lab"
    assert advice(notional(Lab=450, Con=350, LD=150, Green=50), safe_now).advice == NONE_NEEDED
    # Reform within 5 points in one pollster's projection is enough too.
    assert advice(notional(Lab=600, Con=200, LD=200), safe_now, mrp(Lab=40, RUK=36, LD=24)).advice == "Lab"


def test_northern_ireland_is_never_a_green_recommendation_against_the_dup():
    no_target = notional(DUP=479, APNI=421, UUP=57, SDLP=18, Green=25)
    result = advice(no_target)
    assert (result.advice, result.party) == (NOT_APPLICABLE, None)
    assert "neither the Conservatives nor Reform UK stood here" in result.reason
    with_a_conservative = notional(DUP=470, APNI=420, UUP=57, SDLP=18, Green=25, Con=10)
    assert advice(with_a_conservative).advice == NONE_NEEDED
    assert "Green" not in {advice(no_target).party, advice(with_a_conservative).party}


def test_the_speakers_seat_is_not_applicable():
    evidence = LD_CHALLENGE
    assert advice(*evidence, seat_is_speakers=True).advice == NOT_APPLICABLE
    assert "Speaker's seat" in advice(*evidence, seat_is_speakers=True).reason
    # Known from the last result too: the Speaker won it.
    spoken = advice(general(GE2019, Spk=670, Green=90, Oth=240))
    assert (spoken.advice, spoken.party) == (NOT_APPLICABLE, None)


def test_evidence_after_as_of_and_the_seats_own_result_are_never_used():
    old = notional(Con=500, Lab=300, LD=150, Green=50)  # clearly Labour
    later = average(Con=34, LD=33, Lab=20, Green=8, RUK=5)  # clearly the Lib Dems, dated 20 June
    own_result = general(ELECTION, LD=450, Con=350, Lab=200)  # polling day itself
    assert advice(old, later, own_result).advice == "LD"
    before_the_projection = advice(old, later, own_result, as_of=date(2024, 6, 19))
    assert before_the_projection.advice == "Lab"
    assert [s.kind for s in before_the_projection.sources] == [NOTIONAL]
    assert ELECTION not in {s.date for s in advice(old, later, own_result).sources}
    assert advice(old, later, as_of=JUNE).advice == "LD"  # as_of is inclusive


def test_no_evidence_gets_a_clear_answer():
    for result in (advice(), advice(notional(Con=500, Lab=500), as_of=date(2019, 1, 1))):
        assert (result.advice, result.party, result.sources) == (NOT_APPLICABLE, None, ())
        assert "no result or projection for this seat" in result.reason
    assert "1 January 2019" in advice(notional(Con=500, Lab=500), as_of=date(2019, 1, 1)).reason


def test_a_by_election_since_the_general_election_is_counted_and_outranks_it():
    ge = general(GE2019, Con=627, Lab=221, LD=100, Green=52)  # Labour clearly second
    by = by_election(date(2021, 12, 16), LD=474, Con=316, Lab=97, Green=45, RUK=38, Oth=30)
    result = advice(ge, by)
    assert (result.advice, result.party) == ("LD", "LD")
    assert [s.kind for s in result.sources] == [BY_ELECTION, GENERAL]
    assert "older 2019 general election (12 December 2019) pointed to Labour" in result.reason
    # A by-election before the last general election is superseded by it.
    assert advice(ge, by_election(date(2018, 5, 3), LD=474, Con=316, Lab=210)).advice == "Lab"


def test_projections_outrank_a_by_election_unless_it_came_after_them():
    ge = general(GE2019, Con=627, Lab=221, LD=100, Green=52)
    by = by_election(date(2024, 5, 2), LD=474, Con=316, Lab=210)
    projection = average(Con=35, Lab=30, LD=20, Green=10, RUK=5, when=date(2024, 4, 1))
    assert advice(ge, by, projection).advice == "LD"  # the by-election is newer than the projection
    newer = average(Con=35, Lab=30, LD=20, Green=10, RUK=5, when=date(2024, 6, 1))
    assert advice(ge, by, newer).advice == "Lab"


def test_older_results_and_projections_for_an_earlier_election_are_superseded():
    ge2017 = general(date(2017, 6, 8), Con=450, LD=350, Lab=150, Green=50)
    ge2019 = general(GE2019, Con=500, Lab=300, LD=150, Green=50)
    for_2019 = mrp("YouGov", when=date(2019, 11, 27), Con=45, LD=40, Lab=10)
    result = advice(ge2017, ge2019, for_2019)
    assert result.advice == "Lab"
    assert [s.label for s in result.sources] == ["2019 general election"]


def test_the_average_of_several_pollsters_outranks_one_pollster():
    narrow_pollster = mrp("Ipsos", Con=34, Lab=27, LD=25, Green=9, RUK=5)
    assert advice(average(Con=34, LD=32, Lab=20, Green=9, RUK=5), narrow_pollster).advice == "LD"
    assert advice(narrow_pollster).advice == TOO_CLOSE
    # Without an average the newest projection decides; only the newest from each publisher counts.
    stale = mrp("Ipsos", when=date(2024, 5, 1), Con=34, LD=20, Lab=40, Green=6)
    assert advice(stale, mrp("Ipsos", Con=38, LD=40, Lab=16, Green=6)).advice == "LD"


@pytest.mark.parametrize("code", sorted(PROGRESSIVE_CODES))
def test_every_progressive_party_can_be_named_and_only_a_progressive_one(code):
    others = sorted(PROGRESSIVE_CODES - {code})
    result = advice(average(Con=40, **{code: 35, others[0]: 10, others[1]: 5}, RUK=10))
    assert (result.advice, result.party) == (code, code)
