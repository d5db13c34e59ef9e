"""GET /api/what-if/: the alliance what-if as JSON, from the same inputs as the page (listings/what_if.py).

A bad parameter answers 400 with every problem, by parameter; nothing is worked out.
"""

from __future__ import annotations

from django.utils.decorators import method_decorator

from constituencies.api.responses import JsonApiView, api_error, api_response, election_summary
from constituencies.listings.what_if import WhatIf, build_what_if
from constituencies.rules import what_if as rules
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.links import site_root

SPEAKER_CONVENTION = (
    "The Speaker's seat is counted as the Speaker's, not a party's. A majority needs more than half of all the "
    "seats; majority is a party's seats less all the others, the Speaker's included, as usually reported. The "
    "working majority (without the Speaker, the deputies and members who do not take their seats) is not given."
)
ASSUMPTIONS = (
    "Only votes cast for the parties that stand aside move, to the best-placed progressive in each seat; turnout "
    "changes are not modelled, and voters do not transfer wholesale (compare by_follow)."
)


def standing_dict(standing: rules.Standing, name_of) -> dict:
    return {
        "party": standing.party,
        "name": name_of(standing.party) if standing.party else None,
        "seats": standing.seats,
        "has_majority": standing.has_majority,
        "majority": standing.majority if standing.has_majority else None,
        "shortfall": standing.shortfall,
    }


def scenario_summary(scenario: rules.Scenario, name_of) -> dict:
    return {
        "follow": float(scenario.follow),
        "seats_changed": len(scenario.flips),
        "largest_party": standing_dict(scenario.largest, name_of),
        "governing_party_seats": scenario.governing_seats,
        "governing_party_keeps_majority": scenario.governing_keeps_majority,
    }


def what_if_dict(what_if: WhatIf, site: str) -> dict:
    scenario, seats, election = what_if.scenario, what_if.seats, what_if.election
    name_of = seats.name_of
    return {
        "election": election_summary(election),
        "inputs": {
            "stand_aside": what_if.stand_aside,
            "follow": float(what_if.follow),
            "seats": what_if.seats_choice,
            "seat_filters": what_if.list_filters,
            "seats_considered": scenario.seats_considered,
            "can_stand_aside": what_if.progressive,
        },
        "headline": what_if.headline,
        "seats_changed": [
            {
                "slug": flip.seat.key,
                "name": flip.seat.name,
                "from": flip.was,
                "to": flip.now,
                "votes_moved": flip.votes_moved,
                "lead": flip.lead,
                "url": site + what_if.seat_url(flip.seat),
            }
            for flip in scenario.flips
        ],
        "seats_tied": [{"slug": s.key, "name": s.name, "held_by": s.winner} for s in scenario.ties],
        "house": [
            {key: row[key] for key in ("party", "name", "real", "scenario", "change")}
            for row in what_if.house()
        ],
        "total_seats": scenario.total,
        "majority_needed": scenario.largest.needed,
        "largest_party": standing_dict(scenario.largest, name_of),
        "real_largest_party": standing_dict(scenario.real_largest, name_of),
        "governing_party": {
            "party": scenario.governing,
            "name": name_of(scenario.governing) if scenario.governing else None,
            "had_majority": scenario.governing_had_majority,
            "real_seats": scenario.real_largest.seats,
            "seats": scenario.governing_seats,
            "keeps_majority": scenario.governing_keeps_majority,
        },
        "by_follow": [scenario_summary(other, name_of) for other in what_if.side_by_side],
        "speaker_convention": SPEAKER_CONVENTION,
        "assumptions": ASSUMPTIONS,
    }


@method_decorator(cached_by_seat_data, name="dispatch")
class WhatIfApiView(JsonApiView):
    def get(self, request):
        what_if = build_what_if(request.GET)
        if what_if.errors:
            message = " ".join(f"{name}: {problem}" for name, problem in what_if.errors.items())
            return api_error(message, 400, {name: [problem] for name, problem in what_if.errors.items()})
        if what_if.scenario is None:
            return api_error("No general election results are loaded yet.", 404)
        return api_response(what_if_dict(what_if, site_root(request)))
