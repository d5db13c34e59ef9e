"""The public JSON API: seats (filtered like the staff list), one seat, the elections loaded, and its docs page.

Every answer is JSON, including the errors: 400 for a bad query parameter, 404 for something not loaded
(constituencies/api/responses.py: the methods, the bodies and the errors every endpoint shares).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from constituencies.api.responses import JsonApiView, api_error, api_response, election_summary
from constituencies.listings.filters import SeatFilter
from constituencies.listings.records import build_records
from constituencies.models import Constituency, Election
from constituencies.rules.arithmetic import MARGINAL, MARGINALITY_RANGES, VERY_MARGINAL
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.links import absolute_url, site_root, with_query

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def election_dict(election: Election) -> dict:
    return {
        **election_summary(election),
        "boundary_set": election.boundary_set.code,
        "seat_count": getattr(election, "seat_count", None),
        "tragedy_count": getattr(election, "tragedy_count", None),
    }


def previous_slug(filterset: SeatFilter) -> str | None:
    """The contest that previous_winner and previous_majority come from (seats/previous.py)."""
    return filterset.previous_election.slug if filterset.previous_election else None


def whole_number(raw: str | None, name: str, default: int, maximum: int) -> tuple[int, str | None]:
    if raw is None or raw.strip() == "":
        return default, None
    try:
        value = int(raw.strip())
    except ValueError:
        return default, f"{name} must be a whole number from 1 to {maximum}, not “{raw[:40]}”."
    if not 1 <= value <= maximum:
        return default, f"{name} must be a whole number from 1 to {maximum}, not {value}."
    return value, None


@method_decorator(cached_by_seat_data, name="dispatch")
class SeatsApiView(JsonApiView):
    """GET /api/seats/?election=&...: the seats matching the filters, a page at a time, with votes."""

    def get(self, request):
        filterset = SeatFilter(request.GET)
        errors = {field: list(messages) for field, messages in filterset.errors.items()}
        page_size, problem = whole_number(
            request.GET.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
        )
        if problem:
            errors["page_size"] = [problem]
        page, problem = whole_number(request.GET.get("page"), "page", 1, 10**6)
        if problem:
            errors["page"] = [problem]
        if errors:
            messages = [
                f"{field}: {m}" if field != "__all__" else m for field, ms in errors.items() for m in ms
            ]
            return api_error(" ".join(messages), 400, errors, count=0, results=[])
        election = filterset.election
        if election is None:
            return api_error("No election results are loaded yet.", 404, count=0, results=[])

        queryset = filterset.qs
        count = queryset.count()
        pages = max(1, -(-count // page_size))
        if page > pages:
            return api_error(f"Page {page} is past the last page ({pages}).", 404, count=count, results=[])
        start = (page - 1) * page_size
        records = build_records(
            queryset[start : start + page_size],
            election,
            filterset.parties,
            with_votes=True,
            advice=filterset.listed_advice.by_seat,
        )

        params = filterset.query_params()
        if page_size != DEFAULT_PAGE_SIZE:
            params.append(("page_size", str(page_size)))

        def page_url(number):
            query = params + ([("page", str(number))] if number > 1 else [])
            return absolute_url(request, with_query(request.path, query))

        site = site_root(request)
        return api_response(
            {
                "election": election_dict(election),
                "previous_election": previous_slug(filterset),
                "count": count,
                "page": page,
                "pages": pages,
                "next": page_url(page + 1) if page < pages else None,
                "previous": page_url(page - 1) if page > 1 else None,
                "results": [record.as_dict(site) for record in records],
            }
        )


@method_decorator(cached_by_seat_data, name="dispatch")
class SeatApiView(JsonApiView):
    """GET /api/seats/<slug>/?election=: one seat's assessment and every candidacy."""

    def get(self, request, slug):
        filterset = SeatFilter({"election": request.GET.get("election", "")})
        if "election" in filterset.errors:
            return api_error(
                f"election: {filterset.errors['election'][0]}",
                400,
                {"election": filterset.errors["election"]},
            )
        election = filterset.election
        if election is None:
            return api_error("No election results are loaded yet.", 404)
        records = build_records(
            filterset.qs.filter(constituency__slug=slug)[:1],
            election,
            filterset.parties,
            with_votes=True,
            advice=filterset.listed_advice.by_seat,
        )
        if not records:
            constituency = Constituency.objects.filter(
                boundary_set_id=election.boundary_set_id, slug=slug
            ).first()
            if constituency:
                message = f"{constituency.name} has no result in the {election.name}."
            else:
                message = f"There is no constituency “{slug}” on the boundaries of the {election.name}."
            return api_error(message, 404)
        record = records[0]
        data = record.as_dict(site_root(request))
        data["election"] = election_dict(election)
        data["previous_election"] = previous_slug(filterset)
        data["turnout_pct"] = record.turnout_pct()
        data["candidates"] = record.candidates()
        return api_response(data)


