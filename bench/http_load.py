"""A small, bounded HTTP load generator and a gunicorn runner, for benchmarks on 127.0.0.1 only.

`Gunicorn` serves the site (with bench_urls' trivial view) on a free loopback port; `load()` sends requests
from `concurrency` threads, each on its own connection, for a fixed time (and at most `max_requests`);
`summarise()` turns samples into requests per second and latency percentiles.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: benchmarks never send traffic anywhere else
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving seatfinder.wsgi with the bench settings, started and stopped by this process."""

    def __init__(self, workers: int = 2, threads: int = 1, log_path: Path | None = None):
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.log_path = log_path or BENCH_DIR / "results" / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            str(Path(sys.executable).with_name("gunicorn")),
            "seatfinder.wsgi:application",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--pythonpath", f"{BENCH_DIR},{ROOT}",
            "--log-level", "warning",
        ]  # fmt: skip

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_site", "DEBUG": "false"}
        command = self.command
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                status, _ = get(self.port, "/bench/trivial/")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # only the process this object started
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


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

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


@dataclass
class Sample:
    latencies: list[float]
    errors: int
    sizes: list[int]
    seconds: float


def summarise(name: str, path: str, samples: list[Sample]) -> Measurement:
    """One measurement from several samples of the same endpoint (e.g. rounds interleaved with others)."""
    latencies = sorted(x for s in samples for x in s.latencies)
    sizes = [x for s in samples for x in s.sizes]
    elapsed = sum(s.seconds for s in samples)
    return Measurement(
        name=name,
        path=path,
        requests=len(latencies),
        errors=sum(s.errors for s in samples),
        seconds=round(elapsed, 3),
        requests_per_second=round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * 1000, 2),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 2),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 2),
        mean_bytes=round(sum(sizes) / len(sizes)) if sizes else 0,
    )


def load(port: int, path: str, *, concurrency: int, seconds: float, max_requests: int = 200_000) -> Sample:
    """GET `path` from `concurrency` threads for `seconds`, at most `max_requests` in all."""
    return Sample(*_run(port, path, concurrency, seconds, max_requests))


def measure(
    port: int, name: str, path: str, *, concurrency: int, seconds: float, warmup_seconds: float = 1.0
) -> Measurement:
    """Warm up, then measure one endpoint for `seconds`."""
    if warmup_seconds:
        load(port, path, concurrency=concurrency, seconds=warmup_seconds)
    return summarise(name, path, [load(port, path, concurrency=concurrency, seconds=seconds)])


def _run(port: int, path: str, concurrency: int, seconds: float, max_requests: int):
    latencies: list[float] = []
    sizes: list[int] = []
    errors = 0
    lock = threading.Lock()
    budget = [max_requests]
    start = time.perf_counter()
    deadline = start + seconds

    def client():
        nonlocal errors
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                began = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    body = response.read()
                    ok = response.status == 200
                    if response.getheader("Connection", "").lower() == "close":
                        connection.close()
                except (OSError, http.client.HTTPException):
                    ok, body = False, b""
                    connection.close()
                took = time.perf_counter() - began
                with lock:
                    if ok:
                        latencies.append(took)
                        sizes.append(len(body))
                    else:
                        errors += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return latencies, errors, sizes, time.perf_counter() - start
