"""Every public URL of the site, with junk in its path, its parameters, its method and its Host: never a 500.

The URLs come from the URLconf (everything but /admin/), so a new page or endpoint is fuzzed without editing
this file. Each path parameter gets real values from the demo data (slugs, elections, postcodes) and junk; the
query (and, for POST, PUT and DELETE, the form body) gets any of the parameters a view reads, some repeated,
with real values and junk (long text, any unicode, NULs, negative and huge numbers, lists). Django's test
client re-raises any exception a view lets escape, so a crash fails the test as well as a 5xx status would.
A few headers (conditional, cookies, encodings, ranges) and request bodies of several types get junk too. Under
/api/, every error must be JSON with `error` and `message`, and a 405 must say what is allowed.

The examples are derandomised, so CI sees the same requests every run; FUZZ_EXAMPLES raises their number for a
longer run by hand (e.g. FUZZ_EXAMPLES=500 pytest tests/test_fuzz_public_urls.py -n 0).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from urllib.parse import quote, urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constituencies.listings.filters import SeatFilter
from constituencies.models import Constituency, Election, Postcode
from constituencies.web.forms import PostcodeForm, SearchForm
from seatfinder.wsgi_handler import SeatFinderWSGIRequest
from supporters.web.forms import JoinForm

EXAMPLES = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOT_PUBLIC = ("admin/",)
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE"]


def public_routes(patterns=None, prefix: str = "") -> list[tuple[str, dict]]:
    """(route, its converters by parameter name) for every URL pattern outside NOT_PUBLIC."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            found += public_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern.pattern.converters))
    return found


ROUTES = public_routes()
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")

# Every parameter a public view reads: the seat filters (the list, downloads, map and seats API), the forms'
# fields (postcode, search, join), and the few read by hand.
PARAMETERS = sorted(
    set(SeatFilter.base_filters)
    | set(PostcodeForm.base_fields)
    | set(SearchForm.base_fields)
    | set(JoinForm.base_fields)
    | {"page", "page_size", "colour", "as_of", "v", "format", "election", "postcode"}
)

# Text a browser could send (lone surrogates cannot be encoded, so none sends them).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["0", "-1", "5", "1e400", "0x10", "1_000", "٣", "½", "1.005", "-0"]),
)
REAL_VALUES = [
    "ge2024", "ge2019", "ge2010", "Lab", "LD", "Con", "Green", "RUK", "SNP", "true", "false", "very_marginal",
    "marginal,safe", "-majority", "gap_to_win", "England", "London", "Scotland", "advice", "change", "SW1A 0AA",
    "2024-07-03", "json", "none_needed", "on",
]  # fmt: skip
# Typing a postcode could give, in any spacing and case (reaches the look-up itself, not only its checks).
postcode_like = st.from_regex(r"\A\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?[\s\-.]{0,3}[0-9][A-Za-z]{2}\s*\Z")
junk_value = st.one_of(
    st.sampled_from(REAL_VALUES),
    postcode_like,
    numbers,
    any_text,
    st.sampled_from(["", " ", "\x00", "a\x00b", "%", "%00", "<script>", "'\";--", "x" * 5000, "é" * 300]),
)
query_pairs = st.lists(st.tuples(st.sampled_from(PARAMETERS), junk_value), max_size=6)
hosts = st.sampled_from(["testserver"] * 8 + ["evil.example", "127.0.0.1:99999", "[::1"])


def real_values() -> dict[str, list[str]]:
    """Values the path parameters really take, by name, from the demo data."""
    seats = list(Constituency.objects.order_by("slug").values_list("slug", flat=True)[:3])
    elections = list(Election.objects.order_by("-date").values_list("slug", flat=True)[:3])
    postcodes = [p.replace(" ", "").lower() for p in Postcode.objects.values_list("postcode", flat=True)[:3]]
    return {"slug": seats + elections, "postcode": postcodes}


def path_values(name: str, values: list[str], converter) -> st.SearchStrategy[str]:
    matching = st.from_regex(f"\\A(?:{converter.regex})\\Z").filter(lambda text: "/" not in text)
    typed = [postcode_like] if name == "postcode" else []
    return st.one_of(st.sampled_from(values or ["x"]), *typed, matching, any_text.filter(bool))


