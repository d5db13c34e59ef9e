"""Whether a database error means the database is away (not running, restarting, unreachable, out of
connections) rather than that a statement went wrong.

The first is worth waiting out: the site answers 503 with Retry-After and serves what it holds in memory
(seatfinder/database_outage.py, postcodes/snapshots.py, data_version.py). The second is a bug or a conflict
(a deadlock, a statement timeout, a broken constraint) and stays a 500 with its traceback.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# SQLSTATEs of a server that is going, gone or not yet there (PostgreSQL, Appendix A): class 08 (connection
# exception) and these. A deadlock (40P01) or a cancelled statement (57014) is an OperationalError too, and not
# one of them.
AWAY_SQLSTATES = {
    "57P01",  # admin_shutdown: pg_ctl stop/restart -m fast ended the session
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: starting up or shutting down
    "53300",  # too_many_connections
}


def database_unavailable(exc: BaseException) -> bool:
    """True for Django's InterfaceError (a connection already closed) and for an OperationalError with no
    SQLSTATE (the connection could not be made, or was lost: psycopg sets none then) or one of a server away."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in AWAY_SQLSTATES
