"""Benchmark: joining (the form POST to a stored pending signup) and the counts API, under concurrent load,
beside the trivial Django view; and the nearest seats where help counts, from nearest_seats_bench.py's figures.

    .venv/bin/python bench/supporters_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]

Serves the site with gunicorn on 127.0.0.1 (bench/harness.py) with bench/supporters_settings.py: the join
form's rate limits off (every request comes from 127.0.0.1; a real address would be stopped after 20 posts an
hour) and emails built but not delivered (the dummy backend). Each join is a POST with its own address, from
the 2024 postcodes of the ONSPD sample (loaded if missing), with a CSRF token read once from /join/; it must
answer 302 to "check your email". The counts API (GET /api/supporters/counts/) answers for every seat of the
current boundaries, from Django's cache (per worker without REDIS_URL). Prints a table of ratios to the
trivial view and writes bench/results/supporters-<time>.json; the nearest-seats ratio is the latest
bench/results/nearest-seats-*.json's (run bench/nearest_seats_bench.py for a fresh one).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    HOST,
    RESULTS_DIR,
    TRIVIAL_PATH,
    Gunicorn,
    Target,
    check,
    describe_load,
    http_settings,
    print_table,
    ratio_rows,
    run_rounds,
)

SETTINGS = "bench.supporters_settings"
JOINS = 30_000  # distinct addresses, sent in turn: far more than a run posts, so an address is rarely reused
JOIN_PATH = "/join/"


def csrf(port: int) -> tuple[str, str]:
    """The CSRF cookie and the form's token, from one GET of the join page."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", JOIN_PATH)
    response = connection.getresponse()
    body = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    connection.close()
    return cookie, token


def join_requests(cookie: str, token: str, postcodes: list[str], version: str) -> list[bytes]:
    requests = []
    for n in range(JOINS):
        form = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "postcode": postcodes[n % len(postcodes)],
                "email": f"bench-{os.getpid()}-{n}@example.invalid",
                "first_name": "Bench",
                "activities": "vote",
                "consents_to_email": "on",
                "consent_version": version,
                "page": JOIN_PATH,
                "website": "",
            }
        ).encode()
        head = (
            f"POST {JOIN_PATH} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\nCookie: {cookie}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n"
        )
        requests.append(head.encode("ascii") + form)
    return requests


def latest_nearest_seats() -> dict | None:
    """The latest nearest-seats run's figures (bench/nearest_seats_bench.py), if there is one."""
    runs = sorted(RESULTS_DIR.glob("nearest-seats-*.json"))
    return json.loads(runs[-1].read_text()) if runs else None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    args = parser.parse_args(argv)

    harness.django_setup()
    import datasets

    from supporters.models import Supporter
    from supporters.rules.consent import CURRENT

    dataset = datasets.ensure_ge2024()
    datasets.ensure_postcode_directory(quick=True)
    postcodes = datasets.sample_postcodes(2_000)
    if not postcodes:
        raise SystemExit("No postcodes on the current boundaries: the join form has nothing to resolve.")
    pending_before = Supporter.objects.filter(status=Supporter.Status.PENDING).count()

    with Gunicorn(args.workers, name="supporters", env={"DJANGO_SETTINGS_MODULE": SETTINGS}) as server:
        cookie, token = csrf(server.port)
        joins = join_requests(cookie, token, postcodes, CURRENT.version)
        probe = harness._request(server.port, joins[-1], 30)[0]
        if probe != 302:
            raise SystemExit(f"POST {JOIN_PATH} answered {probe}, expected 302; see {server.log_path}")
        counts = json.loads(check(server.port, "/api/supporters/counts/"))
        targets = [
            Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
            Target("join: form POST to a stored pending signup", [JOIN_PATH], (302,), raw=joins[:-1]),
            Target(f"API /api/supporters/counts/, {len(counts['seats'])} seats", ["/api/supporters/counts/"]),
        ]
        print(f"Dataset: {dataset}; {len(postcodes):,} postcodes to join from.", flush=True)
        print(describe_load(server, args), flush=True)
        results = run_rounds(server, targets, args)
        settings = http_settings(args, server)
    stored = Supporter.objects.filter(status=Supporter.Status.PENDING).count() - pending_before
    rows = ratio_rows(results)
    print_table(rows)
    print(f"Pending signups stored in the run: {stored:,}.")
    nearest = latest_nearest_seats()
    if nearest:
        print(
            f"Nearest seats where help counts (latest bench/nearest_seats_bench.py run): {nearest_line(nearest)}"
        )
    removed, _ = Supporter.objects.filter(
        email__startswith="bench-", email__endswith="@example.invalid"
    ).delete()
    print(f"Removed the run's {removed:,} bench signups.")
    harness.print_load_average()
    harness.write_results(
        "supporters",
        {
            "dataset": dataset,
            "baseline": TRIVIAL_PATH,
            "settings": settings,
            "results": rows,
            "pending_signups_stored": stored,
            "nearest_seats": nearest,
        },
    )


def nearest_line(run: dict) -> str:
    """NearestSeats.nearest and where_help_counts against brute force, as ratios."""
    parts = [f"{run['lookups']:,} look-ups ({run['when']})"]
    for result in run["results"]:
        each = 1e6 * result["best_s"] / run["lookups"]
        parts.append(f"{result['name']}: {each:.1f} µs each, x{result['x_baseline']} of brute force")
    return "; ".join(parts)


if __name__ == "__main__":
    main()
