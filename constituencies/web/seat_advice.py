"""The seat page's advice panel: the advice for one seat (seats/advice.py) with the evidence side by side,
in words, in a fixed number of queries (the election advised on, the evidence store's seven, the override)."""

from __future__ import annotations

from dataclasses import dataclass, field

from constituencies.models import Constituency, Election
from constituencies.rules import advice as rules
from constituencies.seats.advice import SeatAdvice, one_seat_store, seat_advice

HEADLINES = {
    **rules.ADVICE_LABELS,
    rules.NONE_NEEDED: f"{rules.ADVICE_LABELS[rules.NONE_NEEDED]}: vote for the party you support",
}


@dataclass
class AdvicePanel:
    election: Election
    advice: SeatAdvice
    party_names: dict[str, str] = field(default_factory=dict)

    @property
    def shows(self) -> bool:
        """Shown when there is evidence to reason from, or an override."""
        return bool(self.advice.sources or self.advice.override)

    @property
    def headline(self) -> str:
        a = self.advice
        if a.advice in HEADLINES:
            return HEADLINES[a.advice]
        return f"Back {self.party_names.get(a.party, a.party)}"

    @property
    def sources(self) -> list[dict]:
        """Each source with the party it points to, and its figures, named in words."""
        names = self.party_names
        return [
            {
                "label": s.label,
                "date": s.date,
                "kind": s.kind,
                "points_to": points_to(s.points_to, names),
                "target_can_win": s.target_can_win,
                "figures": [(names.get(c, c), share) for c, share in s.figures.items() if share > 0][:6],
            }
            for s in self.advice.sources
        ]


def points_to(code: str | None, names: dict[str, str]) -> str:
    if code == rules.TOO_CLOSE:
        return "Too close to call"
    return names.get(code, code) if code else "No progressive party stood"


def advice_election(constituency: Constituency, asked: Election | None) -> Election | None:
    """The general election the advice is for: the one asked for, else the latest (perhaps still to come)
    on the seat's boundaries."""
    if asked is not None and asked.kind == Election.Kind.GENERAL:
        return asked
    return (
        Election.objects.filter(boundary_set_id=constituency.boundary_set_id, kind=Election.Kind.GENERAL)
        .select_related("boundary_set")
        .order_by("-date", "slug")
        .first()
    )


def advice_panel(constituency: Constituency, asked: Election | None) -> AdvicePanel | None:
    election = advice_election(constituency, asked)
    if election is None or constituency.boundary_set_id != election.boundary_set_id:
        return None
    store = one_seat_store(election, constituency)
    advice = seat_advice(election, constituency, store)
    return AdvicePanel(election, advice, store.party_names) if advice is not None else None
