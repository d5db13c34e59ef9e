"""Check, preview and apply one results file, and record what was applied: the core behind both
`manage.py import_results` and the admin upload."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from constituencies.imports.layouts import load_results
from constituencies.imports.layouts.parsed import ParsedFile
from constituencies.imports.results import ImportSummary, ResultsImporter
from constituencies.models import AuditEvent, Election, ResultsImport
from constituencies.rules.explain import counted
from constituencies.rules.files import read_bytes
from constituencies.seats.assessments import lock_assessment_writers
from constituencies.seats.audit import actor_fields, record_event


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ResultsUpload:
    """A results file as bytes (from disk or an upload), with the optional HoC candidate file."""

    file_name: str
    data: bytes
    layout_name: str | None = None
    candidates_name: str = ""
    candidates_data: bytes | None = None

    @classmethod
    def from_files(
        cls, path: str | Path, layout_name: str | None = None, candidates_path: str | Path | None = None
    ) -> ResultsUpload:
        """The file(s) on disk; raises ImportFileError if one cannot be read."""
        file_name, data = read_bytes(path)
        candidates_name, candidates_data = read_bytes(candidates_path) if candidates_path else ("", None)
        return cls(file_name, data, layout_name, candidates_name, candidates_data)

    @property
    def checksum(self) -> str:
        return sha256(self.data)

    @property
    def candidates_checksum(self) -> str:
        return sha256(self.candidates_data) if self.candidates_data is not None else ""

    def parse(self, election: Election) -> ParsedFile:
        """Read and check the file(s); raises ImportFileError with every problem found."""
        candidates = (
            (self.candidates_name, self.candidates_data) if self.candidates_data is not None else None
        )
        return load_results(self.file_name, self.data, self.layout_name, election.date, candidates)


@dataclass
class ImportOutcome:
    parsed: ParsedFile
    summary: ImportSummary
    record: ResultsImport | None = None  # None for a preview


def check_upload(upload: ResultsUpload, election: Election) -> ParsedFile:
    """Everything that can be checked without writing: the file, then the codes against the boundaries."""
    parsed = upload.parse(election)
    ResultsImporter.for_file(parsed, election).check()
    return parsed


def preview_import(
    upload: ResultsUpload, election: Election, progress: Callable[[str], None] | None = None
) -> ImportOutcome:
    """Run the whole import and roll it back: what would change, with nothing written."""
    parsed = upload.parse(election)
    summary = ResultsImporter.for_file(parsed, election, progress).run(dry_run=True)
    return ImportOutcome(parsed, summary)


def apply_import(
    upload: ResultsUpload,
    election: Election,
    *,
    source: str,
    user=None,
    username: str = "",
    expect_state: str | None = None,
    progress: Callable[[str], None] | None = None,
    claim: Callable[[], None] | None = None,
    replace_candidates: bool = False,
    merge_new_parties: dict[str, str] | None = None,
) -> ImportOutcome:
    """Import the file and record it (ResultsImport and an AuditEvent) in the same transaction.

    With `expect_state` (from a preview), refuses with ResultsChangedError if the election's
    results or the blocs changed since the preview.

    `claim` (the admin's: take the waiting upload) runs inside that transaction, once the assessment
    writers' lock is held and before anything is read or written; it raises to refuse. Claimed inside
    the transaction, an upload is applied once however often Confirm is pressed, and stays waiting if
    the import fails.

    Candidate names stored now that the file leaves out are kept where its figures allow; where they do not,
    the import is refused (ImportFileError, listing them) unless `replace_candidates`.
    """
    parsed = upload.parse(election)
    archived: list[Path] = []
    try:
        with transaction.atomic():
            if claim is not None:
                # The lock first: delete_election takes it, then deletes the waiting uploads of the
                # election; a claim made before the lock could wait for that deletion as it waits for us.
                lock_assessment_writers()
                claim()
            summary = ResultsImporter.for_file(parsed, election, progress).run(
                expect_state=expect_state,
                replace_candidates=replace_candidates,
                merge_new_parties=merge_new_parties,
            )
            if source == ResultsImport.Source.ADMIN:
                archived = archive_upload(upload)
            record = record_import(
                upload,
                summary,
                election,
                layout=parsed.layout.name,
                rows_read=parsed.rows_read,
                source=source,
                user=user,
                username=username,
            )
            if archived:
                record.archived_as = ", ".join(str(path) for path in archived)
                record.save(update_fields=["archived_as"])
    except BaseException:
        for path in archived:
            path.unlink(missing_ok=True)
        raise
    return ImportOutcome(parsed, summary, record)


def already_imported(upload: ResultsUpload, election: Election) -> bool:
    """The election's latest import was this very file (and candidate file), and its results are all still
    there: importing it again would change nothing."""
    if election.pk is None:
        return False
    latest = ResultsImport.objects.filter(election=election).order_by("-created_at", "-pk").first()
    return (
        latest is not None
        and (latest.checksum, latest.candidates_checksum) == (upload.checksum, upload.candidates_checksum)
        and election.results.count() == latest.seats_in_file
    )


def report(summary: ImportSummary) -> dict:
    """What an import changes (or changed), as plain data: shown in the preview and stored on the record."""
    data = summary.changes.as_dict()
    data.update(
        election=summary.election,
        election_created=summary.election_created,
        constituencies_created=summary.new_constituencies,
        parties_created=[{"code": code, "name": name} for code, name in summary.new_parties],
        parties_matched=[
            {"label": label, "code": code, "name": name} for label, code, name in summary.parties_matched
        ],
        parties_named=[{"code": code, "name": name} for code, name in summary.parties_named],
        candidacies=summary.candidacies,
        candidacies_replaced=summary.candidacies_replaced,
        candidate_names_kept=summary.candidate_names_kept,
        candidate_names_removed=[
            {"seat": seat, "names": names} for seat, names in summary.candidate_names_removed
        ],
        candidate_names_removed_count=summary.names_removed_count,
        assessments=summary.assessments,
    )
    return data


SHOWN = 20  # seats listed under each heading of describe_changes


def describe_changes(summary: ImportSummary) -> list[str]:
    """The preview as plain lines, for the terminal."""
    changes = summary.changes
    lines = [
        f"{len(changes.new_results)} new seat results, {changes.replaced} replaced "
        f"({changes.unchanged} unchanged, {len(changes.figures_changed)} with different figures), "
        f"{len(changes.removed)} removed (in the election but not in the file)",
        f"{summary.candidacies} candidacies (replacing {summary.candidacies_replaced})",
    ]
    if summary.candidate_names_kept:
        lines.append(
            f"{counted(summary.candidate_names_kept, 'candidate name')} the file leaves out kept from the "
            "results stored now"
        )
    if summary.candidate_names_removed:
        lines.append(
            f"WARNING: {counted(summary.names_removed_count, 'candidate name')} would be removed "
            "(the import is refused without --replace-candidates):"
        )
        lines.extend(f"  {seat}: {', '.join(names)}" for seat, names in summary.candidate_names_removed)
    if changes.differences:
        lines.append(f"{counted(len(changes.differences), 'seat')} with different figures:")
    for difference in changes.differences[:SHOWN]:
        lines.append(f"  {difference.name}: {'; '.join(difference.what)}")
    if len(changes.differences) > SHOWN:
        lines.append(f"  ... and {len(changes.differences) - SHOWN} more seats with different figures")
    if summary.new_constituencies:
        lines.append(f"{len(summary.new_constituencies)} constituencies created")
    if summary.new_parties:
        lines.append("new parties: " + ", ".join(f"{code} ({name})" for code, name in summary.new_parties))
    if summary.parties_matched:
        lines.append(
            "taken to be parties already known: "
            + ", ".join(f'"{label}" as {code} ({name})' for label, code, name in summary.parties_matched)
        )
    if summary.parties_named:
        lines.append(
            "parties named: " + ", ".join(f"{code} is {name}" for code, name in summary.parties_named)
        )
    for title, items in [
        ("winner", changes.winner_changes),
        ("tragedy status", changes.tragedy_changes),
        ("marginality", changes.marginality_changes),
    ]:
        lines.append(f"{len(items)} seats change {title}")
        lines.extend(
            f"  {c.name}: {c.was} -> {c.now} (compared with {c.compared_with})" for c in items[:SHOWN]
        )
        if len(items) > SHOWN:
            lines.append(f"  ... and {len(items) - SHOWN} more")
    return lines


def record_import(
    upload: ResultsUpload,
    summary: ImportSummary,
    election: Election,
    *,
    layout: str,
    rows_read: int,
    source: str,
    user=None,
    username: str = "",
) -> ResultsImport:
    changes = summary.changes
    record = ResultsImport.objects.create(
        **actor_fields(user, username),
        source=source,
        election=election,
        election_slug=election.slug,
        election_created=summary.election_created,
        file_name=upload.file_name[:255],
        file_size=len(upload.data),
        checksum=upload.checksum,
        candidates_file_name=upload.candidates_name[:255] if upload.candidates_data is not None else "",
        candidates_checksum=upload.candidates_checksum,
        layout=layout,
        rows_read=rows_read,
        seats_in_file=summary.seats,
        seats_changed=changes.seats_changed,
        results_replaced=summary.results_replaced,
        constituencies_created=summary.constituencies_created,
        candidacies=summary.candidacies,
        winner_changes=len(changes.winner_changes),
        changes=report(summary),
    )
    record_event(
        AuditEvent.Action.RESULTS_IMPORTED,
        f"{upload.file_name} imported into {election.name}: {summary.seats} seats read, "
        f"{changes.seats_changed} changed, {len(changes.winner_changes)} winner changes",
        user=user,
        username=username,
        election=election,
        results_import=record,
        details={"checksum": upload.checksum, "rows_read": rows_read, "source": source},
    )
    return record


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def archive_upload(upload: ResultsUpload) -> list[Path]:
    """Keep a copy of an uploaded file when SEATFINDER_UPLOAD_ARCHIVE_DIR is set; otherwise keep none."""
    folder = settings.SEATFINDER_UPLOAD_ARCHIVE_DIR
    if not folder:
        return []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"{timezone.now().strftime('%Y%m%dT%H%M%S')}-{upload.checksum[:12]}"
    files = [(upload.file_name, upload.data)]
    if upload.candidates_data is not None:
        files.append((f"candidates-{upload.candidates_name}", upload.candidates_data))
    paths = []
    for name, data in files:
        path = folder / f"{prefix}-{_UNSAFE.sub('_', Path(name).name)[-100:]}"
        path.write_bytes(data)
        paths.append(path)
    return paths
