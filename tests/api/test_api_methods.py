"""Every JSON endpoint answers HEAD, OPTIONS and the other methods alike, and every error under /api/ is JSON.

constituencies/api/responses.py: `json_api` on each endpoint, and the 400, 404 and 500 handlers that
seatfinder/urls.py names.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, resolve

from tests.builders import ABERDEEN_NORTH, add_postcode, small_ge2024

ENDPOINTS = [
    "/api/postcodes/ab101pe/",
    "/api/postcodes/not-one/",  # an error answer: HEAD gives its status too
    "/api/seats/",
    "/api/seats/aberdeen-north/",
    "/api/elections/",
    "/api/advice/ge2024/",
    "/api/supporters/counts/",
    "/api/what-if/?election=ge2024",
    "/api/pr/?election=ge2024",
]
ALLOW = "GET, HEAD, OPTIONS"


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])


def api_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLPattern):
            if route.startswith("api/") and route != "api/":
                yield route
        else:
            yield from api_routes(pattern.url_patterns, route)


def test_every_endpoint_of_the_urlconf_is_checked_here():
    checked = {resolve(path.partition("?")[0]).route for path in ENDPOINTS}
    assert set(api_routes()) == checked


@pytest.mark.parametrize("path", ENDPOINTS)
def test_head_answers_as_get_does_without_the_body(seats, client, path):
    # The test client drops HEAD's body, as gunicorn and runserver do.
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code and get.content and head.content == b""
    for header in ("Content-Type", "Content-Length", "Access-Control-Allow-Origin"):
        assert head.get(header) == get.get(header), header
    assert head["Content-Type"] == "application/json"
    # Compressed alike. Django's gzip adds up to 100 random bytes (against BREACH), so a short answer may or may
    # not be compressed, and a compressed one's length varies: only a long one is compared.
    if len(get.content) >= 1000:
        get = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        head = client.head(path, HTTP_ACCEPT_ENCODING="gzip")
        assert head.get("Content-Encoding") == get.get("Content-Encoding") == "gzip"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_options_says_which_methods_are_allowed(seats, client, path):
    response = client.options(path)
    assert response.status_code == 200
    assert response["Allow"] == ALLOW
    assert response["Access-Control-Allow-Methods"] == ALLOW
    assert response.content == b""


@pytest.mark.parametrize("path", [*ENDPOINTS, "/api/"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_other_methods_are_405_in_json_with_allow(seats, path, method):
    client = Client(enforce_csrf_checks=True)  # a real browser's POST, without a token: 405, not CSRF's 403
    response = client.generic(method, path, data="x=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 405
    assert response["Allow"] == ALLOW
    assert response.json() == {
        "error": "method_not_allowed",
        "message": f"{method} is not allowed here: the API answers {ALLOW}.",
    }


@pytest.mark.parametrize("path", ["/api/nope/", "/api/seats/a/b/", "/api/postcodes/", "/api/seats/%00/"])
def test_an_unknown_api_path_is_404_in_json(db, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "/api/ lists the endpoints" in response.json()["message"]


def test_an_unknown_page_is_still_django_html(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_an_api_crash_is_500_in_json_and_a_page_crash_html(seats, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("constituencies.api.postcodes.lookup_postcode", crash)
    monkeypatch.setattr("constituencies.web.voter.PostcodeForm", crash)
    client = Client(raise_request_exception=False)
    api = client.get("/api/postcodes/ab101pe/")
    assert api.status_code == 500
    assert api.json() == {
        "error": "server_error",
        "message": "Something went wrong on our side; please try again later.",
    }
    page = client.get("/postcode/?postcode=AB10+1PE")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_a_bad_host_is_400_in_json_under_the_api_and_html_elsewhere(seats, client):
    api = client.get("/api/seats/", HTTP_HOST="evil.example")
    assert api.status_code == 400 and api.json()["error"] == "bad_request"
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_the_seats_api_errors_carry_a_message_too(seats, client):
    body = client.get("/api/seats/", {"election": "nope"}).json()
    assert body["error"] == body["message"] == "election: There is no election “nope” loaded."


def test_the_postcode_api_asks_no_more_of_the_database(seats, client, django_assert_num_queries):
    """The busiest URL: the look-up's one query for GET and HEAD (tests/postcodes/test_lookup.py), none to
    refuse a method or answer OPTIONS."""
    for method, queries in [("get", 1), ("head", 1), ("options", 0), ("post", 0)]:
        with django_assert_num_queries(queries):
            response = getattr(client, method)("/api/postcodes/ab101pe/")
        assert response.status_code == {"options": 200, "post": 405}.get(method, 200)
