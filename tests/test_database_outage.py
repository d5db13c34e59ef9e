"""With the database away, the site answers 503 with Retry-After (JSON under /api/, a short page elsewhere),
logs that once and briefly, and answers as before once it is back; any other database error stays a 500.
The database is taken away for real (tests/outage_helpers.py); tests/test_database_restart.py stops a server."""

import logging

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import resolve

from constituencies.seats import data_version
from constituencies.seats.database import database_unavailable
from constituencies.web.seat_page import build_seat_page
from seatfinder.database_outage import (
    LOG_EVERY_SECONDS,
    QUIET_SECONDS,
    RETRY_AFTER_SECONDS,
    RETRY_EVERY_SECONDS,
    DatabaseUnavailableMiddleware,
)
from tests.clock import Clock
from tests.outage_helpers import database_away, django_error
from tests.settings_helpers import DEPLOY_ENV, load_settings

pytestmark = pytest.mark.django_db(transaction=True)
SEAT = "/seats/aldershot/"


@pytest.fixture(autouse=True)
def _no_cached_responses():
    """No answer kept by an earlier test (which, the database away, would be served: test_data_version.py)."""
    data_version.responses.clear()
    yield
    data_version.responses.clear()


def connection_failure() -> OperationalError:
    with database_away(), pytest.raises(OperationalError) as caught:
        connection.ensure_connection()
    return caught.value


def statement_timeout() -> OperationalError:
    with pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 1")
        try:
            cursor.execute("SELECT pg_sleep(1)")
        finally:
            connection.close()  # the setting goes with the session
    return caught.value


def test_only_errors_of_a_database_away_count():
    refused = connection_failure()
    assert refused.__cause__.sqlstate is None and "No such file or directory" in str(refused)
    assert database_unavailable(refused)
    assert database_unavailable(django_error(psycopg.errors.AdminShutdown("terminating connection")))
    assert database_unavailable(django_error(psycopg.errors.CannotConnectNow("the database is starting up")))
    assert database_unavailable(django_error(psycopg.errors.ConnectionFailure("lost")))
    assert database_unavailable(InterfaceError("connection already closed"))

    timed_out = statement_timeout()
    assert timed_out.__cause__.sqlstate == "57014"
    assert not database_unavailable(timed_out)
    assert not database_unavailable(django_error(psycopg.errors.DeadlockDetected("deadlock detected")))
    assert not database_unavailable(django_error(psycopg.errors.UniqueViolation("dup"), IntegrityError))
    assert not database_unavailable(ValueError("not a database error"))


