"""Loading the settings modules afresh under a given environment: in this process, or in a new Python."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import seatfinder

ROOT = Path(seatfinder.__file__).resolve().parent.parent
PACKAGE = "seatfinder.settings"

# Every variable these tests set themselves, taken out of the environment first so the machine's own
# values (a DATABASE_URL in CI, say) and other tests' (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which
# `check --deploy` reports) change nothing.
CONTROLLED = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SEATFINDER_SITE_URL",
    "SEATFINDER_BEHIND_HTTPS_PROXY",
    "SEATFINDER_HTTPS",
    "SEATFINDER_HSTS_SECONDS",
    "EMAIL_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "SEATFINDER_DATABASE_HOLD_SECONDS",
    "SEATFINDER_FORWARDED_FOR_PROXIES",
    "SEATFINDER_RATE_POSTCODE",
    "SEATFINDER_RATE_SEARCH",
    "SEATFINDER_RATE_EXPORTS",
    "SEATFINDER_RATE_API",
    "SEATFINDER_LOGIN_FAILURES",
    "SEATFINDER_LOGIN_COOLOFF_MINUTES",
)
A_SECRET_KEY = secrets.token_urlsafe(50)
A_DATABASE_URL = "postgresql://seatfinder:password@db.example.org:5432/seatfinder"
# What a deployment behind an HTTPS proxy sets (README, Configuration).
DEPLOY_ENV = {
    "SECRET_KEY": A_SECRET_KEY,
    "DATABASE_URL": A_DATABASE_URL,
    "ALLOWED_HOSTS": "seatfinder.example.org",
    "SEATFINDER_SITE_URL": "https://seatfinder.example.org",
    "SEATFINDER_BEHIND_HTTPS_PROXY": "true",
}


def load_settings(monkeypatch, module: str = "base", **env: str | None) -> ModuleType:
    """seatfinder.settings.<module> run afresh in this process with these environment variables (None: unset).
    DATABASE_URL is set unless given, so that no embedded server is involved. monkeypatch puts the
    environment and the modules already imported back afterwards."""
    for name in CONTROLLED:
        monkeypatch.delenv(name, raising=False)
    env.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/unused")
    for name, value in env.items():
        if value is not None:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(seatfinder, "settings", sys.modules[PACKAGE])  # importing below rebinds it
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module(f"{PACKAGE}.{module}")


def run_python(args: list[str], **env: str | None) -> subprocess.CompletedProcess:
    """`python ARGS` in the checkout, in a new process, with these environment variables (None: unset)."""
    environment = {name: value for name, value in os.environ.items() if name not in CONTROLLED}
    environment.update({name: value for name, value in env.items() if value is not None})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )
