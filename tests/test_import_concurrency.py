"""Imports and bloc changes at once: the assessment writers' advisory lock makes them run one after the other.

These tests use real transactions (transactional_db) and one database connection per thread. The first
writer is held inside its transaction, after taking the lock, until the test lets it go; meanwhile the
second must be seen waiting on the lock in pg_stat_activity, and must not get inside.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections

from constituencies import blocs
from constituencies.assessments import recompute_all_assessments
from constituencies.importers.demo import ensure_default_parties
from constituencies.models import (
    AuditEvent,
    BoundarySet,
    Election,
    Party,
    Result,
    ResultsImport,
    SeatAssessment,
)
from constituencies.results_imports import ResultsUpload, apply_import
from tests.builders import GE2019_CSV, GE2019_CSV_CON_WIN

pytestmark = pytest.mark.django_db(transaction=True)

WAKEFIELD_CHANGED = GE2019_CSV.replace("21283", "21300")


class ImportThread(threading.Thread):
    """Runs apply_import on its own connection; `inside` is set once it holds the locks.

    With `hold`, it waits for the test at its first progress message, or at the first one containing
    `hold_at` ("candidacies written": the old results deleted, the new ones written, none assessed).
    """

    def __init__(self, name, text, election_factory, hold: threading.Event | None = None, hold_at=""):
        super().__init__(name=name, daemon=True)
        self.text, self.election_factory, self.hold, self.hold_at = text, election_factory, hold, hold_at
        self.inside = threading.Event()
        self.outcome = self.error = None

    def progress(self, message):
        if not self.inside.is_set() and self.hold_at in message:  # messages come after the locks are taken
            self.inside.set()
            if self.hold is not None:
                assert self.hold.wait(30), "the test never released the first import"

    def run(self):
        try:
            self.outcome = apply_import(
                ResultsUpload(f"{self.name}.csv", self.text.encode()),
                self.election_factory(),
                source=ResultsImport.Source.COMMAND,
                username=self.name,
                progress=self.progress,
            )
        except Exception as exc:  # reported to the test thread
            self.error = exc
        finally:
            connections.close_all()


class BlocsThread(threading.Thread):
    """Runs change_blocs on its own connection."""

    def __init__(self, new_blocs):
        super().__init__(name="blocs", daemon=True)
        self.new_blocs = new_blocs
        self.change = self.error = None

    def run(self):
        try:
            self.change = blocs.change_blocs(self.new_blocs, username="blocs")
        except Exception as exc:  # reported to the test thread
            self.error = exc
        finally:
            connections.close_all()


def backends_waiting_on_a_lock() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def wait_for(condition, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


@pytest.fixture
def ge2019():
    ensure_default_parties()
    election = Election.objects.create(
        slug="ge2019", name="2019 general election", date="2019-12-12", kind="general",
        boundary_set=BoundarySet.objects.create(code="2010", name="2010 constituency boundaries"),
    )  # fmt: skip
    apply_import(
        ResultsUpload("ge2019.csv", GE2019_CSV.encode()), election, source="command", username="setup"
    )
    return election


def test_two_imports_of_one_election_run_one_after_the_other(ge2019):
    release = threading.Event()
    first = ImportThread(
        "first", GE2019_CSV_CON_WIN, lambda: Election.objects.get(slug="ge2019"), hold=release
    )
    second = ImportThread("second", WAKEFIELD_CHANGED, lambda: Election.objects.get(slug="ge2019"))
    first.start()
    try:
        assert first.inside.wait(15), "the first import never took the lock"
        second.start()
        waiting = wait_for(backends_waiting_on_a_lock)
        assert any("pg_advisory_xact_lock" in query for query in waiting), waiting
        assert not second.inside.is_set()  # blocked on the lock, not interleaving
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert first.error is None and second.error is None, (first.error, second.error)

    # One consistent result: exactly the second file, fully assessed.
    results = Result.objects.filter(election=ge2019)
    assert results.count() == 2
    assessments = {
        a.constituency.name: a
        for a in SeatAssessment.objects.filter(election=ge2019).select_related("constituency", "winner")
    }
    assert set(assessments) == {"Batley and Spen", "Wakefield"}
    assert (assessments["Batley and Spen"].winner.code, assessments["Batley and Spen"].majority) == (
        "Lab",
        3525,
    )
    assert assessments["Wakefield"].winner_votes == 21300
    for result in results.prefetch_related("candidacies"):
        assert sum(c.votes for c in result.candidacies.all()) == result.valid_votes

    # The second saw the first's committed result as its "before": they ran one after the other.
    assert [c.name for c in second.outcome.summary.changes.winner_changes] == ["Batley and Spen"]
    assert second.outcome.summary.changes.winner_changes[0].was == "Con (Mark Brooks)"
    records = list(
        ResultsImport.objects.filter(username__in=["first", "second"]).order_by("created_at", "pk")
    )
    assert [r.username for r in records] == ["first", "second"]


def test_two_imports_creating_the_same_election_at_once(db):
    ensure_default_parties()
    boundary_set = BoundarySet.objects.create(code="2010", name="2010 constituency boundaries")

    def new_election():
        return Election(
            slug="ge2019", name="2019 general election", date="2019-12-12", kind="general",
            boundary_set=BoundarySet.objects.get(pk=boundary_set.pk),
        )  # fmt: skip

    release = threading.Event()
    first = ImportThread("first", GE2019_CSV_CON_WIN, new_election, hold=release)
    second = ImportThread("second", WAKEFIELD_CHANGED, new_election)
    first.start()
    try:
        assert first.inside.wait(15)
        second.start()
        assert wait_for(backends_waiting_on_a_lock)  # the second waits on the first's new election row
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert first.error is None
    assert isinstance(
        second.error, IntegrityError
    )  # refused, not merged: the admin says so and writes nothing
    election = Election.objects.get(slug="ge2019")
    assert (
        SeatAssessment.objects.get(election=election, constituency__name="Batley and Spen").winner.code
        == "Con"
    )
    assert ResultsImport.objects.filter(election=election).count() == 1
    assert Election.objects.count() == 1


def assessment_rows() -> list[tuple]:
    fields = [
        f.attname for f in SeatAssessment._meta.concrete_fields if f.attname not in ("id", "computed_at")
    ]
    return sorted(SeatAssessment.objects.values_list(*fields))


def assert_assessed_with_the_blocs_in_force():
    """Every stored assessment is what a recompute from the stored results and blocs gives now."""
    stored = assessment_rows()
    assert stored
    recompute_all_assessments()
    assert assessment_rows() == stored


# Labour leaves the progressive bloc: in the imported GE2019_CSV_CON_WIN, Batley and Spen (a Conservative
# win that Labour, the Liberal Democrats and the Greens outpolled together) stops being a tragedy.
LABOUR_OUT = {"Lab": ""}


def batley_and_spen(election):
    return SeatAssessment.objects.select_related("winner", "best_placed").get(
        election=election, constituency__name="Batley and Spen"
    )


def test_a_bloc_change_during_an_import_waits_and_then_reassesses_the_new_results(ge2019):
    release = threading.Event()
    importer = ImportThread(
        "import",
        GE2019_CSV_CON_WIN,
        lambda: Election.objects.get(slug="ge2019"),
        hold=release,
        hold_at="candidacies written",
    )
    change = BlocsThread(LABOUR_OUT)
    importer.start()
    try:
        assert importer.inside.wait(15), "the import never got going"
        change.start()
        waiting = wait_for(backends_waiting_on_a_lock)
    finally:
        release.set()
        importer.join(30)
        change.join(30)
    # Unserialised, the bloc change recomputes from the results the import is deleting: it waits for their
    # rows and fails (a deadlock, or a foreign key error at commit).
    assert importer.error is None and change.error is None, (importer.error, change.error)
    assert any("pg_advisory_xact_lock" in query for query in waiting), waiting

    assert Party.objects.get(code="Lab").bloc == ""
    seat = batley_and_spen(ge2019)
    assert (seat.winner.code, seat.is_tragedy, seat.best_placed.code) == ("Con", False, "LD")
    assert change.change.assessments == SeatAssessment.objects.count()
    assert_assessed_with_the_blocs_in_force()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BLOCS_CHANGED).count() == 1


def test_an_import_during_a_bloc_change_waits_and_assesses_with_the_new_blocs(ge2019, monkeypatch):
    inside, release = threading.Event(), threading.Event()
    recompute = blocs.recompute_all_assessments

    def held_recompute():  # the parties are updated, not yet committed; nothing recomputed yet
        inside.set()
        assert release.wait(30), "the test never released the bloc change"
        return recompute()

    monkeypatch.setattr(blocs, "recompute_all_assessments", held_recompute)
    change = BlocsThread(LABOUR_OUT)
    importer = ImportThread("import", GE2019_CSV_CON_WIN, lambda: Election.objects.get(slug="ge2019"))
    change.start()
    try:
        assert inside.wait(15), "the bloc change never got going"
        importer.start()
        waiting = wait_for(backends_waiting_on_a_lock)
        imported_early = importer.inside.is_set()
    finally:
        release.set()
        change.join(30)
        importer.join(30)
    # Unserialised, the two wait for each other's rows (a deadlock) and one fails.
    assert importer.error is None and change.error is None, (importer.error, change.error)
    assert any("pg_advisory_xact_lock" in query for query in waiting), waiting
    assert not imported_early  # it had read neither the blocs nor the results while the change ran

    seat = batley_and_spen(ge2019)
    assert (seat.winner.code, seat.is_tragedy) == ("Con", False)  # assessed with Labour out of the bloc
    assert_assessed_with_the_blocs_in_force()
