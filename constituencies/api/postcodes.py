"""GET /api/postcodes/<postcode>/: the constituencies for a postcode, as JSON.

Statuses: 200 found (several constituencies when the postcode is split); 400 not a postcode;
404 unknown postcode, or outside Great Britain / no data (see "error"); 410 a retired postcode;
503 the remote look-up failed, try again (Retry-After), or the database is away and this process holds no
look-up snapshot ("database_unavailable": seatfinder/database_outage.py). Every error body has "error" (a
stable code) and "message" (plain English).
"""

from django.http import JsonResponse

from constituencies.api.responses import json_api
from constituencies.postcodes.lookup import LookupResult, Outcome, lookup_postcode
from constituencies.rules.postcodes import MAX_TYPED
from constituencies.seats.data_version import without_version_validators
from constituencies.seats.links import absolute_url, seat_path

STATUS = {
    Outcome.FOUND: 200,
    Outcome.NOT_A_POSTCODE: 400,
    Outcome.UNKNOWN: 404,
    Outcome.OUTSIDE: 404,
    Outcome.NO_DATA: 404,
    Outcome.TERMINATED: 410,
    Outcome.UNAVAILABLE: 503,
}


def constituency_json(request, constituency) -> dict:
    return {
        "ons_id": constituency.ons_id,
        "name": constituency.name,
        "slug": constituency.slug,
        "boundary_set": constituency.boundary_set.code,
        "region": constituency.region,
        "country": constituency.country,
        "url": absolute_url(request, seat_path(constituency.slug)),
    }


def result_json(request, result: LookupResult) -> dict:
    if result.found:
        return {
            "postcode": result.postcode,
            "boundary_set": result.constituencies[0].boundary_set.code,
            "split": result.is_split,
            "source": result.source,
            "constituencies": [constituency_json(request, c) for c in result.constituencies],
        }
    body = {"error": result.outcome.value, "message": result.message, "postcode": result.postcode}
    if result.outcome is Outcome.TERMINATED:
        body["terminated_on"] = result.terminated_on.isoformat() if result.terminated_on else None
        # Where it used to be, when the directory knows: a hint, not an answer.
        body["former_constituencies"] = [constituency_json(request, c) for c in result.constituencies]
    if result.place:
        body["place"] = result.place
    if result.suggestion:
        body["suggestion"] = result.suggestion  # the postcode a typing slip looks like (not_a_postcode)
    return body


@without_version_validators  # answered from the look-up snapshot; seatfinder/http_cache.py sets the policy
@json_api
def postcode_detail(request, postcode: str):
    result = lookup_postcode(postcode[:MAX_TYPED])
    response = JsonResponse(
        result_json(request, result), status=STATUS[result.outcome], json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    if result.outcome is Outcome.UNAVAILABLE:
        response["Retry-After"] = "60"
    return response
