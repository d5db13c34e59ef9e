"""The client's address behind proxies (seatfinder/client_address.py): only as many X-Forwarded-For entries
as SEATFINDER_FORWARDED_FOR_PROXIES says are trusted, counted from the right, and the per-address rate limit
of the join form counts that address."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from seatfinder.client_address import client_address
from supporters.rules import limits
from tests.settings_helpers import load_settings
from tests.supporters.conftest import join_data

NGINX = "172.18.0.5"  # REMOTE_ADDR of every request that came through nginx


def request_from(forwarded_for: str | None):
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=NGINX, **extra)


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "203.0.113.9", NGINX),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote 1.2.3.4 itself
        (2, "1.2.3.4, 198.51.100.7, 203.0.113.9", "198.51.100.7"),  # a CDN, then nginx
        (2, "203.0.113.9", NGINX),  # fewer entries than proxies: not through them all
        (1, None, NGINX),
        (1, "  ,", NGINX),
        (1, "not-an-address", NGINX),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(
    settings, proxies, forwarded_for, expected
):
    settings.SEATFINDER_FORWARDED_FOR_PROXIES = proxies
    assert client_address(request_from(forwarded_for)) == expected


def test_by_default_no_proxy_is_trusted_and_the_rate_limits_count_remote_addr(monkeypatch):
    loaded = load_settings(monkeypatch)
    assert loaded.SEATFINDER_FORWARDED_FOR_PROXIES == 0
    assert loaded.RATELIMIT_IP_META_KEY == "seatfinder.client_address.client_address"
    assert (
        client_address(RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="203.0.113.9"))
        == "10.1.1.1"
    )


def test_behind_one_proxy_the_rate_limits_count_the_forwarded_address(monkeypatch):
    loaded = load_settings(monkeypatch, SEATFINDER_FORWARDED_FOR_PROXIES="1")
    assert loaded.RATELIMIT_IP_META_KEY == "seatfinder.client_address.client_address"


@pytest.mark.parametrize("value", ["one", "-1", "6", "1.5"])
def test_a_bad_number_of_proxies_is_refused(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="SEATFINDER_FORWARDED_FOR_PROXIES must be the number"):
        load_settings(monkeypatch, SEATFINDER_FORWARDED_FOR_PROXIES=value)


@pytest.mark.django_db
def test_behind_nginx_one_visitor_reaching_the_join_limit_holds_back_no_one_else(seats, client, settings):
    settings.SEATFINDER_FORWARDED_FOR_PROXIES = 1
    settings.RATELIMIT_IP_META_KEY = "seatfinder.client_address.client_address"
    allowed = int(limits.JOIN_PER_IP.split("/")[0])
    for _ in range(allowed):
        response = client.post(
            "/join/", join_data(postcode="nonsense"), REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        assert response.status_code == 400
    spoofed = "10.0.0.1, 203.0.113.9"  # a client-written entry in front changes nothing
    assert (
        client.post("/join/", join_data(), REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    )
    other = client.post("/join/", join_data(), REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302
