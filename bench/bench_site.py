"""Django settings for benchmarks: the real settings, with bench_urls (the site plus a trivial view).

Used as DJANGO_SETTINGS_MODULE=bench_site with bench/ on the Python path (see http_load.Gunicorn).
"""

from seatfinder.settings import *  # noqa: F403 (the real settings, unchanged but for the URLs)

ROOT_URLCONF = "bench_urls"
