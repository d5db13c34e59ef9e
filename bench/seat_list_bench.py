"""Benchmark: the staff seat list (all 650 seats), its CSV export and the JSON API under concurrent load.

Serves the site with gunicorn on 127.0.0.1 and measures each endpoint's requests per second and p95 latency
beside a trivial Django view served the same way (same gunicorn, same middleware), reporting the ratios.
Uses the real 2024 results, imported from SEATFINDER_DATA_DIR into the configured database if they are not
loaded yet (or with --reimport); without the data folder it falls back to the latest 650-seat general election
loaded (the demo's 2019) and says so. Prints a table and writes bench/results/seat-list-<time>.json.

    .venv/bin/python bench/seat_list_bench.py [--seconds 10] [--concurrency 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seatfinder.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from http_load import Gunicorn, get, load, summarise  # noqa: E402

from constituencies.importers.demo import ensure_default_parties  # noqa: E402
from constituencies.models import Election, SeatAssessment  # noqa: E402

CONSTITUENCY_FILE = "hoc-ge2024-results-by-constituency.csv"
CANDIDATE_FILE = "hoc-ge2024-results-by-candidate.csv"


def prepare_data(reimport: bool) -> tuple[Election, str]:
    """Make sure a full 650-seat election is loaded; returns it and a note on where it came from."""
    call_command("migrate", verbosity=0)
    ensure_default_parties()
    data_dir = Path(settings.SEATFINDER_DATA_DIR)
    loaded = SeatAssessment.objects.filter(election__slug="ge2024").count()
    if (data_dir / CONSTITUENCY_FILE).is_file():
        if reimport or loaded != 650:
            print(f"Importing the 2024 results from {data_dir} ...", flush=True)
            call_command(
                "import_results", str(data_dir / CONSTITUENCY_FILE),
                "--candidates", str(data_dir / CANDIDATE_FILE),
                "--election", "ge2024", "--date", "2024-07-04", "--boundaries", "2024",
                stdout=StringIO(),
            )  # fmt: skip
        return Election.objects.get(slug="ge2024"), f"real 2024 results from {data_dir}"
    print(f"No data folder at {data_dir}: using the latest general election loaded instead.", flush=True)
    if not Election.objects.filter(kind=Election.Kind.GENERAL).exists():
        call_command("load_demo", stdout=StringIO())
    election = Election.objects.filter(kind=Election.Kind.GENERAL).order_by("-date").first()
    return election, f"{election.name} (demo data; {data_dir} not found)"


def check(port: int, path: str, expect_count: int | None = None) -> None:
    status, body = get(port, path)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: {body[:300]!r}")
    if expect_count is not None:
        count = json.loads(body)["count"]
        if count != expect_count:
            raise SystemExit(f"GET {path} gave {count} seats, expected {expect_count}")


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="measuring time per endpoint (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up time per endpoint (default 2)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved rounds the time is split into (default 5)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: cores)"
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1)")
    parser.add_argument("--reimport", action="store_true", help="re-import the 2024 results first")
    parser.add_argument(
        "--output", type=Path, help="results file (default bench/results/seat-list-<time>.json)"
    )
    args = parser.parse_args()

    election, dataset = prepare_data(args.reimport)
    seats = SeatAssessment.objects.filter(election=election).count()
    example = (
        SeatAssessment.objects.filter(election=election, is_tragedy=True)
        .select_related("constituency")
        .first()
    )
    e = election.slug
    targets = [
        ("trivial Django view (baseline)", "/bench/trivial/", None),
        (f"seat list page, all {seats} seats (50 a page)", f"/seats/?election={e}", None),
        ("seat list page, sorted by majority %, page 13", f"/seats/?election={e}&sort=majority_pct&page=13", None),
        (f"CSV export, all {seats} seats", f"/seats/export.csv?election={e}", None),
        (f"API /api/seats/, all {seats} seats in one page", f"/api/seats/?election={e}&page_size=1000", seats),
        ("API /api/seats/, default page of 100", f"/api/seats/?election={e}", seats),
        ("API /api/seats/, tragedies by majority %", f"/api/seats/?election={e}&tragedy=true&sort=majority_pct", None),
        ("API /api/seats/<slug>/", f"/api/seats/{example.constituency.slug}/?election={e}", None),
        ("API /api/elections/", "/api/elections/", None),
    ]  # fmt: skip

    print(
        f"Dataset: {dataset}; {seats} seats. gunicorn on 127.0.0.1 with {args.workers} workers x {args.threads} "
        f"threads; {args.concurrency} concurrent clients; {args.seconds:g} s per endpoint in {args.rounds} interleaved "
        f"rounds after {args.warmup:g} s warm-up; {os.cpu_count()} CPU cores shared by server, database and clients.",
        flush=True,
    )
    samples: dict[str, list] = {path: [] for _, path, _ in targets}
    with Gunicorn(workers=args.workers, threads=args.threads) as server:
        for _name, path, expect in targets:
            check(server.port, path, expect)
            load(server.port, path, concurrency=args.concurrency, seconds=args.warmup)
        # Interleave: each round measures every endpoint for a share of the time, so a change in the machine's
        # load during the run touches the baseline and the endpoints alike.
        for round_number in range(1, args.rounds + 1):
            for _name, path, _ in targets:
                samples[path].append(
                    load(server.port, path, concurrency=args.concurrency, seconds=args.seconds / args.rounds)
                )
            print(f"  round {round_number} of {args.rounds} done", flush=True)
    results = [summarise(name, path, samples[path]) for name, path, _ in targets]

    baseline = results[0]
    rows = []
    for m in results:
        row = m.as_dict()
        row["throughput_ratio"] = round(m.requests_per_second / baseline.requests_per_second, 3)
        row["p95_ratio"] = round(m.p95_ms / baseline.p95_ms, 2) if baseline.p95_ms else None
        rows.append(row)

    print()
    print(
        f"{'endpoint':52} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'x trivial req/s':>16} {'x trivial p95':>14} {'errors':>6}"
    )
    for row in rows:
        print(
            f"{row['name'][:52]:52} {row['requests_per_second']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
            f"{row['throughput_ratio']:16.3f} {row['p95_ratio']:14.2f} {row['errors']:6d}"
        )
    print("x trivial req/s: the endpoint's throughput as a fraction of the trivial view's (1.0 = as fast);")
    print("x trivial p95: its p95 latency as a multiple of the trivial view's.")
    print("Load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output = args.output or BENCH_DIR / "results" / f"seat-list-{stamp}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "benchmark": "seat_list",
                "when": stamp,
                "commit": git_commit(),
                "dataset": dataset,
                "election": election.slug,
                "seats": seats,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "server": {"gunicorn_workers": args.workers, "threads": args.threads, "bind": "127.0.0.1"},
                "load": {
                    "concurrency": args.concurrency,
                    "seconds": args.seconds,
                    "rounds": args.rounds,
                    "warmup_seconds": args.warmup,
                },
                # Other processes on the machine share its cores: the 1, 5 and 15 minute load averages at the end.
                "load_average_after": os.getloadavg(),
                "baseline": baseline.path,
                "results": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWrote {output}")


if __name__ == "__main__":
    main()
