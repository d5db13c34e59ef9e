from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from constituencies.imports.demo import ensure_default_parties
from constituencies.models import Party
from constituencies.postcodes.snapshots import lookups as snapshot_lookups
from tests.builders import import_ge2019, import_ge2024_sample
from tests.shared_data import bring_together, shared


@pytest.fixture(autouse=True)
def _empty_cache():
    """Django's cache holds the supporter counts (and the rate limits): a test never sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def default_parties(db):
    ensure_default_parties()
    return {party.code: party for party in Party.objects.all()}


@pytest.fixture
def ge2024(default_parties):
    """The seven real 2024 seats of fixtures/samples/hoc-ge2024-constituency-sample.csv, imported."""
    return import_ge2024_sample()


@pytest.fixture
def ge2019(default_parties, tmp_path):
    """Two 2019 seats (Batley and Spen, Wakefield) imported from the long layout: builders.GE2019_CSV."""
    return import_ge2019(tmp_path=tmp_path)


# -- Running on pytest-xdist workers (make test: -n 2 --dist loadgroup) ----------------------------------------

# Tests that run on one worker, one after the other, by where they are: the browser tests share one Chromium and
# one live server, and the shared data sets (below) are imported once. The other tests are handed out one by one.
# Every test is correct on any worker; the groups only save work. They are named here by path rather than by
# xdist_group marks, which pytest-xdist 3.8 loses under pytest 9.2 (pytest-xdist issue 1386).
XDIST_GROUPS = {
    "tests/browser/": "browser",
    "tests/full_data/": "full_data",
    "tests/imports/test_demo.py": "demo",
    "tests/listings/test_advice_demo.py": "demo",
    "tests/listings/test_what_if_demo.py": "demo",
    "tests/test_database_restart.py": "database_restart",
    "tests/listings/test_pr_demo.py": "demo",
    "tests/test_nginx.py": "nginx",  # one nginx and its stand-in app, on ports of a fixed range
    "tests/test_fuzz_public_urls.py": "demo",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PathGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return next((group for path, group in XDIST_GROUPS.items() if nodeid.startswith(path)), nodeid)

    return PathGroupScheduling(config, log)


# -- Data sets imported once and shared by the tests that only read them (tests/shared_data.py) ------------


@pytest.hookimpl(trylast=True)  # after pytest-django's reordering
def pytest_collection_modifyitems(items):
    bring_together(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    shared.nextitem = nextitem


@pytest.fixture(autouse=True)
def _shared_data(request):
    """Before the test's own fixtures (autouse fixtures come first), so the data is committed before the test's
    transaction begins; after them, so it is deleted once that transaction is rolled back."""
    value = shared.before_test(request)
    yield value
    shared.after_test()


@pytest.fixture(scope="session")
def _shared_data_session(django_db_setup, django_db_blocker):
    yield django_db_blocker
    shared.release()  # before the test database goes, in case the last test did not run (-x, ctrl-C)


@pytest.fixture
def ge2024_results(_shared_data, default_parties):
    """The 650 seats of the real 2024 results (House of Commons Library), shared."""


@pytest.fixture
def ge2024_results_and_candidates(_shared_data, default_parties):
    """The real 2024 results with the candidate file: every candidate's name and the sitting MPs, shared."""


@pytest.fixture
def demo_data(_shared_data, db):
    """The offline demo (`manage.py load_demo`: four general elections and a by-election), shared; gives what
    the command printed."""
    return _shared_data


@pytest.fixture
def data_dir():
    """The folder of real published files; tests that need it skip, saying why, when it is absent."""
    path = Path(settings.SEATFINDER_DATA_DIR)
    if not (path / "hoc-ge2024-results-by-constituency.csv").is_file():
        pytest.skip(
            f"real data folder not found at {path} (set SEATFINDER_DATA_DIR to the shared/data folder)"
        )
    return path


# A previewed upload waits in PendingUpload until it is confirmed or cancelled (tests/test_pending_uploads.py
# covers it); holding the file is not a change to the data.
NOT_ELECTION_DATA = {"PendingUpload"}


def database_snapshot() -> dict:
    """Every row of every Seat Finder table (results, the postcode directory, imports, the audit trail,
    overrides: every model of the app, new ones included, but the files waiting for confirmation), to prove a failed import changed nothing.

    Rows are sorted by primary key; an assessment's `computed_at` is left out, since recomputing the
    same assessment is not a change."""
    snapshot = {}
    for model in apps.get_app_config("constituencies").get_models():
        if model.__name__ in NOT_ELECTION_DATA:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "computed_at"]
        snapshot[model.__name__] = sorted(model.objects.values_list(*fields), key=lambda row: row[0])
    return snapshot


@pytest.fixture
def snapshot():
    return database_snapshot


@pytest.fixture(autouse=True)
def _no_remote_postcode_lookups(settings):
    """Tests never call postcodes.io; tests of the remote path point it at a local fake server."""
    settings.SEATFINDER_POSTCODES_IO = False


@pytest.fixture(autouse=True)
def _no_postcode_snapshots(settings):
    """Look-ups ask the database unless a test switches look-up snapshots on (test_postcode_snapshots.py)."""
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = ""
    snapshot_lookups.reset()
    yield
    snapshot_lookups.reset()
