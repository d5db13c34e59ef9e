"""/pr/: an election's real first-past-the-post seats beside the same votes under proportional representation.

A plain GET form (election, method, allocation, threshold), so every view is a shareable URL and works with no
JavaScript; a bad value is a message beside its field. The arithmetic is rules/pr.py's, the query
listings/pr.py's; cached on the seat data version like the listings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from constituencies.listings.pr import pr_query
from constituencies.rules import pr
from constituencies.rules.pr_comparison import Comparison, PartyRow
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.links import with_query

MIN_SHARE_OF_ITS_OWN = 0.5  # % of the vote: a seatless party below it is counted in "Other parties"
MIN_SHARE_CHARTED = 1  # %: the chart leaves out parties below it in votes and in seats under every system


@dataclass(frozen=True)
class ChartBar:
    label: str
    share: float
    width: float  # % of the chart's width: the largest share spans it


@dataclass(frozen=True)
class ChartRow:
    row: PartyRow
    bars: list[ChartBar]


def chart_rows(comparison: Comparison, rows: list[PartyRow]) -> list[ChartRow]:
    """Vote share, real seat share and seat share under the chosen method, for each party with list seats."""
    method = pr.METHODS[comparison.method]
    charted = [
        r
        for r in rows
        if r.gets_list_seats and max(r.vote_share, r.fptp_seat_share, r.seat_share) >= MIN_SHARE_CHARTED
    ]
    largest = max([0.1] + [max(r.vote_share, r.fptp_seat_share, r.seat_share) for r in charted])
    return [
        ChartRow(
            row,
            [
                ChartBar(label, share, round(100 * share / largest, 1))
                for label, share in (
                    ("Votes", row.vote_share),
                    ("Seats, first past the post", row.fptp_seat_share),
                    (f"Seats, {method}", row.seat_share),
                )
            ],
        )
        for row in charted
    ]


@method_decorator(cached_by_seat_data, name="dispatch")
class PrView(TemplateView):
    template_name = "constituencies/pr.html"

    def get_context_data(self, **kwargs):
        query = pr_query(self.request.GET)
        context = super().get_context_data(
            query=query, form=query.form, election=query.election, max_threshold=pr.MAX_THRESHOLD, **kwargs
        )
        comparison = query.comparison
        if comparison is None:
            return context
        shown, rest = comparison.shown_rows(MIN_SHARE_OF_ITS_OWN)
        params = query.params
        names = {row.code: row.name for row in comparison.rows}
        other_methods = {
            method: with_query(
                reverse("constituencies:pr"), [p for p in params if p[0] != "method"] + [("method", method)]
            )
            for method in pr.METHODS
        }
        context.update(
            comparison=comparison,
            rows=shown,
            rest=rest,
            rest_votes=sum(r.votes for r in rest),
            rest_share=sum(r.vote_share for r in rest),
            chart=chart_rows(comparison, shown),
            regions_won=[
                (name, seats, [(names.get(code, code), n) for code, n in won])
                for name, seats, won in comparison.regions_won()
            ],
            method_name=pr.METHODS[comparison.method],
            methods=pr.METHODS,
            by_region=comparison.by == pr.REGIONAL,
            method_urls=other_methods,
            api_url=with_query(reverse("constituencies:api_pr"), params),
        )
        return context
