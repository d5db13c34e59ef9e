"""The hex map of every seat (/map/, its SVG and PNG): the seat list's filters, a colouring, and the layout.

    hex_map = build_map(request.GET)  # HexMap: every hex placed and styled, the legend, what matched

The same SeatFilter and SeatRecords as the list, so every list filter works on the map: matching seats stand
out and the rest fade. A fixed number of queries for any number of seats (the filter's own, the seats, the
matching ones, and the advice's or the previous election's when colouring by them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from constituencies.listings.advice import listed_advice
from constituencies.listings.filters import SeatFilter
from constituencies.listings.records import SeatRecord, build_records, seat_assessments
from constituencies.models import Election
from constituencies.rules import map_colours as colours
from constituencies.rules.advice import NONE_NEEDED, NOT_APPLICABLE, TOO_CLOSE
from constituencies.seats import hex_layout
from constituencies.seats.links import with_query
from constituencies.seats.previous import with_previous
from constituencies.seats.supporter_counts import supporter_counts

LEGEND_ROW = 18  # the SVG download's legend, in map units


@dataclass(frozen=True)
class MapHex:
    code: str
    name: str
    points: str  # the SVG points attribute
    corners: tuple
    url: str  # the seat page; empty for a hex with no seat loaded
    key: str  # its legend entry
    style: colours.Style
    matches: bool
    label: str  # the accessible name: the seat and what its colour says


@dataclass
class LegendEntry:
    key: str
    label: str
    style: colours.Style
    seats: int = 0
    matching: int = 0
    members: Counter = field(default_factory=Counter)  # for "Other parties": each party's seats

    @property
    def member_counts(self) -> list[tuple[str, int]]:
        return sorted(self.members.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class HexMap:
    filterset: SeatFilter
    election: Election | None
    colour_by: str
    problems: list[str]
    covered: bool = False
    hexes: list[MapHex] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    seats: int = 0
    matching: int = 0
    unplaced: list[SeatRecord] = field(default_factory=list)  # seats the layout has no hex for
    advice_unavailable: str = ""
    compared_with: Election | None = None  # colouring by change: the election compared with
    map_2024_url: str = ""  # on other boundaries: the map of the latest election on the layout's
    width: float = 0
    height: float = 0

    @property
    def params(self) -> list[tuple[str, str]]:
        """The query of this view: the valid filters and the colouring."""
        extra = [] if self.colour_by == colours.WINNER else [("colour", self.colour_by)]
        return self.filterset.query_params() + extra

    @property
    def colour_label(self) -> str:
        return colours.COLOUR_BY[self.colour_by]

    @property
    def filtered(self) -> bool:
        return self.matching < self.seats

    @property
    def hatches(self) -> list[colours.Style]:
        """The hatched styles, whose patterns the SVG defines."""
        styles = {h.style for h in self.hexes} | {e.style for e in self.legend}
        return sorted((s for s in styles if s.hatch), key=lambda s: s.pattern_id)

    def legend_rows(self) -> list[tuple[LegendEntry, float]]:
        """The legend drawn under the map in the SVG download: each entry and its y."""
        return [(entry, round(self.height + LEGEND_ROW * i, 1)) for i, entry in enumerate(self.legend)]

    @property
    def height_with_legend(self) -> float:
        return round(self.height + LEGEND_ROW * len(self.legend) + LEGEND_ROW / 2, 1)

    def links(self) -> dict[str, str]:
        """The same seats as a list and its downloads (the filters), and this map's downloads (the colouring too)."""
        filters = self.filterset.query_params()
        links = {
            f"{n}_url": with_query(reverse(f"constituencies:{n}"), filters)
            for n in ("seat_list", "seat_list_csv", "seat_list_json")
        }
        links.update(
            {
                f"{n}_url": with_query(reverse(f"constituencies:{n}"), self.params)
                for n in ("map_svg", "map_png")
            }
        )
        return links


def colour_choice(query) -> tuple[str, list[str]]:
    """The colouring asked for (the `colour` parameter, any case), and the problem with it if it is unknown."""
    raw = (query.get("colour") or "").strip()
    if not raw:
        return colours.WINNER, []
    if raw.casefold() in colours.COLOUR_BY:
        return raw.casefold(), []
    shown = "".join(ch for ch in raw[:40] if ch.isprintable())
    return colours.WINNER, [colours.COLOUR_BY_ERROR.format(value=shown)]


def build_map(query, filterset: SeatFilter | None = None) -> HexMap:
    """The map for a query (request.GET); pass the SeatFilter of that query if it is already built."""
    colour_by, colour_problems = colour_choice(query)
    filterset = filterset or SeatFilter(query)
    election = filterset.election
    hex_map = HexMap(filterset, election, colour_by, filterset.error_messages() + colour_problems)
    if election is None:
        return hex_map
    hex_map.covered = hex_layout.covers(election.boundary_set)
    if not hex_map.covered:
        hex_map.map_2024_url = _map_on_layout_boundaries(filterset.elections)
        return hex_map

    hex_map.compared_with = filterset.previous_election
    records = build_records(
        with_previous(
            seat_assessments().filter(election_id=election.pk).order_by(), filterset.previous_election
        ),
        election,
        filterset.parties,
        with_votes=False,
    )
    matching = set(filterset.qs.values_list("constituency__ons_id", flat=True))
    keys, notes, others = _keys(hex_map, records)
    shape = hex_layout.geometry()
    hex_map.width, hex_map.height = shape.width, shape.height
    hex_map.seats, hex_map.matching = len(records), sum(1 for r in records if _code(r) in matching)
    hex_map.legend = _legend(hex_map, records, keys, others, matching)
    by_code = {_code(r): r for r in records}
    hex_map.unplaced = sorted((r for r in records if _code(r) not in shape.placed), key=lambda r: r.name)
    for code, placed in shape.placed.items():
        record = by_code.get(code)
        if record is None:
            key, url, name = colours.NO_DATA, "", placed.hex.name
            label = f"{name}: {colours.NO_DATA_LABEL.lower()}"
        else:
            key, url, name = keys[code], record.url, record.name
            label = f"{name}: {notes[code]}" + ("" if code in matching else " (does not match the filters)")
        hex_map.hexes.append(
            MapHex(
                code,
                name,
                placed.points,
                placed.corners,
                url,
                key,
                colours.style_for(colour_by, key),
                record is not None and code in matching,
                label,
            )
        )
    no_result = sum(1 for h in hex_map.hexes if h.key == colours.NO_DATA)
    if no_result:
        hex_map.legend.append(
            LegendEntry(colours.NO_DATA, colours.NO_DATA_LABEL, colours.NO_DATA_STYLE, seats=no_result)
        )
    return hex_map


