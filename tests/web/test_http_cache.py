"""The HTTP caching policy (seatfinder/http_cache.py): validators from the seat data version, 304s before the
view, a public Cache-Control only for what is the same for everyone, and the response cache's key without
tracking parameters (seats/data_version.py)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date, parse_http_date

from constituencies.models import Party
from constituencies.seats import data_version
from constituencies.seats.data_version import responses
from tests.builders import GODALMING, add_postcode, small_ge2024

pytestmark = pytest.mark.django_db(transaction=True)  # the data version changes at commit

SEAT = "/seats/godalming-and-ash/"
POLICY = "public, max-age=60, s-maxage=60, stale-while-revalidate=60"
ETAG = re.compile(r'W/"[A-Za-z0-9._-]+-(\d+)"')


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    add_postcode("GU7 9ZZ", GODALMING[0])
    responses.clear()
    yield
    responses.clear()


@pytest.mark.parametrize("path", ["/", SEAT, "/api/seats/?election=ge2024", "/seats/?election=ge2024"])
def test_public_answers_carry_validators_from_the_data_version_and_the_public_policy(seats, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == POLICY
    assert int(ETAG.fullmatch(response["ETag"]).group(1)) == data_version.seat_data_version()
    changed_at = data_version.read_seat_data_state().changed_at
    assert parse_http_date(response["Last-Modified"]) >= changed_at
    assert not response.cookies


def test_a_matching_if_none_match_is_304_with_no_body_before_the_view_runs(seats):
    client = Client()
    etag = client.get(SEAT)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEAT, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert len(queries) == 1 and "constituencies_seat_data_version" in queries[0]["sql"]  # the version only
    assert response["ETag"] == etag and response["Cache-Control"] == POLICY
    # The same tag made strong (as a proxy may send it), or among others, matches too; another does not.
    assert client.get(SEAT, HTTP_IF_NONE_MATCH=f'"x", {etag.removeprefix("W/")}').status_code == 304
    assert client.get(SEAT, HTTP_IF_NONE_MATCH='W/"other-1"').status_code == 200
    assert client.get(SEAT, HTTP_IF_NONE_MATCH="*").status_code == 200  # "*" is left to the view


def test_if_modified_since_is_answered_from_the_time_of_the_last_change(seats):
    client = Client()
    last_modified = client.get(SEAT)["Last-Modified"]
    assert client.get(SEAT, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(parse_http_date(last_modified) - 1)
    assert client.get(SEAT, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = client.get(SEAT, HTTP_IF_NONE_MATCH='W/"other-1"', HTTP_IF_MODIFIED_SINCE=last_modified)
    assert both.status_code == 200
    assert client.get(SEAT, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200


def test_a_data_change_gives_a_new_etag_and_the_old_one_gets_the_new_page(seats):
    client = Client()
    first = client.get(SEAT)
    Party.objects.filter(code="Con").update(name="Conservative and Unionist Party")
    again = client.get(SEAT, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "Conservative and Unionist Party" in again.content.decode()
    assert parse_http_date(again["Last-Modified"]) >= parse_http_date(first["Last-Modified"])


def test_the_build_is_in_the_etag(seats, settings):
    from seatfinder import http_cache

    http_cache.code_build.cache_clear()
    settings.SEATFINDER_BUILD = "release-42"
    try:
        assert Client().get(SEAT)["ETag"].startswith('W/"release-42-')
    finally:
        http_cache.code_build.cache_clear()


def test_the_seat_page_is_the_same_for_everyone_and_sets_no_cookie(seats):
    response = Client().get(SEAT)
    page = response.content.decode()
    assert 'action="/join/"' in page and "csrfmiddlewaretoken" not in page
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("path", ["/admin/login/", "/join/", "/your-data/nonsense/", "/unsubscribe/x/"])
def test_private_pages_are_never_public(seats, path):
    response = Client().get(path)
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control and "public" not in cache_control
    assert "ETag" not in response


def test_a_signed_in_visitor_gets_nothing_public(seats, admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.get(SEAT)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "ETag" not in response


def test_the_postcode_api_gets_the_policy_but_no_validators(seats):
    """It answers from a snapshot refreshed every few seconds, not read at the version."""
    found = Client().get("/api/postcodes/GU79ZZ/")
    assert found.status_code == 200 and found["Cache-Control"] == POLICY and "ETag" not in found
    unknown = Client().get("/api/postcodes/GU79ZX/")
    assert unknown.status_code == 404 and unknown["Cache-Control"] == POLICY


def test_tracking_parameters_share_one_cache_entry_and_real_ones_do_not(seats):
    client = Client()
    first = client.get(f"{SEAT}?utm_source=newsletter&utm_medium=email")
    assert len(responses) == 1
    second = client.get(f"{SEAT}?utm_source=bluesky&fbclid=abc123")
    assert len(responses) == 1 and second.content == first.content
    client.get(f"{SEAT}?whatever=1")  # the seat page reads only ?election= and ?postcode=
    assert len(responses) == 1
    client.get(f"{SEAT}?election=ge2024")
    assert len(responses) == 2

    client.get("/seats/?election=ge2024&utm_campaign=x")
    client.get("/seats/?election=ge2024&gclid=y")
    assert len(responses) == 3
    sorted_list = client.get("/seats/?election=ge2024&sort=majority_pct")  # a real filter: its own entry
    assert len(responses) == 4 and sorted_list.status_code == 200


def test_the_track_record_and_methodology_keep_one_answer_whatever_the_query(seats):
    """They read no parameter, so junk ones cannot make them work the track record out again for each."""
    client = Client()
    for path in ("/track-record/", "/methodology/"):
        first = client.get(path)
        kept = len(responses)
        for junk in ("?x=1", "?election=ge1066", "?utm_source=a&page=9"):
            assert client.get(path + junk).content == first.content
        assert len(responses) == kept


def test_a_value_that_looks_like_two_parameters_is_not_two(seats):
    client = Client()
    client.get("/seats/?election=ge2024&sort=majority_pct")
    client.get("/seats/?election=ge2024%26sort%3Dmajority_pct")
    assert len(responses) == 2


def test_the_cache_key_leaves_out_tracking_parameters():
    from django.http import QueryDict

    query = QueryDict("utm_source=a&party=Lab&fbclid=b&election=ge2024&party=LD&mc_cid=c")
    assert data_version.cache_query(query) == (("election", "ge2024"), ("party", "Lab"), ("party", "LD"))
    assert data_version.cache_query(query, params=("election",)) == (("election", "ge2024"),)


def test_gzipped_and_plain_answers_share_one_weak_etag(seats):
    client = Client()
    plain = client.get(SEAT)
    gzipped = client.get(SEAT, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzipped["ETag"] == plain["ETag"] and plain["ETag"].startswith('W/"')
    assert "Accept-Encoding" in gzipped["Vary"]
    not_modified = client.get(SEAT, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"])
    assert not_modified.status_code == 304 and not_modified["Vary"] == "Accept-Encoding"


def test_head_is_answered_304_too_and_a_post_never_is(seats):
    client = Client()
    etag = client.get(SEAT)["ETag"]
    assert client.head(SEAT, HTTP_IF_NONE_MATCH=etag).status_code == 304
    posted = client.post("/api/seats/?election=ge2024", HTTP_IF_NONE_MATCH=etag)
    assert posted.status_code != 304 and "public" not in posted.get("Cache-Control", "")


@pytest.mark.parametrize("name", ["SEATFINDER_CACHE_MAX_AGE", "SEATFINDER_CACHE_S_MAXAGE"])
@pytest.mark.parametrize("value", ["sixty", "-1", "1.5"])
def test_the_cache_settings_refuse_what_is_not_a_whole_number_of_seconds(monkeypatch, name, value):
    from django.core.exceptions import ImproperlyConfigured

    from tests.settings_helpers import load_settings

    with pytest.raises(ImproperlyConfigured, match=f"{name} must be a whole number of seconds"):
        load_settings(monkeypatch, **{name: value})
    assert load_settings(monkeypatch, **{name: "0"}).__dict__[name] == 0


def test_new_confirmed_supporters_show_on_the_cached_seat_page_at_once(seats):
    """The counts are kept under the version read for the request: a commit that moves a count gives a new
    version, so neither the page nor the counts of the old one are served, even with nothing cleared."""
    from tests.supporters.test_counts import add_supporters

    client = Client()
    before = client.get(SEAT)
    assert "So far, fewer than 5 supporters have joined here." in before.content.decode()
    add_supporters(GODALMING[0], 6)  # a bulk insert: counts_changed() is not called
    after = client.get(SEAT, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "6 supporters have joined here." in after.content.decode()
