"""The PR comparison over the 650 real 2024 seats, against the published figures (skipped, saying why, without
the data folder): the Gallagher index of 23.7 and the House of Commons Library's votes per MP."""

import pytest
from django.urls import reverse

from constituencies.models import Election
from constituencies.rules import pr
from constituencies.rules.pr_comparison import compare
from constituencies.seats import pr_votes
from tests.query_counts import PR_QUERIES

pytestmark = pytest.mark.full_data

# Votes per MP in 2024 as the House of Commons Library publishes them.
PUBLISHED_VOTES_PER_MP = {"Lab": 23_622, "Con": 56_437, "LD": 48_877, "RUK": 823_522, "Green": 486_125}


@pytest.fixture
def real_ge2024(ge2024_results, data_dir):
    """The real 2024 results, imported once and shared (conftest.py)."""
    pr_votes.forget()
    return pr_votes.election_votes(Election.objects.get(slug="ge2024"))


def test_the_gallagher_index_for_2024_is_the_published_23_7(real_ge2024):
    # Every party apart, all independents as one entry, the Speaker as one; the constituency file's "all other
    # candidates" (782,713 votes of many parties and independents) left out of the sum (rules/pr.gallagher_index).
    comparison = compare(real_ge2024, pr.DHONDT)
    assert comparison.gallagher_fptp == pytest.approx(23.7, abs=0.1)
    assert round(comparison.gallagher_fptp, 2) == 23.68
    assert comparison.total_seats == 650 and comparison.total_votes == 28_809_340
    # Squared as one party, that combined figure would push the index to 23.76, which rounds to 23.8.
    rows = comparison.rows
    as_one_party = pr.gallagher_index([(r.votes, r.fptp_seats) for r in rows], 28_809_340, 650)
    assert next(r.votes for r in rows if r.code == "Oth") == 782_713
    assert round(as_one_party, 2) == 23.76


def test_votes_per_mp_in_2024_as_the_commons_library_publishes_them(real_ge2024):
    rows = {row.code: row for row in compare(real_ge2024, pr.DHONDT).rows}
    assert {code: rows[code].votes_per_mp for code in PUBLISHED_VOTES_PER_MP} == PUBLISHED_VOTES_PER_MP
    assert (rows["RUK"].votes, rows["RUK"].fptp_seats) == (4_117_610, 5)


@pytest.mark.parametrize("by", [pr.NATIONAL, pr.REGIONAL])
@pytest.mark.parametrize("method", list(pr.METHODS))
def test_every_seat_goes_to_a_party_and_the_result_is_far_closer_to_the_votes(real_ge2024, method, by):
    comparison = compare(real_ge2024, method, by)
    assert sum(row.seats[method] for row in comparison.rows) == 650 and comparison.unallocated == 0
    assert all(row.seats[method] == 0 for row in comparison.rows if row.code in pr.NO_LIST_SEATS)
    assert comparison.gallagher_pr < 3  # against 23.7
    rows = {row.code: row for row in comparison.rows}
    assert 90 <= rows["RUK"].seats[method] <= 100  # 14.3% of the vote, 5 seats under first past the post
    assert rows["Lab"].seats[method] < 240  # 33.7%, against 411 seats


def test_a_five_percent_threshold_in_each_region_keeps_the_small_parties_out(real_ge2024):
    comparison = compare(real_ge2024, pr.SAINTE_LAGUE, pr.REGIONAL, pr.Threshold(5, pr.THRESHOLD_REGIONAL))
    rows = {row.code: row for row in comparison.rows}
    assert rows["SNP"].seats[pr.SAINTE_LAGUE] > 0  # over 5% in Scotland
    assert rows["WPB"].seats[pr.SAINTE_LAGUE] == 0 and rows["WPB"].below_threshold  # 0.7%, nowhere near 5%
    assert sum(row.seats[pr.SAINTE_LAGUE] for row in comparison.rows) + comparison.unallocated == 650


def test_the_page_and_the_api_for_650_seats_in_a_fixed_number_of_queries(
    real_ge2024, client, django_assert_num_queries
):
    query = {"election": "ge2024", "method": "sainte_lague", "by": "region", "threshold": "5"}
    with django_assert_num_queries(PR_QUERIES):
        page = client.get(reverse("constituencies:pr"), query).content.decode()
    assert 'data-testid="gallagher-fptp">23.7<' in page
    assert 'data-col="votes-per-mp">823,522<' in page
    with django_assert_num_queries(PR_QUERIES):
        body = client.get(reverse("constituencies:api_pr"), query).json()
    parties = {p["code"]: p for p in body["parties"]}
    assert {code: parties[code]["votes_per_mp"] for code in PUBLISHED_VOTES_PER_MP} == PUBLISHED_VOTES_PER_MP
    assert body["gallagher"]["fptp"] == pytest.approx(23.7, abs=0.1) and body["regions"] == 12
