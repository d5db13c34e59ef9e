"""Django's WSGI handler with one request built safely.

Django 5.2's `HttpRequest.encoding` setter asks `hasattr(self, "GET")`, which parses the query string there and
then. A request whose Content-Type names a charset is given that encoding while it is still being built, before
the handler that answers a `SuspiciousOperation` (such as `TooManyFieldsSent`, more than
DATA_UPLOAD_MAX_NUMBER_FIELDS query fields) with a 400; raised there, it escapes to gunicorn as a 500.
Nothing is cached by the failed parse, so the view's first read of `request.GET` raises it again, where
Django answers 400 (tests/test_fuzz_public_urls.py found it).
"""

import contextlib

import django
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest


class SeatFinderWSGIRequest(WSGIRequest):
    def _set_content_type_params(self, meta):
        # The encoding is set by then; the query string is parsed (and refused) again when it is first read.
        with contextlib.suppress(TooManyFieldsSent):
            super()._set_content_type_params(meta)


class SeatFinderWSGIHandler(WSGIHandler):
    request_class = SeatFinderWSGIRequest


def get_wsgi_application() -> SeatFinderWSGIHandler:
    """As django.core.wsgi.get_wsgi_application, with SeatFinderWSGIRequest."""
    django.setup(set_prefix=False)
    return SeatFinderWSGIHandler()
