"""The optional remote look-up, against a local fake postcodes.io on 127.0.0.1 (never the live service).

The fake answers with bodies shaped like postcodes.io's documented responses (api.postcodes.io/docs:
/postcodes/:postcode and /terminated_postcodes/:postcode), trimmed to the fields Seat Finder reads.
"""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.urls import reverse

from constituencies.postcodes.lookup import Outcome, lookup_postcode
from tests.builders import GODALMING, add_postcode, small_ge2024
from tests.clock import Clock

FOUND_GU = {
    "status": 200,
    "result": {
        "postcode": "GU7 1HR",
        "country": "England",
        "parliamentary_constituency": "Godalming and Ash",
        "parliamentary_constituency_2024": "Godalming and Ash",
        "admin_district": "Waverley",
        "codes": {
            "admin_district": "E07000216",
            "parliamentary_constituency": GODALMING[0],
            "parliamentary_constituency_2024": GODALMING[0],
        },
    },
}
NOT_FOUND = {"status": 404, "error": "Postcode not found"}
TERMINATED = {
    "status": 200,
    "result": {
        "postcode": "E1W 1UU",
        "year_terminated": 2007,
        "month_terminated": 12,
        "longitude": -0.051135,
    },
}


class Drip:
    """A body sent one byte at a time, `every` seconds apart, so that no single socket wait times out."""

    def __init__(self, body: dict, every: float, headers_too: bool = False):
        self.data = json.dumps(body).encode()
        self.every = every
        self.headers_too = headers_too  # drip the status line and headers as well


