"""The new directory's own table: created, filled by COPY, indexed, then swapped in for the live partition.

The directory is one PostgreSQL partition per boundary set (migration 0004). An import builds a new table
beside the live one, in the importer's transaction, and replaces the old partition with it (`ATTACH
PARTITION`) just before the commit: look-ups keep reading the old directory until then and wait only a few
milliseconds for the swap itself; any problem rolls everything back, new table included.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

import psycopg
from django.db import OperationalError, transaction

from constituencies.models import Postcode
from constituencies.postcodes.importer.layout import PostcodeLayout
from constituencies.rules.files import ImportFileError, Problem

TABLE = Postcode._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
SEQUENCE = f"{TABLE}_id_seq"
# Must match the parent's foreign keys (migration 0004), so ATTACH adopts them without checking again.
FOREIGN_KEYS = {
    "boundary_set_id": "constituencies_boundaryset",
    "constituency_id": "constituencies_constituency",
}
# pg_advisory_xact_lock(LOCK_NAMESPACE, ALL_BOUNDARY_SETS): one postcode import at a time, whatever its
# boundaries. Each swap needs the constituency table to itself for a moment (dropping the old partition drops
# its foreign key), so an import of any boundary set that has read that table blocks it: two at once deadlock.
LOCK_NAMESPACE = 60_001
ALL_BOUNDARY_SETS = 0
# The swap needs the postcode table to itself for a moment. While it waits for running look-ups to finish,
# new look-ups queue behind it, so it waits at most SWAP_LOCK_TIMEOUT at a time, then lets them through
# for SWAP_RETRY_PAUSE seconds and tries again, SWAP_ATTEMPTS times in all.
SWAP_LOCK_TIMEOUT = "2s"
SWAP_ATTEMPTS = 5
SWAP_RETRY_PAUSE = 0.5
COLUMNS = "postcode, constituency_id, terminated_on, latitude, longitude"
# For this transaction's index builds: the national directory's keys sort in memory rather than on disk.
INDEX_MEMORY = "256MB"


def duplicate_problem(
    exc: Exception, file_name: str, code_by_id: dict[int, str], layout: PostcodeLayout | None
) -> Problem:
    """What a violation of the unique key (boundary set, postcode, constituency) says, in the file's terms."""
    cause = exc.__cause__ or exc
    detail = getattr(getattr(cause, "diag", None), "message_detail", None) or str(cause)
    match = re.search(r"=\(\d+, ([^,]+), (\d+)\)", detail)
    if match:
        code = code_by_id.get(int(match.group(2)), "the same constituency")
        message = f"lists postcode {match.group(1)} more than once for {code}"
    else:
        message = f"lists a postcode more than once ({detail})"
    return Problem(file_name, message, column=layout.postcode if layout else None)


def lock_postcode_imports(cursor, progress: Callable[[str], None]) -> None:
    """Wait for any other postcode import to commit or roll back, and hold the others off until this
    transaction ends. Take it first, before reading any table: a lock taken on a table while waiting here
    (the constituencies, read to check the codes) is one the running import's swap may need."""
    key = [LOCK_NAMESPACE, ALL_BOUNDARY_SETS]
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", key)
    if not cursor.fetchone()[0]:
        progress("Another postcode import is running; waiting for it to finish")
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)


