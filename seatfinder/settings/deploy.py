"""Settings for a deployment: the Docker image and `seatfinder/wsgi.py` use them.

They refuse to start without a SECRET_KEY of its own and a DATABASE_URL (there is no embedded PostgreSQL
here), or with DEBUG on. Told that the site is reached over HTTPS (SEATFINDER_HTTPS=true, implied by
SEATFINDER_BEHIND_HTTPS_PROXY=true), they redirect plain HTTP to HTTPS, send HSTS and mark the session and
CSRF cookies secure, so that `manage.py check --deploy` is clean.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from seatfinder.settings.base import *  # noqa: F403
from seatfinder.settings.base import (
    DATABASE_URL,
    DEBUG,
    DEVELOPMENT_SECRET_KEY,
    SEATFINDER_BEHIND_HTTPS_PROXY,
    SECRET_KEY,
    STORAGES,
    env_bool,
)

# Keys anyone can read: the development one, the sample in .env.example (tests/test_docker.py checks it is
# this one) and the one docker-compose.yml used to carry.
SAMPLE_SECRET_KEYS = frozenset(
    {
        DEVELOPMENT_SECRET_KEY,
        "replace-me-with-the-output-of-python-secrets-token-urlsafe-50-see-readme",
        "change-me-in-production",
    }
)
MAKE_A_KEY = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_problem(key: str) -> str | None:
    """Why this SECRET_KEY will not do for a deployment, or None. Long enough means what Django's
    `check --deploy` asks (security.W009): at least 50 characters, 5 of them different."""
    if not key:
        return f"SECRET_KEY must be set under seatfinder.settings.deploy; {MAKE_A_KEY}"
    if key in SAMPLE_SECRET_KEYS or key.startswith("django-insecure-"):
        return f"SECRET_KEY is a sample key that anyone can read; {MAKE_A_KEY}"
    if len(key) < 50 or len(set(key)) < 5:
        return f"SECRET_KEY is too short or too plain: use at least 50 random characters; {MAKE_A_KEY}"
    return None


if problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(problem)
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set under seatfinder.settings.deploy, e.g. "
        "postgresql://seatfinder:PASSWORD@db.example.org:5432/seatfinder "
        "(the embedded PostgreSQL is for dev and test only)"
    )
if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off under seatfinder.settings.deploy (use seatfinder.settings.dev to debug)"
    )

# The site is reached over HTTPS: ending in gunicorn, or in a proxy that says so (SEATFINDER_BEHIND_HTTPS_PROXY).
SEATFINDER_HTTPS = env_bool("SEATFINDER_HTTPS", default=SEATFINDER_BEHIND_HTTPS_PROXY)
SECURE_SSL_REDIRECT = SEATFINDER_HTTPS
try:
    SECURE_HSTS_SECONDS = (
        int(os.environ.get("SEATFINDER_HSTS_SECONDS", "31536000")) if SEATFINDER_HTTPS else 0
    )
except ValueError:
    raise ImproperlyConfigured("SEATFINDER_HSTS_SECONDS must be a whole number of seconds") from None
# The HSTS header covers this host's sub-domains too, and allows the domain to be submitted to the browsers'
# preload list (hstspreload.org), which only then has any effect.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=SEATFINDER_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# The image runs collectstatic when it is built: serve the collected files, with hashed names, compressed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = False
