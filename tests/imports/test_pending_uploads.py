"""Previewed files wait in the PendingUpload table, compressed, for their own admin, at most an hour and three each;
anyone's upload, preview, confirm or cancel clears the files others abandoned."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from constituencies.imports.uploads import MAX_PENDING_PER_USER, PENDING_LIFETIME, unpack
from constituencies.models import PendingUpload
from tests.admin_helpers import existing, import_url, upload
from tests.builders import GE2019_CSV_CON_WIN, staff_user

FILE = GE2019_CSV_CON_WIN.encode()


@pytest.fixture
def other_admin():
    client = Client()
    client.force_login(staff_user("other", "import_results"))
    return client


def start_import(client, election, name="x.csv") -> str:
    """Upload a file for preview; returns its token."""
    response = client.post(import_url(), existing(election, results_file=upload(name, FILE)))
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def age(token, by=PENDING_LIFETIME + timedelta(minutes=1)):
    PendingUpload.objects.filter(token=token).update(created_at=timezone.now() - by)


def test_a_previewed_file_waits_compressed_in_its_own_table_not_in_the_session(
    admin_client, admin_user, ge2019
):
    token = start_import(admin_client, ge2019)
    waiting = PendingUpload.objects.get(token=token)
    assert (waiting.user, waiting.election, waiting.file_name) == (admin_user, ge2019, "x.csv")
    assert unpack(waiting.data) == FILE
    session = Session.objects.get(session_key=admin_client.session.session_key)
    assert len(session.session_data) < 1000  # the login, not the file
    assert admin_client.get(import_url("import_preview", token)).status_code == 200


def test_an_abandoned_file_is_deleted_by_anyone_elses_next_upload(admin_client, other_admin, ge2019):
    abandoned = start_import(admin_client, ge2019)
    age(abandoned)
    start_import(other_admin, ge2019)
    assert not PendingUpload.objects.filter(token=abandoned).exists()
    assert PendingUpload.objects.count() == 1


def test_an_abandoned_file_is_deleted_by_anyone_elses_preview(admin_client, other_admin, ge2019):
    theirs = start_import(other_admin, ge2019)
    abandoned = start_import(admin_client, ge2019)
    age(abandoned)
    assert other_admin.get(import_url("import_preview", theirs)).status_code == 200
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [theirs]


def test_a_file_over_an_hour_old_can_no_longer_be_applied(admin_client, ge2019, snapshot):
    token = start_import(admin_client, ge2019)
    age(token)
    before = snapshot()
    response = admin_client.post(import_url("import_confirm", token), {"state": "x"}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert snapshot() == before
    assert not PendingUpload.objects.exists()
    # Younger than the limit, it still waits.
    fresh = start_import(admin_client, ge2019)
    age(fresh, by=PENDING_LIFETIME - timedelta(minutes=5))
    assert admin_client.get(import_url("import_preview", fresh)).status_code == 200


def test_at_most_three_files_wait_for_each_admin(admin_client, other_admin, ge2019):
    theirs = start_import(other_admin, ge2019)
    mine = [start_import(admin_client, ge2019, name=f"{n}.csv") for n in range(MAX_PENDING_PER_USER + 1)]
    assert set(PendingUpload.objects.values_list("token", flat=True)) == {theirs, *mine[1:]}


def test_a_file_waits_only_for_the_admin_who_uploaded_it(admin_client, other_admin, ge2019, snapshot):
    token = start_import(admin_client, ge2019)
    before = snapshot()
    assert (
        "no longer waiting"
        in other_admin.get(import_url("import_preview", token), follow=True).content.decode()
    )
    other_admin.post(import_url("import_confirm", token), {"state": "x"})
    other_admin.post(import_url("import_cancel", token))
    assert snapshot() == before
    assert PendingUpload.objects.filter(token=token).exists()


def test_deleting_the_election_drops_the_files_waiting_for_it(admin_client, ge2019):
    token = start_import(admin_client, ge2019)
    ge2019.delete()
    assert not PendingUpload.objects.exists()
    assert (
        "no longer waiting"
        in admin_client.get(import_url("import_preview", token), follow=True).content.decode()
    )
