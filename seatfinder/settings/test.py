"""Settings for the test suite (pytest reads DJANGO_SETTINGS_MODULE from pyproject.toml): dev's, with its
embedded PostgreSQL when DATABASE_URL is unset, but DEBUG off and a fast password hasher."""

from seatfinder.settings.dev import *  # noqa: F403

DEBUG = False
# Tests create and log in users; the real hashers are slow on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A request that finds the database away answers 503 at once; tests/test_database_outage.py tests the wait.
SEATFINDER_DATABASE_HOLD_SECONDS = 0
