"""Benchmark: GET /api/postcodes/<postcode>/ under gunicorn on loopback, against the trivial view served the same way.

    .venv/bin/python bench/postcode_lookup_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N] [--sample 2000]

Looks up the real endpoint (constituencies/api/postcodes.py -> postcodes.lookup.lookup_postcode) on the current
boundaries (the 2024 general election, imported from SEATFINDER_DATA_DIR if missing) with the national-size
postcode directory: the 2.7-million-row synthetic ONSPD file, generated and imported if the directory is
smaller (with --quick, whatever directory is loaded, at least the real 8,048-postcode ONSPD sample).
Nothing prepares the look-up snapshot: the server processes build it on demand from their first look-ups
(answering from the database meanwhile); the benchmark keeps asking until it is built, says how long that
took, and then measures, in interleaved rounds after a warm-up:
- the trivial view (the baseline);
- for reference, the trivial view after one `SELECT 1` on the database: what a single round trip to the
  database costs on this machine, the ceiling for any view that asks the database anything;
- live postcodes picked at random from the directory (--sample of them), each answered 200: the figure
  the target applies to, at least 70% of the trivial view's throughput;
- a mix of what people type: 80% live postcodes, 10% retired (410), 5% well formed but unknown (404),
  5% not postcodes (400).
Prints requests per second, p50/p95 latency and CPU per request with each as a ratio to the trivial view,
the load average, and writes bench/results/postcode-lookup-<time>.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    SELECT_1_PATH,
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

TARGET_SHARE = 0.70
SNAPSHOT_WAIT_SECONDS = 600


def wait_for_snapshot(port: int, paths: list[str]) -> str:
    """Look postcodes up until the server processes have built the look-up snapshot of the directory in
    place (each starts a build on its first look-up; the first on the host builds it). Says how long it took."""
    from constituencies.postcodes.snapshot_file import is_complete, snapshot_path
    from constituencies.postcodes.snapshots import current_state, snapshot_dir

    folder, state = snapshot_dir(), current_state()
    if folder is None or state is None or state.generation is None:
        return (
            "no look-up snapshot (SEATFINDER_POSTCODE_SNAPSHOT_DIR is empty): every look-up asks the database"
        )
    path = snapshot_path(folder, state.generation)
    if is_complete(path):
        return f"look-up snapshot {path.name} already built"
    started = time.monotonic()
    while not is_complete(path):
        if time.monotonic() - started > SNAPSHOT_WAIT_SECONDS:
            raise SystemExit(f"The server processes did not build {path} within {SNAPSHOT_WAIT_SECONDS} s")
        for p in paths[:8]:
            check(port, p)  # answered from the database while the build runs
        time.sleep(0.2)
    return f"look-up snapshot built on demand by the server processes in {time.monotonic() - started:.1f} s"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument(
        "--sample", type=int, default=2000, help="distinct postcodes to look up (default 2000)"
    )
    args = parser.parse_args(argv)

    harness.django_setup()
    import datasets

    election, dataset = datasets.ensure_ge2024()
    directory_rows, directory = datasets.ensure_postcode_directory(args.quick)
    live = datasets.sample_postcodes(args.sample)
    if not live:
        raise SystemExit(f"The directory ({directory}) has no live postcode to look up")
    retired = datasets.sample_postcodes(max(1, args.sample // 8), live=False)
    rng = random.Random(2024)
    unknown = [
        f"ZZ{rng.randrange(10, 99)} {rng.randrange(10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
        for _ in range(50)
    ]
    malformed = ["hello", "12345", "SW1A", "N0T A P0STCODE", "AB1"]
    api = "/api/postcodes/{}/"

    def paths(postcodes):
        return [api.format(quote(p)) for p in postcodes]

    mix = rng.choices(paths(live), k=1600) + (rng.choices(paths(retired), k=200) if retired else [])
    mix += rng.choices(paths(unknown), k=100) + rng.choices(paths(malformed), k=100)
    targets = [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
        Target("reference: trivial view + one SELECT 1", [SELECT_1_PATH], key="select-1"),
        Target(f"postcode API, live postcodes ({len(live)})", paths(live), key="live"),
        Target("postcode API, typed mix (200/410/404/400)", mix, ok_statuses=(200, 400, 404, 410), key="mix"),
    ]
    print(
        f"Dataset: {dataset}; the {election.name}'s boundaries; directory of {directory}.\n"
        f"{len(live)} live and {len(retired)} retired postcodes sampled at random.",
        flush=True,
    )
    with Gunicorn(args.workers, name="postcode-lookup") as server:
        for path in paths(live[:20]):
            check(server.port, path)
        snapshot = wait_for_snapshot(server.port, paths(live))
        print(snapshot.capitalize() + ".", flush=True)
        for path in paths(retired[:5]):
            check(server.port, path, (410,))
        print(describe_load(server, args), flush=True)
        results = run_rounds(server, targets, args)
        settings = http_settings(args, server)

    rows = ratio_rows(results)
    print_table(rows)
    share = rows[2]["throughput_ratio"]
    met = share >= TARGET_SHARE
    print(
        f"Look-up of live postcodes: {share:.0%} of the trivial view's throughput (median of per-round ratios "
        f"{rows[2]['throughput_ratio_median_of_rounds']:.0%}); target >= {TARGET_SHARE:.0%}: "
        f"{'met' if met else 'NOT met'}. p95 {rows[2]['p95_ms']} ms vs {rows[0]['p95_ms']} ms "
        f"({rows[2]['p95_ratio']}x). One round trip alone (SELECT 1) reaches {rows[1]['throughput_ratio']:.0%}. "
        f"Load average during the rounds: "
        f"{min(results[0].load_average_1min):.2f}-{max(m for r in results for m in r.load_average_1min):.2f}."
    )
    harness.write_results(
        "postcode-lookup",
        {
            "dataset": dataset,
            "election": election.slug,
            "directory_rows": directory_rows,
            "directory": directory,
            "snapshot": snapshot,
            "postcodes_sampled": {"live": len(live), "retired": len(retired), "unknown": len(unknown)},
            "settings": settings,
            "baseline": TRIVIAL_PATH,
            "results": rows,
            "lookup_share_of_trivial_throughput": share,
            "target_share": TARGET_SHARE,
            "target_met": met,
        },
    )


if __name__ == "__main__":
    main()
