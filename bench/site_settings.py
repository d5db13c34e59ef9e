"""Settings for the gunicorn that HTTP benchmarks start: the site's own, unchanged (middleware, database,
DEBUG off), but for the URLs: bench/site_urls.py adds the trivial view that every benchmark compares against."""

from seatfinder.settings import *  # noqa: F403

ROOT_URLCONF = "bench.site_urls"
DEBUG = False
