"""Settings for the test suite (pytest reads DJANGO_SETTINGS_MODULE from pyproject.toml): dev's, with its
embedded PostgreSQL when DATABASE_URL is unset, but DEBUG off and a fast password hasher."""

from seatfinder.settings.dev import *  # noqa: F403

DEBUG = False
# Tests create and log in users; the real hashers are slow on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
