"""Responses of the seat listings cached per process, keyed on the version of the data they show.

The database keeps the version itself (migration 0005_seat_data_version): any committed change to the
tables the listings read gives it a new number, never one used before, whatever wrote it (an import, a
bloc change, an override, the admin, raw SQL). A cached response is used only while the version is the
one it was built on, so the first request after a change rebuilds it, in every worker process, with no
time-to-live and nothing to invalidate by hand. Each request still reads the version: one small query.

`cached_by_seat_data` wraps a view: GET requests answered 200 are kept, by scheme, host, path and the query
parameters the page uses (`cache_query`: never utm_*, fbclid and the like; with `params=`, only those), in a
small per-process LRU (SEATFINDER_RESPONSE_CACHE_MB, default 32; 0 turns caching off). Inside a transaction
(where uncommitted changes are not yet in the version) nothing is cached or served. The views it wraps show
the same thing to everyone (no user, session or CSRF token in them).

`read_for_request()` reads the version (and when it changed) once for a whole GET request: seatfinder/
http_cache.py calls it for the ETag and Last-Modified, and `seat_data_version()` then answers from it.
While the database is away, the answer kept for the last version this process read is served: stale by at
most what was committed just before the outage, and better than a 503 (seatfinder/database_outage.py).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections import OrderedDict
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse

from constituencies.seats.database import database_unavailable

MAX_ENTRY_SHARE = 4  # one response may take at most a quarter of the budget
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")


# Parameters that say where a visitor came from, never what a page shows: left out of every cache key.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid", "yclid", "igshid",
     "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "si"}
)  # fmt: skip


class _LastRead:
    version: int | None = None  # the last version this process read, committed (outside a transaction)


class SeatDataState(NamedTuple):
    version: int
    changed_at: int  # when the commit that made this version was made (migration 0013), in epoch seconds


_read_for_this_request: ContextVar[SeatDataState | None] = ContextVar("seat_data_state", default=None)


def read_seat_data_state() -> SeatDataState:
    """The version and when it changed. As a request's first query (seatfinder/http_cache.py) it is also the
    connection's health check: with CONN_HEALTH_CHECKS Django would send a `SELECT 1` first on a reused
    connection, a second round trip for every cached page; instead a connection this query finds broken is
    closed and the query asked once more on a new one, which is what the health check would have done."""
    connection = connections[DEFAULT_DB_ALIAS]
    unchecked = connection.connection is not None and not connection.health_check_done
    if unchecked:
        connection.health_check_done = True
    try:
        state = _read_state(connection)
    except (OperationalError, InterfaceError):
        if not unchecked or connection.in_atomic_block:
            raise
        connection.close()
        state = _read_state(connection)
    if not connection.in_atomic_block:
        _LastRead.version = state.version
    return state


def _read_state(connection) -> SeatDataState:
    with connection.cursor() as cursor:
        # Whole seconds, as Last-Modified has them (and an int is quicker to read than a timestamptz).
        cursor.execute(
            "SELECT version, floor(extract(epoch FROM changed_at))::bigint"
            " FROM constituencies_seat_data_version WHERE id = 1"
        )
        return SeatDataState(*cursor.fetchone())


def seat_data_version() -> int:
    state = _read_for_this_request.get()
    if state is not None:
        return state.version
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM constituencies_seat_data_version WHERE id = 1")
        version = cursor.fetchone()[0]
    if not connection.in_atomic_block:
        _LastRead.version = version
    return version


@contextlib.contextmanager
def read_for_request():
    """Read the state once, for a request that writes nothing (a GET or HEAD outside a transaction): inside,
    `seat_data_version()` answers from it, so a warm cached page costs that one query."""
    state = read_seat_data_state()
    token = _read_for_this_request.set(state)
    try:
        yield state
    finally:
        _read_for_this_request.reset(token)


def known_seat_data_version() -> int | None:
    """The version read for this request, if it was (read_for_request); None elsewhere, and in tests'
    transactions."""
    state = _read_for_this_request.get()
    return state.version if state is not None else None


def without_version_validators(view):
    """Mark a view whose answers are not read at the version (the postcode API answers from a per-process
    snapshot, refreshed every few seconds): seatfinder/http_cache.py gives them no ETag or Last-Modified."""
    view.without_version_validators = True
    return view


def cache_query(query, params: tuple[str, ...] | None = None) -> tuple[tuple[str, str], ...]:
    """The query string as a cache key: only `params` when given, else every parameter but the tracking ones;
    in the order of their names (a value's order within its name is kept: it may matter)."""
    return tuple(
        (name, value)
        for name in sorted(query)
        if (name in params if params is not None else not is_tracking(name))
        for value in query.getlist(name)
    )


def is_tracking(name: str) -> bool:
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


class KeptPerVersion:
    """What a process works out from the seat data, kept while the data version is the one it was worked out on.

    `get(key, compute)` runs compute() once per (key, version), keeps the `size` most recently used, and lets
    two threads asking for the same new answer compute it once. `keep(answer)` may refuse an answer (a 404,
    say). Inside a transaction, where uncommitted changes are not yet in the version, it computes afresh and
    keeps nothing. `computed` counts what it kept, for the tests and benchmarks.
    """

    def __init__(self, size: int):
        self.size = size
        self.computed = 0
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}

    def get(self, key, compute, *, version: int | None = None, keep=lambda answer: True):
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return compute()
        full_key = (key, seat_data_version() if version is None else version)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                return self._entries[full_key]
            one_at_a_time = self._computing.setdefault(full_key, threading.Lock())
        with one_at_a_time:
            with self._lock:
                if full_key in self._entries:
                    return self._entries[full_key]
            answer = compute()
            with self._lock:
                self._computing.pop(full_key, None)
                if keep(answer):
                    self.computed += 1
                    self._entries[full_key] = answer
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
            return answer

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.computed = 0


