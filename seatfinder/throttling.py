"""Throttling: the client's address (one rule for every limit), the per-IP rate limits of
constituencies/rules/throttling.py applied to the URLs they name, and the admin login's lock-out (django-axes).

The counters live in Django's cache, so they are shared by every app server only when REDIS_URL is set;
without it each process counts on its own. The supporters' limits are django-ratelimit's; the site's own count
in the same cache with one round trip per request (`count_request`), which django-ratelimit's two-step
`add`-then-`incr` does not allow.
"""

import ipaddress
import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render

from constituencies.rules.throttling import GROUP_BY_URL_NAME, Rate
from seatfinder.client_address import client_address

RATE_LIMIT_KEY_PREFIX = "site-limit"  # beside the supporters' django-ratelimit keys in the same cache
IPV6_PREFIX = 64  # one household or office gets a /64, as django-ratelimit counts them


def counted_address(ip: str) -> str:
    """The address a limit counts: an IPv6 address by its /64 network, which one client may roam over."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def count_request(key: str, seconds: int) -> int:
    """Counts one request under `key`, in a counter that lasts `seconds`: one round trip to the cache (Redis:
    seatfinder/cache.py; the memory cache: one `incr` once the window's counter exists)."""
    counter = getattr(cache, "count_in_window", None)
    if counter is not None:
        return counter(key, seconds)
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, seconds):
            return 1
        return cache.incr(key)


def over_limit(request, group: str, rate: Rate, now: float | None = None) -> int | None:
    """Counts this request against the group's rate for the client's address, in fixed windows of the rate's
    period; past the count, the whole seconds until the window ends (at least 1), else None."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"{RATE_LIMIT_KEY_PREFIX}:{group}:{rate.count}/{rate.seconds}:{counted_address(client_address(request))}:{window}"
    if count_request(key, rate.seconds) <= rate.count:
        return None
    return max(1, int((window + 1) * rate.seconds - now))


def too_many_requests(request, seconds: int, is_api: bool):
    """429 with Retry-After: a JSON error for the API, a short page for the pages."""
    message = f"Too many requests from your connection. Please wait {seconds} seconds and try again."
    if is_api:
        response = JsonResponse(
            {"error": "rate_limited", "message": message, "retry_after": seconds},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = (
            "*"  # as every API answer, so a page calling it can read why
        )
    else:
        response = render(request, "429.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"  # one client's limit, never for a shared cache to repeat
    return response


class RateLimitMiddleware:
    """Counts each request to a limited URL against its group's rate (settings.SEATFINDER_RATE_LIMITS, read
    from the environment by the rules module) for the client's address, and answers 429 past it: one counter
    per request, one round trip to the cache (bench/rate_limit_bench.py measures what it costs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "constituencies":
            return None
        group = GROUP_BY_URL_NAME.get(match.url_name)
        rate = settings.SEATFINDER_RATE_LIMITS.get(group.name) if group else None
        if rate is None:
            return None
        seconds = over_limit(request, group.name, rate)
        if seconds is None:
            return None
        return too_many_requests(request, seconds, is_api=request.path_info.startswith("/api/"))


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS: a locked-out attempt is refused before any backend
    hashes its password. A call without a request (the test client's login(), a shell) is no web login, and
    there is nothing to throttle, so it passes on to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the admin's locked-out page, 429 with Retry-After."""
    minutes = settings.SEATFINDER_LOGIN_COOLOFF_MINUTES
    response = render(
        request,
        "admin/locked_out.html",
        {"title": "Too many failed logins", "minutes": minutes, "site_header": "Seat Finder administration"},
        status=429,
    )
    response["Retry-After"] = str(int(minutes * 60))
    return response
