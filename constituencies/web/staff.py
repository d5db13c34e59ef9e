"""Campaign staff: the filterable seat list (/seats/) and its CSV and JSON exports.

The page, the exports and the API all filter through `SeatFilter` and build rows with `listings.records`.
"""

from __future__ import annotations

import csv
import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import ListView

from constituencies.listings.exports import csv_table, export_filename
from constituencies.listings.fields import SORT_CHOICES
from constituencies.listings.filters import SeatFilter
from constituencies.listings.records import build_records, number_override_notes, summarise
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.links import absolute_url, site_root, with_query

SORTABLE_COLUMNS = ("name", "majority", "majority_pct", "gap_to_win")
UNFOLDING_PARAMS = ("election", "sort", "page")  # the list's filters stay folded on a phone with only these


@method_decorator(cached_by_seat_data, name="dispatch")
class SeatListView(ListView):
    """Every seat of one election, filtered, sorted and paginated; works as a plain GET form."""

    template_name = "constituencies/seat_list.html"
    context_object_name = "assessments"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = SeatFilter(self.request.GET)
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        # The summary already counts the matching seats, so the paginator need not count them again;
        # a page number that is not a number, or past the end, shows the first or last page.
        self.summary = summarise(queryset, self.filterset.parties)
        paginator = self.get_paginator(queryset, page_size)
        paginator.count = self.summary.seats
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        params = filterset.query_params()
        page = context["page_obj"]
        records = (
            build_records(
                page.object_list,
                filterset.election,
                filterset.parties,
                with_votes=False,
                advice=filterset.listed_advice.by_seat,
            )
            if filterset.election
            else []
        )
        context.update(
            filter=filterset,
            election=filterset.election,
            records=records,
            override_notes=number_override_notes(records),
            advice_unavailable=filterset.listed_advice.unavailable,
            summary=self.summary,
            problems=filterset.error_messages(),
            filters_applied=any(name not in UNFOLDING_PARAMS for name, _ in params) or bool(filterset.errors),
            election_fallback=filterset.election and "election" in filterset.errors,
            csv_url=with_query(reverse("constituencies:seat_list_csv"), params),
            json_url=with_query(reverse("constituencies:seat_list_json"), params),
            api_url=with_query(reverse("constituencies:api_seats"), params),
            map_url=with_query(reverse("constituencies:map"), params),
            share_url=absolute_url(self.request, with_query(self.request.path, params)),
            sort_links=self.sort_links(filterset),
            page_links=self.page_links(page, params),
            sort_choices=SORT_CHOICES,
        )
        return context

    def sort_links(self, filterset) -> dict:
        """For each sortable column: the link that sorts by it (or reverses it) and its aria-sort state."""
        current = filterset.sort_in_force
        links = {}
        for column in SORTABLE_COLUMNS:
            state = "ascending" if current == column else "descending" if current == f"-{column}" else "none"
            target = f"-{column}" if state == "ascending" else column
            params = [(k, v) for k, v in filterset.query_params(sort=target)]
            links[column] = {"url": with_query(self.request.path, params), "state": state}
        return links

    def page_links(self, page, params) -> dict:
        def link(number):
            return with_query(self.request.path, params + ([("page", str(number))] if number > 1 else []))

        return {
            "first": link(1) if page.has_previous() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "last": link(page.paginator.num_pages) if page.has_next() else None,
        }


@method_decorator(cached_by_seat_data, name="dispatch")
class SeatExportView(View):
    """All the seats matching the filters (not just one page), as a download."""

    format = "csv"

    def get(self, request):
        filterset = SeatFilter(request.GET)
        problems = filterset.error_messages()
        if problems:
            return self.refuse(problems)
        election = filterset.election
        records = (
            build_records(
                filterset.qs,
                election,
                filterset.parties,
                with_votes=True,
                advice=filterset.listed_advice.by_seat,
            )
            if election
            else []
        )
        site = site_root(request)
        name = export_filename(election.slug if election else "", filterset.query_params(), self.format)
        if self.format == "json":
            response = HttpResponse(
                json.dumps(
                    {
                        "election": election.slug if election else None,
                        "previous_election": filterset.previous_election.slug
                        if filterset.previous_election
                        else None,
                        "filters": filterset.applied_filters(),
                        "count": len(records),
                        "results": [r.as_dict(site) for r in records],
                    },
                    ensure_ascii=False,
                ),
                content_type="application/json; charset=utf-8",
            )
        else:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            header, rows = csv_table(records, site)
            writer = csv.writer(response)
            writer.writerow(header)
            writer.writerows(rows)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def refuse(self, problems: list[str]) -> HttpResponse:
        text = "Nothing was exported: the filters have problems.\n" + "\n".join(problems) + "\n"
        if self.format == "json":
            return HttpResponse(
                json.dumps({"error": text.strip(), "count": 0, "results": []}, ensure_ascii=False),
                status=400,
                content_type="application/json; charset=utf-8",
            )
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
