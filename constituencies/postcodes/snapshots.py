"""Look-up snapshots: the imported postcode directory as a sorted file that every server process maps.

A postcode look-up from a snapshot needs no database round trip, and that round trip is most of what a
look-up costs. `import_postcodes` writes a snapshot after each import (and `manage.py postcode_snapshots`
writes any that are missing, e.g. on a new server); without one, look-ups query the database as before.

A snapshot is only used while it matches what the database says is current: each process asks, at most
every SEATFINDER_LOOKUP_STATE_SECONDS (default 5), which boundary set is current (the most recent general
election's), which import of its directory is in place, and the seat data version (for constituency names).
So after an import, or once a new general election is loaded, every process follows within those seconds.

File layout: 16-byte header (magic, record count), then one 16-byte record per directory row, sorted by
postcode bytewise: postcode (8 ASCII bytes, space padded), constituency id (uint32), terminated_on as a
proleptic ordinal (int32, 0 when live).
"""

from __future__ import annotations

import functools
import logging
import mmap
import os
import struct
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from constituencies.models import Constituency, Election, Postcode, PostcodeDirectory
from constituencies.seats.current import CURRENT_BOUNDARY_SET_ID_SQL

logger = logging.getLogger(__name__)

MAGIC = b"SFPCODE1"
HEADER = struct.Struct("<8sQ")
RECORD = struct.Struct("<8sIi")
SUFFIX = ".postcodes"


def snapshot_dir() -> Path | None:
    return _folder(settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR)


@functools.lru_cache(maxsize=4)
def _folder(setting: str | None) -> Path | None:
    # Called on every look-up; building a Path each time was a measurable share of one.
    return Path(setting) if setting else None


def snapshot_path(folder: Path, generation: str) -> Path:
    return folder / f"{generation}{SUFFIX}"


# --- writing ------------------------------------------------------------------------------------------


def write_snapshot(directory: PostcodeDirectory, folder: Path) -> Path:
    """Write the snapshot of one imported directory (atomically) and remove that boundary set's older ones."""
    folder.mkdir(parents=True, exist_ok=True)
    path = snapshot_path(folder, directory.generation)
    partial = path.with_suffix(".partial")
    count = 0
    with open(partial, "wb") as out, connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        out.write(HEADER.pack(MAGIC, 0))
        # Bytewise order (COLLATE "C"), as the reader's binary search compares bytes.
        query = (
            f"COPY (SELECT postcode, constituency_id, coalesce(terminated_on - DATE '0001-01-01' + 1, 0) "
            f"FROM {Postcode._meta.db_table} WHERE boundary_set_id = {int(directory.boundary_set_id)} "
            f'ORDER BY postcode COLLATE "C", constituency_id) TO STDOUT'
        )
        pack = RECORD.pack
        with cursor.copy(query) as copy:
            copy.set_types(["text", "int8", "int4"])
            for postcode, constituency_id, ordinal in copy.rows():
                out.write(pack(postcode.encode("ascii").ljust(8), constituency_id, ordinal))
                count += 1
        out.seek(0)
        out.write(HEADER.pack(MAGIC, count))
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    prefix = directory.generation.rsplit("_", 1)[0] + "_"
    for old in folder.glob(f"{prefix}*{SUFFIX}"):
        if old != path:
            old.unlink(missing_ok=True)  # processes that still map it keep reading it until they move on
    return path


def write_missing_snapshots(folder: Path) -> list[Path]:
    written = []
    for directory in PostcodeDirectory.objects.all():
        if not snapshot_path(folder, directory.generation).exists():
            written.append(write_snapshot(directory, folder))
    return written


# --- reading ------------------------------------------------------------------------------------------


class Snapshot:
    """A mapped snapshot file, searched by binary search on the postcode."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        magic, self.count = HEADER.unpack_from(self._map, 0)
        if magic != MAGIC or len(self._map) != HEADER.size + self.count * RECORD.size:
            raise ValueError(f"{path} is not a complete postcode snapshot")

    def _first_at_or_after(self, key: bytes) -> int:
        """The index of the first record whose postcode is not below `key` (8 bytes, space padded)."""
        data, start, size = self._map, HEADER.size, RECORD.size
        lo, hi = 0, self.count
        while lo < hi:
            mid = (lo + hi) // 2
            offset = start + mid * size
            if data[offset : offset + 8] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def count_between(self, first: str, before: str) -> int:
        """How many records have a postcode from `first` up to, not including, `before` (bytewise)."""
        return self._first_at_or_after(before.encode("ascii").ljust(8)) - self._first_at_or_after(
            first.encode("ascii").ljust(8)
        )

    def rows(self, postcode: str) -> list[tuple[int, date | None]]:
        """(constituency id, terminated_on) for every record of a normalised postcode."""
        key = postcode.encode("ascii").ljust(8)
        data, start, size = self._map, HEADER.size, RECORD.size
        lo = self._first_at_or_after(key)
        found = []
        while lo < self.count:
            record, constituency_id, ordinal = RECORD.unpack_from(data, start + lo * size)
            if record != key:
                break
            found.append((constituency_id, date.fromordinal(ordinal) if ordinal else None))
            lo += 1
        return found


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


class SnapshotLookups:
    """What one server process knows: the current state (re-read every few seconds), the snapshot mapped
    for it, and the current boundary set's constituencies (re-read when the seat data version changes)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self._state: CurrentState | None = None
        self._checked_at = float("-inf")
        self._snapshot: tuple[str, Snapshot] | None = None
        self._constituencies: tuple[tuple[int, int], dict[int, Constituency]] | None = None

    def directory_rows(self, postcode: str) -> list[tuple[date | None, Constituency]] | None:
        """The directory rows of a postcode from the snapshot, or None when there is no usable snapshot
        (the caller then asks the database). Never a database query when the state is fresh."""
        folder = snapshot_dir()
        if folder is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # uncommitted changes in this transaction would not be in the snapshot
        with self._lock:
            state = self._current_state()
            if state is None or state.generation is None:
                return None
            snapshot = self._mapped(folder, state.generation)
            if snapshot is None:
                return None
            constituencies = self._constituencies_for(state)
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
        now = time.monotonic()
        if now - self._checked_at >= settings.SEATFINDER_LOOKUP_STATE_SECONDS:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(STATE_SQL, [Election.Kind.GENERAL.value])
                row = cursor.fetchone()
            self._state = CurrentState(*row) if row else None
            self._checked_at = now
            if self._snapshot is not None and self._snapshot[1] is None:
                self._snapshot = None  # look for a file that was missing again
        return self._state

    def _mapped(self, folder: Path, generation: str) -> Snapshot | None:
        # A missing or broken file is remembered until the next state check, not retried on every look-up.
        if self._snapshot is None or self._snapshot[0] != generation:
            path = snapshot_path(folder, generation)
            try:
                self._snapshot = (generation, Snapshot(path))
            except (OSError, ValueError) as exc:
                if not isinstance(exc, FileNotFoundError):
                    logger.warning("Postcode snapshot %s unusable: %s", path, exc)
                self._snapshot = (generation, None)
        return self._snapshot[1]

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
