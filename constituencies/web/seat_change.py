"""The seat page's change panel: this result beside the previous one on the same boundaries.

Which contest is the previous one is seats/previous.py's; the gain or hold and the swing are rules/change.py's.
Two queries (seats.previous.previous_result), whatever the number of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from constituencies.models import Candidacy, Constituency, Election, Party, SeatAssessment
from constituencies.rules import change
from constituencies.rules.explain import PartyRef
from constituencies.seats.previous import previous_result


@dataclass(frozen=True)
class ShareRow:
    party: Party
    now: float | None  # % of valid votes; None where the party did not stand
    before: float | None
    now_width: float  # % of the largest share on the chart, so the longest bar fills it
    before_width: float

    @property
    def change_points(self) -> float | None:
        """The change in share, in points; None for a party in only one of the two contests."""
        return None if self.now is None or self.before is None else self.now - self.before

    @property
    def change_display(self) -> str:
        """ "+3.2", "−10.4" (a real minus sign) or "0.0"; empty for a party in only one contest."""
        points = self.change_points
        if points is None:
            return ""
        text = f"{abs(points):.1f}"
        return text if text == "0.0" else ("+" if points > 0 else "−") + text


@dataclass
class ChangePanel:
    election: Election
    previous: Election | None = None
    label: str = ""  # "Labour gain from Conservative", "Conservative hold"
    changed_hands: bool | None = None  # None where it cannot be said (rules.change.changed_hands)
    swing: str = ""  # the sentence
    absent: str = ""  # which of the top two had no votes before
    rows: list[ShareRow] = field(default_factory=list)
    missing: str = ""  # why there is nothing to compare with, said plainly

    @property
    def has_gaps(self) -> bool:
        return any(row.now is None or row.before is None for row in self.rows)

    @property
    def label_kind(self) -> str:
        """The label's css modifier: gain, hold or unknown."""
        return {True: "gain", False: "hold"}.get(self.changed_hands, "unknown")

    @property
    def heading(self) -> str:
        return column_heading(self.election)

    @property
    def previous_heading(self) -> str:
        return column_heading(self.previous) if self.previous else ""


def column_heading(election: Election) -> str:
    """A short column heading: "2024", "2019 notional", "2021 by-election"."""
    kind = {Election.Kind.NOTIONAL: " notional", Election.Kind.BY_ELECTION: " by-election"}
    return f"{election.date.year}{kind.get(election.kind, '')}"


def _ref(party: Party) -> PartyRef:
    return PartyRef(party.code, party.name, party.bloc)


def _votes(candidacies: list[Candidacy]) -> tuple[dict[str, int], dict[str, Party]]:
    votes: dict[str, int] = {}
    parties: dict[str, Party] = {}
    for c in candidacies:
        votes[c.party.code] = votes.get(c.party.code, 0) + c.votes
        parties[c.party.code] = c.party
    return votes, parties


def change_panel(
    constituency: Constituency,
    election: Election,
    assessment: SeatAssessment,
    candidacies: list[Candidacy],
    valid_votes: int,
) -> ChangePanel:
    """The change since the previous contest, or the plain reason there is none."""
    found = previous_result(constituency, election)
    panel = ChangePanel(election=election, previous=found.election)
    before_assessment = found.assessment
    if found.election is None:
        if found.earlier_elsewhere is not None:
            panel.missing = (
                f"The boundaries changed after the {found.earlier_elsewhere.name} and no notional result on "
                f"the {constituency.boundary_set.name} is loaded, so there is nothing like for like to compare "
                "this result with."
            )
        else:
            panel.missing = (
                f"There is no earlier result on the {constituency.boundary_set.name} to compare with."
            )
        return panel
    if before_assessment is None:
        panel.missing = f"We hold no result for {constituency.name} at the {found.election.name}."
        return panel

    now_votes, parties = _votes(candidacies)
    before_votes, before_parties = _votes(found.candidacies)
    parties = {**before_parties, **parties}
    now_shares = change.shares(now_votes, valid_votes)
    before_shares = change.shares(before_votes, found.result.valid_votes)
    top = max([*now_shares.values(), *before_shares.values(), 0.0]) or 1.0
    panel.rows = [
        ShareRow(
            party=parties[code],
            now=now,
            before=before,
            now_width=round(100 * (now or 0) / top, 1),
            before_width=round(100 * (before or 0) / top, 1),
        )
        for code, now, before in change.side_by_side(now_shares, before_shares)
    ]
    winner, previous_winner = _ref(assessment.winner), _ref(before_assessment.winner)
    panel.label = change.result_label(winner, previous_winner, found.election.name)
    panel.changed_hands = change.changed_hands(winner.code, previous_winner.code)
    if assessment.runner_up is not None:
        runner_up = _ref(assessment.runner_up)
        swing = change.swing_between(winner, runner_up, before_shares, now_shares)
        panel.swing = change.swing_sentence(swing, found.election.name)
        panel.absent = change.absent_note([winner, runner_up], before_shares, found.election.name)
    return panel
