"""An election's votes by region and party, and the seats really won, for the PR comparison (/pr/, /api/pr/).

    votes = election_votes(election)   # rules.pr_comparison.ElectionVotes, kept per seat data version
    votes = load_election_votes(election)   # read afresh (the benchmark)

Two aggregate queries whatever the number of seats: the votes summed by region and party (with each party's
name and colour), and the assessments' winners counted by region and party (which give each region's number
of seats too). Kept per process while the seat data version is unchanged (KeptPerVersion), so the page and
the API add up 650 seats' candidacies once per change of the data.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from constituencies.models import Candidacy, Election, SeatAssessment
from constituencies.rules.pr import Area
from constituencies.rules.pr_comparison import ElectionVotes, PartyInfo
from constituencies.seats.data_version import KeptPerVersion

NO_REGION = "No region given"

_kept = KeptPerVersion(size=8)  # (election, version) pairs kept per process


def election_votes(election: Election) -> ElectionVotes:
    return _kept.get(election.pk, lambda: load_election_votes(election))


def forget() -> None:
    _kept.clear()


def _region(region: str, country: str) -> str:
    return region or country or NO_REGION


def load_election_votes(election: Election) -> ElectionVotes:
    votes: dict[str, dict[str, int]] = {}
    parties: dict[str, PartyInfo] = {}
    rows = (
        Candidacy.objects.filter(result__election=election)
        .values(
            "result__constituency__region",
            "result__constituency__country",
            "party__code",
            "party__name",
            "party__colour",
        )
        .annotate(votes=Sum("votes"))
        .order_by()
    )
    for row in rows:
        region = _region(row["result__constituency__region"], row["result__constituency__country"])
        code = row["party__code"]
        by_party = votes.setdefault(region, {})
        by_party[code] = by_party.get(code, 0) + row["votes"]
        parties[code] = PartyInfo(row["party__name"], row["party__colour"])

    seats: dict[str, int] = {}
    fptp: dict[str, int] = {}
    winners = (
        SeatAssessment.objects.filter(election=election)
        .values("constituency__region", "constituency__country", "winner__code")
        .annotate(won=Count("id"))
        .order_by()
    )
    for row in winners:
        region = _region(row["constituency__region"], row["constituency__country"])
        seats[region] = seats.get(region, 0) + row["won"]
        fptp[row["winner__code"]] = fptp.get(row["winner__code"], 0) + row["won"]

    regions = [
        Area(name, seats.get(name, 0), votes.get(name, {})) for name in sorted(set(votes) | set(seats))
    ]
    return ElectionVotes(regions=regions, fptp_seats=fptp, parties=parties)
