"""The site's HTTP caching policy, in one place: validators from the seat data version, a public Cache-Control
for what is the same for everyone, and never a public one for anything private.

For an anonymous GET or HEAD of a public page or API answer (no session cookie; not under PRIVATE_PATHS):
- first, the seat data version and when it changed are read (one query; the cached views then answer from
  it, seats/data_version.read_for_request). A matching `If-None-Match` (or, without one, an
  `If-Modified-Since` at or after the change) is answered 304 with no body there and then: neither the rest of
  the middleware (sessions, CSRF, authentication) nor the view runs.
- a 200 answer that sets no cookie and does not vary on one gets
  `ETag: W/"<build>-<version>"`, `Last-Modified` (the later of the data's change and the code's) and
  `Cache-Control: public, max-age=…, s-maxage=…, stale-while-revalidate=…` (SEATFINDER_CACHE_* settings).
  A view that sets its own Cache-Control keeps it (the share cards, keyed on the version in their URL).

The ETag names the data version and the build (SEATFINDER_BUILD, else a digest of the code, templates and
static files), so a data change or a deploy changes it. It is weak: the same page gzipped or not is the same
page to the ETag, which is what GZipMiddleware makes of a strong one anyway. Every public page is a function
of its URL, the seat data and the code (the version covers the seat data, confirmed supporters, local groups
and the postcode directory: migrations 0005, 0013, supporters 0002 and 0005); a view answered from something
else says so with `seats.data_version.without_version_validators` and gets the policy without validators.

Private, with `Cache-Control: private, no-store`: everything under PRIVATE_PATHS (the admin, the supporters'
own pages, the organisers'), any request with a session cookie (a signed-in user), and any answer that sets a
cookie or varies on one (a form with a CSRF token). Inside a transaction (tests), no validators are given.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from constituencies.seats import data_version
from seatfinder.middleware import UNCOMPRESSED

PRIVATE_PATHS = (*UNCOMPRESSED, "/organise/", "/join/")
CONDITIONAL_METHODS = ("GET", "HEAD")
CODE_FOLDERS = ("constituencies", "supporters", "seatfinder", "templates", "static")
# Answers a shared cache may keep for a short while: a page or API answer, or a definite "no such thing"
# (a bad or unknown postcode, a seat we do not have). Only a 200 gets validators.
PUBLIC_STATUSES = (200, 304, 400, 404, 410)


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: int  # seconds since the epoch

    @classmethod
    def of(cls, state: data_version.SeatDataState) -> Validators:
        build, built_at = code_build()
        return cls(etag=f'W/"{build}-{state.version}"', last_modified=max(state.changed_at, built_at))

    def not_modified(self, request) -> bool:
        """RFC 9110 13.2.2: If-None-Match when sent (weak comparison, "*" never matches here: the view would
        have to say whether the page exists), else If-Modified-Since."""
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            ours = self.etag.removeprefix("W/")
            return any(tag.removeprefix("W/") == ours for tag in parse_etags(if_none_match) if tag != "*")
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and self.last_modified <= since


@functools.cache
def code_build() -> tuple[str, int]:
    """(build id, when the code last changed): SEATFINDER_BUILD if set (e.g. the commit a deploy runs), else a
    digest of every file of the code, templates and static files, the same on every host of one release."""
    digest = hashlib.sha256()
    newest = 0
    for folder in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode() + b"\0" + path.read_bytes())
                newest = max(newest, int(path.stat().st_mtime))
    build = settings.SEATFINDER_BUILD or digest.hexdigest()[:12]
    return "".join(c for c in build if c.isalnum() or c in "._-")[:40], newest


def public_policy() -> str:
    return (
        f"public, max-age={settings.SEATFINDER_CACHE_MAX_AGE}, s-maxage={settings.SEATFINDER_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.SEATFINDER_CACHE_STALE_WHILE_REVALIDATE}"
    )


def is_private_request(request) -> bool:
    return request.path_info.startswith(PRIVATE_PATHS) or settings.SESSION_COOKIE_NAME in request.COOKIES


def is_private_response(response) -> bool:
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    return bool(response.cookies) or "cookie" in vary


def set_validators(response, validators: Validators) -> None:
    response["ETag"] = validators.etag
    response["Last-Modified"] = http_date(validators.last_modified)


class HttpCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.seat_data_validators = None
        reading = self.read_version(request)
        try:
            if reading is not None and request.seat_data_validators.not_modified(request):
                response = HttpResponseNotModified()  # the rest of the middleware and the view never run
                response["Vary"] = "Accept-Encoding"  # as the 200 says (GZipMiddleware); RFC 9110 15.4.5
            else:
                response = self.get_response(request)
        finally:
            if reading is not None:
                reading.__exit__(None, None, None)
        return self.apply_policy(request, response)

    def read_version(self, request):
        """For a public GET or HEAD of a view answered at the version: the version read (and kept for the
        request, read_for_request), with the validators it gives on the request; else None."""
        if (
            request.method not in CONDITIONAL_METHODS
            or is_private_request(request)
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return None
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None  # Django answers it (a 404, or CommonMiddleware's redirect to the slashed path)
        if getattr(match.func, "without_version_validators", False):
            return None
        reading = data_version.read_for_request()
        try:
            state = reading.__enter__()
        except DatabaseError:
            return None  # the database is away: the view answers as it can, with no validators
        request.seat_data_validators = Validators.of(state)
        return reading

    def apply_policy(self, request, response):
        if is_private_request(request) or is_private_response(response):
            patch_cache_control(response, private=True, no_store=True)
            return response
        if request.method not in CONDITIONAL_METHODS or response.status_code not in PUBLIC_STATUSES:
            return response
        validators = request.seat_data_validators
        if response.status_code == 304 and validators is None:
            return response  # a view's own 304 (the share cards)
        if "Cache-Control" not in response:
            response["Cache-Control"] = public_policy()
        if (
            validators is not None
            and response.status_code in (200, 304)
            and "ETag" not in response
            and "public" in response["Cache-Control"]
        ):
            set_validators(response, validators)
        return response
