"""The postcode directory importer that `manage.py import_postcodes` calls.

The files are big (the ONSPD has about 2.7 million rows and 1.4 GB of text), so nothing holds the file in
memory: rows are read one at a time (sources.py), checked (rows.py, a big CSV file in parts by several
processes at once, parallel.py) and streamed with COPY into a new table for the boundary set, which replaces
the live one once every row has been read and the table indexed (swap.py), all in one transaction.
"""

from __future__ import annotations

import csv
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from constituencies.models import BoundarySet, Constituency, PostcodeDirectory
from constituencies.postcodes.importer import parallel
from constituencies.postcodes.importer.layout import PostcodeLayout, detect_postcode_layout
from constituencies.postcodes.importer.parallel import ReadAgain
from constituencies.postcodes.importer.rows import Problems, RowChecker
from constituencies.postcodes.importer.sources import (
    SourceMembers,
    csv_reader,
    ends_with_line_break,
    open_postcode_source,
    read_short_codes,
    short_codes_file,
    unreadable_csv_message,
)
from constituencies.postcodes.importer.summary import PostcodeImportSummary
from constituencies.postcodes.importer.swap import StagingTable, duplicate_problem, lock_postcode_imports
from constituencies.rules.files import ImportFileError, Problem


class DryRunComplete(Exception):
    """Raised inside the transaction to roll a dry run back."""


