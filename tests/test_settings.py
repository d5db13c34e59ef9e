"""The settings modules: what base reads from the environment, dev and test, and the deploy settings'
refusals, their HTTPS settings, their clean `manage.py check --deploy` and the static files they serve."""

import json
import os
import runpy
import tomllib

import django.core.management
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tests.settings_helpers import A_DATABASE_URL, A_SECRET_KEY, DEPLOY_ENV, ROOT, load_settings, run_python

# Loads the WSGI application as gunicorn does, with no DJANGO_SETTINGS_MODULE, and prints what it got.
SHOW_WSGI_SETTINGS = """
import json, sys
import seatfinder.wsgi
from django.conf import settings
print(json.dumps({
    "SETTINGS_MODULE": settings.SETTINGS_MODULE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "embedded modules": sorted(m for m in sys.modules if "embedded" in m),
}))
"""
HTTPS_WAYS = pytest.mark.parametrize(
    "https",
    [
        {"SEATFINDER_BEHIND_HTTPS_PROXY": "true"},
        {"SEATFINDER_BEHIND_HTTPS_PROXY": None, "SEATFINDER_HTTPS": "true"},
    ],
    ids=["behind-proxy", "https"],
)


def test_by_default_urls_follow_the_request_and_no_proxy_header_is_trusted(monkeypatch):
    loaded = load_settings(monkeypatch)
    assert loaded.SEATFINDER_SITE_URL == ""
    assert not hasattr(loaded, "SECURE_PROXY_SSL_HEADER")


def test_behind_an_https_proxy(monkeypatch):
    loaded = load_settings(monkeypatch, SEATFINDER_BEHIND_HTTPS_PROXY="true")
    assert loaded.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_site_url_loses_a_trailing_slash(monkeypatch):
    loaded = load_settings(monkeypatch, SEATFINDER_SITE_URL="https://seatfinder.example.org/")
    assert loaded.SEATFINDER_SITE_URL == "https://seatfinder.example.org"


@pytest.mark.parametrize(
    "value", ["seatfinder.example.org", "https://seatfinder.example.org/seats", "ftp://example.org"]
)
def test_a_site_url_that_is_not_a_scheme_and_host_is_refused(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="SEATFINDER_SITE_URL"):
        load_settings(monkeypatch, SEATFINDER_SITE_URL=value)


def test_base_sets_the_database_from_database_url_and_no_other(monkeypatch):
    loaded = load_settings(monkeypatch, DATABASE_URL=A_DATABASE_URL, CONN_MAX_AGE="5")
    assert loaded.DATABASES["default"]["HOST"] == "db.example.org"
    assert loaded.DATABASES["default"]["CONN_MAX_AGE"] == 5
    assert load_settings(monkeypatch, DATABASE_URL=None).DATABASES == {}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a PostgreSQL URL"):
        load_settings(monkeypatch, DATABASE_URL="sqlite:///seatfinder.db")


def test_dev_has_debug_on_and_the_development_key_unless_told_otherwise(monkeypatch):
    dev = load_settings(monkeypatch, "dev")
    assert dev.DEBUG is True
    assert dev.SECRET_KEY == dev.DEVELOPMENT_SECRET_KEY
    dev = load_settings(monkeypatch, "dev", DEBUG="false", SECRET_KEY=A_SECRET_KEY)
    assert dev.DEBUG is False
    assert dev.SECRET_KEY == A_SECRET_KEY


def test_the_suite_runs_on_the_test_settings_with_a_fast_hasher_and_debug_off():
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert pytest_options["DJANGO_SETTINGS_MODULE"] == "seatfinder.settings.test"
    assert django_settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert django_settings.DEBUG is False


def test_manage_py_uses_the_dev_settings_unless_told_otherwise(monkeypatch):
    chosen = []
    monkeypatch.setattr(
        django.core.management,
        "execute_from_command_line",
        lambda argv: chosen.append(os.environ["DJANGO_SETTINGS_MODULE"]),
    )
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    runpy.run_path(str(ROOT / "manage.py"), run_name="__main__")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "seatfinder.settings.deploy")
    runpy.run_path(str(ROOT / "manage.py"), run_name="__main__")
    assert chosen == ["seatfinder.settings.dev", "seatfinder.settings.deploy"]


