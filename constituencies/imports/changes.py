"""What an import changes: the seats' state before and after, and the difference between them.

`seat_states` and `previous_seat_states` read the database (a fixed number of queries);
`diff_seats` and `state_fingerprint` are plain functions over plain data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from constituencies.imports.kept_candidates import CandidacyFacts, figure_differences
from constituencies.models import Candidacy, Election, Result
from constituencies.rules import arithmetic


@dataclass(frozen=True)
class SeatState:
    """One seat's result in one election, as the site shows it."""

    ons_id: str
    name: str
    election: str  # the election's name
    winner: str | None  # party code; None when the result has no candidacies
    winner_name: str = ""
    majority: int = 0
    majority_pct: Decimal | None = None
    marginality: str = ""
    is_tragedy: bool = False
    best_placed: str | None = None
    # The published facts: (electorate, valid votes, invalid votes, sorted candidacies).
    figures: tuple = ()

    @property
    def marginality_label(self) -> str:
        label = arithmetic.MARGINALITY_LABELS.get(self.marginality)
        return label.lower() if label else self.marginality or "not assessed"

    @property
    def tragedy_label(self) -> str:
        return "progressive tragedy" if self.is_tragedy else "not a tragedy"

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("figures")
        data["majority_pct"] = str(self.majority_pct) if self.majority_pct is not None else None
        data["marginality_label"] = self.marginality_label
        return data


@dataclass(frozen=True)
class SeatChange:
    """A seat whose winner, tragedy status or marginality differs from what it is compared with."""

    ons_id: str
    name: str
    was: str
    now: str
    compared_with: str  # "the results loaded now" or the previous election's name

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SeatDifference:
    """A seat whose stored figures the import changes, and what changes, in words."""

    ons_id: str
    name: str
    what: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"ons_id": self.ons_id, "name": self.name, "what": list(self.what)}


@dataclass
class SeatChanges:
    seats_in_file: int = 0
    new_results: list[SeatState] = field(default_factory=list)  # seats with no result in this election yet
    replaced: int = 0  # seats whose result in this election is replaced
    unchanged: int = 0  # ... with exactly the same figures
    figures_changed: list[str] = field(default_factory=list)  # ... with different figures (seat names)
    differences: list[SeatDifference] = field(default_factory=list)  # ... and what differs in each
    removed: list[SeatState] = field(default_factory=list)  # results in this election missing from the file
    winner_changes: list[SeatChange] = field(default_factory=list)
    tragedy_changes: list[SeatChange] = field(default_factory=list)
    marginality_changes: list[SeatChange] = field(default_factory=list)

    @property
    def seats_changed(self) -> int:
        """Seats that get a result, lose one, or whose figures change."""
        return len(self.new_results) + len(self.figures_changed) + len(self.removed)

    def as_dict(self) -> dict:
        return {
            "seats_in_file": self.seats_in_file,
            "seats_changed": self.seats_changed,
            "new_results": [s.as_dict() for s in self.new_results],
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "figures_changed": self.figures_changed,
            "differences": [d.as_dict() for d in self.differences],
            "removed": [s.as_dict() for s in self.removed],
            "winner_changes": [c.as_dict() for c in self.winner_changes],
            "tragedy_changes": [c.as_dict() for c in self.tragedy_changes],
            "marginality_changes": [c.as_dict() for c in self.marginality_changes],
        }


CURRENT = "the results loaded now"


