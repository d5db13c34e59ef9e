"""Joining: a pending supporter, or the same one again, and its confirmation; deletion on request."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from constituencies.models import Constituency
from supporters.models import Supporter, SupporterDeletion
from supporters.rules import consent
from supporters.rules.limits import CONFIRM_LINK_DAYS
from supporters.services.counts import counts_changed


@dataclass(frozen=True)
class Signup:
    constituency: Constituency
    email: str  # normalised (rules.emails)
    first_name: str
    activities: list[str]
    consents_to_contact: bool
    page: str


def join(signup: Signup) -> Supporter:
    """The supporter to send a confirmation to. A new address makes a pending supporter; a pending one takes
    the new details (its owner has not confirmed the old); a confirmed one is left as it is."""
    now = timezone.now()
    details = {
        "constituency": signup.constituency,
        "first_name": signup.first_name,
        "activities": signup.activities,
        "consents_to_email": True,
        "consents_to_contact": signup.consents_to_contact,
        "consent_version": consent.CURRENT.version,
        "consented_at": now,
        "consent_page": signup.page[:200],
    }
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().filter(email=signup.email).first()
        if supporter is None:
            supporter, _ = Supporter.objects.get_or_create(email=signup.email, defaults=details)
        elif supporter.status == Supporter.Status.PENDING:
            for name, value in details.items():
                setattr(supporter, name, value)
            supporter.save()
    return supporter


def confirm(supporter: Supporter) -> bool:
    """Confirm a pending supporter; False if the link was used meanwhile (single use, even when two arrive)."""
    updated = Supporter.objects.filter(pk=supporter.pk, status=Supporter.Status.PENDING).update(
        status=Supporter.Status.CONFIRMED, confirmed_at=timezone.now(), confirmation_key=""
    )
    if updated:
        counts_changed()
        supporter.refresh_from_db()
    return bool(updated)


def unsubscribe(supporter: Supporter) -> None:
    """No more email: the supporter stays (and counts) until they delete their data."""
    Supporter.objects.filter(pk=supporter.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def delete(supporter: Supporter, reason=SupporterDeletion.Reason.REQUESTED) -> bool:
    """Remove the person and audit it without their data; False if they were deleted already."""
    with transaction.atomic():
        deleted, _ = Supporter.objects.filter(pk=supporter.pk).delete()
        if deleted:
            SupporterDeletion.objects.create(
                constituency_ons_id=supporter.constituency.ons_id,
                was_confirmed=supporter.status == Supporter.Status.CONFIRMED,
                reason=reason,
            )
    if deleted:
        counts_changed()
    return bool(deleted)


def export(supporter: Supporter) -> dict:
    """Everything held about a supporter, for the your-data page and its JSON download."""
    wording = consent.VERSIONS[supporter.consent_version]
    return {
        "email": supporter.email,
        "first_name": supporter.first_name,
        "constituency": {"name": supporter.constituency.name, "ons_id": supporter.constituency.ons_id},
        "activities": [dict(consent.ACTIVITIES)[a] for a in supporter.activities],
        "status": supporter.status,
        "joined_at": supporter.created_at.isoformat(),
        "confirmed_at": supporter.confirmed_at.isoformat() if supporter.confirmed_at else None,
        "unsubscribed_at": supporter.unsubscribed_at.isoformat() if supporter.unsubscribed_at else None,
        "consent": {
            "version": supporter.consent_version,
            "given_at": supporter.consented_at.isoformat(),
            "on_page": supporter.consent_page,
            "to_email": {"agreed": supporter.consents_to_email, "wording": wording.email},
            "to_contact": {"agreed": supporter.consents_to_contact, "wording": wording.contact},
        },
    }


def purge_unconfirmed(now=None) -> int:
    """Delete the pending signups whose confirmation link has expired: never confirmed, so never consented."""
    cutoff = (now or timezone.now()) - timedelta(days=CONFIRM_LINK_DAYS)
    deleted, _ = Supporter.objects.filter(status=Supporter.Status.PENDING, consented_at__lt=cutoff).delete()
    return deleted
