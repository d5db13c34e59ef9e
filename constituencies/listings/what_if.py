"""The alliance what-if for a query (request.GET), shared by the page (/what-if/) and the API (/api/what-if/).

    what_if = build_what_if(request.GET)   # WhatIf: the inputs as understood, their problems, the scenario

Parameters: election (a general election's slug; the latest loaded by default), stand_aside (progressive party
codes, repeated or comma-separated; absent: the whole progressive bloc; present and empty: none), follow (the
share of their voters who follow, 0 to 100, default 100), seats (all or tragedies), and any of the seat list's
filters (listings/filters.py), which narrow the seats the scenario applies to. A bad value is a problem named
by its parameter, and then no scenario is worked out.

Queries: the seat list's FilterSet's three (elections, parties, places), the seats' three once per seat data
version in each process (seats/what_if.py), and one for the seats matching the list's filters when any is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.urls import reverse

from constituencies.listings.filters import SeatFilter, default_election
from constituencies.models import Election
from constituencies.rules import what_if as rules
from constituencies.rules.names import compact_key
from constituencies.seats.links import seat_path, with_query
from constituencies.seats.what_if import ElectionSeats, election_seats

SEATS_ALL, SEATS_TRAGEDIES = "all", "tragedies"
SEATS_CHOICES = {SEATS_ALL: "Every seat", SEATS_TRAGEDIES: "Progressive tragedies only"}
OWN_PARAMETERS = ("election", "stand_aside", "follow", "seats")
NOT_A_HOUSE = {
    Election.Kind.BY_ELECTION: "elected one MP, with no House of Commons to work out",
    Election.Kind.NOTIONAL: (
        "is a notional result: an estimate of how an earlier election would have gone on new boundaries, "
        "which elected no House of Commons"
    ),
}


def shown(raw: str) -> str:
    return "".join(ch for ch in raw[:40] if ch.isprintable())


@dataclass
class WhatIf:
    filterset: SeatFilter
    elections: list[Election]  # the general elections with seats loaded: the ones offered
    election: Election | None = None
    errors: dict[str, str] = field(default_factory=dict)  # parameter -> the problem with it
    seats: ElectionSeats | None = None
    stand_aside: list[str] = field(default_factory=list)
    follow: Decimal = rules.DEFAULT_FOLLOW
    seats_choice: str = SEATS_ALL
    list_filters: dict[str, str] = field(default_factory=dict)  # the seat list's filters in force
    applies_to: frozenset[str] | None = None  # seat keys; None: every seat
    scenario: rules.Scenario | None = None
    side_by_side: list[rules.Scenario] = field(default_factory=list)

    @property
    def progressive(self) -> list[str]:
        """The parties that may stand aside: the progressive bloc, by name."""
        if self.seats is None:
            return []
        return sorted(self.seats.progressive, key=str.casefold)

    def params(self, **overrides) -> list[tuple[str, str]]:
        """This scenario's canonical query, for links (overrides replace a parameter, None drops it)."""
        own = {
            "election": self.election.slug if self.election else "",
            "stand_aside": ",".join(self.stand_aside),
            "follow": format(self.follow.normalize(), "f"),
            "seats": self.seats_choice,
        }
        own.update(overrides)
        params = [(name, value) for name, value in own.items() if value is not None]
        return params + [(n, v) for n, v in self.filterset.query_params() if n != "election"]

    @property
    def url(self) -> str:
        return with_query(reverse("constituencies:what_if"), self.params())

    @property
    def headline(self) -> str:
        return rules.headline(self.scenario, self.seats.names) if self.scenario else ""

    def seat_url(self, seat: rules.Seat) -> str:
        return seat_path(seat.key, self.election.slug)

    def house(self) -> list[dict]:
        """Each party's seats, real and in the scenario, with its name and colour; the Speaker last."""
        if self.scenario is None:
            return []
        house = rules.house_rows(self.scenario)
        most = max((max(real, now) for _, real, now in house), default=1) or 1
        rows = []
        for code, real, now in house:
            party = self.seats.parties.get(code)
            rows.append(
                {
                    "party": code,
                    "name": "The Speaker" if code == rules.SPEAKER else self.seats.name_of(code),
                    "colour": party.colour if party else "#AAAAAA",
                    "real": real,
                    "scenario": now,
                    "change": now - real,
                    "real_pct": round(100 * real / most, 1),
                    "scenario_pct": round(100 * now / most, 1),
                }
            )
        return rows


