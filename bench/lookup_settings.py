"""Settings for the look-up benchmark's gunicorn: the site's own, plus two bench-only views (lookup_urls)."""

from seatfinder.settings import *  # noqa: F403

ROOT_URLCONF = "bench.lookup_urls"
DEBUG = False
