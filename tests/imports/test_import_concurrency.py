"""Imports and bloc changes at once: the assessment writers' advisory lock makes them run one after the other.

These tests use real transactions (transactional_db) and one database connection per thread. The first
writer is held inside its transaction, after taking the lock, until the test lets it go; meanwhile the
second must be seen waiting on the lock in pg_stat_activity, and must not get inside.
"""

import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.test import Client

from constituencies.imports import service as results_imports
from constituencies.imports.demo import ensure_default_parties
from constituencies.imports.service import ResultsUpload, apply_import
from constituencies.models import (
    AuditEvent,
    BoundarySet,
    Constituency,
    Election,
    Party,
    PendingUpload,
    Result,
    ResultsImport,
    SeatAssessment,
)
from constituencies.rules.files import ImportFileError
from constituencies.seats import blocs, elections
from constituencies.seats.assessments import recompute_all_assessments
from tests.admin_helpers import existing, import_url, upload
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


# -- an import, a preview or a confirm that waited behind the deletion of its election -----------------


class Held:
    """Wraps a function so that its first call (in whichever thread) waits for the test; later calls run."""

    def __init__(self, function):
        self.function = function
        self.inside, self.release = threading.Event(), threading.Event()
        self._first = threading.Lock()

    def __call__(self, *args, **kwargs):
        if self._first.acquire(blocking=False):
            self.inside.set()
            assert self.release.wait(30), "the test never released the held call"
        return self.function(*args, **kwargs)


class Worker(threading.Thread):
    """Runs `target` on its own connection; keeps what it returned or raised."""

    def __init__(self, name, target):
        super().__init__(name=name, daemon=True)
        self.target = target
        self.value = self.error = None

    def run(self):
        try:
            self.value = self.target()
        except Exception as exc:  # reported to the test thread
            self.error = exc
        finally:
            connections.close_all()


def while_held(held: Held, first: threading.Thread, second: threading.Thread) -> list[str]:
    """Start `first` and hold it at `held`; start `second`, wait until it waits on a lock, let both finish.
    Returns the queries seen waiting."""
    first.start()
    try:
        assert held.inside.wait(15), "the first never got inside"
        second.start()
        waiting = wait_for(backends_waiting_on_a_lock)
    finally:
        held.release.set()
        first.join(30)
        second.join(30)
    assert not first.is_alive() and not second.is_alive()
    return waiting


@pytest.fixture
def held_delete(monkeypatch):
    """delete_election, held inside its transaction (lock taken, election read, nothing deleted yet)."""
    held = Held(elections.record_event)
    monkeypatch.setattr(elections, "record_event", held)
    return held


def deleting(election_pk):
    return Worker("delete", lambda: elections.delete_election(Election(pk=election_pk), username="deleter"))


def nothing_imported_after_setup(ge2019):
    assert not Election.objects.filter(pk=ge2019.pk).exists()
    assert list(ResultsImport.objects.values_list("username", flat=True)) == ["setup"]
    assert not Result.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_IMPORTED).count() == 1  # the setup's


def test_the_command_waiting_behind_a_delete_of_its_election_says_so_and_writes_nothing(
    ge2019, held_delete, tmp_path
):
    path = tmp_path / "ge2019.csv"
    path.write_text(GE2019_CSV_CON_WIN)
    out = StringIO()
    command = Worker(
        "command", lambda: call_command("import_results", str(path), "--election", "ge2019", stdout=out)
    )
    waiting = while_held(held_delete, deleting(ge2019.pk), command)
    assert any("pg_advisory_xact_lock" in query for query in waiting), waiting
    assert isinstance(command.error, CommandError), command.error  # not Election.DoesNotExist
    assert str(command.error).startswith(
        "Nothing was imported.\nge2019.csv: the election 2019 general election"
    )
    assert "(ge2019) was deleted since this import began" in str(command.error)
    assert "nothing was written" in str(command.error)
    nothing_imported_after_setup(ge2019)


