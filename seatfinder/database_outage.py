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

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from constituencies.seats.database import database_unavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# One warning per process at most this often, with the number of 503s since the last one, not one per request.
LOG_EVERY_SECONDS = 60
TEMPLATE = "database_unavailable.html"
API_PREFIX = "/api/"


class DatabaseUnavailableMiddleware:
    """Turns a view's database-away error into a 503. Last in MIDDLEWARE: innermost, so it is the first to
    see the view's exception, and its answer still passes out through the security, compression and session
    middleware above it like any other response."""

    def __init__(self, get_response, clock=time.monotonic):
        self.get_response = get_response
        self.clock = clock
        self._lock = threading.Lock()
        self._logged_at = float("-inf")
        self._unlogged = 0
        # django.request would log every 503 at ERROR ("Service Unavailable: /path"): warn() says it instead.
        logging.getLogger("django.request").addFilter(skip_answered_outages)

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        request.database_unavailable = True
        self.warn(request, exception)
        return unavailable_response(request)

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
