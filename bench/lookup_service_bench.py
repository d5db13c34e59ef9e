"""Benchmark: the postcode look-up service in-process, against the same query written with the ORM.

    .venv/bin/python bench/lookup_service_bench.py [--quick] [--repeat 400]

Times `lookup_postcode()` (normalise, one prepared statement, the outcome) on postcodes picked at random from
the current boundaries' directory (plus one well-formed unknown postcode in four), beside the same directory
query built by the ORM on every call, in the same run: milliseconds per call for both and their ratio. No
HTTP here (bench/postcode_lookup_bench.py measures the endpoint under gunicorn). The look-up snapshot is
built by the first look-up, in the calling thread, so that the timed ones map it. Uses the 2024 results and
at least the real ONSPD sample (imported if missing). Writes bench/results/lookup-service-<time>.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


def per_call_ms(function, postcodes: list[str], repeat: int) -> float:
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for i in range(repeat):
            function(postcodes[i % len(postcodes)])
        rounds.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(rounds)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument(
        "--repeat", type=int, help="look-ups per timing round (default 400; 100 with --quick)"
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (100 if args.quick else 400)

    harness.django_setup()
    import datasets

    from constituencies.models import Postcode
    from constituencies.postcodes.lookup import Outcome, lookup_postcode
    from constituencies.postcodes.snapshots import build_now, lookups
    from constituencies.seats.current import current_boundary_set_id_expression

    def orm_baseline(postcode):
        """What the look-up's query costs written with the ORM: compiled on every call."""
        return list(
            Postcode.objects.filter(postcode=postcode, boundary_set_id=current_boundary_set_id_expression())
            .select_related("constituency__boundary_set")
            .order_by("constituency__name")
        )

    lookups.run_build = build_now  # the first look-up builds the look-up snapshot, and the rest map it
    datasets.ensure_ge2024()
    rows, directory = datasets.ensure_postcode_directory(quick=True)
    live = datasets.sample_postcodes(300)
    postcodes = [p for i, p in enumerate(live) for p in ([p, "ZZ9 9ZZ"] if i % 3 == 0 else [p])]
    if lookup_postcode(live[0]).outcome is not Outcome.FOUND:
        raise SystemExit(f"{live[0]} is in the directory but was not found")
    per_call_ms(lookup_postcode, postcodes, 50)  # warm up (prepares the statement on this connection)
    lookup_ms = per_call_ms(lookup_postcode, postcodes, repeat)
    orm_ms = per_call_ms(orm_baseline, postcodes, repeat)
    result = {
        "directory": directory,
        "lookup_ms": round(lookup_ms, 3),
        "orm_query_ms": round(orm_ms, 3),
        "lookup_vs_orm": round(lookup_ms / orm_ms, 3),
        "repeat": repeat,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print(f"Directory: {directory}")
    print(
        f"lookup_postcode():      {lookup_ms:.3f} ms per look-up (whole service: normalise, query, outcome)"
    )
    print(f"ORM query (baseline):   {orm_ms:.3f} ms per query")
    print(
        f"ratio lookup / ORM:     {result['lookup_vs_orm']:.2f}   (load average {result['load_average_1min']:.2f})"
    )
    harness.write_results("lookup-service", result)


if __name__ == "__main__":
    main()
