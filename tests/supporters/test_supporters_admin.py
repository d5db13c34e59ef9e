"""The admin: supporters and deletions are read-only (people join and delete themselves); local groups are
edited there, and the seat page shows them."""

import pytest

from constituencies.models import Constituency
from supporters.models import LocalGroup
from tests.builders import GODALMING, staff_user
from tests.supporters.conftest import join_data

pytestmark = pytest.mark.django_db


def test_supporters_cannot_be_added_or_changed_in_the_admin(seats, admin_client, client):
    client.post("/join/", join_data())
    assert admin_client.get("/admin/supporters/supporter/add/").status_code == 403
    page = admin_client.get("/admin/supporters/supporter/")
    assert "Pending (not yet confirmed)" in page.content.decode()
    assert admin_client.get("/admin/supporters/supporterdeletion/add/").status_code == 403


def test_a_local_group_made_in_the_admin_shows_on_the_seat_page(seats, client):
    editor = staff_user("editor", "add_localgroup", "change_localgroup", "view_localgroup")
    client.force_login(editor)
    seat = Constituency.objects.get(ons_id=GODALMING[0])
    response = client.post(
        "/admin/supporters/localgroup/add/",
        {
            "constituency": seat.pk,
            "name": "Godalming Together",
            "meeting_link": "not a link",
            "email": "",
            "next_meeting": "",
        },
    )
    assert response.status_code == 200 and "Enter a valid URL." in response.content.decode()
    assert LocalGroup.objects.count() == 0
    client.post(
        "/admin/supporters/localgroup/add/",
        {
            "constituency": seat.pk,
            "name": "Godalming Together",
            "meeting_link": "",
            "email": "hello@example.org",
            "next_meeting": "Monday 7pm",
        },
    )
    assert LocalGroup.objects.get().constituency == seat
    html = client.get("/seats/godalming-and-ash/").content.decode()
    assert "Godalming Together" in html and "Monday 7pm" in html and "hello@example.org" in html
