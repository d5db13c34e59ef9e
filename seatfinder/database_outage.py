"""While the database is away, answer 503 with Retry-After: JSON under /api/, a short page elsewhere.

Only errors that mean the database is away (constituencies/seats/database.py) are answered so; any other
error stays a 500 with its traceback. What needs no database keeps working meanwhile: the postcode look-ups
from the snapshot each process holds (postcodes/snapshots.py), and the responses cached for the last seat data
version read (seats/data_version.py). Django reconnects by itself once the server is back: connections are
checked before reuse (CONN_HEALTH_CHECKS) and a broken one is closed at the end of its request.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from constituencies.seats.database import database_unavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# One warning per process at most this often, with the number of 503s since the last one, not one per request.
LOG_EVERY_SECONDS = 60
RETRY_EVERY_SECONDS = 0.25
QUIET_SECONDS = 10.0
SAFE = ("GET", "HEAD")  # only these are run again: a view that writes must not run twice
TEMPLATE = "database_unavailable.html"
API_PREFIX = "/api/"


class DatabaseUnavailableMiddleware:
    """Turns a view's database-away error into a 503. Last in MIDDLEWARE: innermost, so it is the first to
    see the view's exception, and its answer still passes out through the security, compression and session
    middleware above it like any other response.

    A restart (`pg_ctl restart -m fast`, a managed database's maintenance) lasts a second or two. For the first
    SEATFINDER_DATABASE_HOLD_SECONDS of an outage, a GET or HEAD waits and runs its view again every
    RETRY_EVERY_SECONDS, so a restart costs latency rather than errors; once the outage is older, requests
    fail at once, and a long one does not hold every worker. An outage is over when no request has found the
    database away for QUIET_SECONDS, or when a view run again succeeds."""

    def __init__(self, get_response, clock=time.monotonic, sleep=time.sleep):
        self.get_response = get_response
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._logged_at = float("-inf")
        self._unlogged = 0
        self._away_since = self._away_last = float("-inf")
        # django.request would log every 503 at ERROR ("Service Unavailable: /path"): warn() says it instead.
        logging.getLogger("django.request").addFilter(skip_answered_outages)

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        began = self._outage_began()
        hold_until = began + settings.SEATFINDER_DATABASE_HOLD_SECONDS if request.method in SAFE else began
        while self.clock() + RETRY_EVERY_SECONDS <= hold_until:
            self.sleep(RETRY_EVERY_SECONDS)
            connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()  # a broken one: connect afresh
            try:
                response = run_view_again(request)
            except Exception as again:  # noqa: BLE001 (what is not the database away goes on as a 500)
                if not database_unavailable(again):
                    raise
                exception = again
                continue
            with self._lock:
                self._away_last = float("-inf")  # back
            return response
        request.database_unavailable = True
        self.warn(request, exception)
        return unavailable_response(request)

    def _outage_began(self) -> float:
        with self._lock:
            now = self.clock()
            if now - self._away_last > QUIET_SECONDS:
                self._away_since = now
            self._away_last = now
            return self._away_since

    def warn(self, request, exception) -> None:
        with self._lock:
            now = self.clock()
            if now - self._logged_at < LOG_EVERY_SECONDS:
                self._unlogged += 1
                return
            since, self._logged_at, self._unlogged = self._unlogged, now, 0
        first_line = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
        logger.warning(
            "Database unavailable, answering 503 (%s: %s) at %s%s",
            type(exception).__name__,
            first_line,
            request.path,
            f"; {since} more 503s since the last warning" if since else "",
        )


def run_view_again(request):
    """The view that raised, run again (and rendered, for a TemplateResponse), as the handler ran it."""
    match = request.resolver_match
    response = match.func(request, *match.args, **match.kwargs)
    if callable(getattr(response, "render", None)):
        response = response.render()
    return response


def skip_answered_outages(record: logging.LogRecord) -> bool:
    return not getattr(getattr(record, "request", None), "database_unavailable", False)


def unavailable_response(request) -> HttpResponse:
    """The 503 itself, built without the database: no context processors, nothing from the session or user."""
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse(
            {
                "error": "database_unavailable",
                "message": f"The database is not answering just now. Try again in {RETRY_AFTER_SECONDS} seconds.",
            },
            status=503,
        )
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response = HttpResponse(render_to_string(TEMPLATE, {"request": request}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # a cache must not keep the outage for longer than it lasts
    return response
