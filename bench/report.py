"""The benchmarks' report: every figure as a ratio to the baseline (the first target), a printed table, and
the JSON written to bench/results/<name>-<time>.json with the commit, the machine and the load averages."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def ratio_rows(results: list) -> list[dict]:
    """Each harness.Measurement with its ratios to the first one (the baseline)."""
    base = results[0]
    rows = []
    for m in results:
        row = dict(m.__dict__)
        row["throughput_ratio"] = round(m.requests_per_second / base.requests_per_second, 3)
        # Per round too: the median of the per-round ratios is less moved by the machine's other load.
        per_round = [
            a / b
            for a, b in zip(m.round_requests_per_second, base.round_requests_per_second, strict=True)
            if b
        ]
        row["throughput_ratio_median_of_rounds"] = (
            round(statistics.median(per_round), 3) if per_round else None
        )
        row["p95_ratio"] = round(m.p95_ms / base.p95_ms, 2) if base.p95_ms else None
        row["server_cpu_ratio"] = (
            round(m.server_cpu_ms_per_request / base.server_cpu_ms_per_request, 2)
            if base.server_cpu_ms_per_request
            else None
        )
        rows.append(row)
    return rows


def print_table(rows: list[dict]) -> None:
    print()
    print(
        f"{'endpoint':46} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'x req/s':>8} {'x p95':>6} "
        f"{'cpu ms':>7} {'db ms':>6} {'errors':>6}"
    )
    for row in rows:
        db = row["database_cpu_ms_per_request"]
        print(
            f"{row['name'][:46]:46} {row['requests_per_second']:8.1f} {row['p50_ms']:7.2f} {row['p95_ms']:7.2f} "
            f"{row['throughput_ratio']:8.3f} {row['p95_ratio']:6.2f} {row['server_cpu_ms_per_request']:7.3f} "
            f"{'-' if db is None else f'{db:.3f}':>6} {row['errors']:6d}"
        )
    print(
        "x req/s: throughput as a fraction of the first row's (the baseline, 1.0 = as fast); x p95: p95 latency as "
        "a multiple of the baseline's; cpu ms / db ms: CPU time of gunicorn's workers / of the database server "
        "per request."
    )


def print_phase(phase: str, rows: list[dict], note: str = "") -> None:
    """A cold or warm phase's heading and its table."""
    cache = "response cache off" if phase == "cold" else "response cache on, as deployed"
    print(f"\n{phase.upper()} ({cache}{note}):")
    print_table(rows)


def print_load_average() -> None:
    print("Load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def write_results(name: str, payload: dict) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    document = {
        "benchmark": name,
        "when": stamp,
        "commit": git_commit(),
        "machine": machine(),
        **payload,
        # Other processes share the machine's cores: the 1, 5 and 15 minute load averages at the end.
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    print(f"Wrote {path.relative_to(ROOT)}")
    return path
