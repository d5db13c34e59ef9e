"""Look-up snapshots: look-ups answered from a mapped file of the imported directory, which each server
process builds on demand from the database and follows to every new import, with no step by hand.

These tests commit (transactional_db): a look-up inside a transaction always asks the database. Builds
wait until a test runs them (`builds.run()`), and time passes only when a test moves the clock.
"""

import logging
from datetime import date
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from constituencies.models import Constituency, Election, PostcodeDirectory
from constituencies.postcodes.lookup import (
    AREA_COVERED_FROM,
    Outcome,
    database_directory_rows,
    lookup_postcode,
)
from constituencies.postcodes.snapshot_file import Snapshot, ensure_snapshot, snapshot_path
from constituencies.postcodes.snapshots import (
    STATE_RETRY_SECONDS,
    build_in_background,
    current_state,
    lookups,
)
from tests.builders import import_ge2019, import_ge2024_sample
from tests.clock import Clock
from tests.outage_helpers import database_away, django_error

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "pcds,dointr,doterm,pcon24cd,lat,long\n"
ROWS = [
    "GU7 1AA,199001,,E14001249,51.18,-0.61",  # Godalming and Ash
    "GU11 1AA,199001,,E14001063,51.24,-0.76",  # Aldershot
    "GU11 1AB,199001,201006,E14001063,51.24,-0.76",  # Aldershot, retired June 2010
    "CO15 1AA,199001,,E14001174,51.79,1.15",  # Clacton
    "CO15 1AB,199001,,E14001174,51.79,1.15",  # split between Clacton ...
    "CO15 1AB,199001,,E14001249,51.79,1.15",  # ... and (for the test) Godalming and Ash
]


class Builds:
    """Stands in for the background thread: keeps each build until the test runs it."""

    def __init__(self):
        self.jobs = []

    def __call__(self, job):
        self.jobs.append(job)

    def run(self):
        while self.jobs:
            self.jobs.pop(0)()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(lookups, "clock", clock)
    return clock


@pytest.fixture
def builds(monkeypatch):
    builds = Builds()
    monkeypatch.setattr(lookups, "run_build", builds)
    return builds


@pytest.fixture
def snapshots_on(settings, tmp_path, default_parties, clock, builds):
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = str(tmp_path / "snapshots")
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 0  # every look-up re-checks what is current
    import_ge2024_sample()
    return tmp_path / "snapshots"


def import_directory(tmp_path, rows, name="directory.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n")
    call_command("import_postcodes", str(path), "--allow-shrink", stdout=StringIO())
    return PostcodeDirectory.objects.get(boundary_set__code="2024")


def answer(postcode):
    result = lookup_postcode(postcode)
    return result.outcome, [c.name for c in result.constituencies], result.terminated_on


def warm_up(builds):
    """The first look-up of a new directory asks the database and starts the build; once the build has
    run, look-ups map the file."""
    assert answer("GU7 1AA")[0] == Outcome.FOUND
    builds.run()
    assert lookups.directory_rows("GU7 1AA") is not None


def test_the_import_writes_no_snapshot_and_the_first_look_up_has_one_built(snapshots_on, tmp_path, builds):
    directory = import_directory(tmp_path, ROWS)
    path = snapshot_path(snapshots_on, directory.generation)
    assert not path.exists()  # the import does not pay for it
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)  # from the database
    assert len(builds.jobs) == 1
    builds.run()
    assert Snapshot(path).count == len(ROWS)
    for postcode in ["GU7 1AA", "GU11 1AA", "GU11 1AB", "CO15 1AB", "CO15 9ZZ"]:
        from_snapshot = lookups.directory_rows(postcode)
        assert [(t, c.pk) for t, c in from_snapshot] == [
            (t, c.pk) for t, c in database_directory_rows(postcode)
        ]
    assert answer("gu111ab") == (Outcome.TERMINATED, ["Aldershot"], date(2010, 6, 1))
    assert answer("CO15 1AB") == (Outcome.FOUND, ["Clacton", "Godalming and Ash"], None)
    assert answer("CO15 9ZZ")[0] == Outcome.UNKNOWN


def test_look_ups_during_a_build_are_answered_from_the_database(snapshots_on, tmp_path, builds):
    import_directory(tmp_path, ROWS)
    for _ in range(3):
        assert answer("CO15 1AB") == (Outcome.FOUND, ["Clacton", "Godalming and Ash"], None)
        assert answer("GU11 1AB") == (Outcome.TERMINATED, ["Aldershot"], date(2010, 6, 1))
        assert lookups.directory_rows("CO15 1AB") is None
    assert len(builds.jobs) == 1  # one build, started by the first look-up; none waited for it
    builds.run()
    assert [c.name for _, c in lookups.directory_rows("CO15 1AB")] == ["Clacton", "Godalming and Ash"]


def test_a_fresh_state_means_no_database_query(
    snapshots_on, tmp_path, settings, builds, django_assert_num_queries
):
    import_directory(tmp_path, ROWS)
    warm_up(builds)
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 60
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)  # reads the state once
    with django_assert_num_queries(0):
        assert answer("GU11 1AA") == (Outcome.FOUND, ["Aldershot"], None)
        assert answer("CO15 9ZZ")[0] == Outcome.UNKNOWN


def test_area_coverage_comes_from_the_snapshot_as_from_the_database(
    snapshots_on, tmp_path, settings, builds, django_assert_num_queries
):
    """C (Colchester) and G (Glasgow) are not CO or GU: the snapshot counts only the postcode's own area."""
    rows = [
        f"CO15 {d}{a}{b},199001,,E14001174,51.79,1.15" for d in "0123456789" for a in "AB" for b in "ABDEF"
    ]
    import_directory(tmp_path, rows + ["GU7 1AA,199001,,E14001249,51.18,-0.61"])
    assert len(rows) == AREA_COVERED_FROM
    warm_up(builds)
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 60
    lookup_postcode("GU7 1AA")  # reads the state once
    with django_assert_num_queries(0):
        covered, thin, absent = (lookup_postcode(pc) for pc in ("CO16 9ZZ", "GU8 9ZZ", "C1 1AA"))
    assert [r.directory_covers_area for r in (covered, thin, absent)] == [True, False, False]
    assert thin.message.startswith("We cannot look up GU8 9ZZ yet")
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = ""  # the database agrees
    assert [lookup_postcode(pc).directory_covers_area for pc in ("CO16 9ZZ", "GU8 9ZZ", "G1 1AA")] == [
        True,
        False,
        False,
    ]


def test_a_new_import_is_picked_up_with_no_step_by_hand(snapshots_on, tmp_path, settings, clock, builds):
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 5
    first = import_directory(tmp_path, ROWS)
    warm_up(builds)
    second = import_directory(tmp_path, ["GU7 1AA,199001,,E14001063,51.18,-0.61"], name="second.csv")
    assert second.generation != first.generation
    assert answer("GU7 1AA")[1] == ["Godalming and Ash"]  # what is current is asked every 5 s, no more
    clock.advance(5)
    assert answer("GU7 1AA")[1] == ["Aldershot"]  # from the database while the new snapshot is built
    assert lookups.directory_rows("GU7 1AA") is None
    builds.run()
    assert [c.name for _, c in lookups.directory_rows("GU7 1AA")] == ["Aldershot"]
    assert answer("GU11 1AA")[0] == Outcome.UNKNOWN
    assert snapshot_path(snapshots_on, second.generation).exists()
    assert not snapshot_path(snapshots_on, first.generation).exists()


def test_a_snapshot_another_process_built_is_mapped_not_built_again(snapshots_on, tmp_path, builds):
    directory = import_directory(tmp_path, ROWS)
    ensure_snapshot(snapshots_on, directory.boundary_set_id, directory.generation)  # another process
    assert [c.name for _, c in lookups.directory_rows("GU7 1AA")] == ["Godalming and Ash"]
    assert builds.jobs == []


def test_by_default_the_build_runs_in_a_thread_of_its_own(snapshots_on, tmp_path, monkeypatch):
    threads = []
    monkeypatch.setattr(lookups, "run_build", lambda job: threads.append(build_in_background(job)))
    directory = import_directory(tmp_path, ROWS)
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)
    threads[0].join(timeout=60)
    assert Snapshot(snapshot_path(snapshots_on, directory.generation)).count == len(ROWS)
    assert [c.name for _, c in lookups.directory_rows("GU7 1AA")] == ["Godalming and Ash"]


def test_a_process_that_cannot_write_the_folder_still_answers(
    snapshots_on, tmp_path, settings, builds, caplog
):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = str(not_a_folder / "snapshots")  # it can never be made
    import_directory(tmp_path, ROWS)
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)
    with caplog.at_level(logging.WARNING):
        builds.run()
    assert "Could not build the postcode look-up snapshot" in caplog.text
    assert answer("GU11 1AB") == (Outcome.TERMINATED, ["Aldershot"], date(2010, 6, 1))
    assert answer("CO15 1AB") == (Outcome.FOUND, ["Clacton", "Godalming and Ash"], None)
    assert builds.jobs == []  # not tried again on every look-up


def test_a_newer_general_election_on_other_boundaries_takes_over(snapshots_on, tmp_path, builds):
    import_directory(tmp_path, ROWS)
    warm_up(builds)
    import_ge2019(tmp_path=tmp_path)  # 2010 boundaries, no directory there
    Election.objects.filter(slug="ge2019").update(date=date(2029, 5, 3))  # now the most recent
    assert answer("GU7 1AA")[0] == Outcome.UNKNOWN  # the 2010 boundaries have no such postcode


