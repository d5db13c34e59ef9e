"""Confirmed supporters per constituency, counted in one query and kept in Django's cache (shared by every
process with REDIS_URL) until a confirmation or a deletion clears it, or for COUNTS_SECONDS at most.

In a request that read the seat data version (seatfinder/http_cache.py), the counts are kept under that
version: a confirmation commits a new one, so a page cached on the new version never shows counts read before
it (a request between the clearing and the commit could otherwise keep the old counts for COUNTS_SECONDS)."""

from django.core.cache import cache
from django.db.models import Count

from constituencies.seats.data_version import known_seat_data_version
from supporters.models import Supporter
from supporters.rules.counts import count_display, shown_count

COUNTS_KEY = "supporters:confirmed-counts:v1"
COUNTS_SECONDS = 300


def confirmed_counts() -> dict[int, int]:
    """{constituency id: confirmed supporters}, for constituencies with any."""
    version = known_seat_data_version()
    key = COUNTS_KEY if version is None else f"{COUNTS_KEY}:{version}"
    counts = cache.get(key)
    if counts is None:
        rows = (
            Supporter.objects.filter(status=Supporter.Status.CONFIRMED)
            .values_list("constituency_id")
            .annotate(n=Count("pk"))
        )
        counts = dict(rows)
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def counts_changed() -> None:
    cache.delete(COUNTS_KEY)


def seat_count(constituency_id: int) -> dict:
    """What may be said about one seat: {"count": 7 or None, "display": "7 supporters" or "fewer than 5"}."""
    count = confirmed_counts().get(constituency_id, 0)
    return {"count": shown_count(count), "display": count_display(count)}
