"""Changing which parties are in the progressive and target blocs: recompute, and record it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from constituencies.models import AuditEvent, Party, SeatAssessment
from constituencies.seats.assessments import lock_assessment_writers, recompute_all_assessments
from constituencies.seats.audit import record_event

BLOC_LABELS = {Party.Bloc.PROGRESSIVE: "progressive", Party.Bloc.TARGET: "target", "": "no bloc"}


@dataclass(frozen=True)
class BlocMove:
    code: str
    name: str
    was: str
    now: str

    def __str__(self):
        return f"{self.code}: {BLOC_LABELS[self.was]} \u2192 {BLOC_LABELS[self.now]}"


@dataclass
class BlocChange:
    moves: list[BlocMove]
    assessments: int
    tragedies_before: int
    tragedies_after: int
    tragedy_changes: int  # seats whose tragedy status flipped
    best_placed_changes: int  # seats whose best-placed progressive party changed
    event: AuditEvent | None = field(default=None, repr=False)

    def __str__(self):
        return (
            f"{'; '.join(str(m) for m in self.moves)}. {self.assessments} seat assessments recomputed: "
            f"{self.tragedy_changes} changed tragedy status ({self.tragedies_before} \u2192 "
            f"{self.tragedies_after} tragedies), {self.best_placed_changes} changed best-placed party."
        )


def _assessment_state() -> dict[int, tuple[bool, int | None]]:
    return {
        result_id: (is_tragedy, best_placed_id)
        for result_id, is_tragedy, best_placed_id in SeatAssessment.objects.values_list(
            "result_id", "is_tragedy", "best_placed_id"
        )
    }


def change_blocs(
    new_blocs: dict[str, str], *, user=None, username: str = "", note: str = ""
) -> BlocChange | None:
    """Put the parties (by code) in the given blocs ("progressive", "target" or "" for none).

    Parties not named keep their bloc. In one transaction: the parties are updated, every seat
    assessment is recomputed and an audit event records who moved which party and what it did
    to the assessments. Returns None, writing nothing, when no party actually moves.
    """
    valid = set(Party.Bloc.values)
    bad = {code: bloc for code, bloc in new_blocs.items() if bloc not in valid}
    if bad:
        raise ValueError(f"not a bloc: {bad}")
    with transaction.atomic():
        # One writer of assessments at a time: no import can be assessing with the blocs being replaced.
        lock_assessment_writers()
        # ...and the parties, in a fixed order, against edits on their own admin pages.
        parties = {p.code: p for p in Party.objects.select_for_update().order_by("pk")}
        unknown = sorted(set(new_blocs) - set(parties))
        if unknown:
            raise ValueError(f"unknown party codes: {', '.join(unknown)}")
        moves = [
            BlocMove(code, parties[code].name, parties[code].bloc, bloc)
            for code, bloc in sorted(new_blocs.items())
            if parties[code].bloc != bloc
        ]
        if not moves:
            return None
        before = _assessment_state()
        changed = []
        for move in moves:
            parties[move.code].bloc = move.now
            changed.append(parties[move.code])
        Party.objects.bulk_update(changed, ["bloc"])
        count = recompute_all_assessments()
        after = _assessment_state()
        change = BlocChange(
            moves=moves,
            assessments=count,
            tragedies_before=sum(1 for tragedy, _ in before.values() if tragedy),
            tragedies_after=sum(1 for tragedy, _ in after.values() if tragedy),
            tragedy_changes=sum(
                1 for key, state in after.items() if key in before and before[key][0] != state[0]
            ),
            best_placed_changes=sum(
                1 for key, state in after.items() if key in before and before[key][1] != state[1]
            ),
        )
        change.event = record_event(
            AuditEvent.Action.BLOCS_CHANGED,
            str(change),
            user=user,
            username=username,
            details={
                "moves": [{"code": m.code, "name": m.name, "was": m.was, "now": m.now} for m in moves],
                "note": note,
                "progressive": sorted(c for c, p in parties.items() if p.bloc == Party.Bloc.PROGRESSIVE),
                "target": sorted(c for c, p in parties.items() if p.bloc == Party.Bloc.TARGET),
                "assessments_recomputed": count,
                "tragedies_before": change.tragedies_before,
                "tragedies_after": change.tragedies_after,
                "tragedy_changes": change.tragedy_changes,
                "best_placed_changes": change.best_placed_changes,
            },
        )
    return change
