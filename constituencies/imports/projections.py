"""Import poll projections: every pollster's per-seat shares in a file, checked, then written in one transaction.

`ProjectionImporter(upload).run(dry_run=False)` is the one door: manage.py import_projections and the admin
upload (preview = dry run, then confirm) both call it. Every check runs before anything is written; any
problem raises ImportFileError listing them all (file, row, column) and the database is left as it was. A
projection of the same name is replaced, if it has the same date. The layouts are projection_layouts.py's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from constituencies.imports.projection_checks import match_constituencies, match_parties, resolve_short_codes
from constituencies.imports.projection_layouts import ParsedProjectionFile, read_projection_table
from constituencies.models import AuditEvent, PollProjection, ProjectedShare
from constituencies.rules.files import ImportFileError, Problem, decode_text, parse_table, read_bytes
from constituencies.rules.short_codes import DEFAULT_SHORT_CODES_FILE, read_short_code_map
from constituencies.seats.audit import actor_fields, record_event

PROJECTION_IMPORTS_LOCK = 60_003  # one projection import at a time (pg_advisory_xact_lock)


@dataclass(frozen=True)
class ProjectionUpload:
    """A projection file as bytes, with what the file itself does not say."""

    file_name: str
    data: bytes
    name: str  # the projection's name; in an MRP collection, the average's
    date: date
    publisher: str = ""  # default: the name
    is_average: bool = False  # for a plain layout: the file is an average of several pollsters
    short_codes: tuple[str, bytes] | None = None  # (file name, bytes) mapping short codes to ONS codes
    boundaries: str = ""  # a boundary set code; default: the one holding every seat in the file

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class SourceSummary:
    name: str
    publisher: str
    is_average: bool
    seats: int
    shares: int
    replaced: bool
    replaced_detail: str = ""  # what is replaced: "631 seats from mrp.csv, imported 2024-06-27 by ann"

    def __str__(self):
        kind = "average" if self.is_average else self.publisher
        return f"{self.name} ({kind}): {self.seats} seats, {self.shares} shares{', replaced' if self.replaced else ''}"


@dataclass
class ProjectionImportSummary:
    file_name: str
    layout: str
    rows_read: int
    boundary_set: str = ""
    dry_run: bool = False
    sources: list[SourceSummary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # seats matched by name (projection_checks.py)
    seats_covered: int = 0  # seats with a figure from at least one source
    seats_on_boundaries: int = 0
    state_before: str = ""  # the projections this file replaces, as they were (see projections_state)
    already_loaded: list[str] = field(default_factory=list)  # projections imported from this very file

    def __str__(self):
        return f"{len(self.sources)} projections from {self.file_name} on the {self.boundary_set} boundaries"


def month(day: date) -> str:
    return f"{day:%B %Y}"


class ProjectionsChangedError(Exception):
    """The projections a preview showed were replaced, added or deleted before it was confirmed."""


def projections_state(existing: dict[str, PollProjection], names) -> str:
    """A fingerprint of the projections of these names as stored (or absent): a preview holds it and the
    confirm must find it unchanged."""
    parts = [
        f"{name}={existing[name].checksum}@{existing[name].imported_at.isoformat()}"
        if name in existing
        else name
        for name in sorted(names)
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ProjectionImporter:
    def __init__(
        self, upload: ProjectionUpload, *, progress: Callable[[str], None] | None = None, today=None
    ):
        self.upload = upload
        self.progress = progress or (lambda message: None)
        self.today = today or timezone.localdate()

    def problem(self, message: str, row: int | None = None, column: str | None = None) -> Problem:
        return Problem(self.upload.file_name, message, row=row, column=column)

    def parse(self) -> ParsedProjectionFile:
        """Read and check the file on its own (no database); raises ImportFileError."""
        upload = self.upload
        problems = []
        if upload.date > self.today:
            problems.append(
                self.problem(f"the date {upload.date} is in the future; give the day it was published")
            )
        for label, value in (("name", upload.name), ("publisher", upload.publisher)):
            if len(value) > 100 or (label == "name" and not value.strip()):
                problems.append(self.problem(f"the {label} must be 1 to 100 characters, not {len(value)}"))
        if problems:
            raise ImportFileError(problems)
        parsed = read_projection_table(
            parse_table(decode_text(upload.data, upload.file_name), upload.file_name)
        )
        if parsed.by_short_code:
            mapping_name, mapping = self.short_code_map()
            problems = resolve_short_codes(parsed, mapping, mapping_name)
            if problems:
                raise ImportFileError(problems)
        return parsed

    def short_code_map(self) -> tuple[str, dict[str, str]]:
        """(file name, {short code: ONS code}) from --short-codes, else the default in SEATFINDER_DATA_DIR."""
        if self.upload.short_codes:
            name, data = self.upload.short_codes
        else:
            default = Path(settings.SEATFINDER_DATA_DIR) / DEFAULT_SHORT_CODES_FILE
            if not default.is_file():
                message = (
                    "gives seats as mySociety short codes: give the file that turns them into ONS codes "
                    f"(--short-codes, e.g. mySociety's parl_constituencies_2025.csv); {default} is not there"
                )
                raise ImportFileError([self.problem(message)])
            name, data = read_bytes(default)
        self.progress(f"Short codes turned into ONS codes with {name}")
        return name, read_short_code_map(decode_text(data, name), name)

    def run(
        self,
        dry_run: bool = False,
        *,
        user=None,
        username: str = "",
        source: str = "command",
        expect_state: str | None = None,
        claim: Callable[[], None] | None = None,
    ) -> ProjectionImportSummary:
        """`expect_state` (a preview's state_before): refuse with ProjectionsChangedError if the projections
        it would replace changed since. `claim` (the admin's: take the waiting upload) runs once the lock is
        held, inside the transaction, so a double-clicked Confirm applies the file once."""
        parsed = self.parse()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROJECTION_IMPORTS_LOCK])
            if claim is not None:
                claim()
            summary = self._write(parsed, dry_run, user, username, source, expect_state)
            if dry_run:
                transaction.set_rollback(True)
        return summary

    def _write(
        self,
        parsed: ParsedProjectionFile,
        dry_run: bool,
        user,
        username: str,
        source_of_import: str,
        expect_state: str | None,
    ) -> ProjectionImportSummary:
        boundary_set, seats, problems, notes = match_constituencies(parsed, self.upload.boundaries)
        parties, party_problems = match_parties(parsed)
        names = self.names(parsed)
        existing = {
            p.name: p for p in PollProjection.objects.select_for_update().filter(name__in=names.values())
        }
        problems += party_problems + [
            self.problem(
                f'a projection named "{p.name}" is already loaded, dated {p.date}; give --date {p.date} '
                "to replace it, or another --name"
            )
            for p in existing.values()
            if p.date != self.upload.date
        ]
        problems += [
            self.problem(f'the name "{name[:40]}..." is longer than 120 characters')
            for name in names.values()
            if len(name) > 120
        ]
        if problems:
            raise ImportFileError(problems)
        state = projections_state(existing, names.values())
        if expect_state is not None and expect_state != state:
            raise ProjectionsChangedError(
                "The projections this file replaces were imported, replaced or deleted by someone else since "
                "the preview. Nothing was imported: check the preview again."
            )
        summary = ProjectionImportSummary(
            parsed.file_name,
            parsed.layout,
            parsed.rows_read,
            boundary_set.code,
            dry_run,
            notes=notes,
            seats_covered=len({seat.seat for source in parsed.sources for seat in source.seats}),
            seats_on_boundaries=boundary_set.constituencies.count(),
            state_before=state,
            already_loaded=sorted(
                PollProjection.objects.filter(checksum=self.upload.checksum).values_list("name", flat=True)
            ),
        )
        replaced = {  # said before the loop below overwrites them
            name: f"{p.seats} seats from {p.file_name}, imported {timezone.localtime(p.imported_at):%Y-%m-%d %H:%M} by "
            f"{p.username or 'unknown'}"
            for name, p in existing.items()
        }
        for note in notes:
            self.progress(f"Matched by name: {note}")
        ProjectedShare.objects.filter(projection__in=existing.values()).delete()
        actor = actor_fields(user, username)
        for source in parsed.sources:
            name = names[source.pollster]
            publisher = source.pollster or self.upload.publisher or self.upload.name
            is_average = source.is_average or (not source.pollster and self.upload.is_average)
            projection = existing.get(name) or PollProjection(name=name)
            fields = {
                "publisher": publisher,
                "date": self.upload.date,
                "is_average": is_average,
                "boundary_set": boundary_set,
                "imported_at": timezone.now(),
                "imported_by": actor["user"],
                "username": actor["username"],
                "file_name": parsed.file_name[:255],
                "checksum": self.upload.checksum,
                "seats": len(source.seats),
            }
            for attribute, value in fields.items():
                setattr(projection, attribute, value)
            projection.save()
            shares = ProjectedShare.objects.bulk_create(
                [
                    ProjectedShare(
                        projection=projection,
                        constituency_id=seats[seat.seat],
                        party_id=parties[party],
                        share=Decimal(str(round(share, 2))),
                    )
                    for seat in source.seats
                    for party, share in seat.shares.items()
                ],
                batch_size=5000,
            )
            summary.sources.append(
                SourceSummary(
                    name,
                    publisher,
                    is_average,
                    len(source.seats),
                    len(shares),
                    name in existing,
                    replaced.get(name, ""),
                )
            )
        record_event(
            AuditEvent.Action.PROJECTIONS_IMPORTED,
            f"{parsed.file_name} imported: {'; '.join(str(s) for s in summary.sources)}",
            user=user,
            username=username,
            details={
                "source": source_of_import,
                "checksum": self.upload.checksum,
                "file_size": len(self.upload.data),
                "layout": parsed.layout,
                "rows_read": parsed.rows_read,
                "date": self.upload.date.isoformat(),
                "boundary_set": boundary_set.code,
                "seats_covered": summary.seats_covered,
                "projections": [s.name for s in summary.sources],
                "counts": {
                    s.name: {"seats": s.seats, "shares": s.shares, "replaced": s.replaced}
                    for s in summary.sources
                },
            },
        )
        return summary

    def names(self, parsed: ParsedProjectionFile) -> dict[str, str]:
        """{pollster: projection name}: an MRP collection's pollsters are "YouGov MRP (June 2024)"; the
        average, or a plain file's one projection, takes the name given."""
        return {
            source.pollster: f"{source.pollster} MRP ({month(self.upload.date)})"
            if source.pollster
            else self.upload.name
            for source in parsed.sources
        }