@method_decorator(cached_by_seat_data, name="dispatch")
class ElectionsApiView(JsonApiView):
    """GET /api/elections/: every election loaded, newest first, with its seat counts."""

    def get(self, request):
        results = []
        for election in Election.objects.with_seat_counts():
            data = election_dict(election)
            data["seats_url"] = absolute_url(
                request, with_query(reverse("constituencies:api_seats"), [("election", election.slug)])
            )
            results.append(data)
        return api_response({"count": len(results), "results": results})


class ApiDocsView(JsonApiView, TemplateView):
    """GET /api/: how to use the API, with example requests against this site's own data."""

    template_name = "constituencies/api_docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = SeatFilter({})
        election = filterset.election
        example = filterset.qs.filter(is_tragedy=True).values_list("constituency__slug", flat=True).first()
        context.update(
            base=site_root(self.request),
            election=election,
            elections=[e for e in filterset.elections if e.seat_count],
            example_slug=example or "godalming-and-ash",
            default_page_size=DEFAULT_PAGE_SIZE,
            example_election=election.slug if election else "ge2024",
            advice_as_of=(election.date - timedelta(days=1)).isoformat() if election else "2024-07-03",
            parameters=PARAMETERS,
            marginality_ranges=MARGINALITY_RANGES,
        )
        return context


PARAMETERS = [
    (
        "election",
        "An election slug from /api/elections/, e.g. ge2024. Default: the most recent general election loaded.",
    ),
    ("tragedy", "true: progressive tragedies only; false: seats that are not."),
    (
        "marginality",
        f"very_marginal (majority {MARGINALITY_RANGES[VERY_MARGINAL]}), "
        f"marginal ({MARGINALITY_RANGES[MARGINAL]}) or safe. "
        "Repeat it, or separate with commas, for more than one.",
    ),
    ("majority_pct_min", "Smallest majority, as a % of valid votes (0 to 100)."),
    ("majority_pct_max", "Largest majority, as a % of valid votes (0 to 100)."),
    ("winner", "Party short code of the winner, e.g. Con, Lab, LD, RUK, SNP, Green, PC."),
    ("runner_up", "Party short code of the runner-up."),
    (
        "advice",
        "Our advice (see GET /api/advice/): a progressive party's short code (Lab, LD, Green, SNP, PC), "
        "none_needed, too_close or not_applicable. 400 when the election cannot be advised on.",
    ),
    (
        "best_placed",
        "Party short code of the progressive party best placed at the last result (the editors' choice, "
        "where they made one).",
    ),
    (
        "changed",
        "true: seats that changed hands since the previous contest on the same boundaries (for 2024, the notional "
        "2019 result); false: seats the same party held. Seats with nothing to compare with are in neither.",
    ),
    ("country", "England, Scotland, Wales or Northern Ireland."),
    ("region", "A region as published, e.g. London, South East, North West."),
    ("q", "Words in the constituency name (case, accents and punctuation ignored), or an ONS code."),
    (
        "sort",
        "name, majority, majority_pct or gap_to_win; put - in front for largest first (e.g. -majority). "
        "By gap_to_win, the seats still to win come first; then those the best-placed party already holds "
        "(a gap of 0), then those with no gap_to_win (no progressive party stood, or the editors recommend "
        "another party).",
    ),
    (
        "page, page_size",
        f"API only: which page, and how many seats a page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
    ),
]
