"""EMAIL_URL and the usual EMAIL_* variables become Django's email settings; a bad EMAIL_URL says why."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from seatfinder.settings.base import email_settings
from tests.settings_helpers import load_settings


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://user%40x:p%3Ass@smtp.example.org:2525",
            {
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": 2525,
                "EMAIL_HOST_USER": "user@x",
                "EMAIL_HOST_PASSWORD": "p:ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtp+ssl://mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("smtp://localhost", {"EMAIL_PORT": 25, "EMAIL_HOST_USER": ""}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("file:///tmp/mail", {"EMAIL_FILE_PATH": "/tmp/mail"}),
        ("file://var/mail", {"EMAIL_FILE_PATH": "var/mail"}),
    ],
)
def test_email_url(url, expected):
    settings = email_settings(url)
    assert {k: settings[k] for k in expected} == expected


@pytest.mark.parametrize("url", ["http://example.org", "smtp://", "smtp://host:port", "file://"])
def test_bad_email_url_says_what_it_should_be(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)


def test_dev_writes_emails_to_var_mail_unless_told_otherwise(monkeypatch):
    dev = load_settings(monkeypatch, "dev", EMAIL_URL=None, EMAIL_HOST=None)
    assert dev.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert dev.EMAIL_FILE_PATH.endswith("var/mail")
    told = load_settings(
        monkeypatch,
        "dev",
        EMAIL_URL=None,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
    )
    assert (told.EMAIL_BACKEND, told.EMAIL_HOST, told.EMAIL_PORT, told.EMAIL_USE_TLS) == (
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        587,
        True,
    )
