"""Benchmark: postcode look-ups under gunicorn on loopback, against a trivial Django view served the same way.

    .venv/bin/python bench/postcodes_lookup.py [--path '/bench/lookup/{postcode}/'] [--duration 10]
        [--rounds 3] [--concurrency 8] [--workers 3]

Starts gunicorn on 127.0.0.1 (a free port) with bench/lookup_settings.py: the site's URLs plus a trivial
view (/bench/trivial/) and a minimal look-up view (/bench/lookup/<postcode>/) that exist only here. Picks
--sample postcodes at random from the directory of the latest general election's boundary set (so import
one first: bench/postcodes_import.py leaves the 2.7-million-row synthetic one), checks the look-up path
answers 200 for them, then alternates rounds of the trivial view and the look-up, each --duration seconds
after a short warm-up, with --concurrency clients spread over two client processes. Reports requests per
second and latency percentiles per view (median over rounds), the look-up's throughput as a share of the
trivial view's (the target is at least 70%), and writes everything to bench/results/postcodes_lookup-*.json.

`--path` takes any path with a {postcode} placeholder, e.g. '/api/postcodes/{postcode}/' once that
endpoint exists. The client runs on the same two cores as gunicorn and PostgreSQL, and the machine is
shared, so the load averages are recorded beside the figures; compare the ratio, not the raw numbers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TARGET_SHARE = 0.70
SETTINGS = "bench.lookup_settings"


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def sample_postcodes(count: int) -> list[str]:
    from django.db import connection

    from constituencies.models import Election

    latest = (
        Election.objects.filter(kind=Election.Kind.GENERAL)
        .order_by("-date")
        .values_list("boundary_set_id", flat=True)
        .first()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT postcode FROM constituencies_postcode WHERE boundary_set_id = %s ORDER BY random() LIMIT %s",
            [latest, count],
        )
        postcodes = [row[0] for row in cursor.fetchall()]
    connection.close()
    if not postcodes:
        raise SystemExit(
            "The latest general election's boundary set has no postcode directory: import one first "
            "(bench/postcodes_import.py, or manage.py import_postcodes FILE)"
        )
    return postcodes


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int, log: Path):
    """Serve the site with the bench-only views on loopback; yields the port."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(ROOT)}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "seatfinder.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
                try:
                    if get(port, "/bench/trivial/")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _client(job: tuple) -> tuple[list[float], int]:
    """One client process: `threads` clients each requesting paths back to back until the deadline."""
    port, paths, threads, duration, seed = job
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + duration

    def loop(number: int):
        rng = random.Random(seed * 1000 + number)
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                status, _ = get(port, path)
            except OSError:
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors[0] += 1

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, errors[0]


def load_test(port: int, paths: list[str], concurrency: int, duration: float, processes: int = 2) -> dict:
    """Hit `paths` (chosen at random) with `concurrency` concurrent clients for `duration` seconds."""
    processes = min(processes, concurrency)
    shares = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    jobs = [(port, paths, threads, duration, seed) for seed, threads in enumerate(shares)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        started = time.perf_counter()
        outcomes = pool.map(_client, jobs)
        elapsed = time.perf_counter() - started
    latencies = sorted(x for lats, _ in outcomes for x in lats)
    errors = sum(e for _, e in outcomes)
    if len(latencies) < 20:
        raise SystemExit(f"only {len(latencies)} successful requests ({errors} failed): is the path right?")
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / min(elapsed, duration + 1), 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/bench/lookup/{postcode}/", help="Look-up path with {postcode}")
    parser.add_argument("--baseline-path", default="/bench/trivial/")
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--sample", type=int, default=2000, help="Distinct postcodes to look up")
    args = parser.parse_args(argv)
    if "{postcode}" not in args.path:
        parser.error("--path needs a {postcode} placeholder")

    django_setup()
    postcodes = sample_postcodes(args.sample)
    lookup_paths = [args.path.format(postcode=quote(p)) for p in postcodes]
    baseline_paths = [args.baseline_path]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    log = ROOT / "bench" / "data" / f"gunicorn-{stamp}.log"
    log.parent.mkdir(parents=True, exist_ok=True)

    rounds = {"baseline": [], "lookup": []}
    load = []
    with gunicorn(args.workers, log) as port:
        answered = [get(port, p)[0] for p in lookup_paths[:20]]
        if answered.count(200) < len(answered):
            raise SystemExit(
                f"{args.path} answered {answered} for known postcodes; is it the look-up endpoint?"
            )
        for number in range(1, args.rounds + 1):
            for name, paths in (("baseline", baseline_paths), ("lookup", lookup_paths)):
                load_test(port, paths, args.concurrency, 2.0)  # warm-up
                before = os.getloadavg()[0]
                result = load_test(port, paths, args.concurrency, args.duration)
                result["load_average"] = [round(before, 2), round(os.getloadavg()[0], 2)]
                load.append(before)
                rounds[name].append(result)
                print(
                    f"round {number} {name:8}: {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.2f} ms  "
                    f"p95 {result['p95_ms']:6.2f} ms  errors {result['errors']}  load {before:.1f}",
                    flush=True,
                )

    def median(name, key):
        return statistics.median(r[key] for r in rounds[name])

    share = median("lookup", "rps") / median("baseline", "rps")
    summary = {
        "benchmark": "postcodes_lookup",
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {**vars(args), "postcodes_sampled": len(postcodes)},
        "rounds": rounds,
        "median": {
            name: {key: median(name, key) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")} for name in rounds
        },
        "lookup_share_of_trivial_rps": round(share, 3),
        "p95_ratio_lookup_to_trivial": round(median("lookup", "p95_ms") / median("baseline", "p95_ms"), 2),
        "target_share": TARGET_SHARE,
        "target_met": share >= TARGET_SHARE,
        "load_average_1min": {"min": min(load), "max": max(load)},
    }
    out = ROOT / "bench" / "results" / f"postcodes_lookup-{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=2))
    m = summary["median"]
    print(
        f"\nLook-up {args.path} vs trivial {args.baseline_path}, gunicorn {args.workers} workers, "
        f"{args.concurrency} clients, {args.rounds} x {args.duration:g} s, {os.cpu_count()} CPUs, "
        f"load {min(load):.1f}-{max(load):.1f}"
    )
    for name in ("baseline", "lookup"):
        print(
            f"  {name:8}: {m[name]['rps']:8.1f} req/s  p50 {m[name]['p50_ms']:.2f} ms  p95 {m[name]['p95_ms']:.2f} ms"
        )
    print(
        f"  look-up throughput = {share:.0%} of the trivial view's (target >= {TARGET_SHARE:.0%}: "
        f"{'met' if summary['target_met'] else 'NOT met'}); p95 {summary['p95_ratio_lookup_to_trivial']}x"
    )
    print(f"  written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
