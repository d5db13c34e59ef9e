"""Benchmark: import a national-size postcode directory, against a raw COPY of the same file and plain
Django bulk_create.

    .venv/bin/python bench/postcode_import_bench.py [--rows 2700000] [--runs 2] [--skip-baseline]
        [--skip-raw-copy] [--skip-reader]

With --quick (as in `make bench BENCH_ARGS=--quick`) it does nothing and says so: the full run takes
several minutes (the import, the bulk_create baseline at 4 to 7 minutes, and one more import).

1. Makes sure the 2024 results are loaded (imports the HoC 2024 files from SEATFINDER_DATA_DIR if they
   are not, bench/datasets.py) and that the synthetic ONSPD file exists (bench/generate_onspd.py; ~1.4 GB
   for 2.7 million rows, kept in bench/data/ and reused while its row count matches).
2. Runs `manage.py import_postcodes` on it (`--runs` times; each replaces the directory the run
   before left), bench/raw_copy_baseline.py (the same file COPY'd unread into a bare table of text
   columns, plain and then UNLOGGED: what PostgreSQL alone takes, the floor) and
   bench/bulk_create_baseline.py on the same file, each in a process of its own, recording wall time, CPU
   time and peak resident memory (VmHWM, sampled every 50 ms) of that process, and the machine's load
   average before and after. The raw COPY runs right after each import, so both see the same load.
3. Runs one more import (not in the timings) with a thread looking postcodes up on its own connection
   the whole time, and reports how many look-ups there were, whether any came back missing or failed
   (none should: readers see the old directory until the swap commits), and their latency.
4. Prints the figures, the ratios import time / raw COPY time and bulk_create time / import time, whether
   the targets are met (import under 90 s and at most 1.3 times the raw COPY into a plain table, peak
   memory under 300 MB), and writes them all to bench/results/postcode-import-<time>.json.
   It leaves the directory as import_postcodes built it, for bench/postcode_lookup_bench.py.

The machine is shared: the load averages are in the results so runs can be compared fairly.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

ROOT = harness.ROOT
PYTHON = sys.executable
TARGET_SECONDS = 90
TARGET_RSS_MB = 300
TARGET_RAW_COPY_RATIO = 1.3


def high_water_kb(pid: int) -> int:
    """The process's own peak resident set (VmHWM). wait4's ru_maxrss would also count the pages
    this benchmark process had when it forked the child, so it reads high for a small import."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


class DatabaseCPU:
    """CPU seconds the database server's processes use while a command runs, sampled every half second (a
    backend that ends between two samples loses at most its last half second). None: not measurable."""

    def __init__(self, postmaster: int | None):
        self.postmaster = postmaster
        self.start = self.last = self.sample() if postmaster else {}

    def sample(self) -> dict[int, float]:
        return {pid: harness._cpu_seconds(pid) for pid in harness._children(self.postmaster)}

    def update(self) -> None:
        if self.postmaster:
            self.last = {**self.last, **self.sample()}

    def used(self) -> float | None:
        if not self.postmaster:
            return None
        return sum(max(0.0, cpu - self.start.get(pid, 0.0)) for pid, cpu in self.last.items())


def measure(label: str, command: list[str], log: Path, postmaster: int | None = None) -> dict:
    """Run one command in its own process; wall and CPU time, peak RSS of that process, the database
    server's CPU, the load around it."""
    print(f"\n{label}: {' '.join(command)}", flush=True)
    load_before = os.getloadavg()
    database = DatabaseCPU(postmaster)
    started = time.monotonic()
    peak_kb = 0
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        polls = 0
        while True:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            if polls % 10 == 0:
                database.update()
            polls += 1
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
    seconds = time.monotonic() - started
    database_cpu = database.used()
    load_after = os.getloadavg()
    tail = log.read_text().strip().splitlines()[-12:]
    print("\n".join(f"  | {line}" for line in tail))
    exit_code = os.waitstatus_to_exitcode(status)
    if exit_code != 0:
        raise SystemExit(f"{label} failed (exit {exit_code}); see {log}")
    result = {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "database_cpu_seconds": None if database_cpu is None else round(database_cpu, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "log": str(log.relative_to(ROOT)),
    }
    on_database = "" if database_cpu is None else f", {database_cpu:.1f} s CPU in the database server"
    print(
        f"  {label}: {result['seconds']} s wall, {result['cpu_seconds']} s CPU in the process{on_database}, "
        f"peak RSS {result['peak_rss_mb']} MB, load {load_before[0]:.1f} -> {load_after[0]:.1f}"
    )
    return result


class Reader(threading.Thread):
    """Looks postcodes up on a connection of its own, back to back, while an import runs, and records
    how long each took and whether any came back missing or failed."""

    def __init__(self, postcodes: list[str]):
        super().__init__(daemon=True)
        self.postcodes = postcodes
        self.latencies: list[float] = []
        self.missing = self.errors = 0
        self.stop = threading.Event()

    def run(self):
        from django.db import connection

        rng = random.Random(1)
        try:
            while not self.stop.is_set():
                postcode = rng.choice(self.postcodes)
                started = time.perf_counter()
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT count(*) FROM constituencies_postcode p JOIN constituencies_boundaryset b "
                            "ON b.id = p.boundary_set_id WHERE b.code = '2024' AND p.postcode = %s",
                            [postcode],
                        )
                        found = cursor.fetchone()[0]
                except Exception:  # counted and reported: the point is to see none
                    self.errors += 1
                    connection.close()
                    continue
                self.latencies.append(time.perf_counter() - started)
                if not found:
                    self.missing += 1
                time.sleep(0.005)
        finally:
            connection.close()

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        cuts = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
        return {
            "lookups": len(lat),
            "missing": self.missing,
            "errors": self.errors,
            "p50_ms": round(cuts[49] * 1000, 2),
            "p99_ms": round(cuts[98] * 1000, 2),
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        }


