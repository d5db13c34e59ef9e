"""The consent wording a supporter agrees to, versioned: each supporter stores the version id they saw. A change
of wording is a new version (a new entry, the old one kept), never an edit of an old one."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentWording:
    version: str
    email: str  # required to join: the confirmation email itself, and the emails about their seat
    contact: str  # optional


VERSIONS = {
    "2026-12-v1": ConsentWording(
        version="2026-12-v1",
        email="Email me about my constituency: the link to confirm that I am joining, then news of the campaign there. I can unsubscribe with one click in any email.",
        contact="Put me in touch with other supporters in my constituency: the local organisers may see my first name and email address and invite me to meet.",
    ),
}
CURRENT = VERSIONS["2026-12-v1"]

# Why the email consent is required: without it we could not even send the confirmation link.
EMAIL_CONSENT_REQUIRED = (
    "Tick this box to join: we can only confirm your signup, and tell you about your seat, by email."
)

ACTIVITIES = [
    ("vote", "Vote tactically"),
    ("leaflet", "Leaflet or canvass"),
    ("donate", "Donate"),
    ("host", "Host a meeting"),
]
