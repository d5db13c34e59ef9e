"""Run every benchmark in bench/ (each file named *_bench.py), one after another, and stop at the first failure.

    .venv/bin/python bench/run_all.py [extra arguments passed to every benchmark, e.g. --seconds 5]

Each benchmark prints its figures and writes its own JSON to bench/results/.
"""

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    benchmarks = sorted(BENCH_DIR.glob("*_bench.py"))
    if not benchmarks:
        print("No benchmarks found (bench/*_bench.py).")
        return 1
    for script in benchmarks:
        print(f"== {script.name}", flush=True)
        status = subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=False).returncode
        if status:
            print(f"{script.name} failed with exit status {status}")
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
