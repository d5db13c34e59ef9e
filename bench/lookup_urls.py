"""The site's URLs plus two views that exist only in the benchmark, never in the app.

- /bench/trivial/: the cheapest Django view there is (a small JSON body, no database), the baseline.
- /bench/lookup/<postcode>/: a lean postcode look-up: normalise the postcode, take the boundary set of
  the latest general election (remembered for a minute), read its directory rows with their
  constituencies in one SQL query, answer in JSON (404 when unknown).
- /bench/lookup-orm/<postcode>/: the same answer the plain ORM way (two querysets per request), to show
  what the ORM's own overhead costs next to the look-up itself.

They stand in for /api/postcodes/<postcode>/ until that endpoint lands; bench/postcodes_lookup.py --path
points the benchmark at any of them.
"""

import time

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path

from constituencies.models import Election, Postcode
from constituencies.postcodes import normalise_postcode

_latest = {"boundary_set_id": None, "until": 0.0}


def trivial(request):
    return JsonResponse({"ok": True})


def latest_boundary_set_id():
    if time.monotonic() >= _latest["until"]:
        _latest["boundary_set_id"] = (
            Election.objects.filter(kind=Election.Kind.GENERAL)
            .order_by("-date")
            .values_list("boundary_set_id", flat=True)
            .first()
        )
        _latest["until"] = time.monotonic() + 60
    return _latest["boundary_set_id"]


def lookup(request, postcode):
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return JsonResponse({"error": "not a postcode"}, status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.terminated_on, c.ons_id, c.name, c.slug FROM constituencies_postcode p "
            "JOIN constituencies_constituency c ON c.id = p.constituency_id "
            "WHERE p.boundary_set_id = %s AND p.postcode = %s ORDER BY c.name",
            [latest_boundary_set_id(), normalised],
        )
        rows = cursor.fetchall()
    if not rows:
        return JsonResponse({"error": "unknown postcode"}, status=404)
    return JsonResponse(
        {
            "postcode": normalised,
            "terminated_on": rows[0][0],
            "constituencies": [{"ons_id": r[1], "name": r[2], "slug": r[3]} for r in rows],
        }
    )


def lookup_orm(request, postcode):
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return JsonResponse({"error": "not a postcode"}, status=400)
    latest = (
        Election.objects.filter(kind=Election.Kind.GENERAL)
        .order_by("-date")
        .values_list("boundary_set_id", flat=True)
        .first()
    )
    rows = list(
        Postcode.objects.filter(boundary_set_id=latest, postcode=normalised).select_related("constituency")
    )
    if not rows:
        return JsonResponse({"error": "unknown postcode"}, status=404)
    return JsonResponse(
        {
            "postcode": normalised,
            "terminated_on": rows[0].terminated_on,
            "constituencies": [
                {"ons_id": r.constituency.ons_id, "name": r.constituency.name, "slug": r.constituency.slug}
                for r in rows
            ],
        }
    )


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/lookup/<str:postcode>/", lookup),
    path("bench/lookup-orm/<str:postcode>/", lookup_orm),
    path("", include("seatfinder.urls")),
]
