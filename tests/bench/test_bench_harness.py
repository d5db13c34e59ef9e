"""The benchmarks' shared parts: every benchmark is found and takes the shared options, and the load
generator counts what the server answered (against a small HTTP server on 127.0.0.1 in this process)."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import harness  # noqa: E402
import run_all  # noqa: E402


def test_run_all_finds_every_benchmark_import_before_lookup():
    names = [p.name for p in run_all.benchmarks()]
    assert names[:2] == ["postcode_import_bench.py", "postcode_lookup_bench.py"]
    assert set(names) == {p.name for p in BENCH.glob("*_bench.py")}
    assert {"seat_list_bench.py", "lookup_service_bench.py", "admin_import_bench.py"} <= set(names)


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*_bench.py")))
def test_every_benchmark_accepts_the_shared_options(script):
    shared = ["--quick", "--seconds", "2", "--rounds", "2", "--concurrency", "4", "--workers", "2"]
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *shared, "--client-processes", "1", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--quick" in result.stdout and "make bench BENCH_ARGS" in result.stdout


def test_quick_timing_is_shorter_and_explicit_values_win():
    parser = harness.common_options()
    assert harness.timing(parser.parse_args(["--quick"])) == (3.0, 3, 1.0)
    assert harness.timing(parser.parse_args([])) == (10.0, 5, 2.0)
    assert harness.timing(parser.parse_args(["--quick", "--seconds", "7", "--rounds", "1"]))[:2] == (7.0, 1)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 200 if self.path.startswith("/ok") else 404
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer((harness.HOST, 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_get_reads_status_and_body(server):
    assert harness.get(server, "/ok/") == (200, b'{"ok": true}')
    assert harness.get(server, "/missing/")[0] == 404


def test_client_counts_expected_statuses_and_the_rest_as_errors(server):
    latencies, errors, size, began, ended = harness._client(
        (server, ["/ok/1", "/ok/2"], [], (200,), 2, 0.3, 1)
    )
    assert latencies and errors == 0 and size > len(latencies) * 12
    assert 0.25 < ended - began < 5
    latencies, errors, *_ = harness._client((server, ["/missing/"], [], (200,), 1, 0.2, 1))
    assert latencies == [] and errors > 0
    latencies, errors, *_ = harness._client((server, ["/missing/"], [], (404,), 1, 0.2, 1))
    assert latencies and errors == 0


def test_client_sends_raw_requests_instead_of_the_paths(server):
    raw = [
        f"GET /ok/{n} HTTP/1.1\r\nHost: {harness.HOST}\r\nConnection: close\r\n\r\n".encode() for n in (1, 2)
    ]
    latencies, errors, *_ = harness._client((server, ["/missing/"], raw, (200,), 1, 0.2, 1))
    assert latencies and errors == 0  # had the path been requested, every answer would be a 404


def sample(requests, seconds, worker_cpu):
    return harness.Sample(
        [0.001 * (i + 1) for i in range(requests)], 0, requests * 100, seconds, worker_cpu, None, 1.0
    )


def test_ratios_are_against_the_first_target():
    base = harness.summarise(harness.Target("base", ["/a"]), [sample(100, 1.0, 0.1), sample(300, 1.0, 0.3)])
    slow = harness.summarise(harness.Target("slow", ["/b"]), [sample(50, 1.0, 0.1), sample(90, 1.0, 0.18)])
    assert base.requests_per_second == 200.0 and slow.requests_per_second == 70.0
    assert base.server_cpu_ms_per_request == 1.0 and slow.server_cpu_ms_per_request == 2.0
    rows = harness.ratio_rows([base, slow])
    assert rows[0]["throughput_ratio"] == 1.0
    assert rows[1]["throughput_ratio"] == 0.35
    assert rows[1]["throughput_ratio_median_of_rounds"] == 0.4  # rounds: 0.5 and 0.3
    assert rows[1]["server_cpu_ratio"] == 2.0
    assert rows[1]["database_cpu_ms_per_request"] is None


def test_cpu_used_counts_new_processes_and_never_goes_negative():
    before = {1: 2.0, 2: 5.0}
    after = {1: 2.5, 3: 0.25}  # 2 ended, 3 started
    assert harness.cpu_used(before, after) == 0.75