def test_the_admin_preview_waiting_behind_a_delete_of_its_election_says_so(ge2019, held_delete, admin_client):
    token = upload_for_preview(admin_client, ge2019, GE2019_CSV_CON_WIN)
    preview = Worker("preview", lambda: admin_client.get(import_url("import_preview", token)))
    while_held(held_delete, deleting(ge2019.pk), preview)
    assert preview.error is None, preview.error  # not Election.DoesNotExist, a 500
    assert preview.value.status_code == 200
    assert "was deleted since this import began" in preview.value.content.decode()
    nothing_imported_after_setup(ge2019)


def test_the_admin_confirm_waiting_behind_a_delete_of_its_election_writes_nothing(
    ge2019, held_delete, admin_client
):
    token = upload_for_preview(admin_client, ge2019, GE2019_CSV_CON_WIN)
    state = admin_client.get(import_url("import_preview", token)).context["summary"].state_before
    confirm = Worker(
        "confirm",
        lambda: admin_client.post(import_url("import_confirm", token), {"state": state}, follow=True),
    )
    while_held(held_delete, deleting(ge2019.pk), confirm)
    assert confirm.error is None, confirm.error  # not Election.DoesNotExist, a 500
    assert confirm.value.status_code == 200
    assert "no longer waiting" in confirm.value.content.decode()
    nothing_imported_after_setup(ge2019)


# -- Confirm pressed twice: the waiting upload is taken inside the import's transaction -------------------


def upload_for_preview(client, election, text) -> str:
    response = client.post(import_url(), existing(election, results_file=upload("again.csv", text)))
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def test_a_double_clicked_confirm_imports_once(ge2019, admin_client, admin_user, monkeypatch):
    # The same file again (a correction that changed nothing, say): the second confirm's preview state
    # still matches after the first, so only taking the upload stops it.
    token = upload_for_preview(admin_client, ge2019, GE2019_CSV)
    state = admin_client.get(import_url("import_preview", token)).context["summary"].state_before
    other_tab = Client()
    other_tab.force_login(admin_user)
    held = Held(results_imports.record_import)  # the first confirm: imported, not yet committed
    monkeypatch.setattr(results_imports, "record_import", held)

    def confirm(client):
        return lambda: client.post(import_url("import_confirm", token), {"state": state}, follow=True)

    first, second = Worker("first", confirm(admin_client)), Worker("second", confirm(other_tab))
    waiting = while_held(held, first, second)
    assert first.error is None and second.error is None, (first.error, second.error)
    assert any("pg_advisory_xact_lock" in query for query in waiting), waiting
    assert "Imported again.csv into 2019 general election" in first.value.content.decode()
    assert second.value.redirect_chain[-1][0] == import_url()
    assert "no longer waiting" in second.value.content.decode()
    assert ResultsImport.objects.filter(source=ResultsImport.Source.ADMIN).count() == 1
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.RESULTS_IMPORTED, results_import__source=ResultsImport.Source.ADMIN
        ).count()
        == 1
    )
    assert not PendingUpload.objects.exists()


def test_a_failed_confirm_leaves_the_upload_waiting(ge2019, admin_client):
    token = upload_for_preview(admin_client, ge2019, GE2019_CSV_CON_WIN)
    response = admin_client.post(import_url("import_confirm", token), {"state": "stale"})
    assert response["Location"] == import_url("import_preview", token)  # results changed: preview again
    assert PendingUpload.objects.filter(token=token).exists()
    assert not ResultsImport.objects.filter(source=ResultsImport.Source.ADMIN).exists()


# -- the election's row is locked, not its boundary set's -------------------------------------------------


def boundary_set_row_is_free(boundary_set_pk) -> bool:
    """An edit of the boundary set (FOR NO KEY UPDATE, as an UPDATE of its name takes) need not wait."""
    try:
        with transaction.atomic():
            BoundarySet.objects.select_for_update(nowait=True, no_key=True).get(pk=boundary_set_pk)
    except OperationalError:
        return False
    return True


def election_row_is_locked(election_pk) -> bool:
    try:
        with transaction.atomic():
            Election.objects.select_for_update(nowait=True).get(pk=election_pk)
    except OperationalError:
        return True
    return False


