"""Settings of the app servers in bench/stack_bench.py: the deploy settings, as the Docker image runs them
(DEBUG off, whitenoise's compressed manifest, a SECRET_KEY and DATABASE_URL given by the benchmark, Redis when
REDIS_URL is set), with the URLs of bench/site_urls.py, so that the trivial view goes through the same path."""

import hashlib

from seatfinder.settings.deploy import *  # noqa: F403
from seatfinder.settings.deploy import CACHES, DATABASE_URL

ROOT_URLCONF = "bench.site_urls"

# Checkouts on one machine may share a Redis: this database's keys kept apart from theirs.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES = {
        "default": {
            **CACHES["default"],
            "KEY_PREFIX": "stack-bench-" + hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12],
        }
    }
