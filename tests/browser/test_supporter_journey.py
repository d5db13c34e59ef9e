"""Joining in a real Chromium, with the confirmation email sent through a real SMTP server (aiosmtpd) that the
test starts on loopback: the seat page's form, the email and its headers, the link, the count."""

import email
import re
import socket
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from supporters.models import Supporter
from tests.builders import GODALMING, add_postcode, small_ge2024
from tests.supporters.test_counts import add_supporters


class Inbox:
    """An aiosmtpd handler keeping what it is sent; `wait()` blocks until a message arrives."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.arrived.set()
        return "250 Message accepted"

    def wait(self):
        assert self.arrived.wait(10), "no email reached the SMTP server"
        return self.messages[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def seat(default_parties):
    small_ge2024()
    add_postcode("GU7 9ZZ", GODALMING[0])
    add_supporters(GODALMING[0], 4)  # one more makes five, and the count appears


def test_join_on_the_seat_page_confirm_by_email_and_count(page, seat, smtp_inbox):
    page.goto("/seats/godalming-and-ash/")
    panel = page.get_by_role("region", name="Supporters in Godalming and Ash")
    expect(panel).to_contain_text("So far, fewer than 5 supporters have joined here.")
    panel.get_by_text("Join them").click()
    panel.get_by_label("Your postcode").fill("gu7 9zz")
    panel.get_by_label("Your email address").fill("ann@example.org")
    panel.get_by_label("Leaflet or canvass").check()
    panel.get_by_role("button", name="Join").click()
    # The email consent was left unticked: the join page says so beside it, and keeps what was typed.
    expect(page.get_by_text("Tick this box to join")).to_be_visible()
    expect(page.get_by_label("Your email address")).to_have_value("ann@example.org")
    page.get_by_role("checkbox", name=re.compile("Email me about my constituency")).check()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    message = smtp_inbox.wait()
    assert message["To"] == "ann@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://[^>]+/unsubscribe/[^>]+/>, <mailto:[^>]+>", message["List-Unsubscribe"].strip()
    )
    confirm = re.search(r"http://\S+/join/confirm/\S+/", message.get_content()).group(0)
    assert Supporter.objects.get(email="ann@example.org").status == Supporter.Status.PENDING

    page.goto(confirm)
    page.get_by_role("button", name="Yes, confirm that I am joining").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have joined the supporters in Godalming and Ash"
    )
    expect(page.get_by_text("5 supporters have joined in Godalming and Ash.")).to_be_visible()
    page.goto("/seats/godalming-and-ash/")
    expect(page.get_by_text("5 supporters have joined here.")).to_be_visible()
