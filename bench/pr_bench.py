"""Benchmark: the PR comparison for all 650 seats, computed in-process and served by /pr/ and /api/pr/.

    .venv/bin/python bench/pr_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N] [--repeat 20] [--phase cold|warm|both] [--port N]

In-process: rules/pr_comparison.compare() (both methods, the table and the indexes) over the 2024 election's
votes, nationally and by region, with and without a threshold, best and median of --repeat runs, as a fraction
of the 50 ms the issue allows; and loading the votes (seats/pr_votes.py, two aggregate queries). Under gunicorn
(bench/harness.py): the page and the API beside the trivial Django view, as ratios; "cold" with the response
cache off (every request reads the elections, checks the query and computes, the votes kept per seat data
version), "warm" as deployed. Uses the real 2024 results from SEATFINDER_DATA_DIR (imported if missing; without
the folder, the demo's latest election). Writes bench/results/pr-<time>.json.
"""

from __future__ import annotations

import argparse
import json
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

BUDGET_MS = 50.0  # issue 14: a scenario for 650 seats in under 50 ms in-process
PAGE_QUERY = "method=sainte_lague&by=region&threshold=5&threshold_scope=regional"


def timed_ms(function, repeat: int) -> list[float]:
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        walls.append(1000 * (time.perf_counter() - started))
    return walls


def in_process(election, repeat: int) -> dict:
    from constituencies.rules import pr
    from constituencies.rules.pr_comparison import compare
    from constituencies.seats import pr_votes

    pr_votes.forget()
    votes = pr_votes.load_election_votes(election)
    seats = votes.nation.seats
    cases = {
        "D'Hondt, nationally, no threshold": (pr.DHONDT, pr.NATIONAL, pr.NO_THRESHOLD),
        "Sainte-Laguë, by region, 5% in each region": (
            pr.SAINTE_LAGUE,
            pr.REGIONAL,
            pr.Threshold(5, pr.THRESHOLD_REGIONAL),
        ),
        "D'Hondt, nationally, 5% in any region": (
            pr.DHONDT,
            pr.NATIONAL,
            pr.Threshold(5, pr.THRESHOLD_REGIONAL),
        ),
    }
    report = {"seats": seats, "repeat": repeat, "budget_ms": BUDGET_MS, "runs": {}}
    print(f"\nIn-process, {seats} seats, best of {repeat} (median in brackets):")
    runs = {name: timed_ms(lambda c=case: compare(votes, *c), repeat) for name, case in cases.items()}
    runs["loading the votes (2 aggregate queries)"] = timed_ms(
        lambda: pr_votes.load_election_votes(election), repeat
    )
    for name, walls in runs.items():
        best, median = min(walls), statistics.median(walls)
        report["runs"][name] = {
            "best_ms": round(best, 2),
            "median_ms": round(median, 2),
            "x_budget": round(best / BUDGET_MS, 3),
        }
        print(f"  {name:44} {best:7.2f} ms ({median:.2f}); x{best / BUDGET_MS:.2f} of the 50 ms budget")
    return report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--repeat", type=int, help="in-process runs (default 20; 10 with --quick)")
    harness.add_phase_option(parser)
    parser.add_argument("--port", type=int, help="serve on this loopback port (default: any free one)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (10 if args.quick else 20)

    harness.django_setup()
    import datasets

    election, dataset = datasets.ensure_ge2024()
    print(f"Dataset: {dataset}; PR comparison for {election.name}.", flush=True)
    report = {"dataset": dataset, "election": election.slug, "in_process": in_process(election, repeat)}
    e = election.slug
    targets = [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
        Target("page /pr/", [f"/pr/?election={e}"]),
        Target("page /pr/, by region, 5% threshold", [f"/pr/?election={e}&{PAGE_QUERY}"]),
        Target("API /api/pr/", [f"/api/pr/?election={e}"]),
        Target("API /api/pr/, by region, 5% threshold", [f"/api/pr/?election={e}&{PAGE_QUERY}"]),
    ]
    phases = ["cold", "warm"] if args.phase == "both" else [args.phase]
    report["phases"] = {}
    for phase in phases:
        env = {"SEATFINDER_RESPONSE_CACHE_MB": "0"} if phase == "cold" else {}
        server = Gunicorn(args.workers, name=f"pr-{phase}", env=env)
        if args.port:
            server.port = args.port
        with server:
            body = json.loads(check(server.port, targets[3].paths[0]))
            if body["total_seats"] != report["in_process"]["seats"]:
                raise SystemExit(f"GET {targets[3].paths[0]} did not count every seat")
            for target in targets[1:]:
                check(server.port, target.paths[0])
            report["phases"][phase] = harness.measure_phase(server, targets, args, phase)
    harness.print_load_average()
    harness.write_results("pr", report)


if __name__ == "__main__":
    main()
