"""Large real data sets imported once and shared by the tests that only read them.

Importing the 650 seats of the 2024 results, or the four general elections of the demo, is the slowest step of
the tests that use them. A test that asks for one of the fixtures named in DATA_SETS does not import it
itself: the first such test on a pytest process imports and commits it, and the tests after it find it there.
Each test still runs in its usual transaction on top, rolled back after it, so what a test adds or changes
is gone before the next.

The committed data never reaches a test that expects an empty database. It is deleted (TRUNCATE of the app's
tables, which the import found empty) after the last test that wants it, before any test that does not, by
`after_test`, and at the end of the session. A test that commits or flushes (transactional_db, live_server)
cannot share it, and neither can a test marked django_db, whose transaction begins before the import could
be committed: both are errors.

The tests of one data set run one after the other, in their order (`bring_together`), and under pytest-xdist
`make test` keeps the packages that use them on one worker (tests/conftest.py, XDIST_GROUPS), so each data set
is imported once.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from constituencies.imports.demo import ensure_default_parties
from tests.builders import GE2024_ARGS, import_results

RESULTS_FILE = "hoc-ge2024-results-by-constituency.csv"
CANDIDATES_FILE = "hoc-ge2024-results-by-candidate.csv"


def import_ge2024_results(request):
    data_dir = request.getfixturevalue("data_dir")
    ensure_default_parties()
    import_results(data_dir / RESULTS_FILE, *GE2024_ARGS)


def import_ge2024_results_and_candidates(request):
    data_dir = request.getfixturevalue("data_dir")
    ensure_default_parties()
    import_results(data_dir / RESULTS_FILE, "--candidates", data_dir / CANDIDATES_FILE, *GE2024_ARGS)


def load_demo(request) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


# The fixture a test asks for, and how its data is loaded into an empty database (what it returns, the
# fixture gives).
DATA_SETS: dict[str, Callable[[pytest.FixtureRequest], object]] = {
    "ge2024_results": import_ge2024_results,
    "ge2024_results_and_candidates": import_ge2024_results_and_candidates,
    "demo_data": load_demo,
}
SHARES_NOTHING = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def data_set_of(item) -> str | None:
    wanted = [name for name in DATA_SETS if name in getattr(item, "fixturenames", ())]
    if len(wanted) > 1:
        raise pytest.UsageError(
            f"{item.nodeid}: a test can share one data set only, not {' and '.join(wanted)}"
        )
    return wanted[0] if wanted else None


def bring_together(items: list) -> None:
    """Run the tests of each data set one after the other, where the first of them was (after pytest-django's
    reordering: they all use the non-transactional database, so they stay among those tests)."""
    by_data_set: dict[str, list] = {}
    for item in items:
        name = data_set_of(item)
        if name is not None:
            by_data_set.setdefault(name, []).append(item)
    ordered = []
    for item in items:
        name = data_set_of(item)
        if name is None:
            ordered.append(item)
        elif by_data_set[name][0] is item:
            ordered.extend(by_data_set[name])
    items[:] = ordered


def app_tables() -> list[str]:
    existing = set(connection.introspection.table_names())
    return [
        model._meta.db_table
        for model in apps.get_app_config("constituencies").get_models()
        if model._meta.managed and model._meta.db_table in existing
    ]


class SharedData:
    """Which data set this process's test database holds, committed, beyond an empty database."""

    def __init__(self):
        self.loaded: str | None = None
        self.value = None
        self.blocker = None
        self.nextitem = None  # the test that runs after this one, if any (set by pytest_runtest_protocol)

    def before_test(self, request) -> object:
        """Called before the test's own fixtures: imports and commits the data set it asks for, if need be."""
        name = data_set_of(request.node)
        if name is None:
            if self.loaded is not None:  # after_test deleted it before a test that does not want it
                pytest.fail(f"{self.loaded} is still loaded before {request.node.nodeid}")
            return None
        if SHARES_NOTHING & set(request.fixturenames):
            pytest.fail(f"{name} is shared and committed; a test that commits or flushes cannot use it")
        if connection.in_atomic_block:
            pytest.fail(f"{name} is committed before the test's transaction begins: do not mark it django_db")
        if self.loaded == name:
            return self.value
        self.blocker = request.getfixturevalue("_shared_data_session")
        with self.blocker.unblock():
            with transaction.atomic():
                tables = app_tables()
                with connection.cursor() as cursor:
                    for table in tables:
                        cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
                        if cursor.fetchone()[0]:
                            pytest.fail(f"{table} has rows before {name} is imported: a test left data")
                value = DATA_SETS[name](request)
            with connection.cursor() as cursor:  # the planner's statistics, as a real database would have
                cursor.execute("ANALYZE " + ", ".join(f'"{table}"' for table in tables))
        self.loaded, self.value = name, value
        return value

    def after_test(self) -> None:
        """Called after the test's own fixtures (its transaction rolled back): deletes the data set unless the
        next test wants the same one."""
        if self.loaded is not None and (self.nextitem is None or data_set_of(self.nextitem) != self.loaded):
            self.release()

    def release(self) -> None:
        if self.loaded is None:
            return
        with self.blocker.unblock():
            statements = connection.ops.sql_flush(no_style(), app_tables(), allow_cascade=True)
            connection.ops.execute_sql_flush(statements)
        self.loaded = self.value = None


shared = SharedData()
