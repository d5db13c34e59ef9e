"""The signed tokens in the links we email: never the address itself, only the supporter's id and a random key,
signed with SECRET_KEY (django.core.signing). The confirmation link expires and works once; the your-data and
unsubscribe links last as long as the supporter's record."""

import enum
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from supporters.models import Supporter
from supporters.rules.limits import CONFIRM_LINK_DAYS

CONFIRM = "supporters.confirm"
DATA = "supporters.data"  # the your-data page and the unsubscribe link


class Problem(enum.StrEnum):
    TAMPERED = "tampered"
    EXPIRED = "expired"
    USED = "used"
    GONE = "gone"  # a good signature, but the supporter's data has been deleted


MESSAGES = {
    Problem.TAMPERED: "This link is not one we sent. Check that you copied the whole link from the email.",
    Problem.EXPIRED: f"This link has expired: confirmation links last {CONFIRM_LINK_DAYS} days. Join again and we will send you a new one.",
    Problem.USED: "This link has already been used: your signup is confirmed. The link to see your data is in the email.",
    Problem.GONE: "There is nothing held about you any more: your data has already been deleted.",
}


@dataclass(frozen=True)
class Checked:
    supporter: Supporter | None = None
    problem: Problem | None = None

    @property
    def message(self) -> str:
        return MESSAGES[self.problem] if self.problem else ""


def confirmation_token(supporter: Supporter) -> str:
    return signing.TimestampSigner(salt=CONFIRM).sign_object([supporter.pk, supporter.confirmation_key])


def data_token(supporter: Supporter) -> str:
    return signing.Signer(salt=DATA).sign_object([supporter.pk, supporter.access_key])


def check_confirmation(token: str) -> Checked:
    try:
        pk, key = signing.TimestampSigner(salt=CONFIRM).unsign_object(
            token, max_age=timedelta(days=CONFIRM_LINK_DAYS)
        )
    except signing.SignatureExpired:
        return Checked(problem=Problem.EXPIRED)
    except (signing.BadSignature, ValueError, TypeError):
        return Checked(problem=Problem.TAMPERED)
    supporter = Supporter.objects.select_related("constituency").filter(pk=pk).first()
    if supporter is None:
        return Checked(problem=Problem.GONE)
    if supporter.status == Supporter.Status.CONFIRMED:
        return Checked(supporter, Problem.USED)
    if not supporter.confirmation_key or supporter.confirmation_key != key:
        return Checked(problem=Problem.TAMPERED)
    return Checked(supporter)


def check_data(token: str) -> Checked:
    try:
        pk, key = signing.Signer(salt=DATA).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return Checked(problem=Problem.TAMPERED)
    supporter = Supporter.objects.select_related("constituency").filter(pk=pk, access_key=key).first()
    if supporter is None:
        return Checked(problem=Problem.GONE)
    return Checked(supporter)
