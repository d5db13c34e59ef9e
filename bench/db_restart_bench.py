"""Benchmark: PostgreSQL restarted under load. How many requests fail, with which status, and whether any
fails once the database is back.

    .venv/bin/python bench/db_restart_bench.py [--quick] [--seconds 20] [--restart-at 0.33] [--concurrency 8]
        [--workers N] [--client-processes 2]

Starts a PostgreSQL of its own in a temporary folder (bench/dedicated_postgres.py; never the shared embedded
one) with a small site on it (the seven 2024 sample seats and a three-postcode directory), and gunicorn on
127.0.0.1 against it. First the usual table (bench/harness.py run_rounds): the trivial view, the seat page,
the postcode API and the seat list, healthy, as ratios to the trivial view. Then a steady load on the same
four at once (--concurrency clients, a quarter on each), for --seconds, with `pg_ctl restart -m fast` at --restart-at of the way through, and reports
requests sent, failed (by status: 503 while the database is away; 0 a connection that failed), the share
failed (goal: under 1%) and failures among the requests sent after the restart returned (goal: none). The
trivial view needs no database: it is the control, and its failures would be the server's, not the
database's. Writes bench/results/db-restart-<time>.json.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from dedicated_postgres import DedicatedPostgres, load_sample_site  # noqa: E402
from harness import (  # noqa: E402
    MAX_REQUESTS_PER_CLIENT,
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

TARGETS = [
    Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
    Target("seat page", ["/seats/aldershot/"]),
    Target("postcode API, a postcode in the directory", ["/api/postcodes/GU7%201AA/"]),
    Target("seat list page", ["/seats/?election=ge2024"]),
]
GOAL_SHARE = 0.01


def _mixed_client(job: tuple) -> list[tuple[int, float, float, int]]:
    """One client process: threads sending requests back to back until the deadline, each thread to one
    target (the `first` thread overall to the target after the last process's), so a slow page does not hold
    back the clients of the others. Gives (target index, sent, answered, status) per request, on the
    machine-wide monotonic clock."""
    port, paths, threads, seconds, first = job
    requests = [harness._request_bytes(p) for p in paths]
    records: list[tuple[int, float, float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(number: int):
        index = (first + number) % len(requests)
        mine = []
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            sent = time.monotonic()
            if sent >= deadline:
                break
            try:
                status = harness._request(port, requests[index], 30)[0]
            except OSError:
                status = 0
            mine.append((index, sent, time.monotonic(), status))
        with lock:
            records.extend(mine)

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return records


def restart_under_load(server: Gunicorn, database: DedicatedPostgres, args, seconds: float) -> dict:
    processes = max(1, min(args.client_processes, args.concurrency))
    shares = [
        args.concurrency // processes + (1 if i < args.concurrency % processes else 0)
        for i in range(processes)
    ]
    paths = [t.paths[0] for t in TARGETS]
    jobs = [(server.port, paths, threads, seconds, sum(shares[:i])) for i, threads in enumerate(shares)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pending = pool.map_async(_mixed_client, jobs)
        time.sleep(seconds * args.restart_at)
        load_average = os.getloadavg()[0]
        restart_began = time.monotonic()
        database.restart()
        back_at = time.monotonic()
        records = [r for chunk in pending.get(timeout=seconds + 120) for r in chunk]
    began = min(r[1] for r in records)
    ended = max(r[2] for r in records)
    per_target = []
    for index, target in enumerate(TARGETS):
        mine = [r for r in records if r[0] == index]
        failed = [r for r in mine if r[3] != 200]
        per_target.append(
            {
                "name": target.name,
                "path": target.paths[0],
                "sent": len(mine),
                "failed": len(failed),
                "failed_by_status": dict(sorted(Counter(r[3] for r in failed).items())),
                "failed_after_back": sum(1 for r in failed if r[1] >= back_at),
                "requests_per_second_before": _rate(mine, began, restart_began),
                "requests_per_second_after": _rate(mine, back_at, ended),
            }
        )
    real = [r for r in records if r[0] != 0]  # the trivial view is the control, not the site
    failed = [r for r in real if r[3] != 200]
    return {
        "seconds": round(ended - began, 2),
        "restart_at_second": round(restart_began - began, 2),
        "restart_took_seconds": round(back_at - restart_began, 2),
        "load_average_1min_at_restart": round(load_average, 2),
        "sent": len(real),
        "failed": len(failed),
        "failed_by_status": dict(sorted(Counter(r[3] for r in failed).items())),
        "failed_share": round(len(failed) / len(real), 5) if real else None,
        "failed_after_back": sum(1 for r in failed if r[1] >= back_at),
        "last_failure_after_restart_began_seconds": round(max(r[2] for r in failed) - restart_began, 2)
        if failed
        else None,
        "targets": per_target,
    }


def _rate(records, start: float, end: float) -> float:
    inside = [r for r in records if start <= r[1] and r[2] <= end and r[3] == 200]
    return round(len(inside) / (end - start), 1) if end > start else 0.0


def print_restart(report: dict) -> None:
    print(
        f"\nRESTART UNDER LOAD: {report['seconds']} s of mixed load, `pg_ctl restart -m fast` at "
        f"{report['restart_at_second']} s, back after {report['restart_took_seconds']} s "
        f"(load average {report['load_average_1min_at_restart']}):"
    )
    print(
        f"{'endpoint':46} {'sent':>7} {'failed':>7} {'by status':>14} {'after back':>10} {'req/s before':>12} {'after':>7}"
    )
    for t in report["targets"]:
        statuses = ",".join(f"{s}:{n}" for s, n in t["failed_by_status"].items()) or "-"
        print(
            f"{t['name'][:46]:46} {t['sent']:7d} {t['failed']:7d} {statuses:>14} {t['failed_after_back']:10d} "
            f"{t['requests_per_second_before']:12.1f} {t['requests_per_second_after']:7.1f}"
        )
    share = report["failed_share"]
    print(
        f"The site (all but the trivial view): {report['sent']} sent, {report['failed']} failed "
        f"({share:.2%}; goal under {GOAL_SHARE:.0%}), by status {report['failed_by_status'] or '-'}; "
        f"{report['failed_after_back']} failed after the database was back (goal 0)"
        + (
            f"; the last failure {report['last_failure_after_restart_began_seconds']} s after the restart began."
            if report["failed"]
            else "."
        )
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument(
        "--restart-at", type=float, default=1 / 3, help="how far through the run to restart (default 0.33)"
    )
    parser.add_argument(
        "--hold-seconds",
        type=float,
        help="SEATFINDER_DATABASE_HOLD_SECONDS for the server (default: the setting's, 5); 0 shows the "
        "restart with no waiting, every request that finds the database away answered 503 at once",
    )
    args = parser.parse_args(argv)
    restart_seconds = args.seconds if args.seconds is not None else (10.0 if args.quick else 20.0)

    with DedicatedPostgres() as database:
        print(f"Dedicated PostgreSQL in {database.pgdata}; loading the sample site.", flush=True)
        load_sample_site(database, harness.ROOT)
        os.environ["DATABASE_URL"] = database.url  # the settings of this process too (its CPU readings)
        harness.django_setup()
        env = {
            "DATABASE_URL": database.url,
            "SEATFINDER_POSTCODE_SNAPSHOT_DIR": str(database.folder / "snapshots"),
        }
        if args.hold_seconds is not None:
            env["SEATFINDER_DATABASE_HOLD_SECONDS"] = str(args.hold_seconds)
        with Gunicorn(args.workers, name="db-restart", env=env) as server:
            for target in TARGETS:
                check(server.port, target.paths[0])
            print(f"\n{describe_load(server, args)}", flush=True)
            rows = ratio_rows(run_rounds(server, TARGETS, args))  # also warms every worker up
            print("\nHEALTHY (the database up throughout):")
            print_table(rows)
            report = restart_under_load(server, database, args, restart_seconds)
            settings = http_settings(args, server)
    print_restart(report)
    harness.print_load_average()
    harness.write_results(
        "db-restart",
        {
            "dataset": "fixtures/samples: seven 2024 seats, a three-postcode directory",
            "baseline": TRIVIAL_PATH,
            "settings": {
                **settings,
                "restart_seconds": restart_seconds,
                "restart_at": args.restart_at,
                "hold_seconds": args.hold_seconds,
            },
            "healthy": rows,
            "restart": report,
        },
    )


if __name__ == "__main__":
    main()
