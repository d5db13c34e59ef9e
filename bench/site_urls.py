"""The site's URLs plus two views that exist only in benchmarks, never in the site.

- /bench/trivial/: the cheapest Django view there is (a small JSON body, no database): the baseline every
  HTTP benchmark compares against. It goes through the same gunicorn, middleware and URL resolver as the
  real pages, so an endpoint's throughput as a fraction of its throughput says what the endpoint costs.
- /bench/select-1/: the same, after one `SELECT 1` on the database connection (with the connection health
  check folded into it, as the postcode look-up does): the ceiling for any view that asks the database
  anything, shown beside the look-up so its cost can be split into "a round trip" and "the rest".
"""

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path

from constituencies.seats.data_version import without_version_validators


@without_version_validators  # no version read before it, so no database: the baseline stays Django alone
def trivial(request):
    return uncached(JsonResponse({"ok": True}))


def uncached(response):
    # Never kept by a cache in front (nginx, in the whole-stack bench): each request reaches Django.
    response["Cache-Control"] = "no-store"
    return response


@without_version_validators
def select_1(request):
    # Django's CONN_HEALTH_CHECKS would send a SELECT 1 of its own first on a reused connection; the
    # look-up folds that check into its query, so this view does too: exactly one round trip.
    connection.health_check_done = connection.connection is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    return uncached(JsonResponse({"ok": True}))


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/select-1/", select_1),
    path("", include("seatfinder.urls")),
]
