"""GET /api/supporters/counts/: confirmed supporters per seat on the current boundaries, below the threshold
never as a number."""

from django.http import JsonResponse

from constituencies.api.responses import json_api
from constituencies.models import Constituency
from constituencies.seats.current import current_boundary_set_id_expression
from supporters.rules.counts import SHOWN_FROM, count_display, shown_count
from supporters.services.counts import confirmed_counts


@json_api
def counts(request):
    by_seat = confirmed_counts()
    seats = Constituency.objects.filter(boundary_set_id=current_boundary_set_id_expression()).order_by("name")
    rows = [
        {"ons_id": ons_id, "slug": slug, "name": name, "count": shown_count(n), "display": count_display(n)}
        for pk, ons_id, slug, name in seats.values_list("pk", "ons_id", "slug", "name")
        for n in [by_seat.get(pk, 0)]
    ]
    response = JsonResponse({"shown_from": SHOWN_FROM, "seats": rows})
    response["Cache-Control"] = "public, max-age=60"
    return response
