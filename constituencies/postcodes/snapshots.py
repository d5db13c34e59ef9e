"""Postcode look-ups without a database round trip: each server process maps the look-up snapshot of the
directory in place (snapshot_file.py), building it on demand.

Each process asks the database, at most every SEATFINDER_LOOKUP_STATE_SECONDS, which boundary set is
current (the most recent general election's), which import of its directory is in place (its generation)
and the seat data version (for constituency names). When the generation is new, the process maps the
snapshot file of that generation from SEATFINDER_POSTCODE_SNAPSHOT_DIR; if there is none yet, it starts
building one in a background thread (the first process on a host builds it, the others find it written) and
until then look-ups ask the database, so no look-up waits for a build. A process that cannot build (a folder
it cannot write) keeps asking the database, and maps the file once another process has written it.
While the database is away, a process keeps answering from the snapshot it holds and checks again every
STATE_RETRY_SECONDS.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from constituencies.models import Constituency, Election, PostcodeDirectory
from constituencies.postcodes.snapshot_file import Snapshot, ensure_snapshot, snapshot_path
from constituencies.seats.current import CURRENT_BOUNDARY_SET_ID_SQL
from constituencies.seats.database import database_unavailable

logger = logging.getLogger(__name__)

# After a build fails, this process tries that generation again after this many seconds.
BUILD_RETRY_SECONDS = 300
# While the database is away, the state check is tried again after this many seconds (not on every look-up).
STATE_RETRY_SECONDS = 1.0


def snapshot_dir() -> Path | None:
    return _folder(settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR)


@functools.lru_cache(maxsize=4)
def _folder(setting: str | None) -> Path | None:
    # Called on every look-up; building a Path each time was a measurable share of one.
    return Path(setting) if setting else None


@dataclass(frozen=True)
class CurrentState:
    boundary_set_id: int
    generation: str | None  # the directory import in place for it, if any
    data_version: int


STATE_SQL = f"""
    SELECT cur.boundary_set_id, d.generation, (SELECT version FROM constituencies_seat_data_version WHERE id = 1)
    FROM (SELECT {CURRENT_BOUNDARY_SET_ID_SQL} AS boundary_set_id) cur
    LEFT JOIN {PostcodeDirectory._meta.db_table} d ON d.boundary_set_id = cur.boundary_set_id
