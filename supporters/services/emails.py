"""The emails to supporters: each with the one-click unsubscribe link (and RFC 8058's headers) and the link to
their data. Nothing here logs an address."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from constituencies.seats.links import absolute_url
from supporters.models import Supporter
from supporters.services.tokens import confirmation_token, data_token


def unsubscribe_mailto() -> str:
    address = settings.SUPPORTERS_UNSUBSCRIBE_MAILTO or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return f"mailto:{address}?subject=unsubscribe"


def links(request, supporter: Supporter) -> dict[str, str]:
    data = data_token(supporter)
    return {
        "confirm_url": absolute_url(
            request, reverse("supporters:confirm", args=[confirmation_token(supporter)])
        ),
        "data_url": absolute_url(request, reverse("supporters:your_data", args=[data])),
        "unsubscribe_url": absolute_url(request, reverse("supporters:unsubscribe", args=[data])),
    }


def send_to_supporter(request, supporter: Supporter, template: str, subject: str) -> None:
    urls = links(request, supporter)
    body = render_to_string(template, {"supporter": supporter, "seat": supporter.constituency, **urls})
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[supporter.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe_url']}>, <{unsubscribe_mailto()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def send_confirmation(request, supporter: Supporter) -> None:
    if supporter.status == Supporter.Status.CONFIRMED:
        # Someone joined again with a confirmed address: tell its owner, change nothing.
        send_to_supporter(
            request,
            supporter,
            "supporters/email/already_joined.txt",
            "You are already a Seat Finder supporter",
        )
    else:
        send_to_supporter(
            request, supporter, "supporters/email/confirm.txt", "Confirm that you are joining Seat Finder"
        )
