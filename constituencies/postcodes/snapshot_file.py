"""The look-up snapshot file: one imported postcode directory, sorted by postcode, mapped and binary-searched.

Layout: a 16-byte header (magic, record count), then one 27-byte ASCII record per directory row, sorted by
postcode bytewise: the postcode (8 bytes, space padded), the constituency id (10 digits), the day the
postcode was retired (YYYYMMDD, or 00000000 while live) and a line break. PostgreSQL writes the records
itself (`COPY ... TO STDOUT`), so a build costs the process that runs it little more than copying bytes.

A file is named after the directory import it holds (its generation) and written under a name of its own,
then renamed into place, so a reader never sees half a file. Builds on one host take turns under an flock
on `.build.lock` in the folder: the first process to need a snapshot builds it, and the others, once they
have the lock, find it written.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
from datetime import date
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

from constituencies.models import Postcode, PostcodeDirectory

MAGIC = b"SFPCODE2"
HEADER = struct.Struct("<8sQ")
RECORD_SIZE = 27
LIVE = b"00000000"
SUFFIX = ".postcodes"
LOCK_FILE = ".build.lock"

# The records, only while `generation` is still the directory in place (else none, and no file is kept).
# The id is cast to int4 so that one too long for its 10 digits fails the build rather than being cut.
BUILD_SQL = sql.SQL(
    """COPY (
        SELECT rpad(p.postcode, 8) || lpad(p.constituency_id::int4::text, 10, '0')
               || coalesce(to_char(p.terminated_on, 'YYYYMMDD'), '00000000')
        FROM {postcodes} p
        WHERE p.boundary_set_id = {boundary_set}
        AND EXISTS (
            SELECT 1 FROM {directories} d WHERE d.boundary_set_id = {boundary_set} AND d.generation = {generation}
        )
        ORDER BY p.postcode COLLATE "C", p.constituency_id
    ) TO STDOUT"""
)


def snapshot_path(folder: Path, generation: str) -> Path:
    return folder / f"{generation}{SUFFIX}"


class Snapshot:
    """A mapped snapshot file, searched by binary search on the postcode."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        magic, self.count = HEADER.unpack_from(self._map, 0) if len(self._map) >= HEADER.size else (b"", 0)
        if magic != MAGIC or len(self._map) != HEADER.size + self.count * RECORD_SIZE:
            raise ValueError(f"{path} is not a complete postcode snapshot")

    def _first_at_or_after(self, key: bytes) -> int:
        """The index of the first record whose postcode is not below `key` (8 bytes, space padded)."""
        data, start, size = self._map, HEADER.size, RECORD_SIZE
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
        data, start, size = self._map, HEADER.size, RECORD_SIZE
        index = self._first_at_or_after(key)
        found = []
        while index < self.count:
            offset = start + index * size
            if data[offset : offset + 8] != key:
                break
            retired = data[offset + 18 : offset + 26]
            found.append(
                (
                    int(data[offset + 8 : offset + 18]),
                    None if retired == LIVE else date(int(retired[:4]), int(retired[4:6]), int(retired[6:])),
                )
            )
            index += 1
        return found


def is_complete(path: Path) -> bool:
    try:
        Snapshot(path)
    except (OSError, ValueError):
        return False
    return True


def ensure_snapshot(folder: Path, boundary_set_id: int, generation: str) -> Path | None:
    """The snapshot of one directory import, built unless a complete one is already there; None if that
    import is no longer the one in place. Waits while another process on the host builds one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = snapshot_path(folder, generation)
    with open(folder / LOCK_FILE, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if is_complete(path):
                return path
            return _write(folder, path, int(boundary_set_id), generation)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(folder: Path, path: Path, boundary_set_id: int, generation: str) -> Path | None:
    """Under the build lock: the file, from one statement, renamed into place; the boundary set's older
    files (and any left half-written by a process that died) removed."""
    partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    query = BUILD_SQL.format(
        postcodes=sql.Identifier(Postcode._meta.db_table),
        directories=sql.Identifier(PostcodeDirectory._meta.db_table),
        boundary_set=sql.Literal(boundary_set_id),
        generation=sql.Literal(generation),
    )
    try:
        with open(partial, "wb") as out, connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            out.write(HEADER.pack(MAGIC, 0))
            with cursor.copy(query) as copy:
                for block in copy:
                    out.write(block)
            size = out.tell()
            count, extra = divmod(size - HEADER.size, RECORD_SIZE)
            if extra:
                raise ValueError(f"the records written to {partial} are not {RECORD_SIZE} bytes each")
            if count == 0:  # another import has replaced this one meanwhile
                partial.unlink()
                return None
            out.seek(0)
            out.write(HEADER.pack(MAGIC, count))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    prefix = generation.rsplit("_", 1)[0] + "_"
    for old in folder.glob(f"{prefix}*{SUFFIX}*"):
        if old != path:
            old.unlink(missing_ok=True)  # processes that still map it keep reading it until they move on
    return path