def test_an_import_locks_the_election_row_and_not_its_boundary_set(ge2019):
    release = threading.Event()
    importer = ImportThread("import", GE2019_CSV, lambda: Election.objects.get(slug="ge2019"), hold=release)
    importer.start()
    try:
        assert importer.inside.wait(15)
        election_locked = election_row_is_locked(ge2019.pk)
        boundaries_free = boundary_set_row_is_free(ge2019.boundary_set_id)
    finally:
        release.set()
        importer.join(30)
    assert importer.error is None, importer.error
    assert election_locked and boundaries_free


def test_deleting_an_election_locks_its_row_and_not_its_boundary_set(ge2019, held_delete):
    delete = deleting(ge2019.pk)
    delete.start()
    try:
        assert held_delete.inside.wait(15)
        election_locked = election_row_is_locked(ge2019.pk)
        boundaries_free = boundary_set_row_is_free(ge2019.boundary_set_id)
    finally:
        held_delete.release.set()
        delete.join(30)
    assert delete.error is None, delete.error
    assert election_locked and boundaries_free


# -- the constituency checks are made again once the lock is held ----------------------------------------


def test_one_name_is_one_constituency_when_two_imports_add_it_at_once(db):
    ensure_default_parties()
    boundary_set = BoundarySet.objects.create(code="2010", name="2010 constituency boundaries")
    for slug, kind in [("ge2019", "general"), ("notional2019", "notional")]:
        Election.objects.create(slug=slug, name=slug, date="2019-12-12", kind=kind, boundary_set=boundary_set)
    # Wakefield under another code: refused once the first import has added Wakefield as E14001009.
    other_code = GE2019_CSV.replace("E14001009", "E14009999")
    release = threading.Event()
    first = ImportThread("first", GE2019_CSV, lambda: Election.objects.get(slug="ge2019"), hold=release)
    second = ImportThread("second", other_code, lambda: Election.objects.get(slug="notional2019"))
    first.start()
    try:
        assert first.inside.wait(15)  # Wakefield added, not yet committed: the second's early check passes
        second.start()
        waiting = wait_for(backends_waiting_on_a_lock)
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert any("pg_advisory_xact_lock" in query for query in waiting), waiting
    assert first.error is None, first.error
    assert isinstance(second.error, ImportFileError), second.error
    assert (
        "E14009999 (Wakefield) is not a constituency on the 2010 constituency boundaries, where Wakefield is E14001009"
        in str(second.error)
    )
    assert sorted(Constituency.objects.values_list("ons_id", "name")) == [
        ("E14000548", "Batley and Spen"),
        ("E14001009", "Wakefield"),
    ]
    assert not Result.objects.filter(election__slug="notional2019").exists()
    assert list(ResultsImport.objects.values_list("username", flat=True)) == ["first"]


def test_a_by_election_waiting_behind_the_removal_of_its_constituency_is_refused(ge2019, monkeypatch):
    """The by-election's constituency is removed (here: the general election deleted with it, by hand)
    while the by-election's import waits for the lock."""
    by_election = Election.objects.create(
        slug="by-wakefield-2022", name="2022 Wakefield by-election", date="2022-06-23",
        kind="by", boundary_set=ge2019.boundary_set,
    )  # fmt: skip
    held = Held(elections.record_event)
    monkeypatch.setattr(elections, "record_event", held)

    def delete_ge2019_and_wakefield():
        with transaction.atomic():
            elections.delete_election(ge2019, username="deleter")
            Constituency.objects.filter(ons_id="E14001009").delete()

    wakefield_2022 = "ons_id,constituency,party,votes\nE14001009,Wakefield,Labour,13166\nE14001009,Wakefield,Conservative,8241\n"
    by_import = ImportThread("by", wakefield_2022, lambda: Election.objects.get(pk=by_election.pk))
    while_held(held, Worker("delete", delete_ge2019_and_wakefield), by_import)
    assert isinstance(by_import.error, ImportFileError), by_import.error
    assert "a by-election can only be in a constituency already loaded" in str(by_import.error)
    assert not Constituency.objects.filter(ons_id="E14001009").exists()
    assert not Result.objects.filter(election=by_election).exists()
