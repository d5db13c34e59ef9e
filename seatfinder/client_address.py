"""The address a request came from, for the per-address rate limits (django-ratelimit's key="ip").

Behind N proxies that each append the address they saw to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for,
deploy/nginx/nginx.conf), the client is the N-th address from the right: what the outermost proxy saw. The
addresses left of it were written by the client and prove nothing. How many proxies to trust is the setting
SEATFINDER_FORWARDED_FOR_PROXIES (0, the default: REMOTE_ADDR, the header is ignored).
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The trusted client address; REMOTE_ADDR when no proxy is trusted, or the header is missing, too short
    (the request did not come through every proxy) or not an address there."""
    proxies = settings.SEATFINDER_FORWARDED_FOR_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")
