"""What every benchmark in bench/ shares: options, gunicorn on loopback, a load generator, the report.

- `common_options()`: the options `make bench BENCH_ARGS=...` passes to every benchmark (--quick,
  --seconds, --rounds, --concurrency, --workers, --client-processes), so each script accepts all of them.
- `django_setup()`: the bench settings (bench/site_settings.py: dev's, DEBUG off), with bench/ and the project
  on the path.
- `Gunicorn`: serves the site with `bench.site_settings` (the real settings and middleware; the URLs are the
  site's plus one trivial view, /bench/trivial/, that exists only here) on 127.0.0.1 and a free port.
- `run_rounds()`: loads each target in turn, round after round (so a change in the machine's load touches
  the baseline and the endpoints alike), from client processes of their own, each with `concurrency / n`
  client threads sending requests back to back; also the CPU time that gunicorn's workers and the
  database server spent per request, which a busy shared machine disturbs less than requests per second.
- `report.py`: prints a table with every figure as a ratio to the first target (the baseline) and writes
  it all, with the load averages, to bench/results/<name>-<time>.json.

Load is sent to 127.0.0.1 only, in loops bounded in time and count.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: benchmarks never send traffic anywhere else
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
SETTINGS = "bench.site_settings"
TRIVIAL_PATH = "/bench/trivial/"
SELECT_1_PATH = "/bench/select-1/"
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a bound on every load loop, beside its time limit

# The report (ratios, the table, the JSON file) lives in report.py and the CPU readings in processes.py;
# benchmarks call them here.
from processes import _children, _cpu_seconds, cpu_used, database_server_pid  # noqa: E402, F401
from report import (  # noqa: E402, F401
    git_commit,
    machine,
    print_load_average,
    print_phase,
    print_table,
    ratio_rows,
    write_results,
)


def common_options() -> argparse.ArgumentParser:
    """A parent parser: every benchmark accepts these, so bench/run_all.py can pass them to all."""
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("options shared by every benchmark (make bench BENCH_ARGS=...)")
    group.add_argument(
        "--quick",
        action="store_true",
        help="a short run: skips the 2.7-million-row postcode import, measures for less time",
    )
    group.add_argument(
        "--seconds", type=float, help="HTTP: measuring time per endpoint (default 10; 3 quick)"
    )
    group.add_argument(
        "--rounds", type=int, help="HTTP: interleaved rounds that time is split into (default 5)"
    )
    group.add_argument("--concurrency", type=int, default=8, help="HTTP: concurrent clients (default 8)")
    group.add_argument(
        "--workers",
        type=int,
        default=2 * cores + 1,
        help=f"HTTP: gunicorn sync workers (default 2 x cores + 1 = {2 * cores + 1})",
    )
    group.add_argument(
        "--client-processes",
        type=int,
        default=2,
        help="HTTP: processes the clients are spread over (default 2)",
    )
    return parser


def timing(args) -> tuple[float, int, float]:
    """(seconds per endpoint, rounds, warm-up seconds) from the shared options."""
    seconds = args.seconds if args.seconds is not None else (3.0 if args.quick else 10.0)
    rounds = args.rounds if args.rounds is not None else (3 if args.quick else 5)
    return seconds, max(1, rounds), 1.0 if args.quick else 2.0


def django_setup(settings: str = SETTINGS) -> None:
    for path in (str(ROOT), str(BENCH_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """One GET on a connection of its own; (status, body)."""
    status, _, body = _request(port, _request_bytes(path), timeout)
    return status, body


def _request_bytes(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode("ascii")


def _request(port: int, request: bytes, timeout: float) -> tuple[int, int, bytes]:
    """Send one request and read the response to the end of the connection: (status, bytes, body).

    A deliberately lean client (a socket, not http.client), so the clients' own CPU, which shares the
    machine with the server, flatters neither the baseline nor the endpoint."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = 0
    return status, len(response), body


