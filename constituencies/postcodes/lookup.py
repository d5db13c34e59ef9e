"""Postcode look-up: from whatever someone typed to their constituencies, or a specific reason why not.

Order: the local postcode directory (the Postcode table) on the current boundaries (those of the
most recent general election loaded); then, if switched on, postcodes.io, whose answers are cached.
One function, `lookup_postcode`, serves the home page form, the search and the JSON API.
"""

from __future__ import annotations

import enum
import functools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from constituencies.models import BoundarySet, Constituency, Election, Postcode
from constituencies.postcodes.remote import PostcodesIO, RemoteAnswer, RemoteLookupFailed
from constituencies.postcodes.snapshots import lookups as snapshot_lookups
from constituencies.rules.postcodes import (
    NORTHERN_IRELAND_AREA,
    normalise_postcode,
    outside_place,
    postcode_area,
    typo_corrections,
)
from constituencies.seats.current import CURRENT_BOUNDARY_SET_ID_SQL, current_boundary_set_id_expression

logger = logging.getLogger(__name__)

CACHE_PREFIX = "seatfinder:postcodes.io:v1:"
# After a remote failure: the time (seconds since the epoch) until which postcodes.io is not called (_remote).
REMOTE_BACKOFF_KEY = CACHE_PREFIX + "left-alone-until"
# A postcode area (the letters of "SW1A 0AA", "SW") holding fewer postcodes than this in the directory is
# not covered by it: the demo's handful, a sample file, or none. Every area of the ONS Postcode Directory
# holds far more.
AREA_COVERED_FROM = 100
# A directory with no more live postcodes than this can only be a demo or a sample: the home page lists them.
POSTCODES_TO_TRY_UP_TO = 20

# ONS "pseudo" constituency codes for places outside the constituencies.
PSEUDO_CONSTITUENCY = re.compile(r"^[A-Z]99999999$")
PSEUDO_PLACES = {"L": "the Channel Islands", "M": "the Isle of Man"}


class Outcome(enum.StrEnum):
    FOUND = "found"
    NOT_A_POSTCODE = "not_a_postcode"
    UNKNOWN = "unknown_postcode"
    TERMINATED = "terminated_postcode"
    OUTSIDE = "outside_coverage"  # a real postcode outside Great Britain's constituencies, or not covered
    NO_DATA = "no_data"  # we know where it is but hold no results there (or none at all)
    UNAVAILABLE = "lookup_unavailable"  # the remote provider failed; try again later


@dataclass(frozen=True)
class LookupResult:
    outcome: Outcome
    text: str  # what the person typed
    postcode: str | None = None  # normalised, e.g. "SW1A 0AA"
    constituencies: tuple[Constituency, ...] = field(default=())  # several when the postcode is split
    terminated_on: date | None = None
    place: str = ""  # where an OUTSIDE or NO_DATA postcode is, when known
    source: str = ""  # "directory" or "postcodes.io"
    # For an UNKNOWN postcode: how many postcodes of its area the directory holds (counted up to
    # AREA_COVERED_FROM). Fewer than that and the gap is ours, not a typo.
    postcodes_held_in_area: int = AREA_COVERED_FROM
    # For text that is NOT_A_POSTCODE: the well-formed postcode it looks like a typing slip of, if any, and
    # whether the directory holds it (in use) on the current boundaries.
    suggestion: str | None = None
    suggestion_in_directory: bool = False

    @property
    def directory_covers_area(self) -> bool:
        return self.postcodes_held_in_area >= AREA_COVERED_FROM

    @property
    def found(self) -> bool:
        return self.outcome is Outcome.FOUND

    @property
    def is_split(self) -> bool:
        return self.found and len(self.constituencies) > 1

    @property
    def message(self) -> str:
        from constituencies.postcodes.messages import message_for  # messages.py reads this module's outcomes

        return message_for(self)


def lookup_postcode(
    text: str, *, allow_network: bool = True, clock: Callable[[], float] = time.time
) -> LookupResult:
    """Resolve typed text to constituencies on the current boundaries, or say exactly why not.

    With allow_network=False the remote provider's cached answers are used but it is never called.
    `clock` gives the time since the epoch for the remote back-off, which every process shares.
    """
    text = text or ""
    postcode = normalise_postcode(text)
    if postcode is None:
        return not_a_postcode(text)
    place = outside_place(postcode)
    if place:
        return LookupResult(Outcome.OUTSIDE, text, postcode, place=place)

    snapshot_rows = snapshot_lookups.directory_rows(postcode)
    rows = snapshot_rows if snapshot_rows is not None else database_directory_rows(postcode)
    live = [constituency for terminated_on, constituency in rows if terminated_on is None]
    if live:
        return LookupResult(Outcome.FOUND, text, postcode, _unique(live), source="directory")
    if rows:
        return LookupResult(
            Outcome.TERMINATED,
            text,
            postcode,
            _unique(constituency for _, constituency in rows),
            terminated_on=max(terminated_on for terminated_on, _ in rows),
            source="directory",
        )
    has_constituencies, held_in_area = _directory_coverage(postcode, from_snapshot=snapshot_rows is not None)
    if not has_constituencies:
        return LookupResult(Outcome.NO_DATA, text, postcode)
    if settings.SEATFINDER_POSTCODES_IO:
        return _remote(text, postcode, allow_network, held_in_area, clock)
    return _not_in_directory(text, postcode, held_in_area)