def test_the_api_answers_503_json_with_retry_after(ge2024):
    client = Client()
    with database_away():
        for path in ["/api/elections/", "/api/seats/aldershot/", "/api/seats/?election=ge2024"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Content-Type"] == "application/json"
            assert response.json()["error"] == "database_unavailable"
            assert f"{RETRY_AFTER_SECONDS} seconds" in response.json()["message"]
            assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert response["Cache-Control"] == "no-store"
            assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_answer_a_short_503_page_made_without_the_database(ge2024):
    client = Client()
    with database_away():
        for path in [SEAT, "/", "/search?q=alder", "/seats/?election=ge2024"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Content-Type"] == "text/html; charset=utf-8"
            assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
            page = response.content.decode()
            assert "We’ll be back in a minute" in page
            assert 'aria-label="Main"' in page  # the site's own header and navigation, from base.html
            assert f'<a href="{path.replace("&", "&amp;")}">Try again</a>' in page
            assert response["X-Frame-Options"] == "DENY"  # passed out through the middleware above
        typed = client.get('/search?q="><script>alert(1)</script>')  # the "Try again" link stays a link
    assert typed.status_code == 503
    assert "<script>" not in typed.content.decode()
    assert (
        '<a href="/search?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E">Try again</a>' in typed.content.decode()
    )


def test_the_outage_is_logged_once_briefly_and_nothing_at_error(ge2024, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING), database_away():
        for path in [SEAT, SEAT, "/api/elections/", "/", SEAT]:
            assert client.get(path).status_code == 503
    outage = [r for r in caplog.records if r.name == "seatfinder.database_outage"]
    assert len(outage) == 1
    assert outage[0].levelno == logging.WARNING and outage[0].exc_info is None
    assert "Database unavailable, answering 503 (OperationalError: connection" in outage[0].getMessage()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_once_the_database_is_back_the_same_client_is_answered_as_before(ge2024):
    client = Client()
    before = client.get(SEAT)
    with database_away():
        # The seat page this process kept for the last version it read is served; a search needs the database.
        assert client.get(SEAT).content == before.content
        assert client.get("/search", {"q": "Alder"}).status_code == 503
    after = client.get(SEAT)
    assert before.status_code == after.status_code == 200
    assert "Aldershot" in after.content.decode()
    assert client.get("/search", {"q": "Alder"}).status_code == 200


@pytest.mark.parametrize(
    "error",
    [psycopg.errors.DeadlockDetected("deadlock detected"), psycopg.errors.QueryCanceled("statement timeout")],
    ids=["deadlock", "statement timeout"],
)
def test_any_other_database_error_stays_a_500_with_its_traceback(ge2024, monkeypatch, caplog, error):
    def fails(*args, **kwargs):
        raise django_error(error)

    monkeypatch.setattr("constituencies.web.voter.build_seat_page", fails)
    with caplog.at_level(logging.ERROR):
        response = Client(raise_request_exception=False).get(SEAT)
    assert response.status_code == 500
    assert "Retry-After" not in response
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert len(logged) == 1 and logged[0].exc_info is not None


def test_a_long_outage_is_warned_of_again_each_minute_with_the_count_between(caplog):
    clock = Clock()
    middleware = DatabaseUnavailableMiddleware(lambda request: None, clock=clock)
    refused = connection_failure()
    with caplog.at_level(logging.WARNING, logger="seatfinder.database_outage"):
        for _ in range(4):
            assert middleware.process_exception(RequestFactory().get(SEAT), refused).status_code == 503
            clock.advance(LOG_EVERY_SECONDS / 3)
        clock.advance(LOG_EVERY_SECONDS)
        middleware.process_exception(RequestFactory().get("/api/elections/"), refused)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 3
    assert messages[0].endswith(f"at {SEAT}") and "more 503s" not in messages[0]
    assert messages[1].endswith(f"at {SEAT}; 2 more 503s since the last warning")
    assert messages[2].endswith("at /api/elections/")
    deadlock = django_error(psycopg.errors.DeadlockDetected("deadlock detected"))
    assert middleware.process_exception(RequestFactory().get(SEAT), deadlock) is None


class FakeTime:
    def __init__(self):
        self.clock = Clock()
        self.slept = 0.0

    def sleep(self, seconds):
        self.slept += seconds
        self.clock.advance(seconds)


def seat_request(method="get"):
    request = getattr(RequestFactory(), method)(SEAT)
    request.resolver_match = resolve(SEAT)
    return request


def failing_first(monkeypatch, times: int):
    """build_seat_page, finding the database away the first `times` calls."""
    real, calls = build_seat_page, []

    def build(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise connection_failure()
        return real(*args, **kwargs)

    monkeypatch.setattr("constituencies.web.voter.build_seat_page", build)
    return calls


def test_early_in_an_outage_a_get_waits_and_is_answered_once_the_database_is_back(
    ge2024, settings, monkeypatch, caplog
):
    settings.SEATFINDER_DATABASE_HOLD_SECONDS = 5
    time = FakeTime()
    middleware = DatabaseUnavailableMiddleware(lambda request: None, clock=time.clock, sleep=time.sleep)
    calls = failing_first(monkeypatch, 2)  # the view, run again, finds it away twice more, then back
    with caplog.at_level(logging.WARNING):
        response = middleware.process_exception(seat_request(), connection_failure())
    assert response.status_code == 200 and "Aldershot" in response.content.decode()
    assert len(calls) == 3
    assert time.slept == 3 * RETRY_EVERY_SECONDS
    assert [r for r in caplog.records if r.name == "seatfinder.database_outage"] == []


def test_a_get_waits_no_longer_than_the_hold_and_later_ones_not_at_all(ge2024, settings, monkeypatch):
    settings.SEATFINDER_DATABASE_HOLD_SECONDS = 2
    time = FakeTime()
    middleware = DatabaseUnavailableMiddleware(lambda request: None, clock=time.clock, sleep=time.sleep)
    failing_first(monkeypatch, 1000)
    assert middleware.process_exception(seat_request(), connection_failure()).status_code == 503
    assert time.slept == 2
    time.slept = 0
    assert middleware.process_exception(seat_request(), connection_failure()).status_code == 503
    assert time.slept == 0  # the outage is older than the hold: at once
    time.clock.advance(QUIET_SECONDS + 1)  # nothing found it away for a while: a new outage, a new wait
    assert middleware.process_exception(seat_request(), connection_failure()).status_code == 503
    assert time.slept == 2


def test_a_post_is_never_run_again(ge2024, settings, monkeypatch):
    settings.SEATFINDER_DATABASE_HOLD_SECONDS = 5
    time = FakeTime()
    middleware = DatabaseUnavailableMiddleware(lambda request: None, clock=time.clock, sleep=time.sleep)
    calls = failing_first(monkeypatch, 0)
    assert middleware.process_exception(seat_request("post"), connection_failure()).status_code == 503
    assert time.slept == 0 and calls == []


def test_deployed_connections_are_checked_before_reuse_and_the_hold_is_read_from_the_environment(monkeypatch):
    """A connection the restart broke is found by the health check and replaced, not used and failed."""
    deploy = load_settings(monkeypatch, "deploy", **DEPLOY_ENV)
    assert deploy.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert deploy.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert deploy.SEATFINDER_DATABASE_HOLD_SECONDS == 5
    assert deploy.MIDDLEWARE[-1] == "seatfinder.database_outage.DatabaseUnavailableMiddleware"
    assert (
        load_settings(
            monkeypatch, "base", SEATFINDER_DATABASE_HOLD_SECONDS="0.5"
        ).SEATFINDER_DATABASE_HOLD_SECONDS
        == 0.5
    )
    with pytest.raises(ImproperlyConfigured, match="SEATFINDER_DATABASE_HOLD_SECONDS must be a number"):
        load_settings(monkeypatch, "base", SEATFINDER_DATABASE_HOLD_SECONDS="soon")
