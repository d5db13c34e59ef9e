"""GET /api/pr/?election=&method=dhondt|sainte_lague&by=nation|region&threshold=&threshold_scope=national|regional

The seats each party really won beside its seats under proportional representation, its votes, vote share,
votes per MP and the Gallagher index (the same query and arithmetic as /pr/: listings/pr.py, rules/pr.py).

200: {"election", "method", "by", "threshold", "total_votes", "total_seats", "regions", "unallocated_seats",
"gallagher": {"fptp", "pr", "dhondt", "sainte_lague"}, "no_list_seats", "parties": [...]}, parties by votes.
400 with `error` and `errors` (by parameter) for a bad parameter, a by-election included; 404 when no
general election is loaded. Cached per process while the seat data version is unchanged.
"""

from __future__ import annotations

from constituencies.api.responses import api_error, api_response, election_summary, json_api
from constituencies.listings.pr import pr_query
from constituencies.rules import pr
from constituencies.rules.pr_comparison import Comparison, PartyRow
from constituencies.seats.data_version import cached_by_seat_data

NO_LIST_SEATS_NOTE = (
    "Independents (Ind), the Speaker (Spk) and combined other candidates (Oth) get no list seats: their votes "
    "count in the total, so in every party's vote share, but every seat goes to a party."
)


def _share(value: float) -> float:
    return round(value, 2)


def party_dict(row: PartyRow) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "votes": row.votes,
        "vote_share": _share(row.vote_share),
        "fptp_seats": row.fptp_seats,
        "fptp_seat_share": _share(row.fptp_seat_share),
        "seats": row.pr_seats,
        "seats_by_method": dict(row.seats),
        "seat_share": _share(row.seat_share),
        "votes_per_mp": row.votes_per_mp,
        "pr_votes_per_mp": row.pr_votes_per_mp,
        "gets_list_seats": row.gets_list_seats,
        "below_threshold": row.below_threshold,
    }


def comparison_dict(comparison: Comparison) -> dict:
    threshold = comparison.threshold
    return {
        "method": comparison.method,
        "by": comparison.by,
        "threshold": {
            "percent": threshold.percent,
            "scope": threshold.scope if threshold.applies else None,
            "description": threshold.description,
        },
        "total_votes": comparison.total_votes,
        "total_seats": comparison.total_seats,
        "regions": comparison.regions,
        "unallocated_seats": comparison.unallocated,
        "gallagher": {
            "fptp": round(comparison.gallagher_fptp, 2),
            "pr": round(comparison.gallagher_pr, 2),
            **{method: round(comparison.gallagher[method], 2) for method in pr.METHODS},
        },
        "no_list_seats": NO_LIST_SEATS_NOTE,
        "parties": [party_dict(row) for row in comparison.rows],
        "by_region": [
            {"region": name, "seats": seats, "won": dict(won)}
            for name, seats, won in comparison.regions_won()
        ]
        if comparison.by == pr.REGIONAL
        else None,
    }


@json_api
@cached_by_seat_data
def pr_api(request):
    query = pr_query(request.GET)
    if query.nothing_loaded:
        return api_error("No general election is loaded yet.", 404)
    if query.problems:
        first = next(iter(query.problems.values()))[0]
        return api_error(first, 400, query.problems)
    election = query.election
    return api_response(
        {
            "election": election_summary(election),
            **comparison_dict(query.comparison),
        }
    )