"""


def current_state() -> CurrentState | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(STATE_SQL, [Election.Kind.GENERAL.value])
        row = cursor.fetchone()
    return CurrentState(*row) if row else None


def build_in_background(job: Callable[[], None]) -> threading.Thread:
    """Run a build on a thread of its own, with a database connection of its own, closed at the end."""

    def run():
        try:
            job()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="postcode-snapshot-build", daemon=True)
    thread.start()
    return thread


def build_now(job: Callable[[], None]) -> None:
    """Run a build in the calling thread, on its connection (for tests and the warm-up command)."""
    job()


class SnapshotLookups:
    """What one server process knows: the current state (re-read every few seconds), the snapshot mapped
    for it, and the current boundary set's constituencies (re-read when the seat data version changes).

    `clock` gives seconds (time.monotonic); `run_build` runs a build job (build_in_background)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        run_build: Callable[[Callable[[], None]], None] = build_in_background,
    ):
        self.clock = clock
        self.run_build = run_build
        self._lock = threading.Lock()
        self.reset()
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        """A forked child (a gunicorn worker): none of the parent's builds run here, and its lock may
        have been held when the fork happened."""
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self._state: CurrentState | None = None
        self._checked_at = float("-inf")
        self._snapshot: tuple[str, Snapshot | None] | None = None
        self._constituencies: tuple[tuple[int, int], dict[int, Constituency]] | None = None
        self._building: set[str] = set()  # generations whose build this process has started
        self._failed_at: dict[str, float] = {}
        self._database_away = False  # the last state check found the database away (logged once)

    def directory_rows(self, postcode: str) -> list[tuple[date | None, Constituency]] | None:
        """The directory rows of a postcode from the snapshot, or None when there is no usable snapshot
        (the caller then asks the database). Never a database query when the state is fresh."""
        folder = snapshot_dir()
        if folder is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # uncommitted changes in this transaction would not be in the snapshot
        build = None
        with self._lock:
            state = self._current_state()
            if state is None or state.generation is None:
                return None
            snapshot = self._mapped(folder, state.generation)
            if snapshot is None:
                build = self._start_build(folder, state)
            else:
                constituencies = self._constituencies_for(state)
        if build is not None:
            self.run_build(build)  # outside the lock: a build run here takes it when it ends
        if snapshot is None:
            return None
        rows = []
        for constituency_id, terminated_on in snapshot.rows(postcode):
            constituency = constituencies.get(constituency_id)
            if constituency is None:  # a constituency added since the snapshot: let the database answer
                return None
            rows.append((terminated_on, constituency))
        return sorted(rows, key=lambda row: (row[1].name, row[1].pk))

    def count_between(self, first: str, before: str) -> int | None:
        """Snapshot.count_between on the snapshot in place (directory_rows just used it), else None."""
        with self._lock:
            snapshot = self._snapshot[1] if self._snapshot is not None else None
        return snapshot.count_between(first, before) if snapshot is not None else None

    def _current_state(self) -> CurrentState | None:
        """The state, read again when it is SEATFINDER_LOOKUP_STATE_SECONDS old. While the database is away
        the state held (and so the snapshot mapped for it) stays in use, and the check is tried again every
        STATE_RETRY_SECONDS; with no state held yet the error goes to the caller (a 503)."""
        now = self.clock()
        if now - self._checked_at >= settings.SEATFINDER_LOOKUP_STATE_SECONDS:
            try:
                state = current_state()
            except DatabaseError as exc:
                if not database_unavailable(exc):
                    raise
                self._checked_at = now - settings.SEATFINDER_LOOKUP_STATE_SECONDS + STATE_RETRY_SECONDS
                if not self._database_away:
                    self._database_away = True
                    logger.warning(
                        "Postcode look-ups cannot read the current state (%s); %s",
                        str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                        "answering from the snapshot held" if self._state else "none held",
                    )
                if self._state is None:
                    raise
                return self._state
            if self._database_away:
                self._database_away = False
                logger.warning("Postcode look-ups read the current state again")
            self._state = state
            self._checked_at = now
            if self._snapshot is not None and self._snapshot[1] is None:
                self._snapshot = None  # look for a file that was missing again
        return self._state

    def _mapped(self, folder: Path, generation: str) -> Snapshot | None:
        # A missing or broken file is remembered until the next state check or the end of a build here.
        if self._snapshot is None or self._snapshot[0] != generation:
            path = snapshot_path(folder, generation)
            try:
                self._snapshot = (generation, Snapshot(path))
            except (OSError, ValueError) as exc:
                if not isinstance(exc, FileNotFoundError):
                    logger.warning("Postcode snapshot %s unusable (it will be built again): %s", path, exc)
                self._snapshot = (generation, None)
        return self._snapshot[1]

    def _start_build(self, folder: Path, state: CurrentState) -> Callable[[], None] | None:
        """The job that builds the snapshot of the generation in place, unless this process is building
        it already or failed to only a short while ago."""
        generation = state.generation
        failed_at = self._failed_at.get(generation)
        if generation in self._building or (
            failed_at is not None and self.clock() - failed_at < BUILD_RETRY_SECONDS
        ):
            return None
        self._building.add(generation)
        return functools.partial(self._build, folder, state.boundary_set_id, generation)

    def _build(self, folder: Path, boundary_set_id: int, generation: str) -> None:
        started = time.monotonic()
        failed, path = False, None
        try:
            path = ensure_snapshot(folder, boundary_set_id, generation)
        except (OSError, ValueError, DatabaseError) as exc:
            failed = True
            logger.warning(
                "Could not build the postcode look-up snapshot in %s (%s); look-ups ask the database",
                folder,
                exc,
            )
        else:
            if path is not None:
                logger.info("Postcode look-up snapshot %s ready in %.1f s", path, time.monotonic() - started)
        with self._lock:
            self._building.discard(generation)
            if failed:
                self._failed_at[generation] = self.clock()
            elif path is None:
                self._checked_at = float("-inf")  # another import replaced it: see which at the next look-up
            elif self._snapshot == (generation, None):
                self._snapshot = None  # map it at the next look-up

    def _constituencies_for(self, state: CurrentState) -> dict[int, Constituency]:
        key = (state.boundary_set_id, state.data_version)
        if self._constituencies is None or self._constituencies[0] != key:
            by_id = {
                c.pk: c
                for c in Constituency.objects.filter(boundary_set_id=state.boundary_set_id).select_related(
                    "boundary_set"
                )
            }
            self._constituencies = (key, by_id)
        return self._constituencies[1]


lookups = SnapshotLookups()