class PostcodeImporter:
    """Replace the postcode directory of one boundary set with the postcodes in one file.

    `source` is a path or a binary file object (an upload); either may be a CSV or a zip as the ONS
    publishes it. Every row is checked; malformed rows stop the import (all of them are counted, the
    first few shown) and leave the directory as it was. Rows whose constituency is not on the boundary
    set (Jersey's L99999999, a blank code) are skipped and counted by code in the summary.
    """

    def __init__(
        self,
        source: str | Path | BinaryIO,
        boundary_set: BoundarySet,
        *,
        progress: Callable[[str], None] | None = None,
        short_codes_file: str | Path | None = None,
        constituency_column: str | None = None,
        allow_shrink: bool = False,
        dry_run: bool = False,
    ):
        self.source = source
        self.boundary_set = boundary_set
        self.progress = progress or (lambda message: None)
        self.short_codes_file = short_codes_file
        self.constituency_column = constituency_column
        self.allow_shrink = allow_shrink
        self.dry_run = dry_run
        self.file_name = ""
        self.layout: PostcodeLayout | None = None
        self.problems = Problems()
        self.ids: dict[str, int] | None = None
        self.by_ons_id: dict[str, int] = {}
        self.code_by_id: dict[int, str] = {}
        self.covered: set[str] = set()  # the ids (as COPY text) of the constituencies given postcodes
        self.summary = PostcodeImportSummary(file="", layout="", boundary_set=boundary_set.name)

    def run(self) -> PostcodeImportSummary:
        started = time.monotonic()
        with open_postcode_source(self.source) as members:
            self.file_name = members.display_name
            self.summary = PostcodeImportSummary(
                file=self.file_name, layout="", boundary_set=self.boundary_set.name, dry_run=self.dry_run
            )
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        lock_postcode_imports(cursor, self.progress)
                    self._build_and_swap(members)
            except DryRunComplete:
                pass
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _build_and_swap(self, members: SourceMembers) -> PostcodeDirectory:
        started = time.monotonic()
        self.load_constituencies()
        with connection.cursor() as cursor:
            if members.path is not None and parallel.parts_for(members.path.stat().st_size) > 1:
                try:
                    with (
                        transaction.atomic()
                    ):  # a savepoint: a read in parts that is done again leaves nothing
                        staging = self._fill(cursor, members, in_parts=True)
                except ReadAgain:
                    self.progress("Reading it again in one process, to report exactly what is in it")
                    self._forget_reading()
                    staging = self._fill(cursor, members, in_parts=False)
            else:
                staging = self._fill(cursor, members, in_parts=False)
            if self.problems.count:
                raise ImportFileError(self.problems.with_total(self.file_name))
            self.summary.constituencies_covered = len(self.covered)
            if self.summary.stored == 0:
                raise ImportFileError([self.nothing_to_store()])
            phases = self.summary.phases
            phases["reading and copying"] = time.monotonic() - started
            self.progress(f"Indexing {self.summary.stored:,} postcodes")
            try:
                staging.add_keys()
            except IntegrityError as exc:
                problem = duplicate_problem(exc, self.file_name, self.code_by_id, self.layout)
                raise ImportFileError([problem]) from None
            staging.add_indexes()
            phases["indexing"] = time.monotonic() - started - phases["reading and copying"]

            self.summary.replaced = staging.rows_in_place()
            self._check_not_shrinking()
            if self.dry_run:
                raise DryRunComplete
            self.progress("Swapping in the new directory")
            swap_started = time.monotonic()
            staging.swap()
            phases["swapping"] = time.monotonic() - swap_started
            directory, _ = PostcodeDirectory.objects.update_or_create(
                boundary_set=self.boundary_set,
                defaults={
                    "generation": staging.name,
                    "source_file": self.file_name[:255],
                    "postcodes": self.summary.stored,
                    "imported_at": timezone.now(),
                },
            )
            self.progress("Swapped in the new directory; committing")
            return directory

    def _fill(self, cursor, members: SourceMembers, in_parts: bool) -> StagingTable:
        """A new table holding the file's good rows."""
        staging = StagingTable(cursor, self.boundary_set.pk, self.file_name, self.progress)
        staging.create()
        staging.copy(
            self.read_member(
                stream, member, size, whole_file=members.plain, path=members.path if in_parts else None
            )
            for member, stream, size in members
        )
        return staging

    def _forget_reading(self) -> None:
        self.layout = None
        self.problems = Problems()
        self.covered = set()
        self.summary = PostcodeImportSummary(
            file=self.file_name,
            layout="",
            boundary_set=self.boundary_set.name,
            dry_run=self.dry_run,
            constituencies_total=self.summary.constituencies_total,
        )

    # -- reading ---------------------------------------------------------------------------------------

    def load_constituencies(self) -> None:
        """ONS code -> Constituency id for this boundary set. Read before COPY starts: the connection
        can run nothing else while a COPY is in progress."""
        self.by_ons_id = dict(
            Constituency.objects.filter(boundary_set=self.boundary_set).values_list("ons_id", "id")
        )
        if not self.by_ons_id:
            raise ImportFileError(
                [
                    Problem(
                        self.file_name,
                        f"the {self.boundary_set.name} have no constituencies yet: import an election "
                        "fought on them first (import_results)",
                    )
                ]
            )
        self.code_by_id = {pk: code for code, pk in self.by_ons_id.items()}
        self.summary.constituencies_total = len(self.by_ons_id)

    def constituency_ids(self, layout: PostcodeLayout) -> dict[str, int]:
        """Code as the file gives it -> Constituency id."""
        if self.ids is None:
            if layout.short_codes:
                path = short_codes_file(self.short_codes_file, self.file_name, self.progress)
                short_codes = read_short_codes(path)
                self.ids = {s: self.by_ons_id[ons] for s, ons in short_codes.items() if ons in self.by_ons_id}
            else:
                self.ids = self.by_ons_id
        return self.ids

    def read_member(
        self,
        stream: BinaryIO,
        file_name: str,
        size: int | None,
        whole_file: bool = False,
        path: Path | None = None,
    ) -> Iterator[str | bytes]:
        """The good rows of one file (a CSV, or one CSV in a zip) as COPY text, in chunks; problems are
        collected, not raised. `whole_file`: the stream is a plain CSV file, not a zip member (whose
        checksum already shows a cut), so a last row without its line break means a cut. `path`: the file may
        be read in parts by several processes (parallel.py)."""
        reader = None
        try:
            reader = csv_reader(stream)
            header = next(reader, [])
            if not any(h.strip() for h in header):
                raise ImportFileError(
                    [Problem(file_name, "has no header row (it is empty, or starts with a blank line)")]
                )
            layout = detect_postcode_layout(
                header, file_name, self.boundary_set.code, self.constituency_column
            )
            if self.layout is not None and layout.header != self.layout.header:
                raise ImportFileError(
                    [Problem(file_name, "has a different header from the files before it", row=1)]
                )
            self.layout = layout
            self.summary.layout = layout.label
            self.progress(f"Reading {file_name}: {layout.describe()}")
            ids = self.constituency_ids(layout)
            parts = parallel.parts_for(size) if whole_file and path is not None else 1
            if parts > 1:
                header_end = stream.tell()
                if ends_with_line_break(stream):
                    yield from parallel.chunks_in_parts(
                        path, header_end, size, parts, layout, ids, self.summary, self.covered, self.progress
                    )
                    return
                raise ReadAgain  # one process says exactly where it is cut
            checker = RowChecker(
                layout,
                ids,
                self.summary,
                self.covered,
                self.problems,
                self.progress,
            )
            yield from checker.chunks(reader, stream, file_name, size)
            if whole_file and not ends_with_line_break(stream):
                self.problems.add(
                    file_name,
                    "does not end with a line break, as the ONS and mySociety files do: it looks truncated "
                    "(cut short while downloading or copying); download it again",
                    row=reader.line_num,
                )
        except csv.Error as exc:
            self.problems.add(file_name, unreadable_csv_message(exc), row=reader.line_num if reader else 1)
        except UnicodeDecodeError as exc:
            self.problems.add(
                file_name,
                f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} cannot be read); save it as "
                "'CSV UTF-8' and try again",
                row=reader.line_num + 1 if reader else 1,
            )
        except (zipfile.BadZipFile, EOFError) as exc:
            # A zip member whose data is cut short or does not match its checksum.
            self.problems.add(file_name, f"could not be read to the end ({exc}); is the download complete?")

    # -- messages --------------------------------------------------------------------------------------

    def nothing_to_store(self) -> Problem:
        if not self.summary.unknown_codes:
            return Problem(self.file_name, "has no postcode rows")
        codes = ", ".join(
            f"{code or '(blank)'} ×{count:,}" for code, count in self.summary.unknown_codes.most_common(5)
        )
        return Problem(
            self.file_name,
            f"none of its constituency codes is a constituency on the {self.boundary_set.name} "
            f"({codes}); is it for other boundaries (--boundaries)?",
            column=self.layout.constituency if self.layout else None,
        )

    def _check_not_shrinking(self) -> None:
        before, after = self.summary.replaced, self.summary.stored
        if self.allow_shrink or before == 0 or after * 2 >= before:
            return
        raise ImportFileError(
            [
                Problem(
                    self.file_name,
                    f"has {after:,} postcode{'' if after == 1 else 's'} for the {self.boundary_set.name}, "
                    f"under half the {before:,} "
                    "stored now; refusing to replace the directory with it in case the file is incomplete "
                    "(use --allow-shrink if it is meant to be smaller)",
                )
            ]
        )