def not_a_postcode(text: str) -> LookupResult:
    """Text that cannot be a postcode, with the postcode it may be a typing slip of (rules.postcodes): the first
    that the directory holds in use, else the first."""
    corrections = typo_corrections(text)
    for correction in corrections:
        rows = snapshot_lookups.directory_rows(correction)
        rows = rows if rows is not None else database_directory_rows(correction)
        if any(terminated_on is None for terminated_on, _ in rows):
            return LookupResult(
                Outcome.NOT_A_POSTCODE, text, suggestion=correction, suggestion_in_directory=True
            )
    return LookupResult(Outcome.NOT_A_POSTCODE, text, suggestion=corrections[0] if corrections else None)


@functools.cache
def _directory_sql() -> str:
    """The hot path, written out once: one indexed query, no ORM compilation per look-up (which cost
    several times the query itself). The current boundaries are the most recent general election's,
    else the most recent election's, as in current.py: resolved inside the statement, so a new general
    election takes effect on the next look-up in every process, with nothing cached to invalidate.
    Parameters: the general election kind, then the normalised postcode."""
    # The postcode rows are fetched first, on their own (the (boundary set, postcode) index), and only
    # then joined to their constituencies by primary key: even with stale planner statistics, say just
    # after a big import, the join cannot turn into a scan of every postcode for every constituency.
    return f"""
        WITH hits AS MATERIALIZED (
            SELECT p.terminated_on, p.constituency_id
            FROM {Postcode._meta.db_table} p
            WHERE p.boundary_set_id = {CURRENT_BOUNDARY_SET_ID_SQL}
            AND p.postcode = %s
        )
        SELECT hits.terminated_on, c.id, c.boundary_set_id, c.ons_id, c.name, c.slug, c.region, c.country,
               b.code, b.name
        FROM hits
        JOIN {Constituency._meta.db_table} c ON c.id = hits.constituency_id
        JOIN {BoundarySet._meta.db_table} b ON b.id = c.boundary_set_id
        ORDER BY c.name, c.id
    """


CONSTITUENCY_COLUMNS = ["id", "boundary_set_id", "ons_id", "name", "slug", "region", "country"]


def _query_directory(postcode: str) -> list[tuple]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_directory_sql(), [Election.Kind.GENERAL.value, postcode])
        return cursor.fetchall()


def database_directory_rows(postcode: str) -> list[tuple[date | None, Constituency]]:
    """(terminated_on, constituency) for each directory row of a normalised postcode on the current boundaries,
    asked of the database (when there is no look-up snapshot for the directory in place)."""
    alias = DEFAULT_DB_ALIAS
    out = []
    boundary_sets = {}  # one instance per boundary set (all rows share the current one)
    for terminated_on, *values, code, name in _query_directory(postcode):
        constituency = Constituency.from_db(alias, CONSTITUENCY_COLUMNS, values)
        boundary_set = boundary_sets.get(values[1])
        if boundary_set is None:
            boundary_set = boundary_sets[values[1]] = BoundarySet.from_db(
                alias, ["id", "code", "name"], [values[1], code, name]
            )
        constituency.boundary_set = boundary_set
        out.append((terminated_on, constituency))
    return out


@functools.cache
def _coverage_sql() -> str:
    """Whether the current boundaries (as in _directory_sql) have constituencies, and how many postcodes
    (counted up to AREA_COVERED_FROM) the directory holds on them in one postcode area. Parameters: the
    general election kind, the area's first and last possible postcode (an index range), the limit."""
    return f"""
        WITH cur AS (SELECT {CURRENT_BOUNDARY_SET_ID_SQL} AS boundary_set_id)
        SELECT
            EXISTS (
                SELECT 1 FROM {Constituency._meta.db_table} c
                WHERE c.boundary_set_id = (SELECT boundary_set_id FROM cur)
            ),
            (SELECT count(*) FROM (
                SELECT 1 FROM {Postcode._meta.db_table} p
                WHERE p.boundary_set_id = (SELECT boundary_set_id FROM cur)
                AND p.postcode >= %s AND p.postcode < %s
                LIMIT %s
            ) held)
    """


