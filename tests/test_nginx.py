"""deploy/nginx/nginx.conf, run by a real nginx on loopback (bench/nginx.py) in front of a small stand-in app
whose answers carry the headers each case needs: nginx keeps what the app marks public for as long as it says,
never what is private or sets a cookie, compresses the listed types except where the app chooses not to, and
tells the app who the client is. The whole stack with the real app is measured by bench/stack_bench.py."""

import gzip
import http.client
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.nginx import DEPLOYED_CONFIG, Nginx, check_config, loopback_config, nginx_binary, port_is_free
from seatfinder.middleware import UNCOMPRESSED

pytestmark = pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (apt-get install nginx; .ci/run installs it)"
)

PORTS = range(8190, 8200)  # this test's share of the loopback ports
BODY = ("<p>" + "Seat Finder " * 200 + "</p>").encode()  # well over gzip_min_length
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
}
POLICIES = {
    "public": "public, max-age=60",
    "shared-only": "public, max-age=0, s-maxage=60",
    "private": "private, max-age=60",
    "short": "public, max-age=1, stale-while-revalidate=30",
}


class StandIn(BaseHTTPRequestHandler):
    """/<policy>/<name>[?...]: a body with that Cache-Control (none for an unknown policy); `cookie` in the
    path adds a Set-Cookie, `fail` answers 500 after the first time, and a path ending in a CONTENT_TYPES
    key has that type. Counts the requests per path and keeps the headers of the last one."""

    protocol_version = "HTTP/1.1"
    hits: Counter = Counter()
    seen: dict = {}

    def do_GET(self):
        path = self.path
        StandIn.hits[path] += 1
        StandIn.seen[path] = dict(self.headers)
        failing = "fail" in path and StandIn.hits[path] > 1
        body = b"broken" if failing else BODY + f" {StandIn.hits[path]}".encode()
        self.send_response(500 if failing else 200)
        kind = path.rsplit(".", 1)[-1] if "." in path else "html"
        self.send_header("Content-Type", CONTENT_TYPES.get(kind, "text/html; charset=utf-8"))
        if policy := POLICIES.get(path.split("/")[1]):
            self.send_header("Cache-Control", policy)
        if "cookie" in path:
            self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.send_header("Vary", "Accept-Encoding, Cookie")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def two_free_ports() -> tuple[int, int]:
    free = [p for p in PORTS if port_is_free(p)]
    if len(free) < 2:
        pytest.skip(f"ports {PORTS.start}-{PORTS.stop - 1} are taken")
    return free[0], free[1]


@pytest.fixture(scope="module")
def nginx_port():
    port, app_port = two_free_ports()
    app = ThreadingHTTPServer(("127.0.0.1", app_port), StandIn)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    try:
        with Nginx([app_port], port):
            yield port
    finally:
        app.shutdown()
        app.server_close()


def fetch_and_settle(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    """fetch(), then a moment for nginx to finish storing the copy: the client can have the last byte before
    the worker that fetched it has filed it, and another worker takes the next request."""
    answer = fetch(port, path, **headers)
    time.sleep(0.3)
    return answer


def fetch(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_the_deployed_config_passes_nginx_t_with_the_upstream_on_loopback():
    done = check_config([8198, 8199], 8197)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_the_loopback_config_changes_only_the_upstream_listen_and_folders(tmp_path):
    deployed = DEPLOYED_CONFIG.read_text()
    text = loopback_config([8001, 8002, 8003], 8190, tmp_path, cache=False)
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=3 fail_timeout=10s;", text) == [
        "8001",
        "8002",
        "8003",
    ]
    assert "listen 127.0.0.1:8190;" in text and "web:8000" not in text and "/var/cache/nginx" not in text
    assert "proxy_cache off;" in text and "proxy_cache seatfinder;" not in text
    changed = set(text.splitlines()) - set(deployed.splitlines())
    assert all(str(tmp_path) in line or "127.0.0.1" in line or "proxy_cache off" in line for line in changed)


def test_a_config_without_the_web_upstream_is_refused(tmp_path, monkeypatch):
    edited = tmp_path / "nginx.conf"
    edited.write_text(DEPLOYED_CONFIG.read_text().replace("server web:8000", "server app:8000"))
    monkeypatch.setattr("bench.nginx.DEPLOYED_CONFIG", edited)
    with pytest.raises(ValueError, match="expected one `server web:8000` line, found 0"):
        loopback_config([8001], 8190, tmp_path)


def test_nginx_leaves_uncompressed_exactly_what_the_app_does():
    location = re.search(r"location ~ \^/\(([^)]*)\)/ \{\s*gzip off;", DEPLOYED_CONFIG.read_text())
    assert location, "the uncompressed location is missing"
    assert sorted(f"/{p}/" for p in location.group(1).split("|")) == sorted(UNCOMPRESSED)


def test_a_public_answer_is_kept_for_its_max_age_and_s_maxage(nginx_port):
    for path in ("/public/page", "/shared-only/page"):
        first = fetch_and_settle(nginx_port, path)
        second = fetch(nginx_port, path)
        assert (first[1]["x-cache-status"], second[1]["x-cache-status"]) == ("MISS", "HIT"), path
        assert second[2] == first[2] and StandIn.hits[path] == 1


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/private/page", {}),
        ("/public/cookie", {}),
        ("/none/page", {}),  # no Cache-Control, as the seat list sends today
        ("/public/signed-in", {"Cookie": "sessionid=xyz"}),
        ("/public/with-csrf-token", {"Cookie": "csrftoken=abc"}),
    ],
)
def test_private_cookie_setting_unmarked_and_signed_in_answers_are_never_kept(nginx_port, path, headers):
    bodies = [fetch(nginx_port, path, **headers)[2] for _ in range(3)]
    assert StandIn.hits[path] == 3
    assert bodies[0] != bodies[2]  # each one the app's own answer
    if headers:  # nor stored for the next visitor without the cookie
        fetch(nginx_port, path)
        assert StandIn.hits[path] == 4


