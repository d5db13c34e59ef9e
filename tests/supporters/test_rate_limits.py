"""Rate limits: joining per IP, confirmation emails per address (keyed by a hash) and per IP; 429 with a clear
message and nothing stored or sent."""

import pytest
from django.core import mail

from supporters.models import Supporter
from supporters.rules import limits
from tests.supporters.conftest import join_data

pytestmark = pytest.mark.django_db


def allowed(rate: str) -> int:
    return int(rate.split("/")[0])


def test_confirmation_emails_to_one_address_are_limited(seats, client):
    for n in range(allowed(limits.EMAILS_PER_ADDRESS)):
        assert client.post("/join/", join_data(), REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    sent = len(mail.outbox)
    response = client.post("/join/", join_data(email="ANN@example.org "), REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert limits.TOO_MANY_EMAILS in response.content.decode()
    assert len(mail.outbox) == sent
    # another address from the same connection is not held back
    assert (
        client.post("/join/", join_data(email="bob@example.org"), REMOTE_ADDR="10.0.1.1").status_code == 302
    )


def test_confirmation_emails_from_one_ip_are_limited(seats, client):
    for n in range(allowed(limits.EMAILS_PER_IP)):
        assert client.post("/join/", join_data(email=f"p{n}@example.org")).status_code == 302
    response = client.post("/join/", join_data(email="late@example.org"))
    assert response.status_code == 429
    assert not Supporter.objects.filter(email="late@example.org").exists()


def test_join_posts_from_one_ip_are_limited_bad_ones_too(seats, client):
    for _ in range(allowed(limits.JOIN_PER_IP)):
        assert client.post("/join/", join_data(postcode="nonsense")).status_code == 400
    response = client.post("/join/", join_data())
    assert response.status_code == 429
    assert limits.TOO_MANY_JOINS in response.content.decode()
    assert Supporter.objects.count() == 0 and mail.outbox == []
    assert client.post("/join/", join_data(), REMOTE_ADDR="10.9.9.9").status_code == 302
