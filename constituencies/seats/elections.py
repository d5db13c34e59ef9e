"""Deleting an election, with everything that belongs to it, and recording what went in the audit trail."""

from __future__ import annotations

from django.db import transaction

from constituencies.models import AuditEvent, Candidacy, Election, ResultsImport, SeatAssessment
from constituencies.seats.assessments import lock_assessment_writers
from constituencies.seats.audit import record_event


def delete_election(election: Election, *, user=None, username: str = "") -> AuditEvent | None:
    """Delete the election, its results, candidacies, assessments and overrides, in one transaction.

    The audit event keeps what went: the election's details, how many results, candidacies and
    assessments, every override with its reason, and the imports that had filled it (their records
    stay, with the election's slug). None when another deletion got there first.
    """
    with transaction.atomic():
        lock_assessment_writers()  # an import of this election waits, or is waited for
        election = (
            Election.objects.select_for_update(of=("self",))  # not the boundary set's row too
            .select_related("boundary_set")
            .filter(pk=election.pk)
            .first()
        )
        if election is None:  # deleted by someone else while this waited for the lock
            return None
        overrides = [
            {
                "constituency": o.constituency.name,
                "ons_id": o.constituency.ons_id,
                "recommended_party": o.recommended_party.code,
                "reason": o.reason,
            }
            for o in election.overrides.select_related("constituency", "recommended_party").order_by("pk")
        ]
        results = election.results.count()
        details = {
            "slug": election.slug,
            "name": election.name,
            "date": election.date.isoformat(),
            "kind": election.kind,
            "boundary_set": election.boundary_set.code,
            "results": results,
            "candidacies": Candidacy.objects.filter(result__election=election).count(),
            "assessments": SeatAssessment.objects.filter(election=election).count(),
            "overrides": overrides,
            "imports": list(ResultsImport.objects.filter(election=election).values_list("pk", flat=True)),
        }
        event = record_event(
            AuditEvent.Action.ELECTION_DELETED,
            f"{election.name} ({election.slug}) deleted with its {results} results and "
            f"{len(overrides)} recommendation overrides",
            user=user,
            username=username,
            details=details,
        )
        election.delete()
    return event
