from io import StringIO

import pytest
from django.core.management import call_command

from constituencies.importers.demo import constituency_title
from constituencies.models import Election, Party, Result, SeatAssessment


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_loads_four_general_elections_and_batley_and_spen(demo):
    general = Election.objects.filter(kind=Election.Kind.GENERAL)
    assert sorted(general.values_list("slug", flat=True)) == [
        "ge2010",
        "ge2015",
        "ge2017",
        "ge2019",
    ]
    for election in general:
        assert election.results.count() == 650
        assert election.assessments.count() == 650
    winners_2019 = SeatAssessment.objects.filter(election__slug="ge2019")
    assert winners_2019.filter(winner__code="Con").count() == 365  # the declared result
    assert winners_2019.filter(winner__code="Lab").count() == 202

    by_election = SeatAssessment.objects.get(election__slug="by-batley-and-spen-2021")
    assert by_election.constituency.name == "Batley and Spen"
    assert (by_election.winner.code, by_election.runner_up.code, by_election.majority) == (
        "Lab",
        "Con",
        323,
    )
    third = by_election.result.candidacies.all()[2]
    assert (third.party.code, third.votes, third.candidate_name) == ("WPB", 8264, "George Galloway")
    assert "Loaded 2019 general election: 650 seats" in demo


def test_speaker_seat_in_2017_is_not_a_tragedy(demo):
    buckingham = SeatAssessment.objects.get(election__slug="ge2017", constituency__name="Buckingham")
    assert buckingham.winner.code == "Spk"
    assert not buckingham.is_tragedy


def test_load_demo_is_idempotent_and_keeps_admin_bloc_edits(demo):
    Party.objects.filter(code="SDLP").update(bloc=Party.Bloc.PROGRESSIVE)
    before = Result.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Result.objects.count() == before
    assert Party.objects.get(code="SDLP").bloc == Party.Bloc.PROGRESSIVE


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("BATLEY AND SPEN", "Batley and Spen"),
        ("STOKE-ON-TRENT CENTRAL", "Stoke-on-Trent Central"),
        ("KINGSTON UPON HULL EAST", "Kingston upon Hull East"),
        ("WESTON-SUPER-MARE", "Weston-super-Mare"),
        ("CITIES OF LONDON AND WESTMINSTER", "Cities of London and Westminster"),
    ],
)
def test_constituency_title(raw, title):
    assert constituency_title(raw) == title
