"""Counts of confirmed supporters: the threshold (never a number below 5, in JSON too), only confirmed
supporters count, the seat page's panel and its fixed queries, the cache cleared on confirmation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from constituencies.models import Constituency
from supporters.models import LocalGroup, Supporter
from supporters.rules.counts import count_display, shown_count
from supporters.services.counts import counts_changed
from tests.builders import ABERDEEN_NORTH, GODALMING
from tests.supporters.conftest import join_data, last_email, link_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "shown", "display"),
    [
        (0, None, "fewer than 5"),
        (1, None, "fewer than 5"),
        (4, None, "fewer than 5"),
        (5, 5, "5 supporters"),
        (1234, 1234, "1,234 supporters"),
    ],
)
def test_the_threshold(count, shown, display):
    assert (shown_count(count), count_display(count)) == (shown, display)


def add_supporters(ons_id, count, *, status=Supporter.Status.CONFIRMED, start=0):
    seat = Constituency.objects.get(ons_id=ons_id)
    now = timezone.now()
    Supporter.objects.bulk_create(
        Supporter(
            constituency=seat,
            email=f"s{start + n}-{ons_id}@example.invalid",
            consents_to_email=True,
            consents_to_contact=False,
            consent_version="2026-12-v1",
            consented_at=now,
            consent_page="/join/",
            status=status,
            confirmed_at=now if status == Supporter.Status.CONFIRMED else None,
        )
        for n in range(count)
    )


def api_counts(client):
    response = client.get("/api/supporters/counts/")
    assert response.status_code == 200
    return {row["ons_id"]: row for row in response.json()["seats"]}


def test_api_counts_only_confirmed_supporters_and_hides_small_numbers(seats, client):
    add_supporters(GODALMING[0], 5)
    add_supporters(GODALMING[0], 9, status=Supporter.Status.PENDING, start=100)
    add_supporters(ABERDEEN_NORTH[0], 4)
    rows = api_counts(client)
    assert rows[GODALMING[0]] == {
        "ons_id": GODALMING[0],
        "slug": "godalming-and-ash",
        "name": "Godalming and Ash",
        "count": 5,
        "display": "5 supporters",
    }
    assert {k: rows[ABERDEEN_NORTH[0]][k] for k in ("count", "display")} == {
        "count": None,
        "display": "fewer than 5",
    }
    assert set(rows[ABERDEEN_NORTH[0]]) == set(rows[GODALMING[0]])  # no other field gives the number away
    assert len(rows) == 3  # every seat on the current boundaries


def test_a_confirmation_shows_in_the_counts_at_once(seats, client):
    add_supporters(GODALMING[0], 4)
    assert api_counts(client)[GODALMING[0]]["count"] is None  # now cached
    client.post("/join/", join_data())
    client.post(link_in(last_email(), "confirm"))
    assert api_counts(client)[GODALMING[0]]["count"] == 5


def test_the_seat_page_shows_the_count_local_group_and_join_form(seats, client):
    add_supporters(GODALMING[0], 6)
    LocalGroup.objects.create(
        constituency=Constituency.objects.get(ons_id=GODALMING[0]),
        name="Godalming Together",
        next_meeting="Thursday 7pm",
    )
    html = client.get("/seats/godalming-and-ash/").content.decode()
    assert "6 supporters have joined here." in html
    assert "Godalming Together" in html and "Thursday 7pm" in html
    assert 'action="/join/"' in html and 'name="page" value="/seats/godalming-and-ash/"' in html
    other = client.get("/seats/aberdeen-north/").content.decode()
    assert "So far, fewer than 5 supporters have joined here." in other


def test_the_seat_panel_queries_do_not_grow_with_supporters(seats, client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/seats/godalming-and-ash/")
        return len(captured)

    add_supporters(GODALMING[0], 1)
    few = queries()
    add_supporters(GODALMING[0], 30, start=50)
    counts_changed()
    assert queries() == few


def test_a_supporter_who_consented_to_contact_sees_the_local_group_after_confirming(seats, client):
    LocalGroup.objects.create(
        constituency=Constituency.objects.get(ons_id=GODALMING[0]),
        meeting_link="https://meet.example.org/godalming",
    )
    client.post("/join/", join_data(consents_to_contact="on"))
    assert "meet.example.org/godalming" in client.post(link_in(last_email(), "confirm")).content.decode()
    client.post("/join/", join_data(email="bob@example.org"))
    assert "meet.example.org/godalming" not in client.post(link_in(last_email(), "confirm")).content.decode()
