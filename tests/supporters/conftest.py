"""Seats and postcodes for the supporters' tests, an empty cache (the rate limits and counts live there) and a
helper that joins."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.builders import ABERDEEN_NORTH, GODALMING, add_postcode, small_ge2024


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    add_postcode("GU7 9ZZ", GODALMING[0])
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])
    add_postcode("AB9 9ZZ", ABERDEEN_NORTH[0])  # split
    add_postcode("AB9 9ZZ", GODALMING[0])


def join_data(**changes):
    data = {
        "postcode": "gu7 9zz",
        "email": "Ann@Example.org",
        "first_name": "Ann",
        "activities": ["vote", "leaflet"],
        "consents_to_email": "on",
        "consent_version": "2026-12-v1",
        "page": "/join/",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def link_in(message, name: str) -> str:
    """The path of a link in an email: name is "confirm", "your-data" or "unsubscribe"."""
    pattern = {
        "confirm": r"/join/confirm/[^/\s]+/",
        "your-data": r"/your-data/[^/\s]+/",
        "unsubscribe": r"/unsubscribe/[^/\s]+/",
    }
    return re.search(r"https?://[^/\s]+(" + pattern[name] + ")", message.body).group(1)


def last_email():
    assert mail.outbox, "no email was sent"
    return mail.outbox[-1]
