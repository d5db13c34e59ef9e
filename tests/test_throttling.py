"""Per-IP rate limits (constituencies/rules/throttling.py, seatfinder/throttling.py): the rates as the
environment gives them, 429 with Retry-After and a clear body past a limit, addresses counted apart, and the
one rule for the client's address behind a proxy."""

import pytest
from axes.helpers import get_client_ip_address
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from constituencies.rules.throttling import GROUP_BY_URL_NAME, GROUPS, BadRate, Rate, parse_rate
from seatfinder.client_address import client_address
from tests.settings_helpers import load_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("120/m", Rate(120, 60)),
        ("1000/5m", Rate(1000, 300)),
        (" 3/S ", Rate(3, 1)),
        ("50/d", Rate(50, 86400)),
    ],
)
def test_a_rate_is_a_count_per_period(text, rate):
    assert parse_rate(text) == rate


def test_off_turns_a_limit_off():
    assert parse_rate("OFF") is None


@pytest.mark.parametrize("text", ["120", "120/minute", "many/m", "0/m", "5/0m", "-1/m", ""])
def test_a_rate_that_cannot_be_read_is_refused_naming_the_variable(text):
    with pytest.raises(
        BadRate, match=r'SEATFINDER_RATE_SEARCH must be .*"120/m"|SEATFINDER_RATE_SEARCH must allow'
    ):
        parse_rate(text, "SEATFINDER_RATE_SEARCH")


def test_the_settings_read_each_group_from_its_variable_with_defaults(monkeypatch):
    loaded = load_settings(monkeypatch, SEATFINDER_RATE_POSTCODE="7/m", SEATFINDER_RATE_EXPORTS="off")
    assert loaded.SEATFINDER_RATE_LIMITS["postcode"] == Rate(7, 60)
    assert loaded.SEATFINDER_RATE_LIMITS["exports"] is None
    assert loaded.SEATFINDER_RATE_LIMITS["search"] == parse_rate(
        next(g.default for g in GROUPS if g.name == "search")
    )


def test_a_bad_rate_in_the_environment_stops_the_settings(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SEATFINDER_RATE_API must be"):
        load_settings(monkeypatch, SEATFINDER_RATE_API="lots")


def test_every_limited_url_name_exists_and_belongs_to_one_group():
    from django.urls import reverse

    from constituencies.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns}
    assert set(GROUP_BY_URL_NAME) <= names
    assert sum(len(g.url_names) for g in GROUPS) == len(GROUP_BY_URL_NAME)
    assert reverse("constituencies:api-postcode", args=["SW1A1AA"]).startswith("/api/")


@pytest.fixture
def low_limits(settings):
    """Three requests a minute for every group."""
    settings.SEATFINDER_RATE_LIMITS = dict.fromkeys(settings.SEATFINDER_RATE_LIMITS, Rate(3, 60))
    return settings