class StagingTable:
    """One import's new table for one boundary set. Every step runs on `cursor`, in the caller's transaction."""

    def __init__(self, cursor, boundary_set_id: int, file_name: str, progress: Callable[[str], None]):
        self.cursor = cursor
        self.boundary_set_id = int(boundary_set_id)
        self.file_name = file_name
        self.progress = progress
        self.name = f"{TABLE}_bs{self.boundary_set_id}_{time.time_ns() // 1000:x}"

    def create(self) -> None:
        self.cursor.execute(
            f"""CREATE TABLE {self.name} (
                id bigint NOT NULL DEFAULT nextval('{SEQUENCE}'),
                boundary_set_id bigint NOT NULL DEFAULT {self.boundary_set_id},
                postcode varchar(8) NOT NULL,
                constituency_id bigint NOT NULL,
                terminated_on date NULL,
                latitude double precision NULL,
                longitude double precision NULL
            )"""
        )

    def copy(self, members: Iterable[Iterable[str]]) -> None:
        """COPY in the text of each member file, given in chunks of whole lines. FREEZE (the table is new in
        this transaction): the rows are written frozen, so indexing and later reads need not visit every
        page again to mark them."""
        with self.cursor.copy(f"COPY {self.name} ({COLUMNS}) FROM STDIN (FREEZE)") as copy:
            for chunks in members:
                for chunk in chunks:
                    copy.write(chunk)

    def add_keys(self) -> None:
        """The parent's primary and unique keys: a postcode listed twice for one constituency raises
        IntegrityError here."""
        cursor, name = self.cursor, self.name
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [INDEX_MEMORY])
        cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_pkey PRIMARY KEY (id, boundary_set_id)")
        cursor.execute(
            f"ALTER TABLE {name} ADD CONSTRAINT {name}_unique UNIQUE (boundary_set_id, postcode, constituency_id)"
        )

    def add_indexes(self) -> None:
        """The parent's other indexes and its foreign keys, so that ATTACH adopts them without checking again."""
        cursor, name = self.cursor, self.name
        cursor.execute(f"CREATE INDEX {name}_boundary_set ON {name} (boundary_set_id)")
        cursor.execute(f"CREATE INDEX {name}_constituency ON {name} (constituency_id)")
        # Lets ATTACH PARTITION trust the rows without scanning them again.
        cursor.execute(
            f"ALTER TABLE {name} ADD CONSTRAINT {name}_in_set CHECK (boundary_set_id = {self.boundary_set_id})"
        )
        # The same foreign keys as the parent's, checked here in one pass each.
        for column, target in FOREIGN_KEYS.items():
            cursor.execute(
                f"ALTER TABLE {name} ADD CONSTRAINT {name}_{column}_fk FOREIGN KEY ({column}) "
                f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
            )
        cursor.execute(f"ANALYZE {name}")

    def rows_in_place(self) -> int:
        """How many postcodes the live directory holds for the boundary set."""
        self.cursor.execute(
            f"SELECT count(*) FROM {TABLE} WHERE boundary_set_id = %s", [self.boundary_set_id]
        )
        return self.cursor.fetchone()[0]

    def swap(self) -> None:
        """Drop the boundary set's old partition and attach this table in its place."""
        cursor, bs = self.cursor, self.boundary_set_id
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = %s::regclass AND c.relname LIKE %s""",
            [TABLE, f"{TABLE}_bs{bs}\\_%"],
        )
        old = [name for (name,) in cursor.fetchall()]
        # Rows saved through the ORM before this boundary set had a partition of its own.
        cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE boundary_set_id = %s", [bs])
        cursor.execute("SHOW lock_timeout")
        (lock_timeout_before,) = cursor.fetchone()
        cursor.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
        for attempt in range(1, SWAP_ATTEMPTS + 1):
            try:
                # A savepoint: an attempt that times out gives back whatever it had locked.
                with transaction.atomic():
                    for name in old:
                        cursor.execute(f"DROP TABLE {name}")
                    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {self.name} FOR VALUES IN ({bs})")
                # The short wait is for the swap only: what follows in the transaction (the directory's
                # row) waits as long as it did before.
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout_before])
                return
            except OperationalError as exc:
                if not isinstance(exc.__cause__, psycopg.errors.LockNotAvailable):
                    raise
            if attempt < SWAP_ATTEMPTS:
                self.progress(
                    f"The postcode table is busy (attempt {attempt} of {SWAP_ATTEMPTS}); trying the swap again"
                )
                time.sleep(SWAP_RETRY_PAUSE)
        raise ImportFileError(
            [
                Problem(
                    self.file_name,
                    f"could not swap in the new directory: look-ups kept the postcode table busy through "
                    f"{SWAP_ATTEMPTS} attempts of {SWAP_LOCK_TIMEOUT} each; nothing was changed, try again",
                )
            ]
        )
