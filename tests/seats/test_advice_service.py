"""The advice for every seat of an election, from the evidence in the database (seats/advice.py)."""

from datetime import date

import pytest

from constituencies.imports.demo import boundary_set
from constituencies.models import Constituency, Election, Party, RecommendationOverride
from constituencies.rules import advice as rules
from constituencies.seats.advice import NoConstituencies, NoEvidence, election_advice
from constituencies.seats.evidence import votes_by_party
from tests.builders import (
    GE2024_DAY,
    GODALMING,
    contest,
    import_seats,
    load_election,
    notional_godalming_2019,
    numbered_seats,
    small_ge2024,
)
from tests.projection_builders import add_projection

JUNE_2024 = date(2024, 6, 20)
GE2029 = date(2029, 5, 3)
GODALMING_MRP = {GODALMING[0]: {"LD": 40, "Con": 37, "Lab": 12, "RUK": 7, "Green": 4}}


def by_name(advice):
    return {seat.seat.name: seat for seat in advice.seats}


def ge2024():
    return Election.objects.select_related("boundary_set").get(slug="ge2024")


@pytest.fixture
def godalming_evidence(default_parties):
    """The 2024 results of three seats, Godalming's notional 2019 result and a June 2024 MRP for it."""
    small_ge2024()
    notional_godalming_2019()
    add_projection("YouGov MRP (June 2024)", JUNE_2024, GODALMING_MRP, publisher="YouGov")


def test_each_seat_is_advised_from_what_was_known_before_polling_day(godalming_evidence):
    advice = election_advice(ge2024())
    assert [s.seat.name for s in advice.seats] == ["Aberdeen North", "Godalming and Ash", "Ynys Môn"]
    godalming = by_name(advice)["Godalming and Ash"]
    assert (godalming.advice, godalming.party, godalming.override) == ("LD", "LD", None)
    assert [(s.label, s.kind) for s in godalming.sources] == [
        ("YouGov MRP (June 2024)", rules.PROJECTION),
        ("2019 notional result on 2024 boundaries", rules.NOTIONAL),
    ]
    assert (
        "the YouGov MRP (June 2024) (20 June 2024) puts the Liberal Democrats 28.0 points ahead"
        in godalming.reason
    )
    # Aberdeen North and Ynys Môn have no notional result loaded: nothing to reason from, said so.
    aberdeen = by_name(advice)["Aberdeen North"]
    assert (aberdeen.advice, aberdeen.sources) == (rules.NOT_APPLICABLE, ())
    assert advice.as_of is None
    assert godalming.as_dict()["sources"][0] == {
        "label": "YouGov MRP (June 2024)",
        "date": "2024-06-20",
        "kind": "projection",
        "points_to": "LD",
        "target_can_win": True,
        "figures": {"LD": 40.0, "Con": 37.0, "Lab": 12.0, "RUK": 7.0, "Green": 4.0},
    }


def test_as_of_leaves_out_what_came_later_and_polling_day_itself_never_counts(godalming_evidence):
    add_projection("Exit poll", GE2024_DAY, {GODALMING[0]: {"Lab": 50, "Con": 30, "LD": 20}})  # on the day
    before_the_mrp = election_advice(ge2024(), as_of=date(2024, 6, 1))
    assert before_the_mrp.as_of == date(2024, 6, 1)
    sources = by_name(before_the_mrp)["Godalming and Ash"].sources
    assert [s.label for s in sources] == ["2019 notional result on 2024 boundaries"]
    everything = by_name(election_advice(ge2024(), as_of=date(2030, 1, 1)))["Godalming and Ash"]
    assert "Exit poll" not in [s.label for s in everything.sources]
    assert election_advice(ge2024(), as_of=date(2030, 1, 1)).as_of == date(2024, 7, 3)  # the day before


def test_as_of_before_any_evidence_and_an_election_with_nothing_before_it(godalming_evidence):
    with pytest.raises(NoEvidence) as error:
        election_advice(ge2024(), as_of=date(2019, 1, 1))
    assert str(error.value) == (
        "as_of 2019-01-01 is before any evidence for the 2024 general election: the earliest is dated 2019-12-12."
    )
    first = load_election("ge2010x", date(2010, 5, 6), [contest("E14000530", "Aldershot", {"Con": 2, "LD": 1})],
                          boundary_code="2010", name="2010 general election")  # fmt: skip
    with pytest.raises(
        NoEvidence, match="Nothing on the 2010 constituency boundaries is dated before the 2010 general"
    ):
        election_advice(first)


