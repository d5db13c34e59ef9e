"""The site's WSGI handler answers a request Django would fail to build with a 400, not a 500."""

import io

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIRequest

from seatfinder import wsgi_handler

TOO_MANY_FIELDS = "&".join(f"x{n}=1" for n in range(1001))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1,000


def environ(query: str, content_type: str, method: str = "GET") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/api/seats/",
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": "0",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }


def test_django_s_own_request_fails_to_be_built_with_a_charset_and_too_many_fields():
    with pytest.raises(TooManyFieldsSent):
        WSGIRequest(environ(TOO_MANY_FIELDS, "text/plain; charset=utf-16"))


@pytest.mark.django_db
def test_the_site_s_handler_answers_it_400():
    answered = []
    body = wsgi_handler.SeatFinderWSGIHandler()(
        environ(TOO_MANY_FIELDS, "text/plain; charset=utf-16"),
        lambda status, headers: answered.append(status),
    )
    assert answered == ["400 Bad Request"], b"".join(body)[:200]


def test_the_site_s_request_keeps_the_charset_it_was_sent():
    request = wsgi_handler.SeatFinderWSGIRequest(environ("a=1", "text/plain; charset=utf-16"))
    assert request.encoding == "utf-16" and request.GET["a"] == "1"
