"""The security headers on every response: a strict Content-Security-Policy (django-csp), Permissions-Policy,
Referrer-Policy, X-Content-Type-Options, and HSTS under the deploy settings; and templates that need no
'unsafe-inline' (no inline script, no event handler attribute, no style attribute or element)."""

import re

import pytest
from django.contrib.auth import get_user_model

from seatfinder.settings.base import BASE_DIR
from tests.settings_helpers import DEPLOY_ENV, load_settings

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
OFF_FEATURES = ["camera", "microphone", "geolocation", "payment", "browsing-topics", "usb"]


def policy_of(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return dict(directives)


def assert_security_headers(response):
    assert policy_of(response) == STRICT
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    features = dict(part.split("=") for part in response["Permissions-Policy"].split(", "))
    assert all(features[name] == "()" for name in OFF_FEATURES)
    assert "clipboard-write" not in features  # the copy-link button needs it
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_has_them(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert response["X-Frame-Options"] == "DENY"  # for browsers older than frame-ancestors


def test_an_api_answer_has_them(client):
    response = client.get("/api/postcodes/not-a-postcode/")
    assert response["Content-Type"] == "application/json"
    assert_security_headers(response)


def test_an_admin_page_has_them(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert_security_headers(client.get("/admin/login/"))


def test_a_static_file_and_a_refused_host_have_them(client):
    assert_security_headers(client.get("/static/css/site.css"))
    refused = client.get("/", HTTP_HOST="evil.example")  # DisallowedHost, answered by a middleware further in
    assert refused.status_code == 400
    assert_security_headers(refused)


def test_a_rate_limited_answer_has_them(settings, client):
    from constituencies.rules.throttling import Rate

    settings.SEATFINDER_RATE_LIMITS = {**settings.SEATFINDER_RATE_LIMITS, "search": Rate(1, 60)}
    client.get("/search")
    response = client.get("/search")
    assert response.status_code == 429
    assert_security_headers(response)


def test_hsts_is_sent_under_the_deploy_settings_over_https(monkeypatch, settings, client):
    deploy = load_settings(monkeypatch, "deploy", **DEPLOY_ENV)
    hsts = {
        name: getattr(deploy, name)
        for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
    }
    monkeypatch.undo()  # the test process's own environment back (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE)
    for name, value in hsts.items():
        setattr(settings, name, value)
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/")  # never over plain HTTP


def test_no_hsts_outside_the_deploy_settings(client):
    assert "Strict-Transport-Security" not in client.get("/", secure=True)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def templates():
    roots = [
        BASE_DIR / "templates",
        BASE_DIR / "constituencies" / "templates",
        BASE_DIR / "supporters" / "templates",
    ]
    return sorted(path for root in roots for path in root.rglob("*.html"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_template_needs_unsafe_inline(path):
    text = path.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_the_template_check_catches_what_it_looks_for():
    samples = [
        "<script>alert(1)</script>",
        '<a onclick="x()">',
        '<span style="width: 3%">',
        "<style>a{}</style>",
    ]
    assert all(any(p.search(s) for p, _ in INLINE) for s in samples)
    assert not any(p.search('<script src="/static/js/copy-link.js" defer></script>') for p, _ in INLINE)
