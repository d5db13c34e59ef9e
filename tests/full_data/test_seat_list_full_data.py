"""The seat list, exports and API over all 650 real 2024 seats (skipped, saying why, without the data folder)."""

import csv
import json
from collections import Counter

import pytest
from django.urls import reverse

from constituencies.models import SeatAssessment
from tests.csv_helpers import csv_rows
from tests.query_counts import ADVICE_QUERIES

pytestmark = pytest.mark.full_data


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {row["ONS ID"]: row for row in csv.DictReader(f)}


@pytest.fixture
def real_ge2024(ge2024_results_and_candidates, data_dir):
    """The real 2024 results and candidates, imported once and shared (conftest.py); gives the file's rows."""
    return read_rows(data_dir / "hoc-ge2024-results-by-constituency.csv")


def test_api_gives_all_650_seats_with_votes_matching_the_published_file(
    real_ge2024, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6 + ADVICE_QUERIES):
        response = client.get(
            reverse("constituencies:api_seats"), {"election": "ge2024", "page_size": "1000"}
        )
    data = json.loads(response.content)
    assert data["count"] == len(data["results"]) == 650
    for seat in data["results"]:
        row = real_ge2024[seat["ons_id"]]
        assert seat["winner"] == row["First party"], seat["name"]
        assert seat["majority"] == int(row["Majority"]), seat["name"]
        assert sum(seat["votes"].values()) == seat["valid_votes"] == int(row["Valid votes"]), seat["name"]
        for party in ("Con", "Lab", "LD", "RUK", "Green", "SNP", "PC"):
            assert seat["votes"].get(party, 0) == int(row[party]), (seat["name"], party)
    winners = Counter(seat["winner"] for seat in data["results"])
    assert winners == Counter(row["First party"] for row in real_ge2024.values())
    assert (winners["Lab"], winners["Con"], winners["LD"]) == (411, 121, 72)


def test_page_summary_and_tragedy_filter_on_the_real_results(
    real_ge2024, client, django_assert_max_num_queries
):
    tragedies = SeatAssessment.objects.filter(election__slug="ge2024", is_tragedy=True)
    with django_assert_max_num_queries(6 + ADVICE_QUERIES):
        response = client.get(reverse("constituencies:seat_list"), {"tragedy": "true", "sort": "majority"})
    summary = response.context["summary"]
    assert summary.seats == summary.tragedies == tragedies.count() == 107
    assert {party.code for party, _ in summary.by_winner} <= {"Con", "RUK"}
    first = response.context["records"][0]
    assert (first.name, first.majority, first.best.party.code) == ("Basildon and Billericay", 20, "Lab")


def test_csv_export_of_every_real_seat(real_ge2024, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5 + ADVICE_QUERIES):
        response = client.get(reverse("constituencies:seat_list_csv"), {"election": "ge2024"})
    rows = csv_rows(response.content)
    assert len(rows) == 650
    assert {row["ons_id"] for row in rows} == set(real_ge2024)
    vote_columns = [c for c in rows[0] if c.startswith("votes_")]
    for row in rows:
        assert sum(int(row[c]) for c in vote_columns) == int(row["valid_votes"]), row["name"]
    ynys_mon = next(row for row in rows if row["name"] == "Ynys Môn")
    assert (ynys_mon["winner"], ynys_mon["runner_up"]) == ("PC", "Con")


def test_sorting_by_gap_to_win_lists_the_targets_before_the_seats_already_held(real_ge2024, client):
    """The 2024 list sorted by gap to win once began with 500 seats the best-placed party holds (gap 0)."""
    url = reverse("constituencies:seat_list")
    first = client.get(url, {"sort": "gap_to_win"}).context["records"]
    assert [(r.name, r.best.gap_to_win) for r in first[:2]] == [
        ("Basildon and Billericay", 20),
        ("Central Devon", 61),
    ]
    assert all(r.best.gap_to_win > 0 for r in first)
    targets = SeatAssessment.objects.filter(
        election__slug="ge2024", gap_to_win__gt=0, best_placed__isnull=False
    )
    last_target_page = -(-targets.count() // 50)
    held = client.get(url, {"sort": "gap_to_win", "page": last_target_page + 1}).context["records"]
    assert held and all(r.best.gap_to_win in (0, None) for r in held)
