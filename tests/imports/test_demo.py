from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from constituencies.imports import demo as demo_importer
from constituencies.imports.demo import (
    constituency_title,
    read_uk_politics_results,
    split_out_other_candidates,
)
from constituencies.models import Candidacy, Election, Party, Result, ResultsImport, SeatAssessment
from constituencies.rules.files import ImportFileError
from constituencies.seats.data_version import seat_data_version


@pytest.fixture
def demo(demo_data):
    """The demo, loaded once and shared (tests/shared_data.py); gives what load_demo printed."""
    return demo_data


def test_load_demo_loads_five_general_elections_and_batley_and_spen(demo):
    general = Election.objects.filter(kind=Election.Kind.GENERAL)
    assert sorted(general.values_list("slug", flat=True)) == [
        "ge2010",
        "ge2015",
        "ge2017",
        "ge2019",
        "ge2024",
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
    assert demo.count("Loaded 2019 general election") == 1  # each line once


def test_the_2024_election_comes_from_the_fixtures_with_its_candidates_and_is_the_default(demo, client):
    ge2024 = Election.objects.get(slug="ge2024")
    assert (ge2024.boundary_set.code, ge2024.date) == ("2024", date(2024, 7, 4))
    winners = SeatAssessment.objects.filter(election=ge2024)
    assert winners.filter(winner__code="Lab").count() == 411  # the declared result
    assert winners.filter(winner__code="Con").count() == 121
    assert Candidacy.objects.filter(result__election=ge2024).count() == 4515  # the candidate file
    aldershot = SeatAssessment.objects.get(election=ge2024, constituency__name="Aldershot")
    assert (aldershot.winner_name, aldershot.winner_votes) == ("Alex Baker", 19764)
    record = ResultsImport.objects.get(election=ge2024)
    assert (record.file_name, record.candidates_file_name) == (
        "hoc-ge2024-results-by-constituency.csv",
        "hoc-ge2024-results-by-candidate.csv",
    )
    assert "Loaded 2024 general election: 650 seats, 4,515 candidacies" in demo

    assert client.get("/seats/").context["election"].slug == "ge2024"
    assert client.get("/api/seats/").json()["election"]["slug"] == "ge2024"


def test_speaker_seat_in_2017_is_not_a_tragedy(demo):
    buckingham = SeatAssessment.objects.get(election__slug="ge2017", constituency__name="Buckingham")
    assert buckingham.winner.code == "Spk"
    assert not buckingham.is_tragedy


def test_minor_candidates_lumped_as_other_never_win_or_come_second(demo):
    assert not SeatAssessment.objects.filter(Q(winner__code="Oth") | Q(runner_up__code="Oth")).exists()
    assert not Candidacy.objects.filter(party__code="Oth", is_combined=False).exists()
    assert Candidacy.objects.filter(party__code="Oth", is_combined=True).count() > 1000


def test_north_down_was_won_by_sylvia_hermon_an_independent(demo):
    # The package lumps her votes into "Other"; fixtures/demo-other-candidates.csv splits them out.
    for year, votes, runner_up, runner_up_votes in [
        (2010, 21181, "UUP", 6817),
        (2015, 17689, "DUP", 8487),
        (2017, 16148, "DUP", 14940),
    ]:
        seat = SeatAssessment.objects.get(election__slug=f"ge{year}", constituency__name="North Down")
        assert (seat.winner.code, seat.winner_name, seat.winner_votes) == ("Ind", "Sylvia Hermon", votes)
        assert (seat.runner_up.code, seat.majority) == (runner_up, votes - runner_up_votes)
    close_call = SeatAssessment.objects.get(
        election__slug="ge2010", constituency__name="Fermanagh and South Tyrone"
    )
    assert (close_call.winner.code, close_call.runner_up.code, close_call.majority) == ("SF", "Ind", 4)


def test_without_the_split_out_candidates_the_demo_is_refused_and_nothing_is_loaded(
    db, snapshot, tmp_path, monkeypatch
):
    empty = tmp_path / "none.csv"
    empty.write_text("date,ons_id,constituency,party,candidate,votes\n")
    monkeypatch.setattr(demo_importer, "DEMO_OTHER_CANDIDATES_FILE", empty)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("load_demo", stdout=StringIO())
    message = str(error.value)
    assert message.startswith("Nothing was loaded.")
    assert (
        'GE_results.tsv, row 13494, column "votes": North Down 2010: the 22,815 votes lumped as Other are not '
        "fewer than the second named party's 1,876, so a minor candidate may have come first or second; list "
        "the largest of them in none.csv"
    ) in message
    assert snapshot() == before


TSV = """location\tdate\tparty\tvotes
E14000001|SOMEWHERE|County|Region|England|1000\t2019-12-12\tLabour\t400
E14000001|SOMEWHERE|County|Region|England|1000\t2019-12-12\tConservative\t300
E14000001|SOMEWHERE|County|Region|England|1000\t2019-12-12\tOther\t350
"""
OTHER_HEADER = "date,ons_id,constituency,party,candidate,votes\n"


def split(tmp_path, listed):
    contests = read_uk_politics_results(TSV, "GE.tsv")
    path = tmp_path / "other.csv"
    path.write_text(OTHER_HEADER + listed)
    split_out_other_candidates(contests, "GE.tsv", path)
    return contests[date(2019, 12, 12)][0].candidacies


def test_a_lump_that_could_hold_the_runner_up_needs_its_largest_candidate(tmp_path):
    with pytest.raises(ImportFileError) as error:
        split(tmp_path, "")
    assert str(error.value) == (
        'GE.tsv, row 4, column "votes": Somewhere 2019: the 350 votes lumped as Other are not fewer than the '
        "second named party's 300, so a minor candidate may have come first or second; list the largest of "
        "them in other.csv"
    )
    candidacies = split(tmp_path, "2019-12-12,E14000001,Somewhere,Independent,A Candidate,340\n")
    assert [(c.party, c.candidate_name, c.votes, c.is_combined) for c in candidacies] == [
        ("Labour", "", 400, False),
        ("Conservative", "", 300, False),
        ("Oth", "", 10, True),
        ("Independent", "A Candidate", 340, False),
    ]


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        (
            "2019-12-12,E14000002,Elsewhere,Independent,A Candidate,340\n",
            'other.csv, row 2, column "ons_id": GE.tsv has no E14000002 on 2019-12-12',
        ),
        (
            "2019-12-12,E14000001,Somewhere,Independent,A Candidate,351\n",
            'other.csv, row 2, column "votes": Somewhere 2019 has 350 votes lumped as Other in GE.tsv, fewer '
            "than the 351 listed here",
        ),
        ("2019-12-12,E14000001,Somewhere,Independent,A Candidate,many\n", 'other.csv, row 2, column "votes"'),
    ],
)
def test_a_listed_candidate_that_does_not_fit_the_file(tmp_path, listed, expected):
    with pytest.raises(ImportFileError) as error:
        split(tmp_path, listed)
    assert expected in str(error.value)


