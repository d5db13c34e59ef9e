"""Postcode look-up cost in-process: Seat Finder's look-up against the same query written with the ORM.

Run after `make demo` (it needs the demo postcodes):  .venv/bin/python bench/voter_lookup.py [--repeat N]
Prints milliseconds per look-up for both and their ratio (measured in the same run, so a busy machine
slows both), and writes bench/results/voter_lookup.json. No thresholds: figures to compare between runs.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seatfinder.settings")

import django  # noqa: E402

django.setup()

from constituencies.current import current_boundary_set_id_expression  # noqa: E402
from constituencies.lookup import Outcome, lookup_postcode  # noqa: E402
from constituencies.models import Postcode  # noqa: E402

POSTCODES = ["SW1A 0AA", "wf175da", "LL77 7TW", "ZE1 0AA"]  # three found, one unknown


def orm_baseline(postcode):
    """What the look-up's query costs written with the ORM: compiled on every call."""
    return list(
        Postcode.objects.filter(postcode=postcode, boundary_set_id=current_boundary_set_id_expression())
        .select_related("constituency__boundary_set")
        .order_by("constituency__name")
    )


def per_call_ms(function, repeat):
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for i in range(repeat):
            function(POSTCODES[i % len(POSTCODES)])
        rounds.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(rounds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=400)
    args = parser.parse_args()
    if lookup_postcode("SW1A 0AA").outcome is not Outcome.FOUND:
        sys.exit("SW1A 0AA is not in the postcode directory: run `make demo` first")
    lookup_ms = per_call_ms(lookup_postcode, args.repeat)
    orm_ms = per_call_ms(orm_baseline, args.repeat)
    result = {
        "lookup_ms": round(lookup_ms, 3),
        "orm_query_ms": round(orm_ms, 3),
        "lookup_vs_orm": round(lookup_ms / orm_ms, 3),
        "repeat": args.repeat,
        "load_average": os.getloadavg()[0],
    }
    print(
        f"lookup_postcode():      {lookup_ms:.3f} ms per look-up (whole service: normalise, query, outcome)"
    )
    print(f"ORM query (baseline):   {orm_ms:.3f} ms per query")
    print(
        f"ratio lookup / ORM:     {result['lookup_vs_orm']:.2f}   (load average {result['load_average']:.2f})"
    )
    out = ROOT / "bench" / "results" / "voter_lookup.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
