"""The advice (seats/advice.py) for every seat of the election a listing shows, by constituency pk.

Reasoning over 650 seats' evidence takes a noticeable fraction of a second, so each process keeps the answer
for the few (election, seat data version) pairs it was last asked for: the list, the downloads and the API
reason once per change of the data, not once per request. Inside a transaction, where uncommitted changes are
not yet in the version, it is worked out afresh and not kept (as data_version.cached_by_seat_data does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from constituencies.models import Election
from constituencies.rules.advice import ADVICE_LABELS
from constituencies.seats.advice import AdviceUnavailable, SeatAdvice, election_advice
from constituencies.seats.data_version import KeptPerVersion


@dataclass(frozen=True)
class ListedAdvice:
    by_seat: dict[int, SeatAdvice] = field(default_factory=dict)  # constituency pk -> its advice
    unavailable: str = ""  # why the election cannot be advised on, for people; "" when it can

    def seat_ids(self, advice: str) -> list[int]:
        """The constituencies whose advice (override included) is `advice`: a party code or ADVICE_LABELS' key."""
        return [pk for pk, seat in self.by_seat.items() if seat.advice == advice]


_kept = KeptPerVersion(size=4)  # (election, version) answers kept per process


def listed_advice(election: Election) -> ListedAdvice:
    return _kept.get(election.pk, lambda: _advise(election))


def forget() -> None:
    _kept.clear()


def _advise(election: Election) -> ListedAdvice:
    try:
        advised = election_advice(election)
    except AdviceUnavailable as exc:
        return ListedAdvice(unavailable=str(exc))
    return ListedAdvice({seat.seat.pk: seat for seat in advised.seats})


def advice_label(advice: SeatAdvice | None, party_names) -> str:
    """The advice in a few words: the party's name (`party_names(code)`), or ADVICE_LABELS'; "" for none."""
    if advice is None:
        return ""
    return ADVICE_LABELS.get(advice.advice) or party_names(advice.advice)
