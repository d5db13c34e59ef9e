"""Benchmark: the nearest seats where help counts for 10,000 postcodes, in-process, against brute force.

    .venv/bin/python bench/nearest_seats_bench.py [--quick] [--postcodes 10000] [--repeat 5]

The postcodes are the real ONSPD August 2024 sample's (SEATFINDER_DATA_DIR/onspd-aug2024-sample.csv, those
with coordinates, repeated up to --postcodes), or, without it, as many random points in Great Britain. The
seats are the 2024 general election's with their centres and advice (seats/help_counts.py; the results
imported and the centres loaded from fixtures/ if missing). Timed in the same run, best and median of
--repeat: the baseline, a brute-force search (every seat's distance by haversine_km, sorted); one distance per
postcode (the least any method could do); rules/nearby.py NearestSeats.nearest; and where_help_counts(lat=,
lon=) warm, as a page calls it (with the seat data version query). Every answer of NearestSeats is checked
against brute force. Writes bench/results/nearest-seats-<time>.json.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

ONSPD_SAMPLE = "onspd-aug2024-sample.csv"
GB_BOX = ((50.0, 58.6), (-5.7, 1.7))  # random points when the sample is missing (some fall in the sea)


def origins(count: int) -> tuple[list, str]:
    from django.conf import settings

    from constituencies.rules.nearby import Point

    path = Path(settings.SEATFINDER_DATA_DIR) / ONSPD_SAMPLE
    points = []
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                lat, lon = float(row["lat"] or 99), float(row["long"] or 0)
                if lat < 90:  # 99.999999: no coordinates
                    points.append(Point(lat, lon))
        source = f"{len(points):,} postcodes of {path.name}, repeated"
    if not points:
        rng = random.Random(13)
        (south, north), (west, east) = GB_BOX
        points = [Point(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(count)]
        source = "random points in Great Britain"
    return [points[i % len(points)] for i in range(count)], source


def ensure_centres(election) -> int:
    from constituencies.imports.centres import CentresImporter
    from constituencies.imports.demo_fixtures import DEMO_CENTRES_FILE, FIXTURES_DIR
    from constituencies.models import Constituency
    from constituencies.rules.files import read_bytes

    on_boundaries = Constituency.objects.filter(boundary_set_id=election.boundary_set_id)
    if not on_boundaries.filter(centre_latitude__isnull=False).exists():
        print("Loading the seat centres from fixtures/ ...", flush=True)
        CentresImporter(*read_bytes(FIXTURES_DIR / DEMO_CENTRES_FILE), election.boundary_set.code).run()
    return on_boundaries.filter(centre_latitude__isnull=False).count()


def brute_force(points, seats, exclude=None):
    """The baseline: every seat's distance, sorted."""
    from constituencies.rules.nearby import Point, haversine_km

    return [
        sorted((haversine_km(p, Point(s.lat, s.lon)), s.code) for s in seats if s.code != exclude)[:3]
        for p in points
    ]


def timed(function, repeat: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"best_s": min(walls), "median_s": statistics.median(walls), "cpu_best_s": min(cpus)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--postcodes", type=int, default=10_000, help="look-ups per run (default 10,000)")
    parser.add_argument("--repeat", type=int, help="runs of each (default 5; 3 with --quick)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)

    harness.django_setup()
    import datasets

    from constituencies.rules.nearby import NearestSeats, Point, haversine_km, reasons_help_counts
    from constituencies.seats import help_counts

    election, dataset = datasets.ensure_ge2024()
    centres = ensure_centres(election)
    points, source = origins(args.postcodes)

    def read_afresh():  # the assessments and the advice, as on the first call after a change of the data
        help_counts.forget()
        return help_counts.nearest_seats_finder(election)

    cold = timed(read_afresh, repeat)
    mattering = read_afresh().seats
    assert all(reasons_help_counts(s) for s in mattering)
    print(
        f"Dataset: {dataset}; {centres} seats with a centre, {len(mattering)} where help counts; "
        f"{len(points):,} look-ups from {source}.",
        flush=True,
    )
    build = timed(lambda: NearestSeats(mattering), repeat)
    finder = NearestSeats(mattering)

    expected = brute_force(points, mattering)
    found = [finder.nearest(p, 3) for p in points]
    mismatches = sum(
        [n.seat.code for n in got] != [code for _, code in want]
        for got, want in zip(found, expected, strict=True)
    )
    if mismatches:
        raise SystemExit(f"NearestSeats disagrees with brute force on {mismatches} of {len(points)} look-ups")

    first = mattering[0]
    help_counts.where_help_counts(election, lat=points[0].lat, lon=points[0].lon)  # warm the process's cache
    runs = {
        "brute force, every seat sorted (baseline)": lambda: brute_force(points, mattering),
        "one distance per postcode (the floor)": lambda: [
            haversine_km(p, Point(first.lat, first.lon)) for p in points
        ],
        "NearestSeats.nearest (rules/nearby.py)": lambda: [finder.nearest(p, 3) for p in points],
        "where_help_counts(lat=, lon=), warm": lambda: [
            help_counts.where_help_counts(election, lat=p.lat, lon=p.lon) for p in points
        ],
    }
    results = {name: timed(run, repeat) for name, run in runs.items()}
    base = results["brute force, every seat sorted (baseline)"]["best_s"]
    print(f"\n{len(points):,} look-ups, best of {repeat} (median in brackets):")
    print(f"{'':44} {'total ms':>9} {'µs each':>8} {'x baseline':>10}")
    rows = []
    for name, r in results.items():
        ratio = r["best_s"] / base
        rows.append({"name": name, **{k: round(v, 5) for k, v in r.items()}, "x_baseline": round(ratio, 4)})
        print(
            f"{name:44} {r['best_s'] * 1000:9.1f} {r['best_s'] / len(points) * 1e6:8.1f} {ratio:10.4f}"
            f"   ({r['median_s'] * 1000:.1f} ms)"
        )
    nearest = results["NearestSeats.nearest (rules/nearby.py)"]["best_s"]
    print(
        f"NearestSeats is {base / nearest:.1f} times as fast as brute force; all {len(points):,} answers agree."
    )
    print(
        f"Once per data version: reading the seats and their advice {cold['best_s'] * 1000:.0f} ms; "
        f"sorting them for look-ups {build['best_s'] * 1000:.2f} ms."
    )
    harness.print_load_average()
    harness.write_results(
        "nearest-seats",
        {
            "dataset": dataset,
            "origins": source,
            "lookups": len(points),
            "seats_with_centre": centres,
            "seats_where_help_counts": len(mattering),
            "repeat": repeat,
            "results": rows,
            "speed_up_over_brute_force": round(base / nearest, 2),
            "read_seats_and_advice_s": round(cold["best_s"], 4),
            "build_finder_s": round(build["best_s"], 5),
        },
    )


if __name__ == "__main__":
    main()
