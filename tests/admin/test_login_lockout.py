"""The admin login's lock-out (django-axes, seatfinder/throttling.py): after SEATFINDER_LOGIN_FAILURES failures
for one account or from one address, logins are refused with a clear 429 page, before any password is hashed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-correct-password-1"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def password_checks(monkeypatch):
    """The usernames that reached Django's own backend, which hashes the password."""
    checked = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return checked


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_up_to_the_limit_get_the_usual_form_then_the_account_is_locked(
    settings, client, editor, password_checks
):
    limit = settings.SEATFINDER_LOGIN_FAILURES
    for _ in range(limit - 1):
        response = log_in(client, "editor", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    locked = log_in(client, "editor", "wrong")
    assert locked.status_code == 429
    assert len(password_checks) == limit

    response = log_in(client, "editor", PASSWORD)  # the right password, during the cool-off
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert f"paused for {settings.SEATFINDER_LOGIN_COOLOFF_MINUTES} minutes" in page
    assert response["Retry-After"] == str(settings.SEATFINDER_LOGIN_COOLOFF_MINUTES * 60)
    assert not logged_in(client)
    assert len(password_checks) == limit  # no password was hashed for the refused attempt


def test_the_account_stays_locked_from_another_address(settings, client, editor, password_checks):
    for n in range(settings.SEATFINDER_LOGIN_FAILURES):
        log_in(client, "editor", "wrong", address=f"10.0.1.{n}")
    assert log_in(client, "editor", PASSWORD, address="10.0.2.1").status_code == 429
    assert not logged_in(client)


def test_one_address_trying_many_accounts_is_locked_and_others_are_not(
    settings, client, editor, password_checks
):
    for n in range(settings.SEATFINDER_LOGIN_FAILURES):
        log_in(client, f"guess{n}", "wrong", address="10.0.3.3")
    checks = len(password_checks)
    assert log_in(client, "editor", PASSWORD, address="10.0.3.3").status_code == 429
    assert len(password_checks) == checks
    response = log_in(client, "editor", PASSWORD, address="10.0.4.4")
    assert response.status_code == 302 and logged_in(client)


def test_a_success_before_the_limit_clears_the_account_s_failures(settings, client, editor):
    limit = settings.SEATFINDER_LOGIN_FAILURES
    for _ in range(limit - 1):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert log_in(client, "editor", "wrong", address="10.0.5.5").status_code == 200
    assert log_in(client, "editor", PASSWORD, address="10.0.5.5").status_code == 302


def test_the_limit_and_cool_off_come_from_the_environment(monkeypatch):
    from tests.settings_helpers import load_settings

    loaded = load_settings(monkeypatch, SEATFINDER_LOGIN_FAILURES="8", SEATFINDER_LOGIN_COOLOFF_MINUTES="30")
    assert loaded.AXES_FAILURE_LIMIT == 8
    assert loaded.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


@pytest.mark.parametrize("value", ["0", "five"])
def test_a_bad_limit_stops_the_settings(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from tests.settings_helpers import load_settings

    with pytest.raises(ImproperlyConfigured, match="SEATFINDER_LOGIN_FAILURES"):
        load_settings(monkeypatch, SEATFINDER_LOGIN_FAILURES=value)


def test_the_test_client_s_login_without_a_request_still_works(client, editor):
    assert client.login(username="editor", password=PASSWORD)