def diff_seats(
    before: dict[str, SeatState], after: dict[str, SeatState], previous: dict[str, SeatState] | None = None
) -> SeatChanges:
    """Compare one election's seats before and after an import.

    A seat already in the election is compared with its current result. A seat new to the
    election is compared with `previous`, its latest result in an earlier election on the same
    boundaries, so a by-election preview says whether the seat changes hands.
    """
    previous = previous or {}
    changes = SeatChanges(seats_in_file=len(after))
    for ons_id in sorted(after, key=lambda key: after[key].name):
        now = after[ons_id]
        was = before.get(ons_id)
        if was is None:
            changes.new_results.append(now)
            was = previous.get(ons_id)
            compared_with = was.election if was else None
        else:
            changes.replaced += 1
            if was.figures == now.figures:
                changes.unchanged += 1
            else:
                changes.figures_changed.append(now.name)
                what = figure_differences(was.figures, now.figures)
                if was.winner != now.winner:
                    what.append(f"winner {_winner(was)} → {_winner(now)}")
                changes.differences.append(SeatDifference(ons_id, now.name, tuple(what)))
            compared_with = CURRENT
        if was is None:
            continue
        if was.winner != now.winner:
            changes.winner_changes.append(
                SeatChange(ons_id, now.name, _winner(was), _winner(now), compared_with)
            )
        if was.is_tragedy != now.is_tragedy:
            changes.tragedy_changes.append(
                SeatChange(ons_id, now.name, was.tragedy_label, now.tragedy_label, compared_with)
            )
        if was.marginality != now.marginality:
            changes.marginality_changes.append(
                SeatChange(ons_id, now.name, was.marginality_label, now.marginality_label, compared_with)
            )
    changes.removed = sorted(
        (state for ons_id, state in before.items() if ons_id not in after), key=lambda s: s.name
    )
    return changes


def _winner(state: SeatState) -> str:
    if state.winner is None:
        return "no winner"
    return f"{state.winner} ({state.winner_name})" if state.winner_name else state.winner


def state_fingerprint(states: dict[str, SeatState], blocs: arithmetic.Blocs) -> str:
    """A checksum of an election's stored results and the blocs that assess them.

    A preview records it; applying refuses to go ahead if it has changed since, so what is
    applied is exactly what was previewed.
    """
    payload = {
        "seats": sorted([ons_id, repr(state.figures)] for ons_id, state in states.items()),
        "progressive": sorted(blocs.progressive),
        "target": sorted(blocs.target),
    }
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


# --- reading the state from the database ------------------------------------------------------

_RESULT_FIELDS = (
    "id",
    "constituency__ons_id",
    "constituency__name",
    "election__name",
    "electorate",
    "valid_votes",
    "invalid_votes",
    "assessment__winner__code",
    "assessment__winner_name",
    "assessment__majority",
    "assessment__majority_pct",
    "assessment__marginality",
    "assessment__is_tragedy",
    "assessment__best_placed__code",
)


def _states(results, with_figures: bool) -> dict[str, SeatState]:
    rows = list(results.values(*_RESULT_FIELDS))
    candidacies: dict[int, list] = {row["id"]: [] for row in rows}
    if with_figures:
        for result_id, party, name, votes, combined, sitting in Candidacy.objects.filter(
            result_id__in=list(candidacies)
        ).values_list("result_id", "party__code", "candidate_name", "votes", "is_combined", "is_sitting_mp"):
            candidacies[result_id].append(CandidacyFacts(party, name, votes, combined, sitting))
    states = {}
    for row in rows:
        figures = ()
        if with_figures:
            figures = (
                row["electorate"],
                row["valid_votes"],
                row["invalid_votes"],
                tuple(sorted(candidacies[row["id"]], key=repr)),
            )
        states[row["constituency__ons_id"]] = SeatState(
            ons_id=row["constituency__ons_id"],
            name=row["constituency__name"],
            election=row["election__name"],
            winner=row["assessment__winner__code"],
            winner_name=row["assessment__winner_name"] or "",
            majority=row["assessment__majority"] or 0,
            majority_pct=row["assessment__majority_pct"],
            marginality=row["assessment__marginality"] or "",
            is_tragedy=bool(row["assessment__is_tragedy"]),
            best_placed=row["assessment__best_placed__code"],
            figures=figures,
        )
    return states


def seat_states(election: Election) -> dict[str, SeatState]:
    """Every seat's stored result in this election, keyed by ONS code (two queries)."""
    if election.pk is None:
        return {}
    return _states(Result.objects.filter(election=election), with_figures=True)


def previous_seat_states(election: Election, ons_ids) -> dict[str, SeatState]:
    """For each seat, its latest result in an earlier election on the same boundaries (one query)."""
    earlier = (
        Result.objects.filter(
            constituency__boundary_set_id=election.boundary_set_id,
            constituency__ons_id__in=list(ons_ids),
            election__date__lt=election.date,
        )
        .exclude(election_id=election.pk)
        .order_by("constituency_id", "-election__date")
        .distinct("constituency_id")
    )
    return _states(earlier, with_figures=False)
