"""Confirmed supporters per constituency, counted in one query and kept in Django's cache (shared by every
process with REDIS_URL) until a confirmation or a deletion clears it, or for COUNTS_SECONDS at most."""

from django.core.cache import cache
from django.db.models import Count

from supporters.models import Supporter
from supporters.rules.counts import count_display, shown_count

COUNTS_KEY = "supporters:confirmed-counts:v1"
COUNTS_SECONDS = 300


def confirmed_counts() -> dict[int, int]:
    """{constituency id: confirmed supporters}, for constituencies with any."""
    counts = cache.get(COUNTS_KEY)
    if counts is None:
        rows = (
            Supporter.objects.filter(status=Supporter.Status.CONFIRMED)
            .values_list("constituency_id")
            .annotate(n=Count("pk"))
        )
        counts = dict(rows)
        cache.set(COUNTS_KEY, counts, COUNTS_SECONDS)
    return counts


def counts_changed() -> None:
    cache.delete(COUNTS_KEY)


def seat_count(constituency_id: int) -> dict:
    """What may be said about one seat: {"count": 7 or None, "display": "7 supporters" or "fewer than 5"}."""
    count = confirmed_counts().get(constituency_id, 0)
    return {"count": shown_count(count), "display": count_display(count)}
