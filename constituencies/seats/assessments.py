"""Store what the arithmetic says about each result (the SeatAssessment rows)."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from constituencies.models import Candidacy, Party, Result, SeatAssessment
from constituencies.rules import arithmetic

TWO_PLACES = Decimal("0.01")

# The PostgreSQL advisory lock (pg_advisory_xact_lock, one bigint key) that every writer of assessments
# holds for its whole transaction: a results import or its preview, a bloc change, a recompute. Without it
# a bloc change could recompute from results an import was replacing (a foreign key error), or an import
# assess with blocs a change was about to replace. The postcode importer's locks use the two-key form,
# which PostgreSQL keeps apart from this one.
ASSESSMENT_WRITERS_LOCK = 60_002


def lock_assessment_writers() -> None:
    """Wait until no other import, bloc change or recompute is running, then hold them off until commit.

    Take it first in the transaction, before reading the blocs or the results. Taking it again in the
    same transaction is harmless.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_assessment_writers() needs a transaction: it is released at its end")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ASSESSMENT_WRITERS_LOCK])


def current_blocs() -> arithmetic.Blocs:
    blocs = defaultdict(set)
    for code, bloc in Party.objects.exclude(bloc="").values_list("code", "bloc"):
        blocs[bloc].add(code)
    return arithmetic.Blocs(
        progressive=frozenset(blocs[Party.Bloc.PROGRESSIVE]),
        target=frozenset(blocs[Party.Bloc.TARGET]),
    )


def _pct(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@transaction.atomic
def assess_results(results) -> int:
    """(Re)compute the assessments of the given Result queryset. Returns how many were stored.

    A fixed number of queries whatever the number of seats: results, candidacies
    and parties are read in one go each, assessments written in bulk.
    """
    lock_assessment_writers()
    blocs = current_blocs()
    code_by_party_id = dict(Party.objects.values_list("id", "code"))
    party_id_by_code = {code: pk for pk, code in code_by_party_id.items()}

    rows = list(results.values("id", "election_id", "constituency_id", "valid_votes", "declared_winner_id"))
    result_ids = [row["id"] for row in rows]
    candidacies = defaultdict(list)
    for result_id, party_id, name, votes, combined in Candidacy.objects.filter(
        result_id__in=result_ids
    ).values_list("result_id", "party_id", "candidate_name", "votes", "is_combined"):
        candidacies[result_id].append(arithmetic.Candidacy(code_by_party_id[party_id], votes, name, combined))

    assessments = []
    for row in rows:
        if not candidacies[row["id"]]:
            continue
        declared = code_by_party_id.get(row["declared_winner_id"])
        try:
            a = arithmetic.assess_seat(candidacies[row["id"]], blocs, row["valid_votes"], declared)
        except arithmetic.UnrankableContest:  # the page shows the votes and claims no winner
            continue
        assessments.append(
            SeatAssessment(
                result_id=row["id"],
                election_id=row["election_id"],
                constituency_id=row["constituency_id"],
                winner_id=party_id_by_code[a.winner.party],
                winner_name=a.winner.name,
                winner_votes=a.winner.votes,
                runner_up_id=party_id_by_code[a.runner_up.party] if a.runner_up else None,
                runner_up_votes=a.runner_up.votes if a.runner_up else None,
                majority=a.majority,
                majority_pct=_pct(a.majority_pct),
                marginality=a.marginality,
                is_tie=a.is_tie,
                progressive_total=a.progressive_total,
                is_tragedy=a.is_tragedy,
                best_placed_id=party_id_by_code.get(a.best_placed),
                best_placed_votes=a.best_placed_votes,
                gap_to_win=a.gap_to_win,
                next_progressive_id=party_id_by_code.get(a.next_progressive),
                lead_over_next_progressive=a.lead_over_next_progressive,
                lead_over_next_progressive_pct=_pct(a.lead_over_next_progressive_pct),
                lead_is_clear=a.lead_is_clear,
            )
        )
    SeatAssessment.objects.filter(result_id__in=result_ids).delete()
    SeatAssessment.objects.bulk_create(assessments, batch_size=1000)
    return len(assessments)


def recompute_all_assessments() -> int:
    """Recompute every stored assessment, e.g. after the party blocs change."""
    return assess_results(Result.objects.all())
