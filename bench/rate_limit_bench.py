"""Benchmark: what the per-IP rate limit costs the postcode API, under gunicorn on loopback.

    .venv/bin/python bench/rate_limit_bench.py [--quick] [--seconds 10] [--rounds 5] [--concurrency 8]
        [--workers N] [--sample 2000]

Serves the site twice or three times side by side, the same settings but for the limits
(seatfinder/throttling.py, one counter per request in Django's cache), and measures in interleaved rounds:
- the trivial view with the limits off (the baseline);
- GET /api/postcodes/<live postcode>/ with the limits off (SEATFINDER_RATE_*=off);
- the same with the limits on, counted in each process's memory cache (no REDIS_URL);
- the same with the limits on, counted in a Redis server started on loopback for the run (REDIS_URL), when
  redis-server and the redis package are installed; the Redis commands each request sent are counted from
  Redis' own INFO commandstats;
then, in this process, the CPU of the middleware's check alone, off, in the memory cache and in Redis.
The limits never trip: every request comes from 127.0.0.1, so bench/site_settings.py raises each count far
above what a run sends, keeping the period. Prints requests per second, p50/p95 and CPU per request as ratios
to the trivial view, the load average, and writes bench/results/rate-limit-<time>.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import (  # noqa: E402
    HOST,
    TRIVIAL_PATH,
    Gunicorn,
    LoadGenerator,
    Target,
    check,
    free_port,
    print_table,
    ratio_rows,
    summarise,
    timing,
)
from postcode_lookup_bench import wait_for_snapshot  # noqa: E402


class Redis:
    """redis-server on 127.0.0.1 and a free port, without persistence, started and stopped by this process."""

    def __init__(self):
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="rate-limit-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def __enter__(self) -> Redis:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", self.folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        import redis

        self.client = redis.Redis(host=HOST, port=self.port)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.1)
        raise SystemExit("redis-server did not answer within 20 s")

    def command_counts(self) -> dict[str, int]:
        return {
            name.removeprefix("cmdstat_"): s["calls"] for name, s in self.client.info("commandstats").items()
        }

    def __exit__(self, *exc):
        self.process.terminate()  # only the process this object started
        self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


def check_cost_in_process(redis: Redis | None, calls: int = 5000) -> dict[str, float]:
    """Microseconds of CPU for the middleware's check of one postcode API request, in this process: off, in
    the memory cache, in Redis (less moved by the machine's other load than requests per second are)."""
    from django.conf import settings
    from django.core.cache.backends.locmem import LocMemCache
    from django.test import RequestFactory
    from django.urls import resolve

    import seatfinder.throttling as throttling
    from constituencies.rules.throttling import Rate
    from seatfinder.cache import CountingRedisCache

    middleware = throttling.RateLimitMiddleware(lambda request: None)
    request = RequestFactory().get("/api/postcodes/SW1A1AA/", REMOTE_ADDR="10.0.0.1")
    request.resolver_match = resolve(request.path_info)
    never_tripping = dict.fromkeys(settings.SEATFINDER_RATE_LIMITS, Rate(10**9, 60))
    cases = {
        "off": (dict.fromkeys(never_tripping), None),
        "memory cache": (never_tripping, LocMemCache("b", {})),
    }
    if redis:
        cases["Redis"] = (never_tripping, CountingRedisCache(redis.url, {}))
    saved_rates, saved_cache = settings.SEATFINDER_RATE_LIMITS, throttling.cache
    costs = {}
    try:
        for name, (rates, cache) in cases.items():
            settings.SEATFINDER_RATE_LIMITS, throttling.cache = rates, cache or saved_cache
            middleware.process_view(request, None, (), {})  # a first call loads Redis' script
            started = time.process_time()
            for _ in range(calls):
                if middleware.process_view(request, None, (), {}) is not None:
                    raise SystemExit("the check answered 429 in the benchmark")
            costs[name] = round((time.process_time() - started) / calls * 1e6, 1)
    finally:
        settings.SEATFINDER_RATE_LIMITS, throttling.cache = saved_rates, saved_cache
    return costs


def limits_off() -> dict[str, str]:
    from constituencies.rules.throttling import GROUPS

    return {group.variable: "off" for group in GROUPS}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument(
        "--sample", type=int, default=2000, help="distinct postcodes to look up (default 2000)"
    )
    args = parser.parse_args(argv)

    harness.django_setup()
    import datasets

    election, dataset = datasets.ensure_ge2024()
    directory_rows, directory = datasets.ensure_postcode_directory(args.quick)
    live = [f"/api/postcodes/{quote(p)}/" for p in datasets.sample_postcodes(args.sample)]
    if not live:
        raise SystemExit(f"The directory ({directory}) has no live postcode to look up")
    with_redis = bool(shutil.which("redis-server")) and importlib.util.find_spec("redis") is not None
    print(f"Dataset: {dataset}; directory of {directory}; {len(live)} live postcodes.", flush=True)
    if not with_redis:
        print("No redis-server or no redis package: the Redis case is left out.", flush=True)

    with ExitStack() as stack:
        redis = stack.enter_context(Redis()) if with_redis else None
        servers = {
            "off": stack.enter_context(Gunicorn(args.workers, name="rate-limit-off", env=limits_off()))
        }
        servers["memory"] = stack.enter_context(Gunicorn(args.workers, name="rate-limit-memory"))
        if redis:
            servers["redis"] = stack.enter_context(
                Gunicorn(args.workers, name="rate-limit-redis", env={"REDIS_URL": redis.url})
            )
        plan = [
            ("off", Target("trivial Django view, limits off (baseline)", [TRIVIAL_PATH], key="trivial")),
            ("off", Target("postcode API, limits off", live, key="api-off")),
            ("memory", Target("postcode API, limits on, memory cache", live, key="api-memory")),
        ]
        if redis:
            plan.append(
                ("redis", Target("postcode API, limits on, Redis on loopback", live, key="api-redis"))
            )
        for server in servers.values():
            check(server.port, live[0])
            print(wait_for_snapshot(server.port, live).capitalize() + ".", flush=True)
        print(
            f"{servers['off'].describe()} (x{len(servers)}, one per case); {args.concurrency} concurrent clients "
            f"in {args.client_processes} processes; {os.cpu_count()} CPU cores shared by all.",
            flush=True,
        )

        seconds, rounds, warmup = timing(args)
        samples = {target.key: [] for _, target in plan}
        redis_requests, before = 0, redis.command_counts() if redis else {}
        with LoadGenerator(args.client_processes, args.concurrency) as clients:
            for key, target in plan:
                clients.run(servers[key], target, warmup)
            if redis:
                before = redis.command_counts()
            for number in range(1, rounds + 1):
                for key, target in plan:
                    sample = clients.run(servers[key], target, seconds / rounds)
                    samples[target.key].append(sample)
                    if key == "redis":
                        redis_requests += len(sample.latencies) + sample.errors
                print(
                    f"  round {number} of {rounds} done (load average {os.getloadavg()[0]:.2f})", flush=True
                )
        per_request = {}
        if redis:
            after = redis.command_counts()
            per_request = {
                name: round((after[name] - before.get(name, 0)) / redis_requests, 2)
                for name in sorted(after)
                if name not in {"info", "ping"} and after[name] > before.get(name, 0)
            }
        results = [summarise(target, samples[target.key]) for _, target in plan]
        in_process = check_cost_in_process(redis)
        settings = harness.http_settings(args, servers["off"])

    rows = ratio_rows(results)
    print_table(rows)
    off, memory = rows[1], rows[2]
    summary = (
        f"Limits on (memory cache) give {memory['requests_per_second'] / off['requests_per_second']:.0%} of the "
        f"postcode API's requests/s with them off; {memory['server_cpu_ms_per_request'] - off['server_cpu_ms_per_request']:+.3f} "
        f"ms of worker CPU per request."
    )
    if redis:
        on_redis = rows[3]
        summary += (
            f" With Redis: {on_redis['requests_per_second'] / off['requests_per_second']:.0%}, "
            f"{on_redis['server_cpu_ms_per_request'] - off['server_cpu_ms_per_request']:+.3f} ms CPU; Redis commands "
            f"per request: {per_request} ({sum(per_request.values()):.2f} in all)."
        )
    summary += (
        f" In-process CPU of one check, microseconds: {in_process} (load average {os.getloadavg()[0]:.2f})."
    )
    loads = [m for r in results for m in r.load_average_1min]
    print(summary + f" Load average during the rounds: {min(loads):.2f}-{max(loads):.2f}.")
    harness.write_results(
        "rate-limit",
        {
            "dataset": dataset,
            "election": election.slug,
            "directory_rows": directory_rows,
            "settings": settings,
            "baseline": TRIVIAL_PATH,
            "results": rows,
            "redis_commands_per_request": per_request,
            "check_cpu_microseconds_in_process": in_process,
            "summary": summary,
        },
    )


if __name__ == "__main__":
    main()