def build_what_if(query) -> WhatIf:
    filterset = SeatFilter(query)
    offered = [e for e in filterset.elections if e.seat_count and e.kind == Election.Kind.GENERAL]
    what_if = WhatIf(filterset, offered)
    # A bad election is reported, and the latest one stands in so the form can still check the parties.
    what_if.election = _election(query.get("election") or "", filterset.elections, offered, what_if.errors)
    if what_if.election is None:
        what_if.election = default_election(offered)
    if what_if.election is not None:
        what_if.seats = election_seats(what_if.election)
        what_if.stand_aside = _stand_aside(query, what_if.seats, what_if.errors)
    what_if.follow = _follow(query.get("follow") or "", what_if.errors)
    what_if.seats_choice = _seats_choice(query.get("seats") or "", what_if.errors)
    for name, messages in filterset.errors.items():
        if name != "election":
            what_if.errors[name] = " ".join(messages)
    if what_if.errors or what_if.seats is None:
        return what_if
    what_if.list_filters = {
        k: v for k, v in filterset.applied_filters().items() if k not in ("election", "sort")
    }
    what_if.applies_to = _applies_to(what_if)
    run = {
        "seats": what_if.seats.seats,
        "progressive": what_if.seats.progressive,
        "stand_aside": what_if.stand_aside,
        "applies_to": what_if.applies_to,
        "prepared": what_if.seats.prepared,
    }
    what_if.scenario = rules.run_scenario(follow=what_if.follow, **run)
    what_if.side_by_side = [
        what_if.scenario if follow == what_if.follow else rules.run_scenario(follow=follow, **run)
        for follow in rules.SIDE_BY_SIDE_FOLLOWS
    ]
    return what_if


def _election(raw: str, elections: list[Election], offered: list[Election], errors: dict) -> Election | None:
    key = compact_key(raw)
    if not key:
        return default_election(offered)
    election = next((e for e in elections if compact_key(e.slug) == key), None)
    choose = "Choose a general election" + (
        f": {', '.join(e.slug for e in offered)}." if offered else ", once one is loaded."
    )
    if election is None:
        errors["election"] = f"There is no election “{shown(raw)}” loaded. {choose}"
        return None
    if election not in offered:
        why = NOT_A_HOUSE.get(election.kind, "has no seats loaded")
        errors["election"] = f"The {election.name} {why}, so no what-if is offered. {choose}"
        return None
    return election


def _stand_aside(query, seats: ElectionSeats, errors: dict) -> list[str]:
    if "stand_aside" not in query:
        return sorted(seats.progressive, key=str.casefold)
    by_key = {code.casefold(): code for code in seats.parties}
    codes, unknown, not_progressive = set(), [], []
    for value in query.getlist("stand_aside") if hasattr(query, "getlist") else [query["stand_aside"]]:
        for token in (t.strip() for t in value.split(",")):
            code = by_key.get(token.casefold())
            if not token:
                continue
            if code is None:
                unknown.append(f"“{shown(token)}”")
            elif code not in seats.progressive:
                not_progressive.append(f"{seats.name_of(code)} ({code})")
            else:
                codes.add(code)
    allowed = (
        ", ".join(sorted(seats.progressive, key=str.casefold)) or "none: no party is in the progressive bloc"
    )
    problems = []
    if unknown:
        problems.append(
            f"{', '.join(unknown)} {'is not a party' if len(unknown) == 1 else 'are not parties'} we know."
        )
    if not_progressive:
        problems.append(
            f"{', '.join(not_progressive)} {'is' if len(not_progressive) == 1 else 'are'} not in the progressive "
            "bloc, and only a progressive party stands aside here."
        )
    if problems:
        errors["stand_aside"] = " ".join(problems) + f" The parties that can stand aside: {allowed}."
    return sorted(codes, key=str.casefold)


def _follow(raw: str, errors: dict) -> Decimal:
    text = raw.strip().removesuffix("%").strip()
    if not text:
        return rules.DEFAULT_FOLLOW
    try:
        return rules.check_follow(Decimal(text))
    except (InvalidOperation, ValueError):
        errors["follow"] = (
            f"Enter the share of voters who follow the advice as a number from 0 to 100, such as 70, "
            f"not “{shown(raw)}”."
        )
        return rules.DEFAULT_FOLLOW


def _seats_choice(raw: str, errors: dict) -> str:
    choice = raw.strip().casefold() or SEATS_ALL
    if choice not in SEATS_CHOICES:
        errors["seats"] = f"“{shown(raw)}” is not a choice of seats: use all or tragedies."
        return SEATS_ALL
    return choice


def _applies_to(what_if: WhatIf) -> frozenset[str] | None:
    applies = None
    if what_if.list_filters:
        keys = what_if.seats.keys_by_constituency
        ids = what_if.filterset.qs.values_list("constituency_id", flat=True)
        applies = frozenset(keys[i] for i in ids if i in keys)
    if what_if.seats_choice == SEATS_TRAGEDIES:
        tragedies = frozenset(s.key for s in what_if.seats.seats if s.is_tragedy)
        applies = tragedies if applies is None else applies & tragedies
    return applies
