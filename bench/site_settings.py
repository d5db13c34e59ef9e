"""Settings for every benchmark: the dev settings (the embedded PostgreSQL when DATABASE_URL is unset, the
site's own middleware) with DEBUG off, and the URLs of bench/site_urls.py, which add the trivial view that
every HTTP benchmark compares against. The HTTP benchmarks' gunicorn runs with them too (bench/harness.py)."""

from constituencies.rules.throttling import Rate
from seatfinder.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.site_urls"
DEBUG = False

# Every benchmark loads the site from one loopback address. The per-IP rate limits still count each request,
# as when deployed, but allow far more than any run sends; a group set "off" in the environment stays off
# (bench/rate_limit_bench.py compares the two).
SEATFINDER_RATE_LIMITS = {
    name: rate and Rate(10**9, rate.seconds)
    for name, rate in SEATFINDER_RATE_LIMITS.items()  # noqa: F405
}
