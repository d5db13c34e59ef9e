"""Imports of the real published files in SEATFINDER_DATA_DIR (skipped, saying why, when absent)."""

import csv
from collections import Counter

import pytest

from constituencies.models import Candidacy, Constituency, Result, SeatAssessment
from tests.builders import GE2024_ARGS, import_results

pytestmark = pytest.mark.full_data


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def as_int(text):
    return int(text.replace(",", ""))


@pytest.mark.parametrize(
    "file_name",
    ["hoc-ge2024-results-by-constituency.csv", "hoc-ge2024-results-by-constituency-resaved.csv"],
)
def test_all_650_seats_load_with_votes_summing_to_valid_votes(default_parties, data_dir, file_name):
    path = data_dir / file_name
    import_results(path, *GE2024_ARGS)
    rows = {row["ONS ID"]: row for row in read_rows(path)}
    assert len(rows) == 650
    assert Constituency.objects.filter(boundary_set__code="2024").count() == 650

    results = Result.objects.filter(election__slug="ge2024").select_related(
        "constituency", "assessment__winner"
    )
    assert results.count() == 650
    votes = Counter()
    for result_id, candidacy_votes in Candidacy.objects.filter(result__in=results).values_list(
        "result_id", "votes"
    ):
        votes[result_id] += candidacy_votes
    for result in results:
        row = rows[result.constituency.ons_id]
        assert votes[result.id] == result.valid_votes == as_int(row["Valid votes"]), row["Constituency name"]
        assert result.assessment.winner.code == row["First party"], row["Constituency name"]
        assert result.assessment.majority == as_int(row["Majority"]), row["Constituency name"]
        assert result.electorate == as_int(row["Electorate"])


def test_the_two_revisions_differ_where_the_readme_says(default_parties, data_dir):
    import_results(data_dir / "hoc-ge2024-results-by-constituency-resaved.csv", *GE2024_ARGS)
    early = Result.objects.get(election__slug="ge2024", constituency__name="Richmond Park")
    assert early.candidacies.get(party__code="Green").votes == 2728
    import_results(data_dir / "hoc-ge2024-results-by-constituency.csv", "--election", "ge2024")
    later = Result.objects.get(election__slug="ge2024", constituency__name="Richmond Park")
    assert (later.valid_votes, later.candidacies.get(party__code="Green").votes) == (52205, 3416)


def test_winners_and_tragedies_match_the_file(ge2024_results, data_dir):
    path = data_dir / "hoc-ge2024-results-by-constituency.csv"
    rows = read_rows(path)
    winners = Counter(row["First party"] for row in rows)
    stored = Counter(
        SeatAssessment.objects.filter(election__slug="ge2024").values_list("winner__code", flat=True)
    )
    assert stored == winners

    progressive = ["Lab", "LD", "Green", "SNP", "PC"]
    expected_tragedies = {
        row["ONS ID"]
        for row in rows
        if row["First party"] in {"Con", "RUK"}
        and sum(as_int(row[p]) for p in progressive) > as_int(row[row["First party"]])
    }
    stored_tragedies = set(
        SeatAssessment.objects.filter(election__slug="ge2024", is_tragedy=True).values_list(
            "constituency__ons_id", flat=True
        )
    )
    assert stored_tragedies == expected_tragedies
    assert len(expected_tragedies) > 50  # 2024 had many; a wrong rule would find almost none


def test_candidate_file_gives_every_candidate_and_sitting_mp(ge2024_results_and_candidates, data_dir):
    seats = data_dir / "hoc-ge2024-results-by-constituency.csv"
    candidates = data_dir / "hoc-ge2024-results-by-candidate.csv"
    rows = read_rows(candidates)
    stored = Candidacy.objects.filter(result__election__slug="ge2024")
    assert stored.count() == len(rows) == 4515
    assert sum(stored.values_list("votes", flat=True)) == sum(int(r["Votes"]) for r in rows) == 28_809_340
    assert stored.filter(is_sitting_mp=True).count() == sum(r["Sitting MP"] == "Yes" for r in rows)

    seat_rows = {row["ONS ID"]: row for row in read_rows(seats)}
    for assessment in SeatAssessment.objects.filter(election__slug="ge2024").select_related(
        "winner", "constituency"
    ):
        row = seat_rows[assessment.constituency.ons_id]
        assert assessment.winner.code == row["First party"]
        assert assessment.winner_name == f"{row['Member first name']} {row['Member surname']}"


def test_notional_2019_on_2024_boundaries(ge2024_results, data_dir):
    path = data_dir / "notional-2019-on-2024-boundaries.csv"
    import_results(path, "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024")
    rows = read_rows(path)
    results = Result.objects.filter(election__slug="notional-ge2019-2024")
    assert results.count() == 650
    assert (
        sum(results.values_list("valid_votes", flat=True))
        == sum(int(r["total_votes"]) for r in rows)
        == 32_014_119
    )
    # Every 2024 seat has its 2019 comparison on the same boundaries.
    assert set(results.values_list("constituency_id", flat=True)) == set(
        Result.objects.filter(election__slug="ge2024").values_list("constituency_id", flat=True)
    )
    assert SeatAssessment.objects.filter(
        election__slug="notional-ge2019-2024", winner__code="Con"
    ).count() == sum(
        1
        for r in rows
        if int(r["con"])
        == max(
            int(r[p])
            for p in (
                "con",
                "lab",
                "ld",
                "green",
                "reform_or_brexit",
                "snp",
                "pc",
                "dup",
                "sf",
                "sdlp",
                "uup",
                "apni",
                "other",
            )
        )
    )


def test_the_full_file_adds_the_seats_a_boundary_set_lacks(ge2024, data_dir):
    # The 2024 boundaries hold the seven seats of the sample; the full general election file adds the rest.
    import_results(data_dir / "hoc-ge2024-results-by-constituency.csv", "--election", "ge2024")
    assert Constituency.objects.filter(boundary_set__code="2024").count() == 650
    assert Result.objects.filter(election__slug="ge2024").count() == 650


NOTIONAL_ARGS = ["--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024"]


def test_the_real_notional_file_never_ranks_its_combined_other_figure(ge2024_results, data_dir, client):
    import_results(data_dir / "notional-2019-on-2024-boundaries.csv", *NOTIONAL_ARGS)
    notional = SeatAssessment.objects.filter(election__slug="notional-ge2019-2024")
    assert not notional.filter(winner__code="Oth").exists()
    assert not notional.filter(runner_up__code="Oth").exists()
    # Chorley: "other" (the Speaker among them) 36,270 against the Greens' 3,600, so no winner is claimed.
    chorley = Result.objects.get(election__slug="notional-ge2019-2024", constituency__name="Chorley")
    assert not notional.filter(result=chorley).exists()
    assert notional.count() == 649
    page = client.get("/seats/chorley/", {"election": "notional-ge2019-2024"}).content.decode()
    assert "Other candidates" in page and "36,270" in page
    assert "Notional winner" not in page


def test_seat_page_sentences_on_the_real_2024_results(ge2024_results, client):
    richmond = client.get("/seats/richmond-and-northallerton/").content.decode()
    assert (
        "Even together the progressive parties won 17,254 votes, 5,805 fewer than the Conservatives&#x27; 23,059."
        in richmond
    )
    aberdeen = client.get("/seats/aberdeen-south/").content.decode()
    assert (
        "the Conservatives are close behind: 155 votes behind Labour and 3,913 votes behind the SNP."
        in aberdeen
    )
    assert "not the ones to beat" not in aberdeen
