"""Settings of the app servers in bench/stack_bench.py: the deploy settings, as the Docker image runs them
(DEBUG off, whitenoise's compressed manifest, a SECRET_KEY and DATABASE_URL given by the benchmark, Redis when
REDIS_URL is set), with the URLs of bench/site_urls.py, so that the trivial view goes through the same path."""

import hashlib

from constituencies.rules.throttling import Rate
from seatfinder.settings.deploy import *  # noqa: F403
from seatfinder.settings.deploy import CACHES, DATABASE_URL, SEATFINDER_RATE_LIMITS

ROOT_URLCONF = "bench.site_urls"

# All the load comes from one loopback address: the per-IP limits still count every request, as deployed, but
# allow far more than a run sends (as bench/site_settings.py does).
SEATFINDER_RATE_LIMITS = {
    name: rate and Rate(10**9, rate.seconds) for name, rate in SEATFINDER_RATE_LIMITS.items()
}

# Checkouts on one machine may share a Redis: this database's keys kept apart from theirs.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES = {
        "default": {
            **CACHES["default"],
            "KEY_PREFIX": "stack-bench-" + hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12],
        }
    }