def test_an_election_on_boundaries_with_no_constituencies(default_parties):
    election = Election.objects.create(
        slug="ge2034", name="2034 general election", date=date(2034, 5, 4), kind="general",
        boundary_set=boundary_set("2034"),
    )  # fmt: skip
    with pytest.raises(NoConstituencies) as error:
        election_advice(election)
    assert "fought on the 2034 constituency boundaries, and no constituencies are loaded" in str(error.value)


def test_an_election_not_yet_held_is_advised_from_everything_loaded(godalming_evidence):
    # A by-election since 2024 and a newer projection; the June 2024 MRP was for 2024: superseded.
    load_election("by-godalming-2026", date(2026, 3, 5), [contest(*GODALMING[:2], {"LD": 15000, "Con": 9000, "Lab": 4000})],
                  kind=Election.Kind.BY_ELECTION, name="2026 Godalming and Ash by-election")  # fmt: skip
    add_projection("Focaldata MRP (May 2026)", date(2026, 5, 1), GODALMING_MRP, publisher="Focaldata")
    ge2029 = Election.objects.create(
        slug="ge2029", name="2029 general election", date=GE2029, kind="general",
        boundary_set=ge2024().boundary_set,
    )  # fmt: skip
    godalming = by_name(election_advice(ge2029))["Godalming and Ash"]
    assert [s.label for s in godalming.sources] == [
        "Focaldata MRP (May 2026)",
        "2026 Godalming and Ash by-election",
        "2024 general election",
    ]
    assert godalming.advice == "LD"
    # The other seats are advised from their 2024 results.
    assert {s.seat.name: [x.label for x in s.sources] for s in election_advice(ge2029).seats}["Ynys Môn"] == [
        "2024 general election"
    ]


def test_an_override_wins_with_its_public_reason(godalming_evidence):
    RecommendationOverride.objects.create(
        election=ge2024(),
        constituency=Constituency.objects.get(ons_id=GODALMING[0]),
        recommended_party=Party.objects.get(code="Lab"),
        reason="The Liberal Democrat candidate withdrew",
    )
    godalming = by_name(election_advice(ge2024()))["Godalming and Ash"]
    assert (godalming.advice, godalming.party, godalming.reason) == (
        "Lab",
        "Lab",
        "The Liberal Democrat candidate withdrew",
    )
    assert godalming.computed.advice == "LD" and godalming.sources  # the evidence is still shown
    assert godalming.as_dict()["overridden"] is True
    assert by_name(election_advice(ge2024(), with_overrides=False))["Godalming and Ash"].advice == "LD"


def test_the_speakers_seat_is_known_from_the_last_general_election_on_any_boundaries(default_parties):
    load_election("ge2019", date(2019, 12, 12), [contest("E14000638", "Chorley", {"Spk": 26831, "Green": 3600})],
                  boundary_code="2010", name="2019 general election")  # fmt: skip
    load_election("notional-2019", date(2019, 12, 12), [contest("E14001170", "Chorley", {"Oth": 26000, "Con": 5000, "Lab": 3000})],
                  kind=Election.Kind.NOTIONAL, name="2019 notional result on 2024 boundaries")  # fmt: skip
    load_election("ge2024", GE2024_DAY, [contest("E14001170", "Chorley", {"Spk": 25238, "Green": 3600})])
    chorley = election_advice(ge2024()).seats[0]
    assert chorley.advice == rules.NOT_APPLICABLE and "the Speaker's seat" in chorley.reason


@pytest.mark.parametrize("seats", [3, 40])
def test_a_fixed_number_of_queries_however_many_seats(default_parties, django_assert_num_queries, seats):
    import_seats("ge2019", numbered_seats(seats), year=2019, boundaries="2024")
    import_seats("ge2024", numbered_seats(seats))
    add_projection("An MRP", JUNE_2024, {"E14000001": {"Lab": 60, "Con": 40}})
    election = ge2024()
    # parties, constituencies, elections, candidacies, projections, shares, the Speaker's seats, overrides
    with django_assert_num_queries(8):
        advice = election_advice(election)
    assert len(advice.seats) == seats


def test_votes_by_party_keeps_combined_and_extra_candidates_out_of_contention():
    rows = [("Ind", 900, False), ("Lab", 5000, False), ("Ind", 300, False), ("Oth", 200, True)]
    assert votes_by_party(rows) == {"Lab": 5000, "Ind": 900, rules.OTHERS: 500}