class Gunicorn:
    """gunicorn serving the site with the bench settings on 127.0.0.1, started and stopped by this process."""

    def __init__(self, workers: int, threads: int = 1, name: str = "gunicorn", env: dict | None = None):
        self.port = free_port()
        self.env = env or {}
        self.workers = workers
        self.threads = threads
        RESULTS_DIR.mkdir(exist_ok=True)
        self.log_path = RESULTS_DIR / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.database_pid: int | None = None

    @property
    def command(self) -> list[str]:
        return [
            str(Path(sys.executable).with_name("gunicorn")),
            "seatfinder.wsgi:application",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--log-level", "warning",
        ]  # fmt: skip

    def describe(self) -> str:
        extra = "".join(f", {k}={v}" for k, v in self.env.items())
        return f"gunicorn on {HOST} with {self.workers} workers x {self.threads} threads{extra}"

    def __enter__(self) -> Gunicorn:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DEBUG": "false",
            **self.env,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
        self.database_pid = database_server_pid()
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.close()
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                if get(self.port, TRIVIAL_PATH, timeout=5)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # only the process this object started (its workers follow it)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def worker_cpu(self) -> dict[int, float]:
        """CPU seconds used so far by each gunicorn worker."""
        return {pid: _cpu_seconds(pid) for pid in _children(self.process.pid)}

    def database_cpu(self) -> dict[int, float] | None:
        """CPU seconds used so far by each of the database server's processes (None: not measurable)."""
        if self.database_pid is None:
            return None
        return {pid: _cpu_seconds(pid) for pid in _children(self.database_pid)}


@dataclass
class Target:
    """One thing to measure: a name and the paths to request (chosen at random when there are several), or
    whole requests (`raw`: e.g. form POSTs, built by the benchmark) sent in turn instead of GETs of `paths`."""

    name: str
    paths: list[str]
    ok_statuses: tuple[int, ...] = (200,)
    key: str = ""
    raw: list[bytes] = field(default_factory=list)

    def __post_init__(self):
        self.key = self.key or self.name


@dataclass
class Sample:
    latencies: list[float]
    errors: int
    bytes: int
    seconds: float
    worker_cpu: float
    database_cpu: float | None
    load_average: float


@dataclass
class Measurement:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_bytes: int
    server_cpu_ms_per_request: float
    database_cpu_ms_per_request: float | None
    round_requests_per_second: list[float] = field(default_factory=list)
    load_average_1min: list[float] = field(default_factory=list)


def _client(job: tuple) -> tuple[list[float], int, int, float, float]:
    """One client process: `threads` threads each sending requests back to back until the deadline."""
    port, paths, raw, ok_statuses, threads, seconds, seed = job
    requests = raw or [_request_bytes(p) for p in paths]
    latencies: list[float] = []
    counters = {"errors": 0, "bytes": 0}
    lock = threading.Lock()
    began = time.monotonic()
    deadline = began + seconds

    def loop(number: int):
        rng = random.Random(seed * 1000 + number)
        mine, errors, size = [], 0, 0
        start = rng.randrange(len(requests))  # raw requests: in turn from a random start, so rarely repeated
        for sent in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            request = requests[(start + sent) % len(requests) if raw else rng.randrange(len(requests))]
            started = time.perf_counter()
            try:
                status, length, _ = _request(port, request, 30)
            except OSError:
                status, length = 0, 0
            if status in ok_statuses:
                mine.append(time.perf_counter() - started)
                size += length
            else:
                errors += 1
        with lock:
            latencies.extend(mine)
            counters["errors"] += errors
            counters["bytes"] += size

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, counters["errors"], counters["bytes"], began, time.monotonic()