def test_the_postcode_api_answers_429_json_with_retry_after_past_its_limit(low_limits, client):
    for _ in range(3):
        assert client.get("/api/postcodes/ZZ99ZZ/").status_code != 429
    response = client.get("/api/postcodes/ZZ99ZZ/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["error"] == "rate_limited"
    assert body["retry_after"] == int(response["Retry-After"])
    assert f"wait {body['retry_after']} seconds" in body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"


def test_the_postcode_page_and_api_share_one_limit_and_the_page_says_so_in_html(low_limits, client):
    for _ in range(3):
        assert client.get("/api/postcodes/ZZ99ZZ/").status_code != 429
    response = client.get("/postcode/", {"postcode": "ZZ99ZZ"})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "Too many requests" in response.content.decode()
    assert f"wait {response['Retry-After']} second" in response.content.decode()


def test_search_is_limited_with_a_page(low_limits, client):
    statuses = [client.get("/search", {"q": "Bath"}).status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429


@pytest.mark.parametrize("url", ["/seats/export.csv", "/seats/export.json", "/map/map.svg", "/map/map.png"])
def test_exports_share_one_limit(low_limits, client, url):
    for other in ["/seats/export.csv", "/map/map.svg", "/seats/export.json"]:
        client.get(other)
    assert client.get(url).status_code == 429


def test_the_api_has_its_own_limit_apart_from_the_postcode_look_up(low_limits, client):
    for _ in range(4):
        client.get("/api/postcodes/ZZ99ZZ/")
    assert client.get("/api/elections/").status_code == 200
    for _ in range(2):
        client.get("/api/seats/")
    response = client.get("/api/seats/")
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"


def test_different_addresses_are_counted_apart(low_limits, client):
    for _ in range(3):
        client.get("/search", {"q": "Bath"}, REMOTE_ADDR="10.0.0.1")
    assert client.get("/search", {"q": "Bath"}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/search", {"q": "Bath"}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_pages_outside_the_groups_are_never_limited(low_limits, client):
    settings = low_limits
    settings.SEATFINDER_RATE_LIMITS = dict.fromkeys(settings.SEATFINDER_RATE_LIMITS, Rate(1, 60))
    assert [client.get("/").status_code for _ in range(4)] == [200] * 4
    assert [client.get("/api/").status_code for _ in range(4)] == [200] * 4


def test_a_group_set_off_is_not_counted(low_limits, client):
    low_limits.SEATFINDER_RATE_LIMITS = {**low_limits.SEATFINDER_RATE_LIMITS, "search": None}
    assert 429 not in [client.get("/search", {"q": "Bath"}).status_code for _ in range(6)]


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.SEATFINDER_FORWARDED_FOR_PROXIES = 0
    assert client_address(request_from("10.1.1.1", "203.0.113.9")) == "10.1.1.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own first entry could be forged
        (2, "203.0.113.9, 198.51.100.7", "203.0.113.9"),  # a CDN, then nginx
        (2, "198.51.100.7", "10.1.1.1"),  # fewer entries than proxies: the header is not to be trusted
        (1, "not-an-address", "10.1.1.1"),
        (1, "", "10.1.1.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_the_proxy_the_entry_it_appended_counts(settings, proxies, forwarded, expected):
    settings.SEATFINDER_FORWARDED_FOR_PROXIES = proxies
    assert client_address(request_from("10.1.1.1", forwarded)) == expected


def test_the_limits_and_the_login_lock_out_take_the_address_from_the_same_rule(settings):
    settings.SEATFINDER_FORWARDED_FOR_PROXIES = 1
    request = request_from("10.1.1.1", "6.6.6.6, 203.0.113.9")
    assert get_client_ip_address(request) == client_address(request) == "203.0.113.9"
    assert (
        settings.RATELIMIT_IP_META_KEY
        == settings.AXES_CLIENT_IP_CALLABLE
        == "seatfinder.client_address.client_address"
    )


def test_behind_the_proxy_clients_are_counted_apart_and_cannot_forge_their_way_out(low_limits, client):
    low_limits.SEATFINDER_FORWARDED_FOR_PROXIES = 1
    for n in range(3):
        client.get("/search", {"q": "Bath"}, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.9")
    forged = client.get("/search", {"q": "Bath"}, HTTP_X_FORWARDED_FOR="6.6.6.99, 203.0.113.9")
    assert forged.status_code == 429
    assert client.get("/search", {"q": "Bath"}, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 200


def test_a_window_s_count_starts_again_in_the_next_window(rf):
    from seatfinder.throttling import over_limit

    request = rf.get("/search", REMOTE_ADDR="10.7.7.7")
    rate = Rate(2, 60)
    start = 6_000_000 * 60 + 15.5  # 15.5 s into a window
    assert [over_limit(request, "search", rate, now=start) for _ in range(2)] == [None, None]
    assert over_limit(request, "search", rate, now=start) == 44  # the 44.5 s left, in whole seconds
    assert over_limit(request, "search", rate, now=start + 44.6) is None  # a new window


def test_an_ipv6_client_is_counted_by_its_64_network(low_limits, client):
    for n in range(3):
        client.get("/search", {"q": "Bath"}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    assert client.get("/search", {"q": "Bath"}, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert client.get("/search", {"q": "Bath"}, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_the_memory_cache_counts_from_one(settings):
    from seatfinder.throttling import count_request

    assert [count_request("site-limit:test:a", 60) for _ in range(3)] == [1, 2, 3]
    assert count_request("site-limit:test:b", 60) == 1


@pytest.fixture
def redis_cache(tmp_path):
    """The site's Redis cache backend on a redis-server of its own, on loopback and a free port."""
    import shutil
    import socket
    import subprocess
    import time

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    from seatfinder.cache import CountingRedisCache

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    backend = CountingRedisCache(f"redis://127.0.0.1:{port}/0", {})
    try:
        for _ in range(100):
            try:
                backend.get("ping")
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        yield backend
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_redis_counts_in_one_round_trip_with_the_window_s_expiry(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache.count_in_window("site-limit:x", 60) == 1  # the first call also loads the script
    before = client.info("commandstats")
    assert [redis_cache.count_in_window("site-limit:x", 60) for _ in range(3)] == [2, 3, 4]
    after = client.info("commandstats")
    calls = {name: after[name]["calls"] - before.get(name, {"calls": 0})["calls"] for name in after}
    # One command from the client a request (Redis counts the INCR run inside the script too), and the
    # expiry set on the first count only:
    assert calls.get("cmdstat_evalsha") == 3
    assert (calls.get("cmdstat_incr"), calls.get("cmdstat_expire", 0)) == (3, 0)
    assert not calls.get("cmdstat_exists") and not calls.get("cmdstat_set")
    ttl = client.ttl(redis_cache.make_and_validate_key("site-limit:x"))
    assert 0 < ttl <= 60


def test_with_redis_the_limit_holds_across_processes_sharing_it(redis_cache, low_limits, client, monkeypatch):
    """Two app servers are two caches on the same Redis: what one counted, the other sees."""
    import seatfinder.throttling as throttling
    from seatfinder.cache import CountingRedisCache

    other_server = CountingRedisCache(redis_cache._servers[0], {})
    monkeypatch.setattr(throttling, "cache", redis_cache)
    for _ in range(3):
        assert client.get("/search", {"q": "Bath"}).status_code == 200
    monkeypatch.setattr(throttling, "cache", other_server)
    response = client.get("/search", {"q": "Bath"})
    assert response.status_code == 429
