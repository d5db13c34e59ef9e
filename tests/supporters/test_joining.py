"""Joining: the flow from the form to a counted supporter, every bad input (with nothing stored), duplicates,
the honeypot, the links' problems."""

import smtplib
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from supporters.models import Supporter
from supporters.rules import consent
from supporters.services.tokens import MESSAGES, Problem, confirmation_token
from tests.supporters.conftest import join_data, last_email, link_in

pytestmark = pytest.mark.django_db


def test_join_email_confirm_then_counted(seats, client):
    response = client.post("/join/", join_data(page="/seats/godalming-and-ash/"))
    assert response.status_code == 302 and response["Location"] == "/join/check-your-email/"
    supporter = Supporter.objects.get()
    assert supporter.status == Supporter.Status.PENDING
    assert supporter.email == "ann@example.org"
    assert supporter.constituency.name == "Godalming and Ash"
    assert supporter.activities == ["vote", "leaflet"]
    assert (supporter.consents_to_email, supporter.consents_to_contact) == (True, False)
    assert supporter.consent_version == consent.CURRENT.version
    assert supporter.consent_page == "/seats/godalming-and-ash/"
    assert supporter.consented_at is not None

    message = last_email()
    assert message.to == ["ann@example.org"]
    assert "Godalming and Ash" in message.body
    assert "ann@example.org" not in link_in(message, "confirm")
    unsubscribe = link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<http://testserver{unsubscribe}>, <mailto:")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    confirm = link_in(message, "confirm")
    assert "Yes, confirm" in client.get(confirm).content.decode()
    assert (
        Supporter.objects.get().status == Supporter.Status.PENDING
    )  # a GET (a link scanner) confirms nothing
    page = client.post(confirm)
    assert page.status_code == 200
    assert "You have joined the supporters in Godalming and Ash" in page.content.decode()
    assert "fewer than 5" in page.content.decode()
    assert Supporter.objects.get().status == Supporter.Status.CONFIRMED


def test_confirmation_link_works_once(seats, client):
    client.post("/join/", join_data())
    confirm = link_in(last_email(), "confirm")
    assert client.post(confirm).status_code == 200
    again = client.post(confirm)
    assert again.status_code == 400
    assert MESSAGES[Problem.USED] in again.content.decode()
    assert client.get(confirm).status_code == 400


def test_tampered_confirmation_link(seats, client):
    client.post("/join/", join_data())
    confirm = link_in(last_email(), "confirm")
    tampered = confirm[:-3] + ("A" if confirm[-3] != "A" else "B") + "/"
    response = client.post(tampered)
    assert response.status_code == 400
    assert MESSAGES[Problem.TAMPERED] in response.content.decode()
    assert Supporter.objects.get().status == Supporter.Status.PENDING


def test_a_link_signed_for_another_purpose_is_refused(seats, client):
    client.post("/join/", join_data())
    supporter = Supporter.objects.get()
    forged = signing.Signer(salt="supporters.data").sign_object([supporter.pk, supporter.confirmation_key])
    assert client.post(f"/join/confirm/{forged}/").status_code == 400
    assert Supporter.objects.get().status == Supporter.Status.PENDING


