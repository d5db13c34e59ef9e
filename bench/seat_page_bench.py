"""Benchmark: the voter's seat page (/seats/<slug>/), warm and conditional, beside the trivial Django view.

    .venv/bin/python bench/seat_page_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N] [--phase cold|warm|both]

Serves the site with gunicorn on 127.0.0.1 (bench/harness.py) and measures requests per second, p50/p95
latency and the CPU time of gunicorn's workers per request (from /proc, bench/processes.py) of:
- the trivial view (the baseline);
- the seat page warm: one seat, and 50 seats in turn (20 with --quick), from each worker's response cache
  (cached_by_seat_data; every worker is given every page first);
- the same seats with a different utm_source and fbclid on every request (shares the cache entries);
- conditional requests: the same seats with If-None-Match of their ETag, answered 304 with no body before the
  view runs (seatfinder/http_cache.py): the goal is under 2 ms of worker CPU each.
With --phase cold (or both, the default) it first measures the 50 seats with the response cache off
(SEATFINDER_RESPONSE_CACHE_MB=0: every request builds the page, as the first after a data change does).
The whole-stack benchmark, with nginx in front, is the stack's own.
Goals (issue 15): warm seat page at least 0.5 of the trivial view's requests/s; a 304 under 2 ms of worker
CPU. Uses the real 2024 results (imported from SEATFINDER_DATA_DIR if need be), else the demo's latest
general election. Prints a table and writes bench/results/seat-page-<time>.json.
"""

from __future__ import annotations

import argparse
import http.client
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    HOST,
    TRIVIAL_PATH,
    Gunicorn,
    Target,
    check,
    describe_load,
    http_settings,
    print_table,
    ratio_rows,
    run_rounds,
)

SEATS = 50  # 20 with --quick
WARMING_ROUNDS = 4  # each page asked this many times per worker first, so every worker has kept it
WARM_GOAL = 0.5  # of the trivial view's requests per second
NOT_MODIFIED_CPU_GOAL_MS = 2.0


def head_of(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def warm_every_worker(server: Gunicorn, pages: list[str]) -> None:
    """Ask for every page WARMING_ROUNDS x workers times, as many at once as there are workers: the chance
    that a worker never gets a page is then (1 - 1/workers) ** (WARMING_ROUNDS x workers), under 2%."""
    asks = [page for page in pages for _ in range(WARMING_ROUNDS * server.workers)]
    with ThreadPoolExecutor(server.workers) as pool:
        statuses = list(pool.map(lambda page: harness.get(server.port, page)[0], asks))
    if set(statuses) != {200}:
        raise SystemExit(f"warming the seat pages: statuses {sorted(set(statuses))}")


def conditional_get(path: str, etag: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    ).encode("ascii")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    harness.add_phase_option(parser, warm="as deployed, with the 304s")
    args = parser.parse_args(argv)
    harness.django_setup()
    import datasets

    from constituencies.models import SeatAssessment

    election, dataset = datasets.ensure_ge2024()
    slugs = list(
        SeatAssessment.objects.filter(election=election)
        .order_by("constituency__name")
        .values_list("constituency__slug", flat=True)[: 20 if args.quick else SEATS]
    )
    pages = [f"/seats/{slug}/" for slug in slugs]
    tagged = [f"{page}?utm_source=s{n}&fbclid=f{n}" for n, page in enumerate(pages)]
    print(f"Dataset: {dataset}; {len(pages)} seats.", flush=True)

    report = {}
    phases = ["cold", "warm"] if args.phase == "both" else [args.phase]
    for phase in phases:
        env = {"SEATFINDER_RESPONSE_CACHE_MB": "0"} if phase == "cold" else {}
        with Gunicorn(args.workers, name=f"seat-page-{phase}", env=env) as server:
            targets = [
                Target("trivial Django view (baseline)", [TRIVIAL_PATH]),
                Target(f"seat page, {len(pages)} seats in turn", pages),
            ]
            if phase == "warm":
                warm_every_worker(server, pages)
                etags = {}
                for page in pages:
                    status, headers, body = head_of(server.port, page)
                    if (
                        status != 200
                        or "ETag" not in headers
                        or "public" not in headers.get("Cache-Control", "")
                    ):
                        raise SystemExit(f"GET {page}: {status}, headers {headers}")
                    etags[page] = headers["ETag"]
                status, headers, body = head_of(server.port, pages[0], {"If-None-Match": etags[pages[0]]})
                if status != 304 or body:
                    raise SystemExit(
                        f"GET {pages[0]} with If-None-Match: {status}, {len(body)} bytes of body"
                    )
                targets[1:1] = [Target("seat page, one seat", pages[:1])]
                targets += [
                    Target(f"seat page, {len(pages)} seats, utm_/fbclid on each", tagged),
                    Target(
                        f"seat page, {len(pages)} seats, If-None-Match: 304",
                        pages,
                        ok_statuses=(304,),
                        raw=[conditional_get(page, etags[page]) for page in pages],
                    ),
                ]
            for target in targets:
                if not target.raw:
                    check(server.port, target.paths[0])
            print(f"\n{phase}: {describe_load(server, args)}", flush=True)
            results = run_rounds(server, targets, args)
            settings = http_settings(args, server)
        rows = ratio_rows(results)
        print(f"\n{phase.upper()} ({'response cache off' if phase == 'cold' else 'as deployed'}):")
        print_table(rows)
        report[phase] = {"settings": settings, "results": rows}

    goals = {}
    if "warm" in report:
        rows = {row["name"]: row for row in report["warm"]["results"]}
        warm = rows[f"seat page, {len(pages)} seats in turn"]
        not_modified = rows[f"seat page, {len(pages)} seats, If-None-Match: 304"]
        goals = {
            "warm_throughput_ratio": warm["throughput_ratio"],
            "warm_throughput_ratio_median_of_rounds": warm["throughput_ratio_median_of_rounds"],
            "warm_goal": WARM_GOAL,
            "not_modified_worker_cpu_ms": not_modified["server_cpu_ms_per_request"],
            "not_modified_goal_ms": NOT_MODIFIED_CPU_GOAL_MS,
        }
        print(
            f"\nGoals: warm seat page {warm['throughput_ratio']:.3f} of the trivial view's requests/s (median of "
            f"rounds {warm['throughput_ratio_median_of_rounds']:.3f}; goal >= {WARM_GOAL}); a 304 costs "
            f"{not_modified['server_cpu_ms_per_request']:.3f} ms of worker CPU (goal < {NOT_MODIFIED_CPU_GOAL_MS}), "
            f"the trivial view {rows['trivial Django view (baseline)']['server_cpu_ms_per_request']:.3f} ms."
        )
    harness.print_load_average()
    harness.write_results(
        "seat-page",
        {
            "dataset": dataset,
            "election": election.slug,
            "seats": len(pages),
            "baseline": TRIVIAL_PATH,
            "goals": goals,
            "phases": report,
        },
    )


if __name__ == "__main__":
    main()
