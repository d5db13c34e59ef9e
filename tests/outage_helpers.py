"""The database taken away from this process, for real: the connection is closed and pointed at a socket folder
that does not exist, so the next query fails to connect as it does when the server is stopped (an
OperationalError with no SQLSTATE). Only in tests that commit (transaction=True): it closes the connection."""

from __future__ import annotations

from contextlib import contextmanager

import psycopg
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

NOWHERE = "/nonexistent/seatfinder-database-away"


@contextmanager
def database_away():
    connection = connections[DEFAULT_DB_ALIAS]
    saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = NOWHERE, "5432"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved


def django_error(psycopg_error: psycopg.Error, error_class=OperationalError) -> Exception:
    """A Django database error as Django raises it: with the driver's error as its cause."""
    try:
        raise error_class(str(psycopg_error)) from psycopg_error
    except error_class as exc:
        return exc
