"""Benchmark: the staff seat list (all 650 seats), its CSV export and the JSON API under concurrent load.

    .venv/bin/python bench/seat_list_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N] [--reimport]

Serves the site with gunicorn on 127.0.0.1 (bench/harness.py) and measures each endpoint's requests per
second, p50/p95 latency and CPU per request beside the trivial Django view served the same way, as ratios.
Twice (--phase both, the default): "cold", with the response cache off (SEATFINDER_RESPONSE_CACHE_MB=0: every
request builds its answer, as the first request after a data change does), then "warm", as deployed (the
cache on; the benchmark asks for the same URLs again and again, so nearly every answer comes from it).
Uses the real 2024 results, imported from SEATFINDER_DATA_DIR into the configured database if they are not
loaded yet (or with --reimport), with the evidence the list's advice is reasoned from (the notional 2019
results and the June 2024 MRPs; each process reasons once and keeps it, even with the cache off); without the
data folder it falls back to the latest 650-seat general election loaded (the demo's 2019) and says so. Prints a table and writes bench/results/seat-list-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    TRIVIAL_PATH,
    Gunicorn,
    Target,
    check,
)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--reimport", action="store_true", help="re-import the 2024 results first")
    harness.add_phase_option(parser)
    args = parser.parse_args(argv)

    harness.django_setup()
    import datasets

    from constituencies.models import SeatAssessment

    datasets.ensure_ge2024(args.reimport)
    election, dataset = datasets.ensure_advice_evidence()  # the list carries the advice, reasoned from these
    seats = SeatAssessment.objects.filter(election=election).count()
    example = (
        SeatAssessment.objects.filter(election=election, is_tragedy=True)
        .select_related("constituency")
        .first()
    )
    e = election.slug
    targets = [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
        Target(f"seat list page, all {seats} seats (50 a page)", [f"/seats/?election={e}"]),
        Target("seat list page, sorted by majority %, page 13", [f"/seats/?election={e}&sort=majority_pct&page=13"]),
        Target("seat list page, advice too close to call", [f"/seats/?election={e}&advice=too_close"]),
        Target(f"CSV export, all {seats} seats", [f"/seats/export.csv?election={e}"]),
        Target(f"API /api/seats/, all {seats} seats in one page", [f"/api/seats/?election={e}&page_size=1000"]),
        Target("API /api/seats/, default page of 100", [f"/api/seats/?election={e}"]),
        Target("API /api/seats/, tragedies by majority %", [f"/api/seats/?election={e}&tragedy=true&sort=majority_pct"]),
        Target("API /api/seats/<slug>/", [f"/api/seats/{example.constituency.slug}/?election={e}"]),
        Target("API /api/elections/", ["/api/elections/"]),
    ]  # fmt: skip

    print(f"Dataset: {dataset}; {seats} seats.", flush=True)
    phases = ["cold", "warm"] if args.phase == "both" else [args.phase]
    report = {}
    for phase in phases:
        env = {"SEATFINDER_RESPONSE_CACHE_MB": "0"} if phase == "cold" else {}
        with Gunicorn(args.workers, name=f"seat-list-{phase}", env=env) as server:
            for target in targets:
                body = check(server.port, target.paths[0])
                if "page_size=1000" in target.paths[0] and json.loads(body)["count"] != seats:
                    raise SystemExit(f"GET {target.paths[0]} did not count {seats} seats")
            report[phase] = harness.measure_phase(server, targets, args, phase)
    harness.print_load_average()
    harness.write_results(
        "seat-list",
        {
            "dataset": dataset,
            "election": election.slug,
            "seats": seats,
            "baseline": TRIVIAL_PATH,
            "phases": report,
        },
    )


if __name__ == "__main__":
    main()
