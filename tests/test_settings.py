"""Settings read from the environment: the public site address and the HTTPS proxy switch."""

import runpy

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = django_settings.BASE_DIR / "seatfinder" / "settings.py"


def settings_with(monkeypatch, **env) -> dict:
    """The settings module run afresh with these environment variables (and a database URL, so that no
    embedded server is involved)."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/unused")
    for name in ("SEATFINDER_SITE_URL", "SEATFINDER_BEHIND_HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_by_default_urls_follow_the_request_and_no_proxy_header_is_trusted(monkeypatch):
    loaded = settings_with(monkeypatch)
    assert loaded["SEATFINDER_SITE_URL"] == ""
    assert "SECURE_PROXY_SSL_HEADER" not in loaded


def test_behind_an_https_proxy(monkeypatch):
    loaded = settings_with(monkeypatch, SEATFINDER_BEHIND_HTTPS_PROXY="true")
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_site_url_loses_a_trailing_slash(monkeypatch):
    loaded = settings_with(monkeypatch, SEATFINDER_SITE_URL="https://seatfinder.example.org/")
    assert loaded["SEATFINDER_SITE_URL"] == "https://seatfinder.example.org"


@pytest.mark.parametrize(
    "value", ["seatfinder.example.org", "https://seatfinder.example.org/seats", "ftp://example.org"]
)
def test_a_site_url_that_is_not_a_scheme_and_host_is_refused(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="SEATFINDER_SITE_URL"):
        settings_with(monkeypatch, SEATFINDER_SITE_URL=value)
