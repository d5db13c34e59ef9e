"""Settings for the test suite (pytest reads DJANGO_SETTINGS_MODULE from pyproject.toml): dev's, with its
embedded PostgreSQL when DATABASE_URL is unset, but DEBUG off and a fast password hasher."""

from constituencies.rules.throttling import Rate
from seatfinder.settings.dev import *  # noqa: F403

DEBUG = False
# Tests create and log in users; the real hashers are slow on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A request that finds the database away answers 503 at once; tests/test_database_outage.py tests the wait.
SEATFINDER_DATABASE_HOLD_SECONDS = 0
# The suite sends many requests from one address within a minute: limits far above that, so every request
# still goes through the rate-limit check (tests/test_throttling.py sets low rates where it means to hit them).
SEATFINDER_RATE_LIMITS = dict.fromkeys(SEATFINDER_RATE_LIMITS, Rate(100_000, 60))  # noqa: F405