def _code(record: SeatRecord) -> str:
    return record.row["constituency__ons_id"]


def _keys(hex_map: HexMap, records: list[SeatRecord]) -> tuple[dict, dict, dict]:
    """Each seat's legend key, the words for its hex's label and, for the parties under "Other parties",
    the party's name; by ONS code."""
    colour_by = hex_map.colour_by
    keys, notes, others = {}, {}, {}
    if colour_by == colours.ADVICE:
        advised = _advice(hex_map)
    labels = _labels(colour_by)
    for r in records:
        code = _code(r)
        won = f"{r.winner.name} won, {r.marginality_label.lower()}" + (
            ", a progressive tragedy" if r.is_tragedy else ""
        )
        if colour_by == colours.WINNER:
            key, note = colours.party_key(r.winner.code), won
            others[code] = r.winner.name
        elif colour_by == colours.TRAGEDY:
            key = "tragedy" if r.is_tragedy else "not_tragedy"
            note = won
        elif colour_by == colours.MARGINALITY:
            key, note = r.marginality, f"{won} ({r.majority_pct_display} majority)"
        elif colour_by == colours.SUPPORTERS:
            key, note = (
                colours.supporters_key(r.supporters.count),
                f"{won}; {r.supporters.display} supporters",
            )
        elif colour_by == colours.ADVICE:
            advice = advised.get(code)
            if advice is None:
                key, note = colours.NO_ADVICE, f"{won}; no advice available"
            elif advice in labels:
                key, note = advice, f"{won}; advice: {labels[advice].removesuffix(' (hatched)').lower()}"
            else:
                party = hex_map.filterset.parties.by_code(advice)
                others[code] = party.name if party else advice
                key, note = colours.party_key(advice), f"{won}; advice: back {others[code]}"
        else:
            before = r.previous_winner
            key = colours.changed_key(r.winner.code, before.code if before else None)
            if before is None:
                note = f"{won}; {labels[key].lower()}"
            else:
                note = f"{won}; gain from {before.name}" if key == "changed" else f"{won}; held"
        keys[code], notes[code] = key, note
    return keys, notes, others


def _advice(hex_map: HexMap) -> dict[str, str]:
    """The advice by ONS code, from the listings' per-process copy (listings/advice.py)."""
    listed = listed_advice(hex_map.election)
    hex_map.advice_unavailable = listed.unavailable
    return {seat.seat.ons_id: seat.advice for seat in listed.by_seat.values()}


def _legend(
    hex_map: HexMap, records: list[SeatRecord], keys: dict, others: dict, matching: set
) -> list[LegendEntry]:
    colour_by, parties = hex_map.colour_by, hex_map.filterset.parties
    labels = _labels(colour_by)
    entries: dict[str, LegendEntry] = {}
    for key in colours.CATEGORY_ORDER.get(colour_by, []):
        entries[key] = LegendEntry(key, labels[key], colours.style_for(colour_by, key))
    for r in records:
        code = _code(r)
        key = keys[code]
        if key not in entries:
            if key == colours.OTHER_PARTY:
                label = "Other parties"
            else:
                party = parties.by_code(key)
                label = party.name if party else key
            entries[key] = LegendEntry(key, label, colours.style_for(colour_by, key))
        entry = entries[key]
        entry.seats += 1
        entry.matching += code in matching
        if key == colours.OTHER_PARTY:
            entry.members[others[code]] += 1
    order = colours.CATEGORY_ORDER.get(colour_by, [])
    if colour_by != colours.ADVICE and order:  # bands and yes/no categories in their own order
        return [entries[key] for key in order] + [e for e in entries.values() if e.key not in order]
    ordered = sorted(  # parties by seats, then the advice's other answers
        entries.values(),
        key=lambda e: (e.key in _LAST, e.key in _CATEGORIES, -e.seats, e.label),
    )
    return [e for e in ordered if e.seats]


def _labels(colour_by: str) -> dict[str, str]:
    labels = colours.CATEGORY_LABELS.get(colour_by, {})
    if colour_by == colours.SUPPORTERS:  # the threshold's words are the supporters app's
        labels = {**labels, colours.FEWER: supporter_counts().fewer.capitalize()}
    return labels


_CATEGORIES = {NONE_NEEDED, TOO_CLOSE, NOT_APPLICABLE}
_LAST = {colours.OTHER_PARTY, colours.NO_ADVICE, colours.NO_DATA}


def _map_on_layout_boundaries(elections: list[Election]) -> str:
    on_layout = [e for e in elections if hex_layout.covers(e.boundary_set) and e.seat_count]
    if not on_layout:
        return ""
    latest = max(on_layout, key=lambda e: (e.kind == Election.Kind.GENERAL, e.date))
    return with_query(reverse("constituencies:map"), [("election", latest.slug)])
