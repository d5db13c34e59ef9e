"""The seat page's advice panel: the advice for one seat (seats/advice.py) with the evidence side by side,
in words, in a fixed number of queries (the election advised on, the evidence store's seven, the override)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from constituencies.models import Constituency, Election, Result
from constituencies.rules import advice as rules
from constituencies.seats.advice import SeatAdvice, one_seat_store, seat_advice

# A projection's name need not say what it is; a result's ("2021 Batley and Spen by-election") does.
KIND_LABELS = {rules.PROJECTION: "Poll projection"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def in_a_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass
class AdvicePanel:
    election: Election
    advice: SeatAdvice
    party_names: dict[str, str] = field(default_factory=dict)
    later_by_elections: list[Election] = field(default_factory=list)  # held after it: not evidence for it

    @property
    def shows(self) -> bool:
        """Shown when there is evidence to reason from, or an override."""
        return bool(self.advice.sources or self.advice.override)

    @property
    def headline(self) -> str:
        a = self.advice
        if a.advice in rules.VERDICTS:
            return rules.VERDICTS[a.advice]
        return f"Back {self.party_names.get(a.party, a.party)}"

    @property
    def reason(self) -> str:
        """Why, under the headline: the evidence's reason without the verdict the headline already says,
        or the editors' reason."""
        a = self.advice
        return a.reason if a.override else rules.reason_after_verdict(a.advice, a.reason)

    @property
    def short_reason(self) -> str:
        """The reason's first sentence, up to its colon: "Labour is best placed to beat the Conservatives
        here." (for the page's description; the evidence and figures follow on the page)."""
        sentence = _SENTENCE_END.split(self.reason, maxsplit=1)[0]
        head, colon, _ = sentence.partition(": ")
        return f"{head}." if colon else sentence

    @property
    def basis(self) -> str:
        """Which evidence the advice used, with dates."""
        used = in_a_list([f"the {s.label} ({rules.day_in_words(s.date)})" for s in self.advice.sources])
        if self.election.date > timezone.localdate():
            return f"From the evidence so far: {used}."
        return f"From the evidence before polling day ({rules.day_in_words(self.election.date)}): {used}."

    @property
    def not_counted(self) -> str:
        """The by-elections the page may show that came after the election advised on, said to be left out."""
        if not self.later_by_elections:
            return ""
        held = in_a_list([f"the {e.name} ({rules.day_in_words(e.date)})" for e in self.later_by_elections])
        verb = "was" if len(self.later_by_elections) == 1 else "were"
        return f"Not part of this advice: {held} {verb} held after the {self.election.name}."

    @property
    def sources(self) -> list[dict]:
        """Each source with the party it points to, and its figures, named in words."""
        names = self.party_names
        return [
            {
                "label": s.label,
                "date": s.date,
                "kind": s.kind,
                "kind_label": KIND_LABELS.get(s.kind, ""),
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


def advice_panel(
    constituency: Constituency, asked: Election | None, results: Iterable[Result] = ()
) -> AdvicePanel | None:
    """`results`: the seat's results the page has read (with their elections), to say which came after."""
    election = advice_election(constituency, asked)
    if election is None or constituency.boundary_set_id != election.boundary_set_id:
        return None
    store = one_seat_store(election, constituency)
    advice = seat_advice(election, constituency, store)
    if advice is None:
        return None
    later = sorted(
        (
            r.election
            for r in results
            if r.election.kind == Election.Kind.BY_ELECTION and r.election.date >= election.date
        ),
        key=lambda e: e.date,
    )
    return AdvicePanel(election, advice, store.party_names, later)
