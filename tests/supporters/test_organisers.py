"""Organisers see, export (audited) and edit only their own seats: confirmed supporters who consented to
contact, nobody else; another seat is 403."""

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from constituencies.models import Constituency
from supporters.models import LocalGroup, OrganiserSeat, Supporter, SupporterExport
from supporters.services.organisers import organiser_scope, organisers_group
from tests.builders import ABERDEEN_NORTH, GODALMING, staff_user
from tests.supporters.conftest import join_data, last_email, link_in

pytestmark = pytest.mark.django_db


def supporter(seat, email, confirmed=True, contact=True, first_name="Ann"):
    now = timezone.now()
    return Supporter.objects.create(
        constituency=seat,
        email=email,
        first_name=first_name,
        activities=["vote", "leaflet"],
        consents_to_email=True,
        consents_to_contact=contact,
        consent_version="2026-12-v1",
        consented_at=now,
        consent_page="/join/",
        status="confirmed" if confirmed else "pending",
        confirmed_at=now if confirmed else None,
    )


@pytest.fixture
def godalming(seats):
    seat = Constituency.objects.get(ons_id=GODALMING[0])
    supporter(seat, "ann@example.org", first_name="=HYPERLINK(1)")
    supporter(seat, "pending@example.org", confirmed=False)
    supporter(seat, "private@example.org", contact=False)
    supporter(Constituency.objects.get(ons_id=ABERDEEN_NORTH[0]), "north@example.org")
    return seat


@pytest.fixture
def organiser(godalming):
    user = staff_user("organiser")
    user.groups.add(organisers_group())
    OrganiserSeat.objects.create(user=user, constituency=godalming)
    return user


def test_an_organiser_sees_only_the_contactable_confirmed_supporters_of_their_seat(organiser, client):
    client.force_login(organiser)
    html = client.get("/organise/godalming-and-ash/").content.decode()
    assert "ann@example.org" in html
    for hidden in ("pending@example.org", "private@example.org", "north@example.org"):
        assert hidden not in html
    listing = client.get("/organise/").content.decode()
    assert "Godalming and Ash" in listing and "Aberdeen North" not in listing


def test_another_seat_is_403_for_the_page_and_the_csv(organiser, client):
    client.force_login(organiser)
    assert client.get("/organise/aberdeen-north/").status_code == 403
    assert client.post("/organise/aberdeen-north/supporters.csv").status_code == 403
    assert client.get("/organise/no-such-seat/").status_code == 404
    assert SupporterExport.objects.count() == 0


def test_without_the_permission_or_a_login_nothing_is_shown(organiser, client):
    organiser.groups.clear()  # keeps the seat, loses the permission
    client.force_login(organiser)
    assert client.get("/organise/").status_code == 403
    assert client.get("/organise/godalming-and-ash/").status_code == 403
    client.logout()
    assert client.get("/organise/godalming-and-ash/")["Location"].startswith("/admin/login/")


def test_the_scope_rule(organiser, admin_user, godalming):
    assert list(organiser_scope(organiser)) == [godalming.pk]
    assert set(organiser_scope(admin_user)) == set(Constituency.objects.values_list("pk", flat=True))
    assert list(organiser_scope(staff_user("plain"))) == []


def test_the_csv_holds_exactly_the_contactable_supporters_and_is_audited(organiser, client):
    client.force_login(organiser)
    response = client.post("/organise/godalming-and-ash/supporters.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["First name", "Email", "What they would do", "Joined", "Confirmed"]
    assert [row[:3] for row in rows[1:]] == [["'=HYPERLINK(1)", "ann@example.org", "vote, leaflet"]]
    audit = SupporterExport.objects.get()
    assert (audit.user, audit.username, audit.constituency_ons_id, audit.rows) == (
        organiser,
        "organiser",
        GODALMING[0],
        1,
    )
    assert client.get("/organise/godalming-and-ash/supporters.csv").status_code == 302  # GET exports nothing
    assert SupporterExport.objects.count() == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("meeting_link", "http://example.org/meet", "Use a secure link"),
        ("meeting_link", "not a link at all", "That is not a link"),
        ("email", "group-at-example", "That is not an email address"),
    ],
)
def test_bad_local_group_details_are_named_and_nothing_is_stored(organiser, client, field, value, message):
    client.force_login(organiser)
    data = {"name": "Godalming Together", "meeting_link": "", "email": "", "next_meeting": "", field: value}
    response = client.post("/organise/godalming-and-ash/", data)
    assert response.status_code == 400
    assert f'id="group_{field}_error"' in response.content.decode()
    assert message in response.content.decode()
    assert LocalGroup.objects.count() == 0


def test_saved_local_group_shows_on_the_seat_page(organiser, client):
    client.force_login(organiser)
    data = {
        "name": "Godalming Together",
        "meeting_link": "example.org/meet",
        "email": "group@example.org",
        "next_meeting": "Thursday 7pm",
    }
    assert client.post("/organise/godalming-and-ash/", data).status_code == 302
    group = LocalGroup.objects.get()
    assert group.meeting_link == "https://example.org/meet"
    html = client.get("/seats/godalming-and-ash/").content.decode()
    assert "Godalming Together" in html and "Thursday 7pm" in html and "https://example.org/meet" in html
    assert client.post("/organise/aberdeen-north/", data).status_code == 403
    assert LocalGroup.objects.count() == 1


def test_seed_demo_with_an_organiser_fills_the_organiser_view(seats, client):
    call_command("seed_supporters", "--demo", "--organiser", "demo-organiser", stdout=StringIO())
    user = get_user_model().objects.get(username="demo-organiser")
    assert user.is_staff and not user.has_usable_password()
    client.force_login(user)
    html = client.get("/organise/aberdeen-north/").content.decode()
    assert html.count("@example.invalid</a>") == 3  # of 7 fake supporters, the even ones consent to contact


def test_a_supporter_who_consented_to_contact_sees_the_local_group_on_confirming(seats, client):
    seat = Constituency.objects.get(ons_id=GODALMING[0])
    LocalGroup.objects.create(constituency=seat, name="Godalming Together", next_meeting="Thursday 7pm")
    client.post("/join/", join_data(consents_to_contact="on"))
    assert "Thursday 7pm" in client.post(link_in(last_email(), "confirm")).content.decode()
    client.post("/join/", join_data(email="bo@example.org"))
    assert "Thursday 7pm" not in client.post(link_in(last_email(), "confirm")).content.decode()


def test_the_organisers_group_holds_the_permission_even_after_the_tables_were_emptied(db):
    Group.objects.filter(name="Organisers").delete()
    group = organisers_group()
    assert list(group.permissions.values_list("codename", flat=True)) == ["organise_seats"]
    assert organisers_group().pk == group.pk  # made once