def test_expired_confirmation_link(seats, client):
    client.post("/join/", join_data())
    supporter = Supporter.objects.get()
    eight_days_ago = (timezone.now() - timedelta(days=8)).timestamp()
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        token = confirmation_token(supporter)
    response = client.post(f"/join/confirm/{token}/")
    assert response.status_code == 410
    assert MESSAGES[Problem.EXPIRED] in response.content.decode()
    assert Supporter.objects.get().status == Supporter.Status.PENDING


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "hello"}, "postcode", "is not a UK postcode"),
        ({"postcode": ""}, "postcode", "Enter your postcode"),
        ({"postcode": "ZE1 0AA"}, "postcode", "ZE1 0AA"),  # well formed, but not in the directory
        ({"postcode": "JE2 3AB"}, "postcode", "outside the UK Parliament"),  # outside the constituencies
        ({"email": "ann-at-example"}, "email", "That is not an email address"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"consents_to_email": None}, "consents_to_email", consent.EMAIL_CONSENT_REQUIRED),
        ({"first_name": "x" * 61}, "first_name", "60 characters or fewer"),
        ({"consent_version": "2020-old"}, "consent_version", "wording of the consents has changed"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_stored(seats, client, changes, field, message):
    response = client.post("/join/", join_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert f'id="join_{field}_error"' in response.content.decode()
    assert Supporter.objects.count() == 0
    assert mail.outbox == []


def test_split_postcode_asks_which_seat_then_joins_the_one_chosen(seats, client):
    response = client.post("/join/", join_data(postcode="AB9 9ZZ"))
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "AB9 9ZZ is split between Aberdeen North and Godalming and Ash: choose the one you live in." in html
    )
    assert 'value="S14000060"' in html
    assert Supporter.objects.count() == 0
    assert client.post("/join/", join_data(postcode="AB9 9ZZ", constituency="S14000060")).status_code == 302
    assert Supporter.objects.get().constituency.name == "Aberdeen North"


def test_a_seat_not_among_the_split_postcodes_is_refused(seats, client):
    response = client.post("/join/", join_data(postcode="AB9 9ZZ", constituency="W07000112"))
    assert response.status_code == 400
    assert Supporter.objects.count() == 0


def test_duplicate_pending_signup_resends_with_the_same_answer(seats, client):
    first = client.post("/join/", join_data())
    second = client.post("/join/", join_data(email=" ANN@example.org", postcode="AB10 1PE"))
    assert first["Location"] == second["Location"]
    assert Supporter.objects.count() == 1
    assert (
        Supporter.objects.get().constituency.name == "Aberdeen North"
    )  # unconfirmed details take the latest
    assert len(mail.outbox) == 2
    assert client.post(link_in(mail.outbox[0], "confirm")).status_code == 200  # either email's link confirms


def test_joining_again_when_confirmed_changes_nothing_and_tells_the_owner(seats, client):
    client.post("/join/", join_data())
    client.post(link_in(last_email(), "confirm"))
    again = client.post("/join/", join_data(postcode="AB10 1PE", first_name="Mallory"))
    assert again["Location"] == "/join/check-your-email/"
    supporter = Supporter.objects.get()
    assert (supporter.constituency.name, supporter.first_name) == ("Godalming and Ash", "Ann")
    assert "already joined" in last_email().body
    assert "/join/confirm/" not in last_email().body


def test_honeypot_stores_and_sends_nothing_but_looks_the_same(seats, client):
    response = client.post("/join/", join_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/join/check-your-email/"
    assert Supporter.objects.count() == 0
    assert mail.outbox == []


def test_consent_to_contact_is_stored_unticked_by_default(seats, client):
    html = client.get("/join/").content.decode()
    assert 'name="consents_to_email"' in html and 'name="consents_to_contact"' in html
    assert "checked" not in html
    client.post("/join/", join_data(consents_to_contact="on"))
    assert Supporter.objects.get().consents_to_contact is True


def test_the_join_page_prefills_the_postcode(seats, client):
    assert 'value="GU7 9ZZ"' in client.get("/join/", {"postcode": "GU7 9ZZ"}).content.decode()


def test_no_address_or_name_reaches_the_logs(seats, client, caplog):
    caplog.set_level("DEBUG")
    client.post("/join/", join_data(email="bad-address", first_name="Zebedee"))
    client.post("/join/", join_data(first_name="Zebedee"))
    message = last_email()
    client.post(link_in(message, "confirm"))
    client.post(link_in(message, "confirm"))  # a used link: a 400, logged by Django
    client.post(link_in(message, "your-data") + "delete/")
    client.post(link_in(message, "your-data") + "delete/")
    logged = " ".join(f"{r.getMessage()} {r.args}" for r in caplog.records).lower()
    assert "bad request" in logged  # the logs were captured
    assert "ann@example.org" not in logged and "bad-address" not in logged and "zebedee" not in logged


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"ann@example.org": (550, b"no such user")})


def test_an_email_that_cannot_be_sent_keeps_nothing_and_says_so(seats, client, settings, caplog):
    settings.EMAIL_BACKEND = "tests.supporters.test_joining.RefusingBackend"
    response = client.post("/join/", join_data())
    assert response.status_code == 503
    assert "could not send your confirmation email" in response.content.decode()
    assert Supporter.objects.count() == 0
    assert "SMTPRecipientsRefused" in caplog.text and "ann@example.org" not in caplog.text


def test_unconfirmed_signups_are_purged_once_their_link_has_expired(seats, client):
    client.post("/join/", join_data())
    client.post("/join/", join_data(email="old@example.org"))
    client.post("/join/", join_data(email="confirmed@example.org"))
    client.post(link_in(last_email(), "confirm"))
    long_ago = timezone.now() - timedelta(days=8)
    Supporter.objects.exclude(email="ann@example.org").update(consented_at=long_ago)
    out = StringIO()
    call_command("purge_unconfirmed", stdout=out)
    assert "Deleted 1 " in out.getvalue()
    assert set(Supporter.objects.values_list("email", flat=True)) == {
        "ann@example.org",
        "confirmed@example.org",
    }