class FakePostcodesIO:
    """Routes: path -> (status, body or raw bytes or Drip, delay in seconds). Unrouted paths answer 404."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = unquote(self.path)
                fake.requests.append(path)
                status, body, delay = fake.routes.get(path, (404, NOT_FOUND, 0))
                if delay:
                    time.sleep(delay)
                if isinstance(body, Drip):
                    return self.drip(status, body)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def drip(self, status, drip):
                head = (
                    f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(drip.data)}\r\n\r\n"
                ).encode()
                if not drip.headers_too:
                    self.wfile.write(head)
                    head = b""
                try:
                    for i in range(len(head + drip.data)):
                        self.wfile.write((head + drip.data)[i : i + 1])
                        self.wfile.flush()
                        time.sleep(drip.every)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake(settings):
    server = FakePostcodesIO()
    settings.SEATFINDER_POSTCODES_IO = True
    settings.SEATFINDER_POSTCODES_IO_URL = server.url
    settings.SEATFINDER_POSTCODES_IO_TIMEOUT = 1.0
    settings.SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS = 30
    cache.clear()
    yield server
    server.close()
    cache.clear()


@pytest.fixture
def seats(default_parties):
    return small_ge2024()


def test_a_postcode_missing_locally_is_found_remotely_and_cached(seats, fake):
    fake.routes["/postcodes/GU7 1HR"] = (200, FOUND_GU, 0)
    result = lookup_postcode("gu71hr")
    assert result.outcome is Outcome.FOUND
    assert result.source == "postcodes.io"
    assert [c.name for c in result.constituencies] == ["Godalming and Ash"]
    assert fake.requests == ["/postcodes/GU7 1HR"]

    again = lookup_postcode("GU7 1HR")
    assert again.outcome is Outcome.FOUND
    assert fake.requests == ["/postcodes/GU7 1HR"]  # served from the cache


def test_the_directory_is_asked_first(seats, fake):
    add_postcode("GU7 1HR", GODALMING[0])
    assert lookup_postcode("GU7 1HR").source == "directory"
    assert fake.requests == []


def test_unknown_to_postcodes_io_too(seats, fake):
    result = lookup_postcode("ZZ9 9ZZ")
    assert result.outcome is Outcome.UNKNOWN
    assert fake.requests == ["/postcodes/ZZ9 9ZZ", "/terminated_postcodes/ZZ9 9ZZ"]
    lookup_postcode("ZZ9 9ZZ")
    assert len(fake.requests) == 2  # "unknown" is cached as well


def test_retired_according_to_postcodes_io(seats, fake):
    fake.routes["/terminated_postcodes/E1W 1UU"] = (200, TERMINATED, 0)
    result = lookup_postcode("E1W 1UU")
    assert result.outcome is Outcome.TERMINATED
    assert result.message.startswith("E1W 1UU is no longer in use: Royal Mail retired it in December 2007.")


def test_a_pseudo_constituency_code_means_outside(seats, fake):
    body = json.loads(json.dumps(FOUND_GU))
    body["result"]["codes"]["parliamentary_constituency_2024"] = "L99999999"
    body["result"]["parliamentary_constituency_2024"] = "(pseudo) Channel Islands"
    fake.routes["/postcodes/GU7 1HR"] = (200, body, 0)
    result = lookup_postcode("GU7 1HR")
    assert result.outcome is Outcome.OUTSIDE and result.place == "the Channel Islands"


def test_a_constituency_we_hold_no_results_for(seats, fake):
    body = json.loads(json.dumps(FOUND_GU))
    body["result"]["codes"]["parliamentary_constituency_2024"] = "E14001172"
    body["result"]["parliamentary_constituency_2024"] = "Cities of London and Westminster"
    fake.routes["/postcodes/SW1A 0AA"] = (200, body, 0)
    result = lookup_postcode("SW1A 0AA")
    assert result.outcome is Outcome.NO_DATA
    assert result.message.startswith(
        "SW1A 0AA is in Cities of London and Westminster, but we have no election results for that constituency yet."
    )


@pytest.mark.parametrize(
    "route",
    [
        (500, {"status": 500, "error": "boom"}, 0),
        (503, b"<html>Service Unavailable</html>", 0),
        (200, b"this is not json", 0),
        (200, {"status": 200, "result": "not an object"}, 0),
        (200, FOUND_GU, 3),  # slower than the 1 s timeout
    ],
    ids=["500", "503-html", "not-json", "wrong-shape", "timeout"],
)
def test_failures_are_a_friendly_temporary_message_and_are_not_cached(seats, fake, settings, route):
    settings.SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS = 0  # no back-off: ask again at once
    fake.routes["/postcodes/GU7 1HR"] = route
    result = lookup_postcode("GU7 1HR")
    assert result.outcome is Outcome.UNAVAILABLE
    assert result.message == (
        "We could not check GU7 1HR just now because the postcode service did not answer. "
        "Please try again in a minute, or search for your constituency by name."
    )
    fake.routes["/postcodes/GU7 1HR"] = (200, FOUND_GU, 0)
    assert lookup_postcode("GU7 1HR").outcome is Outcome.FOUND  # the failure was not remembered


@pytest.mark.parametrize(
    "drip",
    [Drip(FOUND_GU, every=0.1), Drip(FOUND_GU, every=0.1, headers_too=True)],
    ids=["body", "headers-and-body"],
)
def test_a_server_sending_a_byte_at_a_time_is_cut_off_at_the_deadline(seats, fake, drip):
    """Each byte comes well within the 1 s socket timeout, but the whole answer would take over 30 s."""
    fake.routes["/postcodes/GU7 1HR"] = (200, drip, 0)
    started = time.monotonic()
    result = lookup_postcode("GU7 1HR")
    assert result.outcome is Outcome.UNAVAILABLE
    assert time.monotonic() - started < 1.5


def test_slow_name_resolution_counts_against_the_deadline(seats, fake, settings, monkeypatch):
    settings.SEATFINDER_POSTCODES_IO_URL = fake.url.replace("127.0.0.1", "postcodes.invalid")
    real_getaddrinfo = socket.getaddrinfo

    def slow_getaddrinfo(host, *args, **kwargs):
        if host == "postcodes.invalid":
            time.sleep(2.5)  # a DNS server that answers late, past the 1 s deadline
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    fake.routes["/postcodes/GU7 1HR"] = (200, FOUND_GU, 0)
    started = time.monotonic()
    assert lookup_postcode("GU7 1HR").outcome is Outcome.UNAVAILABLE
    assert time.monotonic() - started < 1.5


def test_after_a_failure_the_remote_is_left_alone_for_a_while(seats, fake, settings):
    settings.SEATFINDER_POSTCODES_IO_BACKOFF_SECONDS = 30
    clock = Clock()
    fake.routes["/postcodes/GU7 1HR"] = (500, {"status": 500}, 0)
    assert lookup_postcode("GU7 1HR", clock=clock).outcome is Outcome.UNAVAILABLE
    assert fake.requests == ["/postcodes/GU7 1HR"]

    fake.routes["/postcodes/GU7 1HR"] = (200, FOUND_GU, 0)  # back up, but nobody asks yet
    clock.advance(29)
    started = time.monotonic()
    again = lookup_postcode("GU7 1HR", clock=clock)
    assert again.outcome is Outcome.UNAVAILABLE and "try again in a minute" in again.message
    assert time.monotonic() - started < 0.2  # answered at once: no request waits on a failing service
    assert lookup_postcode("SW1A 9ZZ", clock=clock).outcome is Outcome.UNAVAILABLE  # another postcode too
    assert fake.requests == ["/postcodes/GU7 1HR"]

    clock.advance(1.1)  # the back-off is over
    assert lookup_postcode("GU7 1HR", clock=clock).outcome is Outcome.FOUND
    assert fake.requests == ["/postcodes/GU7 1HR", "/postcodes/GU7 1HR"]


def test_answers_already_cached_are_still_given_during_the_back_off(seats, fake):
    fake.routes["/postcodes/GU7 1HR"] = (200, FOUND_GU, 0)
    assert lookup_postcode("GU7 1HR").outcome is Outcome.FOUND
    fake.routes["/postcodes/E1W 1UU"] = (500, {"status": 500}, 0)
    assert lookup_postcode("E1W 1UU").outcome is Outcome.UNAVAILABLE
    assert lookup_postcode("GU7 1HR").outcome is Outcome.FOUND
    assert fake.requests == ["/postcodes/GU7 1HR", "/postcodes/E1W 1UU"]


def test_nobody_listening(seats, settings):
    settings.SEATFINDER_POSTCODES_IO = True
    settings.SEATFINDER_POSTCODES_IO_URL = "http://127.0.0.1:9"  # discard port: connection refused
    cache.clear()
    assert lookup_postcode("GU7 1HR").outcome is Outcome.UNAVAILABLE


def test_the_page_shows_a_remote_failure_as_a_message_not_an_error_page(seats, fake, client):
    fake.routes["/postcodes/GU7 1HR"] = (500, {"status": 500}, 0)
    response = client.get(reverse("constituencies:postcode"), {"postcode": " gu7 1hr "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "the postcode service did not answer" in html
    assert 'value=" gu7 1hr "' in html  # what they typed is still in the box


def test_the_api_says_503_with_retry_after(seats, fake, client):
    fake.routes["/postcodes/GU7 1HR"] = (500, {"status": 500}, 0)
    response = client.get(reverse("constituencies:api-postcode", args=["GU71HR"]))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json()["error"] == "lookup_unavailable"


def test_the_seat_page_never_calls_the_remote_provider(seats, fake, client):
    response = client.get(reverse("constituencies:seat", args=["godalming-and-ash"]), {"postcode": "GU7 1HR"})
    assert response.status_code == 200
    assert fake.requests == []
    assert response.context["your_postcode"] is None  # not confirmed: never looked up
