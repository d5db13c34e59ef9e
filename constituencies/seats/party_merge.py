"""Merge parties that are one party under two codes ("NHA" and "NHAP"): everything that names the merged
parties is moved to the kept one, in one transaction, with an audit event."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from constituencies.models import AuditEvent, Party, ProjectedShare, Result
from constituencies.seats.assessments import assess_results, lock_assessment_writers
from constituencies.seats.audit import record_event


class PartyMergeError(ValueError):
    """The merge asked for is not one that can be made (nothing to merge, or a party into itself)."""


@dataclass
class PartyMerge:
    kept: str  # code
    merged: list[str]  # codes, deleted
    moved: dict[str, int] = field(default_factory=dict)  # "candidacies" -> rows moved, ...
    shares_added: int = 0  # projected shares added to another of the parties' in the same seat and projection
    assessments: int = 0

    def __str__(self):
        moved = ", ".join(f"{count:,} {what}" for what, count in self.moved.items() if count) or "nothing"
        return (
            f"{', '.join(self.merged)} merged into {self.kept}: moved {moved}; "
            f"{self.assessments:,} seat assessments recomputed"
        )


def _party_references() -> list[tuple[str, type, str]]:
    """(label, model, field name) for every foreign key to Party, so none is forgotten."""
    references = []
    # include_hidden: most of them have related_name="+", which related_objects leaves out.
    for relation in Party._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.one_to_many):  # a foreign key on another model
            continue
        model = relation.related_model
        label = f"{model._meta.verbose_name_plural} ({relation.field.name.replace('_', ' ')})"
        references.append((label, model, relation.field.name))
    return sorted(references, key=lambda reference: reference[0])


def merge_parties(kept: Party, merged: list[Party], *, user=None, username: str = "") -> PartyMerge:
    """Move every candidacy, assessment, override, declared winner and projected share of the `merged`
    parties to `kept`, delete them, recompute the assessments of the seats they stood in, and record it.

    A projected share of a merged party in a seat and projection where the kept party has one too is added
    to the kept party's (they were one party's votes, split in two).
    """
    codes = sorted({p.code for p in merged} - {kept.code})
    if not codes:
        raise PartyMergeError("choose at least one party other than the one kept")
    with transaction.atomic():
        lock_assessment_writers()  # the assessments name parties, and are recomputed below
        parties = {p.code: p for p in Party.objects.select_for_update().filter(code__in=[kept.code, *codes])}
        missing = sorted({kept.code, *codes} - set(parties))
        if missing:
            raise PartyMergeError(f"no longer there: {', '.join(missing)}")
        kept, merged = parties[kept.code], [parties[code] for code in codes]
        merged_ids = [p.pk for p in merged]
        summary = PartyMerge(kept=kept.code, merged=codes)
        summary.shares_added = _add_clashing_shares(kept, merged_ids)
        affected = set(
            Result.objects.filter(candidacies__party_id__in=merged_ids).values_list("pk", flat=True)
        )
        for label, model, field_name in _party_references():
            moved = model.objects.filter(**{f"{field_name}_id__in": merged_ids}).update(**{field_name: kept})
            summary.moved[label] = moved
        Party.objects.filter(pk__in=merged_ids).delete()
        summary.assessments = assess_results(Result.objects.filter(pk__in=affected))
        record_event(
            AuditEvent.Action.PARTIES_MERGED,
            str(summary),
            user=user,
            username=username,
            details={
                "kept": {"code": kept.code, "name": kept.name},
                "merged": [{"code": p.code, "name": p.name, "bloc": p.bloc} for p in merged],
                "moved": summary.moved,
                "shares_added": summary.shares_added,
            },
        )
    return summary


def _add_clashing_shares(kept: Party, merged_ids: list[int]) -> int:
    """Where two of the parties (the kept one and a merged one, or two merged ones) have a share in one seat of
    one projection, add them up in one row and delete the others: the unique key allows one per party."""
    shares: dict[tuple[int, int], list[ProjectedShare]] = {}
    for share in ProjectedShare.objects.filter(party_id__in=[kept.pk, *merged_ids]).order_by("pk"):
        shares.setdefault((share.projection_id, share.constituency_id), []).append(share)
    totals, extra = [], []
    for group in shares.values():
        if len(group) < 2:
            continue
        # The kept party's own row if it has one, else the first merged one (moved to the kept party after).
        group.sort(key=lambda share: share.party_id != kept.pk)
        group[0].share = sum(share.share for share in group)
        totals.append(group[0])
        extra += [share.pk for share in group[1:]]
    ProjectedShare.objects.filter(pk__in=extra).delete()
    ProjectedShare.objects.bulk_update(totals, ["share"])
    return len(extra)
