"""The look-up's hot path: one prepared statement per database session, and the statement doubling as the
connection's health check. Whatever happens to the session (its statement deallocated, the server gone),
a look-up answers correctly; and it never costs more than one round trip."""

import logging

import psycopg
import pytest
from django.db import OperationalError, close_old_connections, connection

from constituencies import lookup
from constituencies.lookup import Outcome, lookup_postcode
from tests.voter_builders import ABERDEEN_NORTH, GODALMING, add_postcode, ge2024


@pytest.fixture
def seats(default_parties):
    ge2024()
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])
    add_postcode("GU7 9ZZ", GODALMING[0])


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'seatfinder_lookup_%%'")
        return [row[0] for row in cursor.fetchall()]


def test_prepared_once_per_session_then_only_executed(seats, django_assert_num_queries):
    lookup_postcode("AB10 1PE")  # prepares it, if this session had not already
    name = lookup._prepared_names[connection.connection]
    before = prepared_statements()
    assert name in before
    with django_assert_num_queries(1) as captured:
        result = lookup_postcode("GU7 9ZZ")
    assert captured.captured_queries[0]["sql"].startswith(f"EXECUTE {name}(")
    assert [c.name for c in result.constituencies] == ["Godalming and Ash"]
    assert prepared_statements() == before


def test_a_new_session_prepares_it_in_the_same_single_query(seats, django_assert_num_queries):
    lookup_postcode("AB10 1PE")
    old = lookup._prepared_names.pop(connection.connection)  # as if this were a new session
    before = prepared_statements()
    with django_assert_num_queries(1) as captured:
        result = lookup_postcode("ab101pe")
    assert captured.captured_queries[0]["sql"].startswith("PREPARE seatfinder_lookup_")
    assert result.outcome is Outcome.FOUND and result.constituencies[0].ons_id == ABERDEEN_NORTH[0]
    new = lookup._prepared_names[connection.connection]
    assert new != old and set(prepared_statements()) == {*before, new}  # a fresh name, never a clash


def test_switched_off_it_sends_the_plain_statement_with_the_same_answers(
    seats, settings, django_assert_num_queries
):
    settings.SEATFINDER_PREPARED_STATEMENTS = False
    with django_assert_num_queries(1) as captured:
        result = lookup_postcode("GU7 9ZZ")
    sql = captured.captured_queries[0]["sql"]
    assert "PREPARE" not in sql and "EXECUTE" not in sql and "constituencies_postcode" in sql
    assert [c.name for c in result.constituencies] == ["Godalming and Ash"]
    assert lookup_postcode("ZE1 0AA").outcome is Outcome.UNKNOWN


@pytest.mark.django_db(transaction=True)
def test_a_deallocated_statement_is_prepared_again(seats, caplog):
    caplog.set_level(logging.INFO, logger="constituencies.lookup")
    assert lookup_postcode("AB10 1PE").found
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's reset would do
    result = lookup_postcode("AB10 1PE")
    assert result.found and result.constituencies[0].name == "Aberdeen North"
    assert len(prepared_statements()) == 1
    assert "deallocated; preparing it again" in caplog.text  # the first EXECUTE did fail


@pytest.mark.django_db(transaction=True)
def test_a_dead_connection_is_replaced_without_failing_the_look_up(seats, caplog):
    caplog.set_level(logging.INFO, logger="constituencies.lookup")
    assert lookup_postcode("AB10 1PE").found
    old = connection.connection
    close_old_connections()  # a new request begins: Django would health-check the reused connection
    # The server ends this session behind Django's back, as a database restart would.
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [old.info.backend_pid])
    result = lookup_postcode("GU7 9ZZ")
    assert result.found and result.constituencies[0].name == "Godalming and Ash"
    assert connection.connection is not old
    assert "retried on a fresh database connection" in caplog.text  # the first attempt did fail


@pytest.mark.django_db(transaction=True)
def test_on_a_healthy_reused_connection_the_look_up_is_the_only_round_trip(seats, monkeypatch):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    assert lookup_postcode("AB10 1PE").found
    close_old_connections()  # a new request begins on the same connection
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    assert lookup_postcode("GU7 9ZZ").found
    assert checks == []  # no SELECT 1 before the look-up: the look-up itself was the check
    # Other queries later in the same request need no check either: the connection just worked.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert checks == []


@pytest.mark.django_db(transaction=True)
def test_a_database_that_stays_down_is_an_error_not_a_loop(seats, monkeypatch):
    assert lookup_postcode("AB10 1PE").found
    close_old_connections()
    calls = []

    def broken(db, cursor, postcode):
        calls.append(postcode)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(lookup, "_fetch_directory_rows", broken)
    with pytest.raises(OperationalError, match="server closed the connection"):
        lookup_postcode("GU7 9ZZ")
    assert calls == ["GU7 9ZZ", "GU7 9ZZ"]  # the look-up, then one retry on a fresh connection


def test_with_server_side_binding_it_sends_the_plain_statement(seats, django_assert_num_queries):
    options = connection.settings_dict["OPTIONS"]
    options["server_side_binding"] = True  # read per look-up; the cursor itself is not changed here
    try:
        with django_assert_num_queries(1) as captured:
            result = lookup_postcode("AB10 1PE")
    finally:
        del options["server_side_binding"]
    assert "PREPARE" not in captured.captured_queries[0]["sql"]
    assert result.found and result.constituencies[0].name == "Aberdeen North"
