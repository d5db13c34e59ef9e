"""A real PostgreSQL stopped under a real gunicorn, and started again: while it is away the API answers 503
JSON and the pages a short 503 page, with Retry-After, while a postcode held in memory and a seat list cached
before still answer 200; once it is back, everything answers 200 at once, with no step by hand.

The server is one of its own (bench/dedicated_postgres.py), never the embedded one the other tests share, and
the site on it is small: migrated, the seven 2024 sample seats and a three-postcode directory (about 10 s).
"""

import http.client
import json
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import harness  # noqa: E402
from dedicated_postgres import DedicatedPostgres, load_sample_site  # noqa: E402

from constituencies.postcodes.snapshot_file import SUFFIX, is_complete  # noqa: E402
from seatfinder.database_outage import RETRY_AFTER_SECONDS  # noqa: E402

SEAT = "/seats/aldershot/"
SEAT_LIST = "/seats/?election=ge2024"
POSTCODE = "/api/postcodes/GU7%201AA/"
ELECTIONS = "/api/elections/"


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection(harness.HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not so within {seconds} s")
        time.sleep(0.1)


@pytest.fixture
def site(tmp_path):
    with DedicatedPostgres() as server:
        load_sample_site(server, ROOT)
        snapshots = server.folder / "snapshots"
        env = {
            "DATABASE_URL": server.url,
            "SEATFINDER_POSTCODE_SNAPSHOT_DIR": str(snapshots),
            "SEATFINDER_LOOKUP_STATE_SECONDS": "1",
            "SEATFINDER_DATABASE_HOLD_SECONDS": "1",  # the first request after the stop waits this long
        }
        # One worker, so the postcode snapshot and the cached seat list warmed up below are the ones asked.
        with harness.Gunicorn(workers=1, threads=2, name="database-restart-test", env=env) as gunicorn:
            yield server, gunicorn.port, snapshots, gunicorn.log_path


def test_with_postgres_stopped_the_site_answers_503_and_held_answers_then_recovers_by_itself(site):
    server, port, snapshots, log_path = site
    assert get(port, POSTCODE)[0] == 200  # from the database; starts the snapshot's build
    wait_for(lambda: any(is_complete(path) for path in snapshots.glob(f"*{SUFFIX}")))
    time.sleep(0.5)  # the build's thread lets the look-ups map it as it ends
    assert json.loads(get(port, POSTCODE)[2])["constituencies"][0]["name"] == "Godalming and Ash"  # mapped
    assert get(port, SEAT_LIST)[0] == 200  # kept in the response cache

    server.stop()
    time.sleep(1.2)  # the postcode state (checked every second) is now out of date
    status, headers, body = get(port, ELECTIONS)
    assert (status, headers["Content-Type"], headers["Retry-After"]) == (
        503,
        "application/json",
        str(RETRY_AFTER_SECONDS),
    )
    assert json.loads(body)["error"] == "database_unavailable"
    status, headers, body = get(port, SEAT)
    assert (status, headers["Retry-After"]) == (503, str(RETRY_AFTER_SECONDS))
    assert "We’ll be back in a minute" in body
    for _ in range(3):
        status, _, body = get(port, POSTCODE)
        assert status == 200 and json.loads(body)["constituencies"][0]["name"] == "Godalming and Ash"
        assert get(port, SEAT_LIST)[0] == 200  # the answer kept for the last version read

    server.start()
    for _ in range(3):  # the first request after the start reconnects: none of them fails
        for path in [SEAT, ELECTIONS, POSTCODE, SEAT_LIST]:
            status, _, body = get(port, path)
            assert status == 200, (path, body[:300])
    assert "Aldershot" in get(port, SEAT)[2]

    log = log_path.read_text()
    assert log.count("Database unavailable, answering 503") == 1, log
    assert log.count("Postcode look-ups cannot read the current state") == 1, log
    assert "Traceback" not in log and "ERROR" not in log, log
