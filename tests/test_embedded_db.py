"""Which embedded PostgreSQL the settings and `make stop-db` mean: both follow EMBEDDED_POSTGRES_DIR."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from seatfinder.embedded_db import embedded_data_dir

# Replaces the real stop with one that only says which folder it was given, so the test stops nothing.
RECORDING_STOP = """
import seatfinder.embedded_db as embedded_db

def record(pgdata):
    print(f"asked to stop {pgdata}")
    return False

embedded_db.stop_embedded_server = record
"""


def test_the_data_folder_is_the_environment_variable_or_pgdata_in_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv("EMBEDDED_POSTGRES_DIR", raising=False)
    assert embedded_data_dir() == Path(settings.BASE_DIR) / ".pgdata"
    monkeypatch.setenv("EMBEDDED_POSTGRES_DIR", str(tmp_path / "pg"))
    assert embedded_data_dir() == tmp_path / "pg"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_stop_db_stops_the_server_in_embedded_postgres_dir(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(RECORDING_STOP)
    env = {
        **os.environ,
        "EMBEDDED_POSTGRES_DIR": str(tmp_path / "elsewhere"),
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
    }
    done = subprocess.run(
        ["make", "--no-print-directory", "stop-db"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"asked to stop {tmp_path / 'elsewhere'}", "not running"]
