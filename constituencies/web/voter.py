"""The voter's pages: postcode look-up, search by name, and the seat page. Thin views over
lookup.py, search.py and seat_page.py."""

from django.http import HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.generic import TemplateView

from constituencies.postcodes.lookup import lookup_postcode
from constituencies.postcodes.messages import EXAMPLE
from constituencies.rules.postcodes import MAX_TYPED, looks_like_outward_code, normalise_postcode
from constituencies.seats.data_version import cached_by_seat_data, seat_data_version
from constituencies.seats.hex_layout import neighbourhood
from constituencies.seats.links import absolute_url, seat_path, with_query
from constituencies.web import views
from constituencies.web.forms import PostcodeForm, SearchForm
from constituencies.web.search import search_constituencies
from constituencies.web.seat_page import (
    SeatNotFound,
    build_seat_page,
    meta_description,
    share_links,
)
from constituencies.web.share_cards import card_response, seat_card


class PostcodeView(views.HomeView):
    """GET /postcode/?postcode=...: one seat -> its page; a split postcode -> a choice; else the
    home page again with a specific message beside what was typed."""

    def get(self, request, *args, **kwargs):
        form = PostcodeForm(request.GET or None)
        if not form.is_valid():
            return self.render_home(form)
        result = lookup_postcode(form.cleaned_data["postcode"])
        if not result.found:
            form.add_error("postcode", result.message)
            return self.render_home(form, lookup=result)
        if result.is_split:
            return render(
                request,
                "constituencies/postcode_choice.html",
                {
                    "result": result,
                    "choices": [
                        (c, seat_path(c.slug, postcode=result.postcode)) for c in result.constituencies
                    ],
                },
            )
        return redirect(seat_path(result.constituencies[0].slug, postcode=result.postcode))

    def render_home(self, form, lookup=None):
        self.object_list = self.get_queryset()
        context = self.get_context_data(form=form, lookup=lookup)
        return self.render_to_response(context)


class SearchView(TemplateView):
    template_name = "constituencies/search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        results, text = None, ""
        if form.is_bound and form.is_valid():
            text = form.cleaned_data["q"]
            if text.strip():
                # Someone who types a whole postcode here wants the postcode look-up.
                if normalise_postcode(text) is not None:
                    return redirect(f"{reverse('constituencies:postcode')}?{urlencode({'postcode': text})}")
                results = search_constituencies(text)
        context = self.get_context_data(
            form=form,
            results=results,
            query=text,
            outward_code=bool(results is not None and not results.count and looks_like_outward_code(text)),
            postcode_example=EXAMPLE,
        )
        return self.render_to_response(context)


# The same for everyone (the supporters' join form has no CSRF token: supporters/web/same_origin.py), so kept
# per process; only ?election= and ?postcode= change what it shows.
@method_decorator(cached_by_seat_data(params=("election", "postcode")), name="dispatch")
class SeatView(TemplateView):
    template_name = "constituencies/seat_detail.html"

    def get(self, request, *args, **kwargs):
        election_slug = request.GET.get("election") or None
        try:
            page = build_seat_page(kwargs["slug"], election_slug)
        except SeatNotFound as exc:
            return render(
                request,
                "constituencies/seat_not_found.html",
                {"message": exc.message, "search_form": SearchForm()},
                status=404,
            )
        canonical_url = absolute_url(request, page.canonical_path)
        description = meta_description(page)
        context = self.get_context_data(
            page=page,
            canonical_url=canonical_url,
            card_url=absolute_url(request, seat_card_path(kwargs["slug"], page)),
            meta_description=description,
            share_links=share_links(canonical_url, f"{page.constituency.name} | Seat Finder", description),
            your_postcode=_confirmed_postcode(request.GET.get("postcode"), page),
            neighbourhood=neighbourhood(page.constituency, page.election),
            # The seat whose supporters the page shows, and whose join form (templates/supporters/), if any.
            supporters_seat=page.constituency if page.is_current_boundaries else None,
        )
        return self.render_to_response(context)


def _confirmed_postcode(text: str | None, page) -> str | None:
    """Say "SW1A 0AA is in this constituency" only when that is true (directory or cached answer)."""
    if not text or not page.is_current_boundaries:
        return None
    result = lookup_postcode(text[:MAX_TYPED], allow_network=False)
    if result.found and any(c.pk == page.constituency.pk for c in result.constituencies):
        return result.postcode
    return None


def seat_card_path(slug: str, page) -> str:
    """The card of the page as shown (the same ?election= as its canonical URL), at this data version."""
    election = page.election.slug if page.election and page.canonical_path != seat_path(slug) else None
    params = [("election", election)] if election else []
    return with_query(
        reverse("constituencies:seat_card", args=[slug]), [*params, ("v", str(seat_data_version()))]
    )


def seat_card_png(request, slug):
    """GET /seats/<slug>/card.png: the seat page's share card (web/share_cards.py)."""
    election_slug = request.GET.get("election") or None

    def make_card():
        try:
            return seat_card(build_seat_page(slug, election_slug))
        except SeatNotFound as exc:
            return HttpResponseNotFound(exc.message, content_type="text/plain; charset=utf-8")

    return card_response(request, ("seat", slug, election_slug), make_card)
