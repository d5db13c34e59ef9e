"""Settings for every benchmark: the dev settings (the embedded PostgreSQL when DATABASE_URL is unset, the
site's own middleware) with DEBUG off, and the URLs of bench/site_urls.py, which add the trivial view that
every HTTP benchmark compares against. The HTTP benchmarks' gunicorn runs with them too (bench/harness.py)."""

from seatfinder.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.site_urls"
DEBUG = False
