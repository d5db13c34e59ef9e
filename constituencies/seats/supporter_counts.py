"""Confirmed supporters per seat for the seat list, the map, the downloads and the API, without constituencies
importing the supporters app (the layers run one way): supporters registers a SupporterCounts in its
AppConfig.ready(), and the listings read it through here. Nothing personal passes: counts per seat only, and
what may be said about them is the supporters app's rule (supporters/rules/counts.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SupporterCounts:
    counts: Callable[[], Mapping[int, int]]  # {constituency id: confirmed supporters}, one query at most
    shown: Callable[[int], int | None]  # the number that may be shown, None below the threshold
    shown_from: int  # the threshold
    fewer: str  # what is said below it: "fewer than 5"

    def display(self, count: int) -> str:
        """The seat list's cell: "7" or "fewer than 5"."""
        shown = self.shown(count)
        return self.fewer if shown is None else f"{shown:,}"

    def seat_ids_from(self, least: int) -> set[int]:
        """The seats with at least `least` confirmed supporters (never fewer than the threshold)."""
        least = max(least, self.shown_from)
        return {seat for seat, count in self.counts().items() if count >= least}


_registered: list[SupporterCounts] = []


def register(provider: SupporterCounts) -> None:
    _registered[:] = [provider]


def supporter_counts() -> SupporterCounts:
    if not _registered:
        raise RuntimeError("No supporter counts registered: is the supporters app in INSTALLED_APPS?")
    return _registered[0]


@dataclass(frozen=True)
class SeatSupporters:
    """One seat's count as a listing gives it: the number (None below the threshold) and the words."""

    count: int | None
    display: str

    def as_dict(self) -> dict:
        return {"count": self.count, "display": self.display}


def seat_supporters(counts: Mapping[int, int], constituency_id: int) -> SeatSupporters:
    provider = supporter_counts()
    n = counts.get(constituency_id, 0)
    return SeatSupporters(provider.shown(n), provider.display(n))
