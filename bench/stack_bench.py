"""Benchmark: the whole stack as docker-compose.yml builds it, on loopback without Docker: 1 or 3 app servers
behind a real nginx running deploy/nginx/nginx.conf, with nginx's cache on and off.

    .venv/bin/python bench/stack_bench.py [--quick] [--seconds 3] [--rounds 5] [--concurrency 8]
        [--app-workers 3] [--client-processes 2]

Each app server is gunicorn with the deploy settings (bench/stack_settings.py: as the image runs them, plus
the trivial view) and --app-workers sync workers (3, as compose's `web` service), in a process group of its
own on its own port; all share the one PostgreSQL (the embedded one unless DATABASE_URL is set) and, when
one answers, the Redis at REDIS_URL (default redis://127.0.0.1:6379/0) as Django's cache. Each nginx runs
the deployed file, changed only in its upstream addresses, listening address and folders (bench/nginx.py),
and `proxy_cache off` for the arrangements without its cache.

All four arrangements run at once (nginx on 127.0.0.1:8180-8183; one app server on 8184 behind the first
two, three on 8185-8187 behind the last two), so that each round measures every endpoint through every
arrangement in turn and a change in the shared machine's load touches them all alike. The endpoints are the
trivial view, the seat page, the postcode API and the seat list; each is printed as a ratio to the trivial
view through the same arrangement, and to the same endpoint with 1 app server and no cache; and whether nginx
answered it from its cache (X-Cache-Status), which depends only on the headers the app sends.
--workers (shared by every benchmark) is not used: the app servers' workers are --app-workers.
The demo data is enough (make demo). Writes bench/results/stack-<time>.json.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402
from harness import ROOT, TRIVIAL_PATH, Gunicorn, Target, print_table, ratio_rows  # noqa: E402

from bench.nginx import Nginx, nginx_binary, port_is_free  # noqa: E402

# Every arrangement runs at once, so that their rounds can be interleaved: an nginx each, in front of one app
# server (the first two) or of the same three (the last two). Ports of this checkout's range, loopback only.
ARRANGEMENTS = [(1, False, 8180), (1, True, 8181), (3, False, 8182), (3, True, 8183)]  # servers, cache, port
ONE_APP_PORTS = [8184]
THREE_APP_PORTS = [8185, 8186, 8187]
STACK_SETTINGS = "bench.stack_settings"
SEATS = 20  # seat pages asked for, at random: each app process warms its own response cache for each


class AppServer(Gunicorn):
    """gunicorn on a given port, in a process group of its own (setsid execs it in place: same process id)."""

    def __init__(self, port: int, workers: int, env: dict, name: str):
        super().__init__(workers, name=name, env=env)
        self.port = port

    @property
    def command(self) -> list[str]:
        return ["setsid", *super().command]


class Stack:
    """App servers and an nginx in front, as one server for harness.LoadGenerator: its port is nginx's, its
    CPU that of those app servers' gunicorn workers and of that nginx's processes."""

    def __init__(self, servers: list[AppServer], cache: bool, port: int):
        self.servers, self.cache, self.port = servers, cache, port
        self.nginx = Nginx([s.port for s in servers], port, cache=cache)
        self.key = f"{len(servers)}-{'on' if cache else 'off'}"
        self.label = f"{len(servers)} app server{'s' if len(servers) > 1 else ''}, nginx cache {'on' if cache else 'off'}"

    def describe(self) -> str:
        return (
            f"{self.nginx.describe()}, each gunicorn with {self.servers[0].workers} workers, deploy settings"
        )

    def worker_cpu(self) -> dict[int, float]:
        """CPU seconds so far of every gunicorn worker and nginx process here: one pass over /proc, not one
        per parent (each pass reads every process's stat file, ~70 ms on a busy machine)."""
        parents = {server.process.pid for server in self.servers}
        pids = {self.nginx.process.pid}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if parent in parents or parent == self.nginx.process.pid:
                    pids.add(int(entry.name))
        return {pid: harness._cpu_seconds(pid) for pid in pids}

    def database_cpu(self) -> dict[int, float] | None:
        return self.servers[0].database_cpu()


def start_app_servers(servers: list[AppServer], stack: ExitStack) -> None:
    """Start them side by side (each waits for Django to load), each stopped when `stack` closes."""

    def start(server: AppServer) -> AppServer:
        server.__enter__()
        return server

    with ThreadPoolExecutor(len(servers)) as pool:
        futures = [pool.submit(start, server) for server in servers]
    failures = [f.exception() for f in futures if f.exception() is not None]
    for future in futures:
        if future.exception() is None:
            stack.push(future.result().__exit__)
    if failures:
        raise failures[0]


def measure(stacks: list[Stack], measured: list[Target], args) -> dict[str, list]:
    """harness.run_rounds over every arrangement: each round runs every target on every stack in turn."""
    seconds, rounds, warmup = harness.timing(args)
    samples = {(s.key, t.key): [] for s in stacks for t in measured}
    with harness.LoadGenerator(args.client_processes, args.concurrency) as clients:
        for stack in stacks:
            for target in measured:
                clients.run(stack, target, warmup)
        for number in range(1, rounds + 1):
            for stack in stacks:
                for target in measured:
                    samples[stack.key, target.key].append(clients.run(stack, target, seconds / rounds))
            print(f"  round {number} of {rounds} done (load average {os.getloadavg()[0]:.2f})", flush=True)
    results = {}
    for stack in stacks:
        results[stack.key] = [harness.summarise(t, samples[stack.key, t.key]) for t in measured]
        for m in results[stack.key]:
            if m.requests < 20:
                raise SystemExit(f"{stack.label}, {m.name}: only {m.requests} requests answered as expected")
    return results


def redis_answers(url: str) -> bool:
    """Whether a Redis answers PING at the host and port of a redis:// URL (loopback ones only are tried)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "redis" or parts.hostname not in ("127.0.0.1", "localhost"):
        return False
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def app_environment(redis_url: str) -> dict:
    """What the app servers run with: the deploy settings on this checkout's database, a key of the run's own."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    url = f"postgresql://{quote(db['USER'], safe='')}{password}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"
    env = {
        "DJANGO_SETTINGS_MODULE": STACK_SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": redis_url if redis_answers(redis_url) else "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env={**os.environ, **env}, check=True,
    )  # fmt: skip
    return env


def targets() -> list[Target]:
    import datasets

    from constituencies.models import Constituency
    from constituencies.seats.current import current_boundary_set

    slugs = list(
        Constituency.objects.filter(boundary_set=current_boundary_set())
        .order_by("?")
        .values_list("slug", flat=True)[:SEATS]
    )
    postcodes = datasets.sample_postcodes(200)
    if not slugs or not postcodes:
        raise SystemExit("No seats or postcodes loaded: run `make demo` first")
    return [
        Target("trivial Django view (baseline)", [TRIVIAL_PATH], key="trivial"),
        Target(f"seat page ({len(slugs)} seats)", [f"/seats/{s}/" for s in slugs], key="seat"),
        Target(f"postcode API ({len(postcodes)} postcodes)", [f"/api/postcodes/{quote(p)}/" for p in postcodes], key="postcode"),
        Target("seat list page", ["/seats/"], key="seat-list"),
    ]  # fmt: skip


def cache_status(port: int, path: str) -> str:
    """X-Cache-Status of a second request for path (the first may have filled the cache); both must be 200."""
    for _ in range(2):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            head = b""
            while b"\r\n\r\n" not in head and (chunk := s.recv(65536)):
                head += chunk
        lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        if lines[0].split(" ")[1:2] != ["200"]:
            raise SystemExit(f"GET {path} through nginx on {port} answered {lines[0]!r}, expected 200")
    for line in lines[1:]:
        if line.lower().startswith("x-cache-status:"):
            return line.split(":", 1)[1].strip()
    return "-"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--app-workers", type=int, default=3, help="gunicorn workers per app server (3)")
    args = parser.parse_args(argv)
    if nginx_binary() is None:  # make bench goes on to the next benchmark
        print("Skipped: nginx is not installed (Debian: apt-get install nginx).")
        return
    if args.seconds is None:
        args.seconds = 2.0 if args.quick else 3.0  # x 4 arrangements: about 2 or 3 minutes in all
    for port in [*(a[2] for a in ARRANGEMENTS), *ONE_APP_PORTS, *THREE_APP_PORTS]:
        if not port_is_free(port):
            raise SystemExit(f"port {port} on 127.0.0.1 is taken")

    harness.django_setup()
    env = app_environment(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    measured = targets()
    redis = env["REDIS_URL"] or "none (each process its own local-memory cache)"
    print(f"Redis: {redis}. {os.cpu_count()} CPU cores shared by nginx, app servers, database and clients.")

    groups = {
        n: [AppServer(port, args.app_workers, env, f"stack-app-{port}") for port in ports]
        for n, ports in ((1, ONE_APP_PORTS), (3, THREE_APP_PORTS))
    }
    stacks = [Stack(groups[n], cache, port) for n, cache, port in ARRANGEMENTS]
    with ExitStack() as running:
        started = time.monotonic()
        start_app_servers([*groups[1], *groups[3]], running)
        statuses = {}
        for stack in stacks:
            running.enter_context(stack.nginx)
            for target in measured:
                statuses[stack.key, target.key] = cache_status(stack.port, target.paths[0])
        print(f"Started and checked in {time.monotonic() - started:.0f} s.", flush=True)
        print(f"\n{harness.describe_load(stacks[-1], args)}", flush=True)
        print("Every round measures each endpoint through each arrangement in turn.", flush=True)
        started = time.monotonic()
        results = measure(stacks, measured, args)
        print(f"Measured in {time.monotonic() - started:.0f} s.", flush=True)
        settings = {s.key: harness.http_settings(args, s) for s in stacks}

    report, baseline = [], {}
    for stack in stacks:
        rows = ratio_rows(results[stack.key])
        print(f"\n{stack.label.upper()}:")
        print_table(rows)
        for row, target in zip(rows, measured, strict=True):
            row["key"], row["nginx_cache_status"] = target.key, statuses[stack.key, target.key]
            baseline.setdefault(target.key, row["requests_per_second"])
            row["ratio_to_1_app_no_cache"] = round(row["requests_per_second"] / baseline[target.key], 3)
        report.append(
            {
                "app_servers": len(stack.servers),
                "nginx_cache": stack.cache,
                "settings": settings[stack.key],
                "results": rows,
            }
        )

    print_summary(report, measured)
    harness.print_load_average()
    harness.write_results("stack", {"redis": env["REDIS_URL"], "arrangements": report})


def print_summary(report: list[dict], measured: list[Target]) -> None:
    print(
        "\nSUMMARY: requests/s through nginx; (x trivial view in the same arrangement; x 1 app server, no cache)"
    )
    headers = [f"{r['app_servers']} app, cache {'on' if r['nginx_cache'] else 'off'}" for r in report]
    print(f"{'endpoint':28}" + "".join(f"{h:>26}" for h in headers))
    for n, target in enumerate(measured):
        cells = []
        for r in report:
            row = r["results"][n]
            cells.append(
                f"{row['requests_per_second']:7.0f} ({row['throughput_ratio']:4.2f}; {row['ratio_to_1_app_no_cache']:4.2f}) "
                f"{row['nginx_cache_status'][:4]:>4}"
            )
        print(f"{target.name.split(' (')[0][:28]:28}" + "".join(f"{c:>26}" for c in cells))
    print(
        "(the last word: nginx's X-Cache-Status for a repeated request. HIT: kept, as the app's Cache-Control "
        "allows; MISS: not kept; -: cache off)"
    )


if __name__ == "__main__":
    main()