class ResponseCache:
    """A byte-bounded LRU of (status, body, headers), safe to share between a worker's threads."""

    def __init__(self):
        self._entries: OrderedDict[tuple, tuple[int, bytes, list[tuple[str, str]]]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry, budget: int) -> None:
        size = len(entry[1])
        if size > budget // MAX_ENTRY_SHARE:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > budget:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted[1])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


responses = ResponseCache()


def cached_by_seat_data(view=None, *, params: tuple[str, ...] | None = None):
    """Serve a view's 200 answers from the per-process cache while the seat data version is unchanged.

    Use on function views, or on a class-based view's dispatch with method_decorator; as
    `cached_by_seat_data(params=(...))` for a view that reads only those query parameters. A path belongs to
    one view, so the key needs no view name. Parameters the page does not read (utm_source=..., fbclid=...)
    are left out of the key rather than redirected away: a redirect would cost every visitor from a shared
    link a round trip, and the landing URL (with its campaign tags) stays in the logs as it came."""
    if view is None:
        return functools.partial(cached_by_seat_data, params=params)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        budget = int(settings.SEATFINDER_RESPONSE_CACHE_MB * 1024 * 1024)
        if request.method != "GET" or budget <= 0 or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return view(request, *args, **kwargs)
        query = cache_query(request.GET, params)
        page = (request.scheme, request.get_host(), request.path, query)
        try:
            key = (*page, seat_data_version())
        except DatabaseError as exc:
            # The database is away: the answer kept for the last version read here, if any, is the best there
            # is (no change can be committed meanwhile; one committed just before may not be in it yet).
            entry = responses.get((*page, _LastRead.version)) if database_unavailable(exc) else None
            if entry is None:
                raise
            return _replay(entry)
        entry = responses.get(key)
        if entry is not None:
            return _replay(entry)
        response = view(request, *args, **kwargs)

        def keep(response):
            if response.status_code == 200 and not response.streaming and not response.cookies:
                headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
                responses.put(key, (response.status_code, response.content, headers), budget)

        if hasattr(response, "add_post_render_callback"):  # a TemplateResponse: kept once rendered
            response.add_post_render_callback(keep)
        else:
            keep(response)
        return response

    return wrapper


def _replay(entry) -> HttpResponse:
    status, body, headers = entry
    response = HttpResponse(body, status=status)
    for header, value in headers:
        response[header] = value
    return response
