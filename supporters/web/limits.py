"""The rate limits of rules.limits, counted by django-ratelimit in Django's cache. Email addresses are keyed by
a keyed hash, never the address."""

from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage, is_ratelimited

from supporters.rules import limits


def address_key(email: str) -> str:
    return salted_hmac("supporters.ratelimit", email).hexdigest()


def too_many_joins(request) -> bool:
    """Counts this post from the client's address: good or bad, every post counts."""
    return is_ratelimited(request, group="supporters:join", key="ip", rate=limits.JOIN_PER_IP, increment=True)


def too_many_emails(request, email: str) -> bool:
    """Whether a confirmation email to this address, asked for from this IP, would pass a limit; if not, it is
    counted as sent, against both."""
    counters = [
        {
            "group": "supporters:emails-to",
            "key": lambda group, request: address_key(email),
            "rate": limits.EMAILS_PER_ADDRESS,
        },
        {"group": "supporters:emails-from", "key": "ip", "rate": limits.EMAILS_PER_IP},
    ]
    for counter in counters:
        usage = get_usage(request, increment=False, **counter)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    for counter in counters:
        get_usage(request, increment=True, **counter)
    return False
