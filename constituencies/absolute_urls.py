"""Absolute URLs for canonical links, share links, downloads and the API.

With SEATFINDER_SITE_URL set, they start with the public address, whatever host or scheme the request
reached the server with (behind a proxy that is often http://127.0.0.1:8000); else with the request's own.
"""

from django.conf import settings


def absolute_url(request, path: str) -> str:
    """ "/seats/batley-and-spen/" -> "https://seatfinder.example.org/seats/batley-and-spen/"."""
    if settings.SEATFINDER_SITE_URL:
        return settings.SEATFINDER_SITE_URL + path
    return request.build_absolute_uri(path)
