"""Two `import_postcodes` runs at once: they queue on one advisory lock, taken before anything is read, and
both finish, one after the other, each swapping in a complete directory.

Before the lock came first, the second import read the constituencies (a lock on their table, held to its
commit) and then waited for the first, whose swap needed that table to itself: a deadlock in 5 runs of 6.
Real transactions (transaction=True), one connection per thread.
"""

import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from constituencies.models import BoundarySet, Constituency, Postcode, PostcodeDirectory
from constituencies.postcodes.importer import swap
from tests.postcodes.test_import_postcodes import NORTH, ROWS, SOUTH, WEST, simple_csv, write

pytestmark = pytest.mark.django_db(transaction=True)

# Every row moved to Aberdeen North: a directory unlike the first one, so the test sees which one won.
MOVED = [(p, d, t, NORTH, lat, lng) for p, d, t, _, lat, lng in ROWS[:5]]


def make_boundary_set(code: str) -> BoundarySet:
    boundary_set = BoundarySet.objects.create(code=code, name=f"{code} constituency boundaries")
    for ons_id, name in [(SOUTH, "Aberdeen South"), (NORTH, "Aberdeen North"), (WEST, "West Aberdeenshire")]:
        slug = f"{code}-{name.lower().replace(' ', '-')}"
        Constituency.objects.create(boundary_set=boundary_set, ons_id=ons_id, name=name, slug=slug)
    return boundary_set


def stored(code: str) -> list[tuple]:
    return sorted(
        Postcode.objects.filter(boundary_set__code=code).values_list("postcode", "constituency__ons_id")
    )


class HeldSwap:
    """StagingTable.swap, whose first call (in whichever thread) waits for the test: that import holds its
    lock and has built its directory. Later calls run straight through."""

    def __init__(self):
        self.original = swap.StagingTable.swap
        self.inside, self.release = threading.Event(), threading.Event()
        self._first = threading.Lock()

    def __call__(self, staging):
        if self._first.acquire(blocking=False):
            self.inside.set()
            assert self.release.wait(30), "the test never released the first import"
        return self.original(staging)


class ImportThread(threading.Thread):
    """`manage.py import_postcodes` on its own connection; keeps what it printed or raised."""

    def __init__(self, name, path, boundaries):
        super().__init__(name=name, daemon=True)
        self.path, self.boundaries = path, boundaries
        self.out = StringIO()
        self.error = None
        self.finished_at = None
        self.backend_pid = None

    def run(self):
        try:
            self.backend_pid = connection.cursor().connection.info.backend_pid
            call_command("import_postcodes", str(self.path), "--boundaries", self.boundaries, stdout=self.out)
            self.finished_at = time.monotonic()
        except Exception as exc:  # reported to the test thread
            self.error = exc
        finally:
            connections.close_all()


def waiting_on_a_lock(pid: int) -> str | None:
    """The query backend `pid` is waiting in for a lock, if it is."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'", [pid]
        )
        row = cursor.fetchone()
        return row[0] if row else None


def tables_locked_by(pid: int) -> list[str]:
    """The tables (not the catalogues) backend `pid` holds a lock on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND l.granted AND c.relname NOT LIKE 'pg\\_%%'",
            [pid],
        )
        return sorted(row[0] for row in cursor.fetchall())


def wait_for(condition, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


def run_two_at_once(first: ImportThread, second: ImportThread, monkeypatch) -> tuple[str | None, list[str]]:
    """Start `first`, hold it just before its swap, start `second` and see what it waits on; then let both
    finish. Returns the query the second waited in and the tables it held meanwhile."""
    held = HeldSwap()
    monkeypatch.setattr(swap.StagingTable, "swap", lambda staging: held(staging))
    first.start()
    second_started = False
    try:
        assert held.inside.wait(30), "the first import never reached its swap"
        second.start()
        second_started = True
        assert wait_for(lambda: second.backend_pid), "the second import never connected"
        waited_in = wait_for(lambda: waiting_on_a_lock(second.backend_pid))
        tables_held = tables_locked_by(second.backend_pid)
    finally:
        held.release.set()
        first.join(60)
        if second_started:
            second.join(60)
    assert not first.is_alive() and not second.is_alive()
    assert first.error is None and second.error is None, (first.error, second.error)
    return waited_in, tables_held


def test_two_imports_of_one_boundary_set_queue_and_both_finish_in_order(tmp_path, monkeypatch):
    make_boundary_set("2024")
    call_command("import_postcodes", str(write(tmp_path, "live.csv", simple_csv())), "--boundaries", "2024")
    first = ImportThread("first", write(tmp_path, "first.csv", simple_csv()), "2024")
    second = ImportThread("second", write(tmp_path, "second.csv", simple_csv(MOVED)), "2024")

    waited_in, tables_held = run_two_at_once(first, second, monkeypatch)

    # The second waited on the lock itself, holding no table the first's swap needs.
    assert "pg_advisory_xact_lock" in waited_in, waited_in
    assert tables_held == [], tables_held
    assert first.finished_at < second.finished_at
    assert "Stored 5 postcodes" in first.out.getvalue(), first.out.getvalue()
    assert "Stored 5 postcodes" in second.out.getvalue(), second.out.getvalue()
    assert "Another postcode import is running; waiting for it to finish" in second.out.getvalue()
    # The second's directory, complete: every row of its file, none of the first's left beside it.
    assert stored("2024") == sorted((p, NORTH) for p, *_ in MOVED)
    assert PostcodeDirectory.objects.get(boundary_set__code="2024").source_file == "second.csv"


def test_imports_of_two_boundary_sets_queue_too(tmp_path, monkeypatch):
    """Each swap needs the constituency table to itself for a moment (the old partition's foreign key), so an
    import of other boundaries, reading that table for its whole transaction, would deadlock it too."""
    for code in ["2024", "2010"]:
        make_boundary_set(code)
        path = write(tmp_path, f"live-{code}.csv", simple_csv())
        call_command("import_postcodes", str(path), "--boundaries", code)
    first = ImportThread("first", write(tmp_path, "first.csv", simple_csv(MOVED)), "2024")
    second = ImportThread("second", write(tmp_path, "second.csv", simple_csv(MOVED)), "2010")

    waited_in, tables_held = run_two_at_once(first, second, monkeypatch)

    assert "pg_advisory_xact_lock" in waited_in, waited_in
    assert tables_held == [], tables_held
    assert first.finished_at < second.finished_at
    for code in ["2024", "2010"]:
        assert stored(code) == sorted((p, NORTH) for p, *_ in MOVED)
