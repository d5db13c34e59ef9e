"""The previous result of a seat in an election: the contest on the same boundaries that it is compared with.

For an election on boundary set B, the previous contest is the latest general election or notional result on
B held before it (a general election first if both fall on one day). By-elections never are, and nor is any
election on other boundaries: the 2024 general election is compared with the notional 2019 result on the 2024
boundaries when that is imported, and with nothing when it is not. The arithmetic (gain or hold, swing) is
rules/change.py's.

- `previous_election(election, elections)`: the rule, picked from elections already read (no query).
- `with_previous(assessments, previous)`: a listing's assessments annotated with `previous_winner_id`,
  `previous_majority` and `changed_hands`, joined in the same query (no extra one, whatever the number of seats).
- `previous_result(constituency, election)`: one seat, with the previous contest's votes (two queries).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, F, FilteredRelation, IntegerField, Q, QuerySet, Value, When

from constituencies.models import Candidacy, Constituency, Election, Result, SeatAssessment
from constituencies.rules.parties import OTHER_CANDIDATES

COMPARABLE_KINDS = (Election.Kind.GENERAL, Election.Kind.NOTIONAL)
PREVIOUS_FIELDS = ("previous_winner_id", "previous_majority", "changed_hands")  # what with_previous annotates


def _latest(elections: Iterable[Election]) -> Election | None:
    return max(elections, key=lambda e: (e.date, e.kind == Election.Kind.GENERAL, e.slug), default=None)


def previous_election(election: Election, elections: Iterable[Election]) -> Election | None:
    """The previous contest on the same boundaries among `elections` (any list that holds it), or None."""
    return _latest(
        e
        for e in elections
        if e.kind in COMPARABLE_KINDS
        and e.boundary_set_id == election.boundary_set_id
        and e.date < election.date
    )


def with_previous(assessments: QuerySet, previous: Election | None) -> QuerySet:
    """Assessments of one election annotated from the same seat's assessment in the previous contest:
    `previous_winner_id` and `previous_majority` (None without one), and `changed_hands` (True, False, or None
    where it cannot be said), the SQL form of rules.change.changed_hands. One LEFT JOIN (a seat has at most one
    assessment an election), so no query of its own."""
    if previous is None:
        return assessments.annotate(
            previous_winner_id=Value(None, output_field=IntegerField()),
            previous_majority=Value(None, output_field=IntegerField()),
            changed_hands=Value(None, output_field=BooleanField(null=True)),
        )
    before = FilteredRelation(
        "constituency__assessments", condition=Q(constituency__assessments__election_id=previous.pk)
    )
    annotated = assessments.annotate(previous_assessment=before).annotate(
        previous_winner_id=F("previous_assessment__winner_id"),
        previous_majority=F("previous_assessment__majority"),
    )
    return annotated.annotate(
        changed_hands=Case(
            When(previous_winner_id__isnull=True, then=None),
            When(
                Q(winner__code=OTHER_CANDIDATES) | Q(previous_assessment__winner__code=OTHER_CANDIDATES),
                then=None,
            ),
            When(winner_id=F("previous_winner_id"), then=False),
            default=True,
            output_field=BooleanField(null=True),
        )
    )


@dataclass
class PreviousResult:
    """One seat's previous contest. With none, `election` is None and `earlier_elsewhere` is the latest earlier
    general election on other boundaries, if any (so a page can say the boundaries changed)."""

    election: Election | None = None
    result: Result | None = None  # the seat's result in it, with its assessment; None if it had no contest
    candidacies: list[Candidacy] = field(default_factory=list)  # its votes, most first, with their parties
    earlier_elsewhere: Election | None = None

    @property
    def assessment(self) -> SeatAssessment | None:
        try:
            return self.result.assessment if self.result else None
        except SeatAssessment.DoesNotExist:
            return None


def previous_result(constituency: Constituency, election: Election) -> PreviousResult:
    """The seat's previous contest and its votes: two queries (the earlier elections, then the votes)."""
    earlier = list(
        Election.objects.filter(kind__in=COMPARABLE_KINDS, date__lt=election.date).select_related(
            "boundary_set"
        )
    )
    previous = previous_election(election, earlier)
    if previous is None:
        other_boundaries = [
            e
            for e in earlier
            if e.kind == Election.Kind.GENERAL and e.boundary_set_id != election.boundary_set_id
        ]
        return PreviousResult(earlier_elsewhere=_latest(other_boundaries))
    candidacies = list(
        Candidacy.objects.filter(result__election=previous, result__constituency=constituency)
        .select_related("party", "result__assessment__winner", "result__assessment__runner_up")
        .order_by("-votes", "party__code")
    )
    result = candidacies[0].result if candidacies else None
    if result is not None:
        result.election = previous
    return PreviousResult(election=previous, result=result, candidacies=candidacies)