def load_demo_again() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_again_leaves_what_is_loaded_and_unchanged_alone_and_keeps_admin_bloc_edits(demo, snapshot):
    Party.objects.filter(code="SDLP").update(bloc=Party.Bloc.PROGRESSIVE)
    before, version = snapshot(), seat_data_version()
    assert load_demo_again() == (
        "Already loaded, files unchanged: 2019 general election, 2017 general election, 2015 general election, "
        "2010 general election, 2021 Batley and Spen by-election, 2024 general election\n"
    )
    assert snapshot() == before  # nothing re-imported, no new import records or audit events
    assert seat_data_version() == version  # nothing written at all: cached answers stay good
    assert Party.objects.get(code="SDLP").bloc == Party.Bloc.PROGRESSIVE


def test_load_demo_imports_again_only_an_election_whose_latest_import_was_another_file(demo):
    # As if someone had imported another file into 2017 since, or the package had changed.
    ResultsImport.objects.filter(election__slug="ge2017").update(checksum="0" * 64)
    other_2024 = ResultsImport.objects.get(election__slug="ge2024")
    other_2024.pk, other_2024.candidates_checksum = None, ""  # a later import of ge2024 without candidates
    other_2024.save()
    out = load_demo_again()
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "Loaded 2017 general election",
        "Loaded 2024 general election",
        "Already loaded, files unchanged",
    ]
    assert "2019 general election, 2015 general election, 2010 general election, 2021 Batley" in out
    assert ResultsImport.objects.filter(election__slug="ge2017").count() == 2
    assert Result.objects.filter(election__slug="ge2017").count() == 650


def test_results_deleted_since_the_demo_are_loaded_again(demo):
    Result.objects.filter(election__slug="by-batley-and-spen-2021").delete()
    assert "Loaded 2021 Batley and Spen by-election: 1 seat, 16 candidacies" in load_demo_again()


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
