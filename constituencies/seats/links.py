"""Links to the site's pages: a seat's URL, query strings, and absolute URLs.

With SEATFINDER_SITE_URL set, absolute URLs start with the public address, whatever host or scheme the
request reached the server with (behind a proxy that is often http://127.0.0.1:8000); else with the request's.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

SLUG_MARK = "--slug--"  # a valid slug that no seat has, to reverse the seat URL once


def seat_path(slug: str, election_slug: str | None = None, *, postcode: str | None = None) -> str:
    """A seat's page: "/seats/<slug>/", with ?election= for any result but the one the page shows by default,
    and ?postcode= after a look-up."""
    path = _seat_path_template(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF).replace(
        SLUG_MARK, slug
    )
    params = [("election", election_slug)] if election_slug else []
    if postcode:
        params.append(("postcode", postcode))
    return with_query(path, params)


@functools.lru_cache(maxsize=16)
def _seat_path_template(script_prefix: str, urlconf) -> str:
    # reverse() once per script prefix and URLconf (what it depends on): a 650-seat export links every row.
    return reverse("constituencies:seat", args=[SLUG_MARK])


def with_query(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def absolute_url(request, path: str) -> str:
    """ "/seats/batley-and-spen/" -> "https://seatfinder.example.org/seats/batley-and-spen/"."""
    if settings.SEATFINDER_SITE_URL:
        return settings.SEATFINDER_SITE_URL + path
    return request.build_absolute_uri(path)


def site_root(request) -> str:
    """ "https://host", to make the site's paths absolute in downloads and the API."""
    return absolute_url(request, "/").rstrip("/")