def test_gunicorn_gets_the_deploy_settings_and_no_embedded_postgres():
    done = run_python(["-c", SHOW_WSGI_SETTINGS], **DEPLOY_ENV)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["SETTINGS_MODULE"] == "seatfinder.settings.deploy"
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["embedded modules"] == []  # neither embedded_postgres nor seatfinder.embedded_db


@HTTPS_WAYS
def test_deploy_over_https_redirects_and_sends_hsts_and_secure_cookies(monkeypatch, https):
    deploy = load_settings(monkeypatch, "deploy", **{**DEPLOY_ENV, **https})
    assert deploy.DEBUG is False
    assert deploy.SECURE_SSL_REDIRECT is True
    assert deploy.SECURE_HSTS_SECONDS == 365 * 24 * 3600
    assert deploy.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert deploy.SECURE_HSTS_PRELOAD is True
    assert deploy.SESSION_COOKIE_SECURE is True
    assert deploy.CSRF_COOKIE_SECURE is True
    trusts_the_proxy = https.get("SEATFINDER_BEHIND_HTTPS_PROXY") == "true"
    assert hasattr(deploy, "SECURE_PROXY_SSL_HEADER") == trusts_the_proxy


def test_deploy_without_https_stays_on_plain_http(monkeypatch):
    deploy = load_settings(monkeypatch, "deploy", **{**DEPLOY_ENV, "SEATFINDER_BEHIND_HTTPS_PROXY": None})
    assert deploy.SECURE_SSL_REDIRECT is False
    assert deploy.SECURE_HSTS_SECONDS == 0
    assert deploy.SESSION_COOKIE_SECURE is False
    assert deploy.CSRF_COOKIE_SECURE is False


def test_deploy_hsts_can_start_short(monkeypatch):
    deploy = load_settings(monkeypatch, "deploy", **DEPLOY_ENV, SEATFINDER_HSTS_SECONDS="300")
    assert deploy.SECURE_HSTS_SECONDS == 300


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "insecure-local-development-key"}, "SECRET_KEY is a sample key"),
        ({"SECRET_KEY": "change-me-in-production"}, "SECRET_KEY is a sample key"),
        ({"SECRET_KEY": "django-insecure-" + A_SECRET_KEY}, "SECRET_KEY is a sample key"),
        ({"SECRET_KEY": A_SECRET_KEY[:49]}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": "abcd" * 20}, "SECRET_KEY is too short or too plain"),
        ({"DATABASE_URL": None}, "DATABASE_URL must be set"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
    ],
    ids=[
        "no-key",
        "empty-key",
        "development-key",
        "old-compose-key",
        "django-insecure",
        "short-key",
        "plain-key",
        "no-database-url",
        "empty-database-url",
        "debug",
    ],
)
def test_deploy_refuses_to_start(env, message):
    done = run_python(["-c", "import seatfinder.settings.deploy"], **{**DEPLOY_ENV, **env})
    assert done.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in done.stderr


def test_check_deploy_is_clean_with_the_documented_variables():
    env = {**DEPLOY_ENV, "DJANGO_SETTINGS_MODULE": "seatfinder.settings.deploy"}
    done = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_collectstatic_under_deploy_writes_the_hashed_compressed_files_it_serves(tmp_path):
    env = {**DEPLOY_ENV, "DJANGO_SETTINGS_MODULE": "seatfinder.settings.deploy", "STATIC_ROOT": str(tmp_path)}
    done = run_python(["manage.py", "collectstatic", "--noinput"], **env)
    assert done.returncode == 0, done.stdout + done.stderr
    hashed = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]["css/site.css"]
    assert hashed != "css/site.css"
    assert (tmp_path / hashed).is_file()
    assert (tmp_path / f"{hashed}.gz").is_file()
