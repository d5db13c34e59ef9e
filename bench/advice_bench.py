"""Benchmark: the advice for all 650 seats, computed in-process and served by /api/advice/<election>/.

    .venv/bin/python bench/advice_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N] [--repeat 5] [--phase cold|warm|both]

In-process: `election_advice()` for every seat of the 2024 election (the evidence read in eight queries,
then rules/advice.py reasoning over it), best and median of --repeat runs, wall and CPU time, split into
reading and reasoning, as a fraction of the 1 s the issue allows. Under gunicorn (bench/harness.py): the
advice API beside the trivial Django view and the seats API's full page of 650, as ratios; "cold" with the
response cache off (every request computes the advice, as the first after a data change does), "warm" as
deployed. Uses the real 2024 results, notional 2019 results and June 2024 MRPs from SEATFINDER_DATA_DIR
(imported if missing; without the folder, the demo's latest election). Writes bench/results/advice-<time>.json.
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

BUDGET_SECONDS = 1.0  # issue 11: advice for all 650 seats in under 1 s


def timed(function, repeat: int) -> tuple[list[float], list[float]]:
    """(wall seconds, CPU seconds of this process) of each run."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def in_process(election, repeat: int) -> dict:
    from constituencies.seats.advice import election_advice, evidence_store

    seats = len(election_advice(election).seats)  # warm up
    store = evidence_store(election)
    runs = {
        "whole (read + reason)": timed(lambda: election_advice(election), repeat),
        "reading the evidence (8 queries)": timed(lambda: evidence_store(election), repeat),
        "reasoning (rules/advice.py)": timed(lambda: election_advice(election, store=store), repeat),
    }
    whole = min(runs["whole (read + reason)"][0])
    report = {"seats": seats, "repeat": repeat, "budget_seconds": BUDGET_SECONDS, "runs": {}}
    print(f"\nIn-process, {seats} seats, best of {repeat} (median in brackets):")
    for name, (walls, cpus) in runs.items():
        best = min(walls)
        report["runs"][name] = {
            "wall_best_s": round(best, 4),
            "wall_median_s": round(statistics.median(walls), 4),
            "cpu_best_s": round(min(cpus), 4),
            "x_whole": round(best / whole, 3),
            "x_budget": round(best / BUDGET_SECONDS, 3),
        }
        print(
            f"  {name:34} {best * 1000:7.0f} ms wall ({statistics.median(walls) * 1000:.0f}), "
            f"{min(cpus) * 1000:6.0f} ms CPU; x{best / whole:.2f} of the whole, x{best / BUDGET_SECONDS:.2f} of the 1 s budget"
        )
    print(f"  per seat: {whole / seats * 1000:.2f} ms")
    return report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--repeat", type=int, help="in-process runs (default 5; 3 with --quick)")
    harness.add_phase_option(parser)
    parser.add_argument(
        "--cold-seconds",
        type=float,
        help="measuring time per endpoint when cold (default 30; 20 with --quick): each answer takes about a "
        "second of CPU, and every endpoint needs 20 answers",
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)

    harness.django_setup()
    import datasets

    election, dataset = datasets.ensure_advice_evidence()
    print(f"Dataset: {dataset}; advice for {election.name}.", flush=True)
    report = {"dataset": dataset, "election": election.slug, "in_process": in_process(election, repeat)}
    e = election.slug
    targets = [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
        Target("API /api/advice/<election>/, every seat", [f"/api/advice/{e}/"]),
        Target("API /api/advice/<election>/?as_of=", [f"/api/advice/{e}/?as_of={election.date.year}-06-01"]),
        Target("API /api/seats/, every seat in one page", [f"/api/seats/?election={e}&page_size=1000"]),
    ]
    phases = ["cold", "warm"] if args.phase == "both" else [args.phase]
    report["phases"] = {}
    cold_seconds = args.cold_seconds or (20.0 if args.quick else 30.0)
    for phase in phases:
        cold = phase == "cold"
        env = {"SEATFINDER_RESPONSE_CACHE_MB": "0"} if cold else {}
        # Cold, only the advice itself beside the baseline (seat_list_bench.py measures /api/seats/ cold).
        measured = targets[:2] if cold else targets
        options = argparse.Namespace(**{**vars(args), "seconds": cold_seconds if cold else args.seconds})
        with Gunicorn(args.workers, name=f"advice-{phase}", env=env) as server:
            body = json.loads(check(server.port, targets[1].paths[0]))
            if body["count"] != report["in_process"]["seats"]:
                raise SystemExit(f"GET {targets[1].paths[0]} did not count every seat")
            for target in measured[2:]:
                check(server.port, target.paths[0])
            report["phases"][phase] = harness.measure_phase(server, measured, options, phase)
    harness.print_load_average()
    harness.write_results("advice", report)


if __name__ == "__main__":
    main()
