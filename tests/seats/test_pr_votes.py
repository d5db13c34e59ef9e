"""seats/pr_votes.py: an election's votes by region and party in two aggregate queries, read once per seat
data version in each process."""

import pytest

from constituencies.models import Candidacy
from constituencies.seats import pr_votes
from tests.builders import import_seats
from tests.pr_builders import SEATS


def test_votes_by_region_and_the_real_winners(default_parties, django_assert_num_queries):
    election = import_seats("ge2024", SEATS)
    with django_assert_num_queries(2):
        votes = pr_votes.election_votes(election)  # inside the test's transaction: read afresh, not kept
    regions = {area.name: area for area in votes.regions}
    assert {name: area.seats for name, area in regions.items()} == {"London": 3, "Scotland": 2}
    assert regions["London"].votes == {"Lab": 34_000, "Con": 25_000, "Green": 13_000, "Spk": 20_000}
    assert regions["Scotland"].total_votes == 58_000
    assert votes.fptp_seats == {"Lab": 1, "Con": 1, "SNP": 1, "Spk": 1, "Ind": 1}
    assert votes.parties["SNP"].name == "Scottish National Party"


@pytest.mark.django_db(transaction=True)  # the data version changes at commit
def test_read_once_per_data_version(default_parties, django_assert_num_queries):
    pr_votes.forget()
    election = import_seats("ge2024", SEATS)
    first = pr_votes.election_votes(election)
    with django_assert_num_queries(1):  # the seat data version only
        assert pr_votes.election_votes(election) is first
    Candidacy.objects.filter(party__code="Green").update(votes=0)  # committed: a new version
    again = pr_votes.election_votes(election)
    assert again is not first and again.nation.votes["Green"] == 0
    pr_votes.forget()
