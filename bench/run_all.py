"""Run every benchmark in bench/ (each file named *_bench.py), one after another; stop at the first failure.

    .venv/bin/python bench/run_all.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8] [--workers N]
    make bench BENCH_ARGS=--quick

The options are the ones every benchmark shares (bench/harness.py common_options) and go to each of them.
--quick skips the 2.7-million-row postcode import (several minutes) and measures for less time. The postcode
import runs first, since it leaves the national-size directory the look-up benchmark reads. Each benchmark
prints its figures with their ratio to a baseline measured in the same run and writes its JSON to
bench/results/.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
FIRST = ["postcode_import_bench.py", "postcode_lookup_bench.py"]


def benchmarks() -> list[Path]:
    """Every bench/*_bench.py, those in FIRST first and in that order, then the rest by name."""
    return sorted(
        BENCH_DIR.glob("*_bench.py"),
        key=lambda p: (FIRST.index(p.name) if p.name in FIRST else len(FIRST), p.name),
    )


def main() -> int:
    scripts = benchmarks()
    if not scripts:
        print("No benchmarks found (bench/*_bench.py).")
        return 1
    print("Benchmarks: " + ", ".join(s.name for s in scripts), flush=True)
    for script in scripts:
        print(f"\n== {script.name} {' '.join(sys.argv[1:])}", flush=True)
        started = time.monotonic()
        status = subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=False).returncode
        if status:
            print(f"{script.name} failed with exit status {status}")
            return status
        print(f"== {script.name} done in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