class LoadGenerator:
    """Client processes kept for the whole benchmark (no start-up cost per round)."""

    def __init__(self, processes: int, concurrency: int):
        self.processes = max(1, min(processes, concurrency))
        self.concurrency = concurrency
        self.pool = multiprocessing.get_context("spawn").Pool(self.processes)
        self.rounds = 0

    def __enter__(self) -> LoadGenerator:
        return self

    def __exit__(self, *exc):
        self.pool.terminate()
        self.pool.join()

    def run(self, server: Gunicorn, target: Target, seconds: float) -> Sample:
        n = self.processes
        shares = [self.concurrency // n + (1 if i < self.concurrency % n else 0) for i in range(n)]
        self.rounds += 1
        jobs = [
            (
                server.port,
                target.paths,
                target.raw[i::n],
                target.ok_statuses,
                threads,
                seconds,
                self.rounds * 100 + i,
            )
            for i, threads in enumerate(shares)
        ]
        load_average = os.getloadavg()[0]
        workers_before, database_before = server.worker_cpu(), server.database_cpu()
        outcomes = self.pool.map(_client, jobs)
        worker_cpu = cpu_used(workers_before, server.worker_cpu())
        database_cpu = None if database_before is None else cpu_used(database_before, server.database_cpu())
        elapsed = max(o[4] for o in outcomes) - min(o[3] for o in outcomes)
        return Sample(
            latencies=[x for o in outcomes for x in o[0]],
            errors=sum(o[1] for o in outcomes),
            bytes=sum(o[2] for o in outcomes),
            seconds=elapsed,
            worker_cpu=worker_cpu,
            database_cpu=database_cpu,
            load_average=load_average,
        )


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def summarise(target: Target, samples: list[Sample]) -> Measurement:
    latencies = sorted(x for s in samples for x in s.latencies)
    requests = len(latencies)
    elapsed = sum(s.seconds for s in samples)
    database = [s.database_cpu for s in samples]
    return Measurement(
        name=target.name,
        path=target.paths[0] if len(target.paths) == 1 else f"{target.paths[0]} (one of {len(target.paths)})",
        requests=requests,
        errors=sum(s.errors for s in samples),
        seconds=round(elapsed, 2),
        requests_per_second=round(requests / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * 1000, 2),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 2),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 2),
        mean_bytes=round(sum(s.bytes for s in samples) / requests) if requests else 0,
        server_cpu_ms_per_request=round(sum(s.worker_cpu for s in samples) / requests * 1000, 3)
        if requests
        else 0.0,
        database_cpu_ms_per_request=round(sum(database) / requests * 1000, 3)
        if requests and None not in database
        else None,
        round_requests_per_second=[round(len(s.latencies) / s.seconds, 1) for s in samples],
        load_average_1min=[round(s.load_average, 2) for s in samples],
    )


def check(port: int, path: str, ok_statuses=(200,)) -> bytes:
    status, body = get(port, path)
    if status not in ok_statuses:
        raise SystemExit(f"GET {path} answered {status}, expected {ok_statuses}: {body[:300]!r}")
    return body


def run_rounds(server: Gunicorn, targets: list[Target], args) -> list[Measurement]:
    """Warm every target up, then measure them in interleaved rounds. The first target is the baseline."""
    seconds, rounds, warmup = timing(args)
    samples: dict[str, list[Sample]] = {t.key: [] for t in targets}
    with LoadGenerator(args.client_processes, args.concurrency) as clients:
        for target in targets:
            clients.run(server, target, warmup)
        for number in range(1, rounds + 1):
            for target in targets:
                samples[target.key].append(clients.run(server, target, seconds / rounds))
            print(f"  round {number} of {rounds} done (load average {os.getloadavg()[0]:.2f})", flush=True)
    results = [summarise(t, samples[t.key]) for t in targets]
    for m in results:
        if m.requests < 20:
            raise SystemExit(f"{m.name}: only {m.requests} requests answered as expected ({m.errors} not)")
    return results


def describe_load(server: Gunicorn, args) -> str:
    """One line saying how the HTTP benchmarks load the server."""
    return (
        f"{server.describe()}; {args.concurrency} concurrent clients in {args.client_processes} processes; "
        f"{os.cpu_count()} CPU cores shared by server, database and clients."
    )


def http_settings(args, server: Gunicorn) -> dict:
    seconds, rounds, warmup = timing(args)
    return {
        "server": server.describe(),
        "concurrency": args.concurrency,
        "client_processes": args.client_processes,
        "seconds_per_endpoint": seconds,
        "rounds": rounds,
        "warmup_seconds": warmup,
    }


def measure_phase(server, targets, args, phase: str, note: str = "") -> dict:
    """One cold or warm phase on a started server: the load said, the rounds run, the table printed."""
    print(f"\n{phase}: {describe_load(server, args)}", flush=True)
    rows = ratio_rows(run_rounds(server, targets, args))
    print_phase(phase, rows, note)
    return {"settings": http_settings(args, server), "results": rows}


def add_phase_option(parser, warm: str = "as deployed, cache on") -> None:
    parser.add_argument(
        "--phase",
        choices=["cold", "warm", "both"],
        default="both",
        help=f"cold: response cache off; warm: {warm}; both (default)",
    )
