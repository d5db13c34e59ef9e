"""The hex map of every seat: the page (/map/), and the same view as an SVG or a PNG download.

The page works as a plain GET form, with no JavaScript. The downloads refuse a query with problems (400)
and an election the layout does not cover (404), saying why, rather than draw a wrong map.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from constituencies.listings.filters import SeatFilter
from constituencies.listings.maps import build_map, colour_choice
from constituencies.rules.map_colours import COLOUR_BY
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.hex_layout import covers
from constituencies.seats.links import absolute_url, site_root
from constituencies.web.map_image import pngs, render_png
from constituencies.web.map_svg import hex_elements


@method_decorator(cached_by_seat_data, name="dispatch")
class MapView(TemplateView):
    template_name = "constituencies/map.html"

    def get_context_data(self, **kwargs):
        hex_map = build_map(self.request.GET)
        links = hex_map.links()
        drawn = hex_map.election is not None and hex_map.covered and not hex_map.problems
        return super().get_context_data(
            map=hex_map,
            election=hex_map.election,
            filter=hex_map.filterset,
            colour_choices=COLOUR_BY.items(),
            applied={
                k: v for k, v in hex_map.filterset.applied_filters().items() if k not in ("election", "sort")
            },
            hex_svg=hex_elements(hex_map),
            share_image_url=absolute_url(self.request, links["map_png_url"]) if drawn else "",
            **links,
            **kwargs,
        )


def not_drawn(hex_map) -> HttpResponse | None:
    """Why no map file is made for this view, as a plain-text answer; None when it can be drawn."""
    if hex_map.problems:
        text = "No map was made: the query has problems.\n" + "\n".join(hex_map.problems)
        return HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")
    if hex_map.election is None:
        return HttpResponse(
            "No results are loaded yet.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    if not hex_map.covered:
        return HttpResponse(
            f"No map was made: the hex map covers the 2024 constituencies only, and the {hex_map.election.name} "
            f"was fought on the {hex_map.election.boundary_set.name}.\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    return None


@method_decorator(cached_by_seat_data, name="dispatch")
class MapSvgView(View):
    def get(self, request):
        hex_map = build_map(request.GET)
        refusal = not_drawn(hex_map)
        if refusal:
            return refusal
        body = render_to_string(
            "constituencies/includes/_hex_map_svg.html",
            {"map": hex_map, "standalone": True, "hex_svg": hex_elements(hex_map, site_root(request))},
        )
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="seat-map-{hex_map.election.slug}-{hex_map.colour_by}.svg"'
        )
        return response


class MapPngView(View):
    """Rendered at most once per query and seat data version in each process (map_image.pngs); inside a
    transaction (as in most tests) every time, like cached_by_seat_data."""

    def get(self, request):
        filterset = SeatFilter(request.GET)
        colour_by, colour_problems = colour_choice(request.GET)
        election = filterset.election
        if (
            filterset.error_messages()
            or colour_problems
            or election is None
            or not covers(election.boundary_set)
        ):
            return not_drawn(build_map(request.GET, filterset))

        def render():
            return render_png(build_map(request.GET, filterset))

        body = pngs.get((tuple(filterset.query_params()), colour_by), render)
        response = HttpResponse(body, content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="seat-map-{election.slug}-{colour_by}.png"'
        return response