# What a query string can hold beyond what urlencode writes: broken percent escapes, bytes that are not UTF-8,
# empty names, and more fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS: a 400).
raw_query = st.sampled_from(
    ["", "%FF=1", "a=%E2%82", "%00=%00", "&&&", "=x", "election", "x=1;y=2", "a=%ZZ", "x=1&" * 1100]
)
# Path segments as they may arrive, escapes and all: bytes that are not UTF-8, a NUL, an escaped slash.
raw_segments = st.sampled_from(["%FF", "%C0%AF", "a%E2%82", "%00", "%2F", "..", "%252F", "%"])
content_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "multipart/form-data",
        "application/json",
        "text/plain; charset=utf-16",
    ]
)
# A header's value arrives as latin-1 text without line breaks.
header_text = st.text(alphabet=st.characters(max_codepoint=255, blacklist_characters="\r\n"), max_size=60)
HEADERS = {
    "HTTP_ACCEPT_ENCODING": ["gzip", "br, gzip;q=0", "*;q=0"],
    "HTTP_IF_NONE_MATCH": ["*", '"x"', 'W/"1"'],
    "HTTP_IF_MODIFIED_SINCE": ["Sat, 29 Oct 1994 19:43:31 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "-1"],
    "HTTP_COOKIE": ["sessionid=junk; csrftoken=x", "=;;=", "sessionid=" + "a" * 4000],
    "HTTP_X_FORWARDED_PROTO": ["https", "gopher"],
    "HTTP_RANGE": ["bytes=0-10", "bytes=-5"],
    "HTTP_ACCEPT_LANGUAGE": ["cy", "*", "en-GB;q=x"],
    "HTTP_ORIGIN": ["https://evil.example", "null"],
}
headers = st.fixed_dictionaries(
    {}, optional={name: st.one_of(st.sampled_from(values), header_text) for name, values in HEADERS.items()}
)


@st.composite
def requests(draw, route: str, converters: dict, real: dict[str, list[str]]) -> dict:
    def fill(match):
        name = match["name"]
        value = quote(draw(path_values(name, real.get(name, []), converters[name])), safe="")
        return draw(st.one_of(st.just(value), raw_segments))

    method = draw(st.sampled_from(METHODS))
    query = "&".join(part for part in (urlencode(draw(query_pairs)), draw(raw_query)) if part)
    sends_body = method in ("POST", "PUT", "DELETE")
    return {
        "method": method,
        "path": "/" + PARAMETER.sub(fill, route),
        "query": query,
        "body": "&".join(part for part in (urlencode(draw(query_pairs)), draw(raw_query)) if part)
        if sends_body
        else "",
        "content_type": draw(content_types) if sends_body else "application/x-www-form-urlencoded",
        "host": draw(hosts),
        "headers": draw(headers),
    }


# What a GET of these may answer, whatever it is sent (with a Host the site serves).
GET_ANSWERS = {
    "api/postcodes/<str:postcode>/": {200, 301, 400, 404, 410},
    "seats/<slug:slug>/": {200, 301, 404},
    "postcode/": {200, 302},
    "search": {200, 302},
}


def check_answer(route: str, method: str, path: str, host: str, response) -> None:
    assert response.status_code < 500, (method, path, response.status_code)
    if method == "GET" and host == "testserver" and route in GET_ANSWERS:
        assert response.status_code in GET_ANSWERS[route], (path, response.status_code)
    if response.status_code == 405:
        assert "GET" in response["Allow"], (method, path)
    if path.startswith("/api/") and response.status_code >= 400 and method != "HEAD":
        assert response["Content-Type"].startswith("application/json"), (method, path, response.status_code)
        content = response.content
        if response.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        body = json.loads(content)
        assert body["error"] and body["message"], (method, path)


@pytest.fixture(autouse=True)
def _the_sites_request_class(monkeypatch):
    """The test client builds Django's WSGIRequest by name; the site's server builds seatfinder/wsgi_handler.py's."""
    monkeypatch.setattr("django.test.client.WSGIRequest", SeatFinderWSGIRequest)


@pytest.mark.parametrize(("route", "converters"), ROUTES, ids=[route or "/" for route, _ in ROUTES])
def test_no_public_url_fails_whatever_it_is_sent(demo_data, client, route, converters):
    real = real_values()
    assert real["slug"] and real["postcode"]

    @EXAMPLES
    @given(request=requests(route, converters, real))
    def fuzz(request):
        response = client.generic(
            request["method"],
            f"{request['path']}?{request['query']}" if request["query"] else request["path"],
            data=request["body"],
            content_type=request["content_type"],
            HTTP_HOST=request["host"],
            **request["headers"],
        )
        check_answer(route, request["method"], request["path"], request["host"], response)

    fuzz()


def test_the_fuzzing_reaches_every_kind_of_public_url():
    routes = {route for route, _ in ROUTES}
    assert {
        "api/postcodes/<str:postcode>/",
        "seats/<slug:slug>/",
        "join/",
        "api/supporters/counts/",
    } <= routes
    assert not [route for route in routes if route.startswith("admin/")]
