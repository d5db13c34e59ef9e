"""Find constituencies by name or region, for people who do not know their postcode.

Case, accent and punctuation insensitive: "ynys mon" finds Ynys Môn, "batley" finds Batley and Spen,
"st albans" finds St Albans, "weston super mare" finds Weston-super-Mare. Every word typed must start a
word of the name, in any order. The matching is plain Python over the constituency names (about 650 per
boundary set), so it needs no database extension and costs a fixed number of queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from constituencies.models import Constituency, SeatAssessment
from constituencies.rules.names import name_key
from constituencies.seats.current import current_boundary_set, default_version_ids
from constituencies.seats.links import seat_path

MAX_QUERY_WORDS = 12
MAX_RESULTS = 100


def fold(text: str) -> str:
    """ "Ynys Môn" -> "ynys mon"; "Bermondsey & Old Southwark" -> "bermondsey and old southwark"."""
    # As the importers compare names, after dropping apostrophes (King's Lynn -> kings lynn).
    return name_key(re.sub(r"['’`]", "", text or ""))


def match_rank(query: str, name: str) -> int | None:
    """How well a folded query matches a folded name: 0 exact, 1 starts with it, 2 every word
    starts a word of the name, 3 found with the spaces taken out; None if it does not match."""
    if not query:
        return None
    if query == name:
        return 0
    if name.startswith(query):
        return 1
    words = name.split()
    wanted = query.split()[:MAX_QUERY_WORDS]
    if all(any(word.startswith(w) for word in words) for w in wanted):
        return 2
    if len(query) >= 4 and query.replace(" ", "") in name.replace(" ", ""):
        return 3
    return None


@dataclass
class Hit:
    constituency: Constituency
    url: str
    latest: SeatAssessment | None = None


@dataclass
class SearchResults:
    query: str
    current: list[Hit] = field(default_factory=list)  # name matches on the current boundaries
    earlier: list[Hit] = field(default_factory=list)  # name matches on earlier boundaries
    region: str = ""  # a region the query names
    in_region: list[Hit] = field(default_factory=list)  # current seats in that region not already listed
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.current) + len(self.earlier) + len(self.in_region)


def search_constituencies(text: str) -> SearchResults:
    query = fold(text)
    results = SearchResults(query=query)
    if not query:
        return results
    current = current_boundary_set()
    current_id = current.pk if current else None
    everything = list(
        Constituency.objects.select_related("boundary_set").only(
            "name", "slug", "region", "country", "boundary_set__code", "boundary_set__name"
        )
    )
    default_ids = default_version_ids(everything, current_id)

    ranks = {}
    for c in everything:
        rank = match_rank(query, fold(c.name))
        if rank is not None:
            ranks[c.pk] = rank
    matched = sorted(
        (c for c in everything if c.pk in ranks), key=lambda c: c.boundary_set.code, reverse=True
    )
    matched.sort(key=lambda c: (c.boundary_set_id != current_id, ranks[c.pk], c.name))

    regions = {c.region for c in everything if c.region and c.boundary_set_id == current_id}
    region = next((r for r in sorted(regions) if match_rank(query, fold(r)) in (0, 1, 2)), "")
    matched_ids = {c.pk for c in matched}
    in_region = (
        sorted(
            (
                c
                for c in everything
                if c.boundary_set_id == current_id and c.region == region and c.pk not in matched_ids
            ),
            key=lambda c: c.name,
        )
        if region
        else []
    )
    if len(matched) + len(in_region) > MAX_RESULTS:
        results.truncated = True
        matched = matched[:MAX_RESULTS]
        in_region = in_region[: max(MAX_RESULTS - len(matched), 0)]

    latest = {
        a.constituency_id: a
        for a in SeatAssessment.objects.filter(constituency_id__in=[c.pk for c in (*matched, *in_region)])
        .select_related("winner", "election")
        .order_by("constituency_id", "-election__date")
        .distinct("constituency_id")
    }

    def hit(c: Constituency) -> Hit:
        assessment = latest.get(c.pk)
        # A seat that is not what /seats/<slug>/ shows for its slug needs ?election=.
        election_slug = None if c.pk in default_ids or assessment is None else assessment.election.slug
        return Hit(c, seat_path(c.slug, election_slug), assessment)

    results.current = [hit(c) for c in matched if c.boundary_set_id == current_id]
    results.earlier = [hit(c) for c in matched if c.boundary_set_id != current_id]
    results.region = region if in_region else ""
    results.in_region = [hit(c) for c in in_region]
    return results