def _directory_coverage(postcode: str, from_snapshot: bool) -> tuple[bool, int]:
    """(the current boundaries have constituencies, postcodes held in this postcode's area up to
    AREA_COVERED_FROM), asked only when the directory does not know a postcode: from the look-up
    snapshot when one answered (a snapshot exists only for an imported directory, so then the current
    boundaries have constituencies), else in one query."""
    # An area's postcodes are its letters then a digit, and digits sort before letters ("SW0" to "SWA"
    # holds every SW postcode and no S or SE one) bytewise, in the C collation and the usual linguistic ones.
    area = postcode_area(postcode)
    first, before = f"{area}0", f"{area}A"
    held = snapshot_lookups.count_between(first, before) if from_snapshot else None
    if held is not None:
        return True, min(held, AREA_COVERED_FROM)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_coverage_sql(), [Election.Kind.GENERAL.value, first, before, AREA_COVERED_FROM])
        has_constituencies, held_in_area = cursor.fetchone()
    return has_constituencies, held_in_area


def postcodes_to_try() -> list[str]:
    """The live postcodes of the directory on the current boundaries when it is so small that it can only be
    the demo's handful (or a sample): examples to show beside the form. Else none."""
    postcodes = list(
        Postcode.objects.filter(
            boundary_set_id=current_boundary_set_id_expression(), terminated_on__isnull=True
        )
        .order_by("postcode")
        .values_list("postcode", flat=True)
        .distinct()[: POSTCODES_TO_TRY_UP_TO + 1]
    )
    return postcodes if len(postcodes) <= POSTCODES_TO_TRY_UP_TO else []


def _unique(constituencies) -> tuple[Constituency, ...]:
    seen = {}
    for constituency in constituencies:
        seen.setdefault(constituency.pk, constituency)
    return tuple(seen.values())


def _not_in_directory(text: str, postcode: str, held_in_area: int) -> LookupResult:
    """A postcode our directory does not know: not in it at all, or in an area it does not cover."""
    if postcode_area(postcode) == NORTHERN_IRELAND_AREA and held_in_area == 0:
        # A directory from a Great Britain-only source; the full ONSPD includes Northern Ireland.
        return LookupResult(Outcome.OUTSIDE, text, postcode, place="Northern Ireland")
    return LookupResult(
        Outcome.UNKNOWN, text, postcode, postcodes_held_in_area=min(held_in_area, AREA_COVERED_FROM)
    )


def remote_client() -> PostcodesIO:
    return PostcodesIO(settings.SEATFINDER_POSTCODES_IO_URL, settings.SEATFINDER_POSTCODES_IO_TIMEOUT)


def _remote(
    text: str, postcode: str, allow_network: bool, held_in_area: int, clock: Callable[[], float]
) -> LookupResult:
    """Ask postcodes.io (or its cached answer). After a failure it is not asked again for
    SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS, so while it is down no request waits out the timeout."""
    key = CACHE_PREFIX + postcode.replace(" ", "")
    known = cache.get_many([key, REMOTE_BACKOFF_KEY])
    if key in known:
        answer = RemoteAnswer.from_dict(known[key])
    elif not allow_network:
        return _not_in_directory(text, postcode, held_in_area)
    elif known.get(REMOTE_BACKOFF_KEY, 0) > clock():
        return LookupResult(Outcome.UNAVAILABLE, text, postcode, source="postcodes.io")
    else:
        try:
            answer = remote_client().lookup(postcode)
        except RemoteLookupFailed as exc:
            logger.warning("Remote postcode look-up of %s failed: %s", postcode, exc)
            backoff = settings.SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS
            if backoff > 0:
                cache.set(REMOTE_BACKOFF_KEY, clock() + backoff, backoff)
            return LookupResult(Outcome.UNAVAILABLE, text, postcode, source="postcodes.io")
        cache.set(key, answer.as_dict(), settings.SEATFINDER_POSTCODES_IO_CACHE_SECONDS)

    if answer.status == "unknown":
        # postcodes.io knows every UK postcode, Northern Ireland's too: this one is not in use.
        return LookupResult(Outcome.UNKNOWN, text, postcode, source="postcodes.io")
    if answer.status == "terminated":
        terminated_on = None
        if answer.terminated_year and answer.terminated_month and 1 <= answer.terminated_month <= 12:
            terminated_on = date(answer.terminated_year, answer.terminated_month, 1)
        return LookupResult(
            Outcome.TERMINATED, text, postcode, terminated_on=terminated_on, source="postcodes.io"
        )
    code = answer.constituency_code
    if code is None or PSEUDO_CONSTITUENCY.match(code):
        place = PSEUDO_PLACES.get((code or " ")[0], "")
        return LookupResult(Outcome.OUTSIDE, text, postcode, place=place, source="postcodes.io")
    constituencies = tuple(
        Constituency.objects.filter(
            boundary_set_id=current_boundary_set_id_expression(), ons_id=code
        ).select_related("boundary_set")
    )
    if not constituencies:
        place = answer.constituency_name or code
        return LookupResult(Outcome.NO_DATA, text, postcode, place=place, source="postcodes.io")
    return LookupResult(Outcome.FOUND, text, postcode, constituencies, source="postcodes.io")
