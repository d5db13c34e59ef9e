"""The seat page's join form has no CSRF token (so the page can be cached): /join/ accepts a post from this
site by its Origin (or Referer), or with a valid token, and refuses any other, storing and counting nothing."""

import pytest
from django.test import Client

from supporters.models import Supporter
from supporters.web.same_origin import NOT_FROM_THIS_SITE
from tests.supporters.conftest import join_data

pytestmark = pytest.mark.django_db


def browser():
    return Client(enforce_csrf_checks=True)  # as a real browser is checked


def test_a_post_from_the_seat_page_by_its_origin_joins(seats):
    response = browser().post(
        "/join/", join_data(page="/seats/godalming-and-ash/"), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302 and response["Location"] == "/join/check-your-email/"
    assert Supporter.objects.get().consent_page == "/seats/godalming-and-ash/"


def test_a_browser_without_origin_is_known_by_its_referer(seats):
    response = browser().post(
        "/join/", join_data(), HTTP_REFERER="http://testserver/seats/godalming-and-ash/"
    )
    assert response.status_code == 302 and Supporter.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_REFERER": "https://evil.example/seats/godalming-and-ash/"},
        {"HTTP_REFERER": "not a url"},
        {},
    ],
)
def test_a_post_from_elsewhere_or_from_nowhere_is_refused_and_nothing_is_stored(seats, headers):
    response = browser().post("/join/", join_data(), **headers)
    assert response.status_code == 403
    page = response.content.decode()
    assert NOT_FROM_THIS_SITE in page
    assert 'value="Ann"' in page  # what was typed is kept
    assert "csrfmiddlewaretoken" in page  # and the form now carries a token: Join again works
    assert Supporter.objects.count() == 0


def test_the_join_page_form_with_its_token_works_without_origin(seats):
    client = browser()
    page = client.get("/join/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post("/join/", {**join_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Supporter.objects.count() == 1


def test_refused_posts_do_not_count_against_the_rate_limit(seats):
    client = browser()
    for _ in range(25):  # more than the 20 an hour per IP address
        assert client.post("/join/", join_data(), HTTP_ORIGIN="https://evil.example").status_code == 403
    assert client.post("/join/", join_data(), HTTP_ORIGIN="http://testserver").status_code == 302