@pytest.mark.parametrize("kind", sorted(CONTENT_TYPES))
def test_html_json_csv_and_svg_are_gzipped_and_cached_once_per_encoding(nginx_port, kind):
    path = f"/public/compressed.{kind}"
    status, headers, body = fetch_and_settle(nginx_port, path, **{"Accept-Encoding": "br, gzip, deflate"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).startswith(BODY)
    assert StandIn.seen[path]["Accept-Encoding"] == "gzip"  # one spelling, so one cached copy
    again = fetch(nginx_port, path, **{"Accept-Encoding": "gzip"})
    assert again[1]["x-cache-status"] == "HIT" and again[2] == body
    plain = fetch(nginx_port, path)
    assert "content-encoding" not in plain[1] and plain[2].startswith(BODY)
    assert StandIn.seen[path].get("Accept-Encoding", "") == "" and StandIn.hits[path] == 2


def test_the_pages_the_app_leaves_uncompressed_stay_uncompressed(nginx_port):
    _, headers, body = fetch(nginx_port, "/admin/login/", **{"Accept-Encoding": "gzip"})
    assert "content-encoding" not in headers and body.startswith(BODY)


def test_the_app_is_told_the_clients_address_and_scheme_and_a_client_cannot_claim_https(nginx_port):
    fetch(nginx_port, "/none/forwarded", **{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    seen = StandIn.seen["/none/forwarded"]
    assert seen["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"  # the last address is the one nginx saw
    assert seen["X-Forwarded-Proto"] == "http"
    assert seen["Host"] == "127.0.0.1"


def test_a_stale_copy_is_served_while_the_app_fails(nginx_port):
    path = "/short/fail"
    first = fetch_and_settle(nginx_port, path)
    time.sleep(2.1)  # past max-age=1 (nginx counts whole seconds)
    status, headers, body = fetch(nginx_port, path)
    assert (status, headers["x-cache-status"], body) == (200, "STALE", first[2])  # stale-while-revalidate
    deadline = time.monotonic() + 5
    while StandIn.hits[path] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert StandIn.hits[path] == 2  # nginx asked the app again, in the background, and was answered 500
    status, headers, body = fetch(nginx_port, path)
    assert (status, body) == (200, first[2])
    assert headers["x-cache-status"] in ("STALE", "UPDATING")


# -- The real app behind the same nginx ---------------------------------------------------------------------


@pytest.fixture
def app_behind_nginx(live_server):
    """Django's live server (the test settings and database) behind nginx with the deployed file."""
    app_port = int(live_server.url.rsplit(":", 1)[1])
    port = next((p for p in reversed(PORTS) if port_is_free(p)), None)
    if port is None:
        pytest.skip(f"ports {PORTS.start}-{PORTS.stop - 1} are taken")
    with Nginx([app_port], port):
        yield port


def test_the_apps_admin_login_is_never_kept_nor_compressed_and_its_home_page_is_compressed(app_behind_nginx):
    answers = [fetch(app_behind_nginx, "/admin/login/", **{"Accept-Encoding": "gzip"}) for _ in range(2)]
    for status, headers, body in answers:
        assert status == 200 and headers["x-cache-status"] == "MISS"
        assert "csrftoken=" in headers["set-cookie"] and "private" in headers["cache-control"]
        assert "content-encoding" not in headers and b"csrfmiddlewaretoken" in body
    status, headers, body = fetch(app_behind_nginx, "/", **{"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert b"<html" in gzip.decompress(body)
