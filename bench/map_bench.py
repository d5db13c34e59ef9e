"""Benchmark: the hex map of all 650 seats (/map/), a filtered map, its SVG and its PNG, under concurrent load.

    .venv/bin/python bench/map_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8] [--workers N]

Serves the site with gunicorn on 127.0.0.1 (bench/harness.py) and measures each endpoint's requests per
second, p50/p95 latency and CPU per request beside the trivial Django view served the same way, as ratios.
Twice, as bench/seat_list_bench.py does: "cold", with the response cache off (every page and SVG is built
again), then "warm", as deployed. The PNG has a cache of its own, per query and seat data version, in both
phases: it is drawn at most once per worker process, and the load measures serving it. What drawing it costs
is measured apart, in this process: the map built and the PNG rendered, several times over.
Uses the real 2024 results (the layout covers the 2024 boundaries only), imported from SEATFINDER_DATA_DIR if
they are not loaded yet. Prints a table and writes bench/results/map-<time>.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    TRIVIAL_PATH,
    Gunicorn,
    Target,
    check,
)

RENDER_REPEATS = 5


def time_png_render(query: str) -> dict:
    """Milliseconds to build the map and draw its PNG in this process (median of RENDER_REPEATS), the map alone,
    and the PNG's size."""
    from django.http import QueryDict

    from constituencies.listings.maps import build_map
    from constituencies.web.map_image import render_png

    build, draw, size = [], [], 0
    for _ in range(RENDER_REPEATS):
        started = time.perf_counter()
        hex_map = build_map(QueryDict(query))
        built = time.perf_counter()
        size = len(render_png(hex_map))
        build.append(1000 * (built - started))
        draw.append(1000 * (time.perf_counter() - built))
    return {
        "query": query,
        "build_map_ms": round(statistics.median(build), 1),
        "render_png_ms": round(statistics.median(draw), 1),
        "png_bytes": size,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--reimport", action="store_true", help="re-import the 2024 results first")
    harness.add_phase_option(parser)
    args = parser.parse_args(argv)

    harness.django_setup()
    import datasets

    from constituencies.models import SeatAssessment
    from constituencies.seats.hex_layout import covers

    election, dataset = datasets.ensure_ge2024(args.reimport)
    if not covers(election.boundary_set):
        raise SystemExit(
            f"The hex map covers the 2024 boundaries only; {dataset} is on the {election.boundary_set}."
        )
    seats = SeatAssessment.objects.filter(election=election).count()
    e = election.slug
    targets = [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
        Target(f"/map/, all {seats} seats by winner", [f"/map/?election={e}"]),
        Target("/map/, tragedies in London faded in, by marginality", [f"/map/?election={e}&tragedy=true&region=London&colour=marginality"]),
        Target("/map/map.svg, by tragedy", [f"/map/map.svg?election={e}&colour=tragedy"]),
        Target("/map/map.png, by tragedy (its own cache)", [f"/map/map.png?election={e}&colour=tragedy"]),
    ]  # fmt: skip

    print(f"Dataset: {dataset}; {seats} seats.", flush=True)
    render = time_png_render(f"election={e}&colour=tragedy")
    print(
        f"PNG drawn in this process: map built in {render['build_map_ms']} ms, PNG rendered in "
        f"{render['render_png_ms']} ms ({render['png_bytes']:,} bytes); median of {RENDER_REPEATS}.",
        flush=True,
    )
    phases = ["cold", "warm"] if args.phase == "both" else [args.phase]
    report = {}
    for phase in phases:
        env = {"SEATFINDER_RESPONSE_CACHE_MB": "0"} if phase == "cold" else {}
        with Gunicorn(args.workers, name=f"map-{phase}", env=env) as server:
            for target in targets:
                body = check(server.port, target.paths[0])
                if target.paths[0].startswith("/map/map.png") and not body.startswith(b"\x89PNG"):
                    raise SystemExit(f"GET {target.paths[0]} did not answer a PNG")
                if (
                    target.paths[0] == f"/map/?election={e}"
                    and f"{seats} of {seats} seats match".encode() not in body
                ):
                    raise SystemExit(f"GET {target.paths[0]} did not count {seats} seats")
            report[phase] = harness.measure_phase(
                server, targets, args, phase, "; the PNG from its own cache in both"
            )
    harness.print_load_average()
    harness.write_results(
        "map",
        {
            "dataset": dataset,
            "election": election.slug,
            "seats": seats,
            "baseline": TRIVIAL_PATH,
            "png_render": render,
            "phases": report,
        },
    )


if __name__ == "__main__":
    main()