def sample_postcodes(count: int = 1000) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.postcode FROM constituencies_postcode p JOIN constituencies_boundaryset b "
            "ON b.id = p.boundary_set_id WHERE b.code = '2024' ORDER BY random() LIMIT %s",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def directory_size(boundaries: str = "2024") -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM constituencies_postcode p JOIN constituencies_boundaryset b "
            "ON b.id = p.boundary_set_id WHERE b.code = %s",
            [boundaries],
        )
        return cursor.fetchone()[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--file", type=Path, help="Default: bench/data/onspd-synthetic[-ROWS].csv")
    parser.add_argument("--runs", type=int, default=2, help="Imports to time (the best is compared)")
    parser.add_argument("--skip-baseline", action="store_true", help="Skip the bulk_create baseline")
    parser.add_argument("--skip-raw-copy", action="store_true", help="Skip the raw COPY baseline")
    parser.add_argument(
        "--skip-reader", action="store_true", help="Skip the extra import run with look-ups running beside it"
    )
    args = parser.parse_args(argv)
    if args.quick:
        print("Skipped with --quick: the 2.7-million-row import and its bulk_create baseline take minutes.")
        return

    harness.django_setup()
    import datasets

    from constituencies.models import Constituency

    datasets.ensure_ge2024()
    constituencies = Constituency.objects.filter(boundary_set__code="2024").count()
    path, file_info = datasets.ensure_synthetic_onspd(args.rows, args.file)
    logs = ROOT / "bench" / "data"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    import_command = [
        PYTHON,
        "manage.py",
        "import_postcodes",
        str(path),
        "--boundaries",
        "2024",
        "--allow-shrink",
    ]

    postmaster = harness.database_server_pid()

    def raw_copies(run: int, when: str, kinds: tuple[str, ...]) -> dict:
        return {
            kind: measure(
                f"raw COPY baseline ({kind} table), {when} import run {run}",
                [
                    PYTHON,
                    "bench/raw_copy_baseline.py",
                    str(path),
                    *(["--unlogged"] if kind == "unlogged" else []),
                ],
                logs / f"raw-copy-{kind}-{stamp}-{run}-{when}.log",
                postmaster,
            )
            for kind in kinds
        }

    imports, baseline = [], None
    for run in range(1, args.runs + 1):
        # The raw COPY just before and just after the import, in mirrored order, so that a change in the
        # machine's load during the run touches the import and its baseline alike.
        raw_before = {} if args.skip_raw_copy else raw_copies(run, "before", ("plain", "unlogged"))
        before = directory_size()
        result = measure(
            f"import_postcodes, run {run}", import_command, logs / f"import-{stamp}-{run}.log", postmaster
        )
        result["directory_before"], result["directory_after"] = before, directory_size()
        raw_after = {} if args.skip_raw_copy else raw_copies(run, "after", ("unlogged", "plain"))
        result["raw_copy"] = {
            kind: {
                "before": raw_before[kind],
                "after": raw_after[kind],
                "mean_seconds": round((raw_before[kind]["seconds"] + raw_after[kind]["seconds"]) / 2, 1),
            }
            for kind in raw_before
        }
        result["vs_raw_copy"] = {
            kind: round(result["seconds"] / raw["mean_seconds"], 2)
            for kind, raw in result["raw_copy"].items()
        }
        imports.append(result)
    if not args.skip_baseline:
        before = directory_size()
        baseline = measure(
            "bulk_create baseline (batches of 5,000)",
            [PYTHON, "bench/bulk_create_baseline.py", str(path), "--boundaries", "2024"],
            logs / f"baseline-{stamp}.log",
            postmaster,
        )
        baseline["directory_before"], baseline["directory_after"] = before, directory_size()
        # Leave the directory as import_postcodes builds it (and check it replaces the baseline's rows).
        imports.append(
            measure(
                "import_postcodes, after the baseline",
                import_command,
                logs / f"import-{stamp}-last.log",
                postmaster,
            )
        )

    reader_result = None
    if not args.skip_reader:
        # One more import, not counted in the timings, with look-ups of postcodes that are in both the
        # old and the new directory running the whole time: none may come back missing or fail.
        reader = Reader(sample_postcodes())
        reader.start()
        reader_result = measure(
            "import_postcodes with look-ups beside it", import_command, logs / f"import-{stamp}-reader.log"
        )
        reader.stop.set()
        reader.join()
        reader_result["lookups_during_import"] = reader.summary()
        r = reader_result["lookups_during_import"]
        print(
            f"  look-ups during the import: {r['lookups']:,}, missing {r['missing']}, failed {r['errors']}, "
            f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, slowest {r['max_ms']} ms"
        )

    timed = imports[: args.runs]  # the runs beside a raw COPY
    best = min(timed, key=lambda r: r["seconds"])
    raw_ratio = best.get("vs_raw_copy", {})
    summary = {
        "file": {"path": str(path), **file_info},
        "constituencies": constituencies,
        "imports": imports,
        "best_import": best,
        "baseline_bulk_create": baseline,
        "import_vs_raw_copy": raw_ratio,
        "import_with_lookups_beside_it": reader_result,
        "speedup_vs_bulk_create": round(baseline["seconds"] / best["seconds"], 2) if baseline else None,
        "targets": {
            "import_under_seconds": TARGET_SECONDS,
            "peak_rss_under_mb": TARGET_RSS_MB,
            "import_met": best["seconds"] < TARGET_SECONDS,
            "raw_copy_ratio_at_most": TARGET_RAW_COPY_RATIO,
            "raw_copy_ratio_met": raw_ratio["plain"] <= TARGET_RAW_COPY_RATIO
            if "plain" in raw_ratio
            else None,
            "rss_met": max(r["peak_rss_mb"] for r in imports) < TARGET_RSS_MB,
        },
    }
    print(
        f"\nPostcode import, {file_info['rows']:,} rows ({file_info['bytes'] / 1e6:,.0f} MB), {os.cpu_count()} CPUs"
    )

    def line(label: str, r: dict) -> str:
        database = (
            ""
            if r.get("database_cpu_seconds") is None
            else f" + {r['database_cpu_seconds']:5.1f} s in the database"
        )
        return (
            f"  {label:26s} {r['seconds']:6.1f} s wall {r['cpu_seconds']:6.1f} s CPU{database} "
            f"{r['peak_rss_mb']:6.1f} MB peak RSS  load {r['load_average_before'][0]:.1f}->{r['load_average_after'][0]:.1f}"
        )

    for number, r in enumerate(imports, start=1):
        for kind, raw in r.get("raw_copy", {}).items():
            print(line(f"raw COPY ({kind}), before", raw["before"]))
        print(line("import_postcodes" if number <= args.runs else "import_postcodes, last", r))
        for kind, raw in reversed(list(r.get("raw_copy", {}).items())):
            print(line(f"raw COPY ({kind}), after", raw["after"]))
    for kind, ratio in raw_ratio.items():
        raw = best["raw_copy"][kind]
        print(
            f"  import_postcodes takes {ratio}x the raw COPY into a {kind} table "
            f"({best['seconds']} s against {raw['mean_seconds']} s, the mean of the raw COPYs before and after "
            "the best run)"
        )
    if baseline:
        print(line("bulk_create (5,000 a batch)", baseline))
        print(f"  import_postcodes is {summary['speedup_vs_bulk_create']}x as fast as bulk_create (best run)")
    t = summary["targets"]
    if t["raw_copy_ratio_met"] is not None:
        print(
            f"  target: import <= {TARGET_RAW_COPY_RATIO}x raw COPY (plain table): "
            f"{'met' if t['raw_copy_ratio_met'] else 'NOT met'}"
        )
    print(
        f"  targets: import < {TARGET_SECONDS} s: {'met' if t['import_met'] else 'NOT met'}; "
        f"peak RSS < {TARGET_RSS_MB} MB: {'met' if t['rss_met'] else 'NOT met'}"
    )
    if reader_result:
        r = reader_result["lookups_during_import"]
        print(
            f"  {r['lookups']:,} look-ups during an import: {r['missing']} missing, {r['errors']} failed, "
            f"p99 {r['p99_ms']} ms, slowest {r['max_ms']} ms"
        )
    harness.write_results("postcode-import", summary)


if __name__ == "__main__":
    main()