def test_a_renamed_constituency_shows_its_new_name(snapshots_on, tmp_path, builds):
    import_directory(tmp_path, ROWS)
    warm_up(builds)
    assert answer("GU11 1AA")[1] == ["Aldershot"]
    Constituency.objects.filter(ons_id="E14001063").update(name="Aldershot and Farnborough")
    assert answer("GU11 1AA")[1] == ["Aldershot and Farnborough"]


def test_a_missing_or_damaged_snapshot_falls_back_to_the_database_and_is_built_again(
    snapshots_on, tmp_path, builds, caplog
):
    directory = import_directory(tmp_path, ROWS)
    warm_up(builds)
    path = snapshot_path(snapshots_on, directory.generation)
    path.unlink()
    lookups.reset()
    assert lookups.directory_rows("GU7 1AA") is None
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)

    builds.jobs.clear()
    path.write_bytes(b"SFPCODE2" + b"\x05" + b"\x00" * 20)  # claims five records, holds less than one
    lookups.reset()
    with caplog.at_level(logging.WARNING):
        assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)
    assert "not a complete postcode snapshot" in caplog.text
    builds.run()
    assert Snapshot(path).count == len(ROWS)


def test_the_command_builds_the_snapshot_ahead_of_the_first_look_up(snapshots_on, tmp_path):
    directory = import_directory(tmp_path, ROWS)
    path = snapshot_path(snapshots_on, directory.generation)
    out = StringIO()
    call_command("postcode_snapshots", stdout=out)
    assert f"Wrote {path}" in out.getvalue()
    assert Snapshot(path).count == len(ROWS)


def test_switched_off_nothing_is_written(settings, tmp_path, default_parties):
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = ""
    import_ge2024_sample()
    import_directory(tmp_path, ROWS)
    assert lookups.directory_rows("GU7 1AA") is None
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)


# -- The database away: the snapshot held keeps answering (tests/outage_helpers.py takes the database away) --


@pytest.fixture
def state_checks(monkeypatch):
    """Every state check, counted (they still ask the database)."""
    checks = []

    def counted():
        checks.append(1)
        return current_state()

    monkeypatch.setattr("constituencies.postcodes.snapshots.current_state", counted)
    return checks


def test_with_the_database_away_held_postcodes_are_answered_and_checked_after_a_back_off(
    snapshots_on, tmp_path, settings, clock, builds, state_checks, caplog
):
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 5
    import_directory(tmp_path, ROWS)
    warm_up(builds)
    assert answer("GU11 1AA")[1] == ["Aldershot"]
    clock.advance(5)
    with caplog.at_level(logging.WARNING), database_away():
        before = len(state_checks)
        assert answer("CO15 1AB") == (Outcome.FOUND, ["Clacton", "Godalming and Ash"], None)
        assert answer("GU11 1AB") == (Outcome.TERMINATED, ["Aldershot"], date(2010, 6, 1))
        assert answer("CO15 9ZZ")[0] == Outcome.UNKNOWN  # its area's coverage from the snapshot too
        assert len(state_checks) == before + 1  # the failed check is not tried on every look-up ...
        clock.advance(STATE_RETRY_SECONDS)
        assert answer("GU7 1AA")[1] == ["Godalming and Ash"]
        assert len(state_checks) == before + 2  # ... but again after the back-off
        api = Client().get("/api/postcodes/GU7 1AA/")  # the view itself needs no database either
    assert api.status_code == 200 and api.json()["constituencies"][0]["name"] == "Godalming and Ash"
    warnings = [r.getMessage() for r in caplog.records if r.name == "constituencies.postcodes.snapshots"]
    assert len(warnings) == 1 and "answering from the snapshot held" in warnings[0]

    Constituency.objects.filter(ons_id="E14001063").update(name="Aldershot and Farnborough")
    clock.advance(STATE_RETRY_SECONDS)
    assert answer("GU11 1AA")[1] == ["Aldershot and Farnborough"]  # checked, and followed, once it is back


def test_with_the_database_away_and_nothing_held_the_error_goes_to_the_caller(
    snapshots_on, tmp_path, builds, clock
):
    import_directory(tmp_path, ROWS)
    warm_up(builds)
    lookups.reset()  # a process that has not read the state yet
    with database_away():
        with pytest.raises(OperationalError):
            lookup_postcode("GU7 1AA")
        response = Client().get("/api/postcodes/GU7 1AA/")
    assert response.status_code == 503 and response.json()["error"] == "database_unavailable"


def test_another_error_of_the_state_check_is_not_taken_for_an_outage(
    snapshots_on, tmp_path, builds, clock, monkeypatch
):
    import_directory(tmp_path, ROWS)
    warm_up(builds)

    def deadlocked():
        raise django_error(psycopg.errors.DeadlockDetected("deadlock detected"))

    monkeypatch.setattr("constituencies.postcodes.snapshots.current_state", deadlocked)
    with pytest.raises(OperationalError, match="deadlock"):
        lookup_postcode("GU7 1AA")
