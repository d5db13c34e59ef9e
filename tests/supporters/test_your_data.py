"""The your-data page: what is held, the JSON download, deletion (audited without personal data, the count kept
honest, a second deletion told clearly), and one-click unsubscribe."""

import json

import pytest
from django.test import Client

from supporters.models import Supporter, SupporterDeletion
from supporters.services.counts import counts_changed, seat_count
from supporters.services.tokens import MESSAGES, Problem
from tests.builders import GODALMING
from tests.supporters.conftest import join_data, last_email, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(seats, client):
    client.post("/join/", join_data(consents_to_contact="on"))
    client.post(link_in(last_email(), "confirm"))
    return last_email()


def test_your_data_shows_what_is_held(confirmed, client):
    html = client.get(link_in(confirmed, "your-data")).content.decode()
    for held in [
        "ann@example.org",
        "Ann",
        "Godalming and Ash",
        "Vote tactically, Leaflet or canvass",
        "2026-12-v1",
    ]:
        assert held in html


def test_your_data_downloads_as_json(confirmed, client):
    response = client.get(link_in(confirmed, "your-data"), {"format": "json"})
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    held = json.loads(response.content)
    assert held["email"] == "ann@example.org"
    assert held["constituency"] == {"name": "Godalming and Ash", "ons_id": GODALMING[0]}
    assert held["status"] == "confirmed"
    assert held["consent"]["version"] == "2026-12-v1"
    assert held["consent"]["to_contact"]["agreed"] is True
    assert held["consent"]["on_page"] == "/join/"


def test_deletion_removes_the_person_audits_without_personal_data_and_updates_the_count(confirmed, client):
    supporter = Supporter.objects.get()
    Supporter.objects.bulk_create(
        Supporter(**{**_fields(supporter), "email": f"other{n}@example.invalid"}) for n in range(4)
    )
    counts_changed()
    assert seat_count(supporter.constituency_id) == {"count": 5, "display": "5 supporters"}

    data = link_in(confirmed, "your-data")
    response = client.post(data + "delete/")
    assert response.status_code == 200
    assert "Your data is deleted" in response.content.decode()
    assert not Supporter.objects.filter(email="ann@example.org").exists()
    assert seat_count(supporter.constituency_id) == {"count": None, "display": "fewer than 5"}
    audit = SupporterDeletion.objects.get()
    assert (audit.constituency_ons_id, audit.was_confirmed, audit.reason) == (GODALMING[0], True, "requested")
    assert "ann" not in repr(list(SupporterDeletion.objects.values())).lower()

    again = client.post(data + "delete/")
    assert again.status_code == 410
    assert MESSAGES[Problem.GONE] in again.content.decode()
    assert client.get(data).status_code == 410
    assert SupporterDeletion.objects.count() == 1


def test_deletion_needs_a_post(confirmed, client):
    response = client.get(link_in(confirmed, "your-data") + "delete/")
    assert response.status_code == 302
    assert Supporter.objects.count() == 1


def test_a_tampered_data_link_shows_nothing(confirmed, client):
    data = link_in(confirmed, "your-data")
    response = client.get(data.replace(":", ":x", 1))
    assert response.status_code == 400
    assert "ann@example.org" not in response.content.decode()
    assert client.post(data.replace(":", ":x", 1) + "delete/").status_code == 400
    assert Supporter.objects.count() == 1


def test_one_click_unsubscribe_works_without_a_csrf_token(confirmed):
    browser = Client(enforce_csrf_checks=True)
    url = link_in(confirmed, "unsubscribe")
    assert "Stop all emails" in browser.get(url).content.decode()
    assert Supporter.objects.get().unsubscribed_at is None
    response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    supporter = Supporter.objects.get()
    assert supporter.unsubscribed_at is not None
    assert supporter.status == Supporter.Status.CONFIRMED  # still counts until deleted


def test_the_your_data_delete_form_needs_its_csrf_token(confirmed):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(link_in(confirmed, "your-data") + "delete/").status_code == 403
    assert Supporter.objects.count() == 1


def _fields(supporter):
    skip = {"id", "email", "access_key", "created_at"}
    return {
        f.attname: getattr(supporter, f.attname)
        for f in Supporter._meta.concrete_fields
        if f.attname not in skip
    }
