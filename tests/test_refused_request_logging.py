"""A request for a Host not in ALLOWED_HOSTS, or with too many fields: still Django's 400, logged once, in one
line, at WARNING.

Django logs them to django.security.DisallowedHost (TooManyFieldsSent, ...) at ERROR with a traceback; the
settings' LOGGING puts seatfinder/log_filters.py's BriefRefusedRequest on those loggers.
"""

import logging

import pytest

from seatfinder.log_filters import LONGEST_MESSAGE

LOGGER = "django.security.DisallowedHost"


@pytest.mark.parametrize("path", ["/", "/api/seats/", "/seats/nowhere/"])
def test_a_bad_host_is_one_warning_without_a_traceback(db, client, caplog, path):
    with caplog.at_level(logging.DEBUG):
        response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert [(r.name, r.levelname) for r in caplog.records] == [(LOGGER, "WARNING")]
    record = caplog.records[0]
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage().startswith("Invalid HTTP_HOST header: 'evil.example'.")
    # What the console shows (the handler's format, with any traceback): one line.
    assert len(logging.Formatter().format(record).splitlines()) == 1


def test_a_huge_or_odd_host_is_logged_short_and_escaped(db, client, caplog):
    with caplog.at_level(logging.DEBUG):
        response = client.get("/", HTTP_HOST="é\x07" + "x" * 5000)
    assert response.status_code == 400
    (record,) = caplog.records
    assert len(record.getMessage()) <= LONGEST_MESSAGE and record.getMessage().isascii()
    assert "\x07" not in record.getMessage()


def test_logged_only_when_warnings_are_wanted(db, client, caplog):
    logging.getLogger(LOGGER).setLevel(logging.ERROR)  # as LOG_LEVEL=ERROR would leave it
    try:
        with caplog.at_level(logging.DEBUG, logger="django"):
            assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    finally:
        logging.getLogger(LOGGER).setLevel(logging.NOTSET)
    assert [r for r in caplog.records if r.name == LOGGER] == []


@pytest.mark.parametrize("path", ["/seats/", "/api/seats/"])
def test_too_many_fields_is_one_warning_without_a_traceback(db, client, caplog, path):
    with caplog.at_level(logging.DEBUG):
        response = client.get(path + "?" + "x=1&" * 1100)
    assert response.status_code == 400
    refused = [r for r in caplog.records if r.name.startswith("django.security")]
    assert [(r.name, r.levelname, r.exc_info) for r in refused] == [
        ("django.security.TooManyFieldsSent", "WARNING", None)
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "refused", ["DisallowedHost", "TooManyFieldsSent", "TooManyFilesSent", "RequestDataTooBig"]
)
def test_the_settings_put_the_filter_on_django_s_loggers(refused):
    filters = logging.getLogger(f"django.security.{refused}").filters
    assert [type(f).__name__ for f in filters] == ["BriefRefusedRequest"]
