"""GET /api/advice/<election-slug>/[?as_of=YYYY-MM-DD]: the advice for every seat of an election.

200: {"election", "as_of", "count", "results": [{"ons_id", "name", "slug", "advice", "party", "reason",
"overridden", "sources": [...]}]}, seats by name. `advice` is a party code, none_needed, too_close or
not_applicable. Errors are JSON with `error`: 400 for an as_of that is not a date, or one before any
evidence; 404 for an unknown election, one on boundaries with no constituencies, or one with nothing
dated before it. Cached per process while the seat data version is unchanged.
"""

from __future__ import annotations

import re
from datetime import date

from constituencies.api.responses import api_error, api_response, election_summary, json_api
from constituencies.models import Election
from constituencies.seats.advice import NoConstituencies, NoEvidence, election_advice
from constituencies.seats.data_version import cached_by_seat_data

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(raw: str | None) -> tuple[date | None, str | None]:
    """(the date, None), (None, None) when not given, or (None, why it is not a date)."""
    if raw is None or not raw.strip():
        return None, None
    text = raw.strip()
    try:
        if ISO_DATE.match(text):
            return date.fromisoformat(text), None
    except ValueError:
        pass
    return None, f"as_of must be a date written YYYY-MM-DD, such as 2024-07-03, not “{text[:40]}”."


@json_api
@cached_by_seat_data
def election_advice_api(request, slug):
    election = Election.objects.select_related("boundary_set").filter(slug=slug).first()
    if election is None:
        return api_error(f"There is no election “{slug[:80]}”; /api/elections/ lists those loaded.", 404)
    as_of, problem = parse_as_of(request.GET.get("as_of"))
    if problem:
        return api_error(problem, 400, {"as_of": [problem]})
    try:
        advice = election_advice(election, as_of)
    except NoEvidence as exc:
        return api_error(str(exc), 400 if as_of else 404)
    except NoConstituencies as exc:
        return api_error(str(exc), 404)
    return api_response(
        {
            "election": {**election_summary(election), "boundary_set": election.boundary_set.code},
            "as_of": advice.as_of.isoformat() if advice.as_of else None,
            "count": len(advice.seats),
            "results": [seat.as_dict() for seat in advice.seats],
        }
    )
