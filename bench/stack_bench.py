"""Benchmark: the whole stack as docker-compose.yml builds it, on loopback without Docker: 1 or 3 app servers
behind a real nginx running deploy/nginx/nginx.conf, with nginx's cache on and off.

    .venv/bin/python bench/stack_bench.py [--quick] [--seconds 5] [--rounds 5] [--concurrency 8]
        [--app-workers 3] [--client-processes 2]

Each app server is gunicorn with the deploy settings (bench/stack_settings.py: as the image runs them, plus
the trivial view) and --app-workers sync workers (3, as compose's `web` service), in a process group of its
own on its own port (8181-8183); all share the one PostgreSQL (the embedded one unless DATABASE_URL is set)
and, when one answers, the Redis at REDIS_URL (default redis://127.0.0.1:6379/0) as Django's cache. nginx
listens on 127.0.0.1:8180 with the deployed file, changed only in its upstream addresses, listening address
and folders (bench/nginx.py), and `proxy_cache off` for the runs without its cache.

For each of the four arrangements it measures the trivial view, the seat page, the postcode API and the seat
list through nginx, in interleaved rounds (bench/harness.py), and prints each as a ratio to the trivial view
measured the same way in the same arrangement, and to the same endpoint with 1 app server and no cache; and
whether nginx answered it from its cache (X-Cache-Status), which depends only on the headers the app sends.
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
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness  # noqa: E402
from harness import ROOT, TRIVIAL_PATH, Gunicorn, Target, print_table, ratio_rows, run_rounds  # noqa: E402

from bench.nginx import Nginx, port_is_free  # noqa: E402

NGINX_PORT = 8180
APP_PORTS = [8181, 8182, 8183]
ARRANGEMENTS = [(1, False), (1, True), (3, False), (3, True)]  # (app servers, nginx cache)
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
    """N app servers and nginx in front, as one server for harness.LoadGenerator: its port is nginx's, its
    CPU that of every gunicorn worker and nginx process."""

    def __init__(self, app_servers: int, cache: bool, app_workers: int, env: dict):
        self.servers = [
            AppServer(port, app_workers, env, f"stack-app-{n}")
            for n, port in enumerate(APP_PORTS[:app_servers])
        ]
        self.nginx = Nginx([s.port for s in self.servers], NGINX_PORT, cache=cache)
        self.port = NGINX_PORT
        self.app_workers = app_workers

    def __enter__(self) -> Stack:
        self.stack = ExitStack()
        try:
            for server in self.servers:
                self.stack.enter_context(server)
            self.stack.enter_context(self.nginx)
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def describe(self) -> str:
        return f"{self.nginx.describe()}, each gunicorn with {self.app_workers} workers, deploy settings"

    def worker_cpu(self) -> dict[int, float]:
        cpu = {pid: harness._cpu_seconds(pid) for pid in self.nginx.worker_pids()}
        for server in self.servers:
            cpu.update(server.worker_cpu())
        return cpu

    def database_cpu(self) -> dict[int, float] | None:
        return self.servers[0].database_cpu()


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
    """X-Cache-Status of a second request for path (the first may have filled the cache)."""
    for _ in range(2):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            head = b""
            while b"\r\n\r\n" not in head and (chunk := s.recv(65536)):
                head += chunk
    for line in head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n"):
        if line.lower().startswith("x-cache-status:"):
            return line.split(":", 1)[1].strip()
    return "-"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[harness.common_options()])
    parser.add_argument("--app-workers", type=int, default=3, help="gunicorn workers per app server (3)")
    args = parser.parse_args(argv)
    if args.seconds is None:
        args.seconds = 2.0 if args.quick else 5.0  # four arrangements: the whole run in about 1 or 3 minutes
    for port in [NGINX_PORT, *APP_PORTS]:
        if not port_is_free(port):
            raise SystemExit(f"port {port} on 127.0.0.1 is taken")

    harness.django_setup()
    env = app_environment(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    measured = targets()
    redis = env["REDIS_URL"] or "none (each process its own local-memory cache)"
    print(f"Redis: {redis}. {os.cpu_count()} CPU cores shared by nginx, app servers, database and clients.")

    report, baseline = [], {}
    for app_servers, cache in ARRANGEMENTS:
        label = f"{app_servers} app server{'s' if app_servers > 1 else ''}, nginx cache {'on' if cache else 'off'}"
        with Stack(app_servers, cache, args.app_workers, env) as stack:
            for target in measured:
                harness.check(stack.port, target.paths[0])
            statuses = {t.key: cache_status(stack.port, t.paths[0]) for t in measured}
            print(f"\n{label}: {harness.describe_load(stack, args)}", flush=True)
            results = run_rounds(stack, measured, args)
            settings = harness.http_settings(args, stack)
        rows = ratio_rows(results)
        print(f"\n{label.upper()}:")
        print_table(rows)
        for row, target in zip(rows, measured, strict=True):
            row["key"], row["nginx_cache_status"] = target.key, statuses[target.key]
            baseline.setdefault(target.key, row["requests_per_second"])
            row["ratio_to_1_app_no_cache"] = round(row["requests_per_second"] / baseline[target.key], 3)
        report.append(
            {"app_servers": app_servers, "nginx_cache": cache, "settings": settings, "results": rows}
        )

    print_summary(report, measured)
    print("Load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
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
