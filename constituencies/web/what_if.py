"""The alliance what-if (/what-if/): a plain GET form, so every scenario is a URL to share.

The inputs, their problems and the scenario come from listings/what_if.py (the API's too); a problem is shown
beside its field with status 400, and no scenario is worked out.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from constituencies.listings.what_if import SEATS_CHOICES, build_what_if
from constituencies.listings.what_if_map import build_what_if_map
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.links import absolute_url, with_query
from constituencies.web.map_svg import hex_elements

LIST_FILTERS_SHOWN = ("country", "region", "marginality", "q")  # the seat list's; any other works in the URL


@method_decorator(cached_by_seat_data, name="dispatch")
class WhatIfView(TemplateView):
    template_name = "constituencies/what_if.html"

    def get(self, request, *args, **kwargs):
        self.what_if = build_what_if(request.GET)
        response = super().get(request, *args, **kwargs)
        if self.what_if.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        what_if = self.what_if
        scenario = what_if.scenario
        hex_map = build_what_if_map(what_if)
        seat_fields = [f for f in what_if.filterset.form if f.name in LIST_FILTERS_SHOWN]
        context = {
            "what_if": what_if,
            "election": what_if.election,
            "errors": what_if.errors,
            "seat_fields": seat_fields,
            "other_errors": {k: v for k, v in what_if.errors.items() if k not in ("election", "stand_aside", "follow", "seats", *LIST_FILTERS_SHOWN)},
            "seats_choices": SEATS_CHOICES.items(),
            "hidden_params": [
                (n, v) for n, v in what_if.filterset.query_params() if n not in ("election", *LIST_FILTERS_SHOWN)
            ],
            "follow_value": self.request.GET.get("follow", "") if "follow" in what_if.errors else format(what_if.follow.normalize(), "f"),
            "map": hex_map,
            "hex_svg": hex_elements(hex_map) if hex_map.covered else "",
            "parties": [
                (code, what_if.seats.name_of(code), code in what_if.stand_aside) for code in what_if.progressive
            ],
        }  # fmt: skip
        if scenario is not None:
            name_of = what_if.seats.name_of
            context.update(
                house=what_if.house(),
                largest_name=name_of(scenario.largest.party),
                governing_name=name_of(scenario.governing),
                flips=[
                    {
                        "flip": flip,
                        "url": what_if.seat_url(flip.seat),
                        "now": name_of(flip.now),
                        "was": name_of(flip.was),
                    }
                    for flip in scenario.flips
                ],
                ties=[(seat, what_if.seat_url(seat)) for seat in scenario.ties],
                side_by_side=[
                    {
                        "scenario": other,
                        "url": with_query(reverse("constituencies:what_if"), what_if.params(follow=format(other.follow.normalize(), "f"))),
                        "largest_name": name_of(other.largest.party),
                        "current": other.follow == scenario.follow,
                    }
                    for other in what_if.side_by_side
                ],
                share_url=absolute_url(self.request, what_if.url),
                api_url=with_query(reverse("constituencies:api_what_if"), what_if.params()),
                seat_list_url=with_query(
                    reverse("constituencies:seat_list"), what_if.filterset.query_params()
                ),
            )  # fmt: skip
        return super().get_context_data(**context, **kwargs)
