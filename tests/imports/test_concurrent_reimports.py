"""Two results imports of one election started at once, one with the candidate file and one without: they run
one after the other (the assessment writers' lock), both finish, and whichever runs second, no candidate name is
lost. Real transactions, one connection per thread."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from constituencies.imports.demo import ensure_default_parties
from constituencies.models import Candidacy, ResultsImport
from tests.builders import GE2024_ARGS
from tests.imports.test_reimport_keeps_candidates import CANDIDATE_FILE, CONSTITUENCY_FILE

pytestmark = pytest.mark.django_db(transaction=True)


class CommandThread(threading.Thread):
    def __init__(self, name, *args, start_together: threading.Barrier):
        super().__init__(name=name, daemon=True)
        self.args, self.start_together = args, start_together
        self.out, self.error = StringIO(), None

    def run(self):
        try:
            self.start_together.wait(10)
            call_command("import_results", *map(str, self.args), stdout=self.out)
        except Exception as exc:  # reported to the test thread
            self.error = exc
        finally:
            connections.close_all()


@pytest.mark.parametrize("round_", range(3))
def test_two_reimports_at_once_both_finish_and_keep_every_name(round_):
    ensure_default_parties()
    call_command("import_results", str(CONSTITUENCY_FILE), *GE2024_ARGS, stdout=StringIO())
    together = threading.Barrier(2)
    with_names = CommandThread(
        "with-names", CONSTITUENCY_FILE, "--candidates", CANDIDATE_FILE, "--election", "ge2024",
        start_together=together,
    )  # fmt: skip
    without = CommandThread("without", CONSTITUENCY_FILE, "--election", "ge2024", start_together=together)
    for thread in (with_names, without):
        thread.start()
    for thread in (with_names, without):
        thread.join(60)
    assert not with_names.is_alive() and not without.is_alive()
    assert with_names.error is None and without.error is None, (with_names.error, without.error)

    # Both recorded, one after the other; the 48 candidates named whichever came second.
    assert ResultsImport.objects.filter(election__slug="ge2024").count() == 3
    stored = Candidacy.objects.filter(result__election__slug="ge2024")
    assert stored.count() == 48
    assert not stored.filter(candidate_name="").exists()
