"""The national postcode directory: read an ONS or mySociety postcode file and swap it in for one boundary set.

The files are big (the ONSPD has about 2.7 million rows and 1.4 GB of text), so nothing here holds the
file in memory. Rows are read one at a time, checked, and streamed with PostgreSQL COPY into a new table
built for the boundary set. Once every row has been read and the table indexed, the new table replaces
the live one for that boundary set (`ATTACH PARTITION`, see migration 0004) in the same transaction:

- look-ups keep reading the old directory while the file is read and indexed, and see the new one
  from the moment the transaction commits (they wait a few milliseconds during the swap itself);
- any problem (a malformed row, a truncated file, a duplicate) rolls everything back, new table
  included, and the old directory stays exactly as it was.

Layouts are recognised from the header, and columns are found by name, never by position:

- ONSPD (ONS Postcode Directory): pcd, pcd2, pcds, dointr, doterm, oslaua, ..., pcon or pcon24cd, lat, long
- NSPL (National Statistics Postcode Lookup): the same keys with laua, ward, ... instead of oslaua, osward
- mySociety's uk_parliament_2025_postcode_lookup: postcode, short_code (UKPARL.2025.ABC), resolved to ONS
  codes through a file that maps the two (mySociety's parl_constituencies_2025, or the notional 2019 file)
- any file with a postcode column (pcds, pcd, pcd7, pcd8, pcd2, postcode) and a constituency code column
  (pcon24cd, pcon, ons_id, gss_code, ...), such as pcds,dointr,doterm,pcon24cd,lat,long
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import psycopg
from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from constituencies.models import BoundarySet, Constituency, Postcode, PostcodeDirectory
from constituencies.postcodes.snapshots import snapshot_dir, write_snapshot
from constituencies.rules.files import MAX_PROBLEMS_SHOWN, ImportFileError, Problem
from constituencies.rules.postcodes import INWARD_LETTERS, normalise_postcode

TABLE = Postcode._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
SEQUENCE = f"{TABLE}_id_seq"
# Must match the parent's foreign keys (migration 0004), so ATTACH adopts them without checking again.
FOREIGN_KEYS = {
    "boundary_set_id": "constituencies_boundaryset",
    "constituency_id": "constituencies_constituency",
}
# pg_advisory_xact_lock(namespace, boundary set id): one import per boundary set at a time.
LOCK_NAMESPACE = 60_001
# The swap needs the postcode table to itself for a moment. While it waits for running look-ups to finish,
# new look-ups queue behind it, so it waits at most SWAP_LOCK_TIMEOUT at a time, then lets them through
# for SWAP_RETRY_PAUSE seconds and tries again, SWAP_ATTEMPTS times in all.
SWAP_LOCK_TIMEOUT = "2s"
SWAP_ATTEMPTS = 5
SWAP_RETRY_PAUSE = 0.5
PROGRESS_EVERY = 250_000
MAX_UNKNOWN_CODES = 1_000
OTHER_CODES = f"(any of the codes after the first {MAX_UNKNOWN_CODES:,})"
COPY_CHUNK_BYTES = 1 << 20
# ONSPD and NSPL give 99.999999 (and longitude 0) for postcodes with no grid reference.
NO_GRID_REFERENCE = "99.999999"
DEFAULT_SHORT_CODES_FILE = "notional-2019-on-2024-boundaries.csv"

# A postcode already in the official form ("AB1 0AA") is exactly what normalise_postcode() returns for it
# (tests/test_import_postcodes.py checks this on arbitrary text); checking that first saves calling it on
# every one of millions of rows. Anything else goes through normalise_postcode().
_INWARD = "".join(sorted(INWARD_LETTERS))
OFFICIAL_FORM = re.compile(rf"[A-Z]{{1,2}}[0-9][A-Z0-9]? [0-9][{_INWARD}]{{2}}")

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode")
CODE_COLUMNS = ("pcon", "ons_id", "gss_code", "constituency_code", "pcon_code")
SHORT_CODE_COLUMNS = ("short_code", "mysoc_short_code")
YEARLY_CODE_COLUMN = re.compile(r"^pcon(\d\d)cd$")
ONSPD_MARKERS = {"oslaua", "oscty", "osward", "oshlthau"}
NSPL_MARKERS = {"laua", "cty", "ward"}
SHORT_CODE = re.compile(r"^UKPARL\.\d{4}\.[A-Z]{3}$")
NULL = r"\N"  # COPY text format
DECIMAL = re.compile(r"-?[0-9]{1,3}(\.[0-9]+)?")


@dataclass(frozen=True)
class PostcodeLayout:
    """Where the columns Seat Finder needs are in one file's header."""

    label: str
    header: tuple[str, ...]
    postcode: str
    constituency: str
    terminated: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    short_codes: bool = False  # the constituency column holds mySociety short codes, not ONS codes

    def index(self, column: str | None) -> int | None:
        return None if column is None else self.header.index(column)

    def describe(self) -> str:
        return f'{self.label}, postcodes in "{self.postcode}", constituencies in "{self.constituency}"'


def detect_postcode_layout(
    header: list[str], file_name: str, boundary_code: str = "", constituency_column: str | None = None
) -> PostcodeLayout:
    """Recognise a postcode file from its header row (names compared case-insensitively)."""
    names = tuple(clean_column(h) for h in header)
    present = set(names)
    postcode = next((c for c in POSTCODE_COLUMNS if c in present), None)
    short_code = next((c for c in SHORT_CODE_COLUMNS if c in present), None)
    if constituency_column:
        constituency = clean_column(constituency_column)
        if constituency not in present:
            raise ImportFileError(
                [
                    Problem(
                        file_name,
                        f'has no column "{constituency_column}"; its columns are {", ".join(names)}',
                        row=1,
                    )
                ]
            )
    else:
        constituency = constituency_column_for(names, boundary_code) or short_code
    if postcode is None or constituency is None:
        missing = []
        if postcode is None:
            missing.append(f"a postcode column ({', '.join(POSTCODE_COLUMNS)})")
        if constituency is None:
            missing.append(
                f"a constituency column (pcon, pcon24cd or another pconNNcd, {', '.join(CODE_COLUMNS[1:])}, "
                "or mySociety's short_code)"
            )
        as_written = [h.replace("\ufeff", "").strip() for h in header]
        shown = ", ".join(as_written[:12]) + (", ..." if len(names) > 12 else "")
        raise ImportFileError(
            [
                Problem(
                    file_name,
                    f"is not a postcode file Seat Finder knows: it needs {' and '.join(missing)}; "
                    f"its header is: {shown}",
                    row=1,
                )
            ]
        )
    if constituency in SHORT_CODE_COLUMNS:
        label = "mySociety uk_parliament_2025_postcode_lookup"
    elif present & ONSPD_MARKERS:
        label = "ONS Postcode Directory (ONSPD)"
    elif present & NSPL_MARKERS:
        label = "National Statistics Postcode Lookup (NSPL)"
    elif {"pcd7", "pcd8"} & present:
        label = "ONS postcode file"
    else:
        label = "postcode and constituency columns"
    has_coordinates = {"lat", "long"} <= present
    return PostcodeLayout(
        label=label,
        header=names,
        postcode=postcode,
        constituency=constituency,
        terminated="doterm" if "doterm" in present else None,
        latitude="lat" if has_coordinates else None,
        longitude="long" if has_coordinates else None,
        short_codes=constituency in SHORT_CODE_COLUMNS,
    )


def constituency_column_for(names: tuple[str, ...], boundary_code: str) -> str | None:
    """The column of constituency codes: the edition's own for the boundary set (pcon24cd for 2024),
    then plain pcon, then any single pconNNcd, then other common names."""
    yearly = [n for n in names if YEARLY_CODE_COLUMN.match(n)]
    wanted = f"pcon{boundary_code[-2:]}cd" if boundary_code else None
    if wanted in yearly:
        return wanted
    if "pcon" in names:
        return "pcon"
    if len(yearly) == 1:
        return yearly[0]
    return next((c for c in CODE_COLUMNS if c in names), None)


def clean_column(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').lower()


@dataclass
class PostcodeImportSummary:
    file: str
    layout: str
    boundary_set: str
    rows_read: int = 0
    stored: int = 0
    terminated: int = 0
    with_coordinates: int = 0
    replaced: int = 0
    constituencies_covered: int = 0
    constituencies_total: int = 0
    unknown_codes: Counter = field(default_factory=Counter)
    unknown_examples: dict = field(default_factory=dict)
    dry_run: bool = False
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)  # seconds spent reading and copying, indexing, swapping
    warnings: list[str] = field(default_factory=list)

    @property
    def live(self) -> int:
        return self.stored - self.terminated

    @property
    def skipped(self) -> int:
        return sum(self.unknown_codes.values())

    def lines(self) -> list[str]:
        verb = "Would store" if self.dry_run else "Stored"
        lines = [
            f"Read {self.rows_read:,} rows from {self.file} ({self.layout}).",
            f"{verb} {self.stored:,} postcodes on the {self.boundary_set}: {self.live:,} live, "
            f"{self.terminated:,} terminated, {self.with_coordinates:,} with coordinates; "
            f"{self.constituencies_covered:,} of {self.constituencies_total:,} constituencies have postcodes.",
            f"{'Would replace' if self.dry_run else 'Replaced'} the {self.replaced:,} postcodes stored "
            "before for these boundaries.",
        ]
        if self.unknown_codes:
            lines.append(
                f"Skipped {self.skipped:,} rows whose constituency code is not a constituency on the "
                f"{self.boundary_set}:"
            )
            for code, count in self.unknown_codes.most_common(MAX_PROBLEMS_SHOWN):
                shown = code or "(blank)"
                rows = "row" if count == 1 else "rows"
                lines.append(f"  {shown}: {count:,} {rows}, e.g. {self.unknown_examples[code]}")
            hidden = len(self.unknown_codes) - MAX_PROBLEMS_SHOWN
            if hidden > 0:
                lines.append(f"  ... and {hidden} more codes")
        lines.extend(self.warnings)
        phases = ", ".join(f"{seconds:.1f} s {phase}" for phase, seconds in self.phases.items())
        lines.append(f"Took {self.seconds:.1f} s" + (f" ({phases})." if phases else "."))
        return lines

    def __str__(self):
        return "\n".join(self.lines())


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
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.ids: dict[str, int] | None = None
        self.by_ons_id: dict[str, int] = {}
        self.code_by_id: dict[int, str] = {}
        self.covered: set[int] = set()
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
                    directory = self._build_and_swap(members)
            except DryRunComplete:
                directory = None
        if directory is not None:
            self._write_snapshot(directory)
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _write_snapshot(self, directory: PostcodeDirectory) -> None:
        """The look-up snapshot of the new directory. The import has committed by now, so a failure here
        only means look-ups keep asking the database until `manage.py postcode_snapshots` writes it."""
        folder = snapshot_dir()
        if folder is None:
            return
        started = time.monotonic()
        try:
            path = write_snapshot(directory, folder)
        except OSError as exc:
            self.summary.warnings.append(
                f"The look-up snapshot could not be written ({exc}); look-ups use the database until "
                "`manage.py postcode_snapshots` writes it."
            )
            return
        self.summary.phases["writing the look-up snapshot"] = time.monotonic() - started
        self.progress(f"Wrote the look-up snapshot {path}")

    # -- reading ---------------------------------------------------------------------------------------

    def problem(self, file_name: str, message: str, row: int | None = None, column: str | None = None):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(Problem(file_name, message, row=row, column=column))

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
                short_codes = read_short_codes(self.resolve_short_codes_file())
                self.ids = {s: self.by_ons_id[ons] for s, ons in short_codes.items() if ons in self.by_ons_id}
            else:
                self.ids = self.by_ons_id
        return self.ids

    def resolve_short_codes_file(self) -> Path:
        if self.short_codes_file:
            return Path(self.short_codes_file)
        default = Path(settings.SEATFINDER_DATA_DIR) / DEFAULT_SHORT_CODES_FILE
        if default.is_file():
            self.progress(f"Resolving mySociety short codes to ONS codes with {default}")
            return default
        raise ImportFileError(
            [
                Problem(
                    self.file_name,
                    "gives constituencies as mySociety short codes (UKPARL.2025.ABC), which Seat Finder "
                    "stores by ONS code: give a file that maps one to the other (--short-codes), such as "
                    "mySociety's parl_constituencies_2025.csv (short_code, gss_code) or the notional 2019 "
                    "results file (mysoc_short_code, ons_id)",
                )
            ]
        )

    def rows(
        self, stream: BinaryIO, file_name: str, size: int | None, whole_file: bool = False
    ) -> Iterator[str]:
        """Check each row and yield it as a line of COPY text; problems are collected, not raised.

        Lines are decoded one by one (not through a TextIOWrapper) so that text which is not UTF-8 is
        reported with its row number. `whole_file`: the stream is a plain CSV file, not a zip member
        (whose checksum already shows a cut), so a last row without its line break means a cut."""
        reader = None
        try:
            first = stream.readline()
            if first.startswith(codecs.BOM_UTF8):
                first = first[len(codecs.BOM_UTF8) :]
            # strict: a quoted cell still open at the end of the file is an error, not a cell.
            reader = csv.reader(map(bytes.decode, itertools.chain([first], stream)), strict=True)
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
            yield from self._rows(reader, layout, stream, file_name, size)
            if whole_file and not ends_with_line_break(stream):
                self.problem(
                    file_name,
                    "does not end with a line break, as the ONS and mySociety files do: it looks truncated "
                    "(cut short while downloading or copying); download it again",
                    row=reader.line_num,
                )
        except csv.Error as exc:
            self.problem(file_name, unreadable_csv_message(exc), row=reader.line_num if reader else 1)
        except UnicodeDecodeError as exc:
            self.problem(
                file_name,
                f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} cannot be read); save it as "
                "'CSV UTF-8' and try again",
                row=reader.line_num + 1 if reader else 1,
            )
        except (zipfile.BadZipFile, EOFError) as exc:
            # A zip member whose data is cut short or does not match its checksum.
            self.problem(file_name, f"could not be read to the end ({exc}); is the download complete?")

    def _rows(
        self, reader, layout: PostcodeLayout, stream, file_name: str, size: int | None
    ) -> Iterator[str]:
        ids = self.constituency_ids(layout)
        width = len(layout.header)
        i_postcode = layout.index(layout.postcode)
        i_code = layout.index(layout.constituency)
        i_terminated = layout.index(layout.terminated)
        i_lat, i_long = layout.index(layout.latitude), layout.index(layout.longitude)
        summary, covered = self.summary, self.covered
        unknown, examples = summary.unknown_codes, summary.unknown_examples
        official_form = OFFICIAL_FORM.fullmatch
        started = time.monotonic()
        rows = 0
        for cells in reader:
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                self.report_progress(rows, started, stream, size)
            if len(cells) != width:
                if not cells or cells == [""]:
                    rows -= 1  # a blank line
                    continue
                noun = "cell" if len(cells) == 1 else "cells"
                self.problem(
                    file_name, f"has {len(cells)} {noun} but the header has {width}", row=reader.line_num
                )
                continue
            postcode = cells[i_postcode]
            if not official_form(postcode):
                postcode = normalise_postcode(postcode)
                if postcode is None:
                    shown = f'"{cells[i_postcode]}"' if cells[i_postcode] else "an empty cell"
                    self.problem(
                        file_name,
                        f"{shown} is not a UK postcode",
                        row=reader.line_num,
                        column=layout.postcode,
                    )
                    continue
            terminated = NULL
            if i_terminated is not None and (month := cells[i_terminated]):
                if len(month) != 6 or not month.isdigit() or not "01" <= month[4:] <= "12":
                    self.problem(
                        file_name,
                        f'"{month}" is not a year and month (YYYYMM)',
                        row=reader.line_num,
                        column=layout.terminated,
                    )
                    continue
                terminated = f"{month[:4]}-{month[4:]}-01"
            latitude = longitude = NULL
            if i_lat is not None and cells[i_lat] and cells[i_lat] != NO_GRID_REFERENCE:
                coordinates = self.coordinates(cells[i_lat], cells[i_long], file_name, reader.line_num)
                if coordinates is None:
                    continue
                latitude, longitude = coordinates
            code = cells[i_code].strip()
            constituency_id = ids.get(code)
            if constituency_id is None:
                if layout.short_codes and code and not SHORT_CODE.match(code):
                    self.problem(
                        file_name,
                        f'"{code}" is not a mySociety short code (UKPARL.2025.ABC)',
                        row=reader.line_num,
                        column=layout.constituency,
                    )
                    continue
                if code not in unknown and len(unknown) >= MAX_UNKNOWN_CODES:
                    code = OTHER_CODES  # keep memory flat if a wrong column gives a new code on every row
                unknown[code] += 1
                examples.setdefault(code, postcode)
                continue
            covered.add(constituency_id)
            summary.stored += 1
            if terminated is not NULL:
                summary.terminated += 1
            if latitude is not NULL:
                summary.with_coordinates += 1
            yield f"{postcode}\t{constituency_id}\t{terminated}\t{latitude}\t{longitude}\n"
        summary.rows_read += rows
        self.report_progress(rows, started, stream, size, final=True)

    def coordinates(self, lat: str, lng: str, file_name: str, row: int) -> tuple[str, str] | None:
        """The latitude and longitude as COPY text, or None (and a problem) if they are not numbers
        in range. They are passed on as written, once they are known to be plain decimals."""
        layout = self.layout
        for text, column in ((lat, layout.latitude), (lng, layout.longitude)):
            if not DECIMAL.fullmatch(text):
                shown = f'"{text}"' if text else "an empty cell"
                self.problem(file_name, f"{shown} is not a number", row=row, column=column)
                return None
        if not (-90 <= float(lat) <= 90 and -180 <= float(lng) <= 180):
            self.problem(
                file_name, f"{lat}, {lng} is not a latitude and longitude", row=row, column=layout.latitude
            )
            return None
        return lat, lng

    def report_progress(self, rows, started, stream, size, final=False):
        elapsed = max(time.monotonic() - started, 1e-6)
        done = ""
        if size and not final:
            try:
                done = f" ({min(stream.tell() / size, 1):.0%})"
            except (OSError, ValueError):
                done = ""
        verb = "Read" if final else "  read"
        self.progress(f"{verb} {rows:,} rows{done}, {rows / elapsed:,.0f} rows/s")

    # -- writing ---------------------------------------------------------------------------------------

    def _build_and_swap(self, members: SourceMembers) -> PostcodeDirectory:
        boundary_set = self.boundary_set
        staging = f"{TABLE}_bs{int(boundary_set.pk)}_{time.time_ns() // 1000:x}"
        started = time.monotonic()
        self.load_constituencies()
        with connection.cursor() as cursor:
            # One import per boundary set at a time; a second waits here until the first commits.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, boundary_set.pk])
            cursor.execute(
                f"""CREATE TABLE {staging} (
                    id bigint NOT NULL DEFAULT nextval('{SEQUENCE}'),
                    boundary_set_id bigint NOT NULL DEFAULT {int(boundary_set.pk)},
                    postcode varchar(8) NOT NULL,
                    constituency_id bigint NOT NULL,
                    terminated_on date NULL,
                    latitude double precision NULL,
                    longitude double precision NULL
                )"""
            )
            columns = "postcode, constituency_id, terminated_on, latitude, longitude"
            with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
                for member, stream, size in members:
                    buffer, buffered = [], 0
                    for line in self.rows(stream, member, size, whole_file=members.plain):
                        buffer.append(line)
                        buffered += len(line)
                        if buffered >= COPY_CHUNK_BYTES:
                            copy.write("".join(buffer))
                            buffer, buffered = [], 0
                    if buffer:
                        copy.write("".join(buffer))
            if self.problem_count:
                raise ImportFileError(self.problems_with_total())
            self.summary.constituencies_covered = len(self.covered)
            if self.summary.stored == 0:
                raise ImportFileError([self.nothing_to_store()])
            phases = self.summary.phases
            phases["reading and copying"] = time.monotonic() - started
            self.progress(f"Indexing {self.summary.stored:,} postcodes")
            self._index(cursor, staging)
            phases["indexing"] = time.monotonic() - started - phases["reading and copying"]

            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE boundary_set_id = %s", [boundary_set.pk])
            self.summary.replaced = cursor.fetchone()[0]
            self._check_not_shrinking()
            if self.dry_run:
                raise DryRunComplete
            self.progress("Swapping in the new directory")
            swap_started = time.monotonic()
            self._swap(cursor, staging)
            phases["swapping"] = time.monotonic() - swap_started
            directory, _ = PostcodeDirectory.objects.update_or_create(
                boundary_set=boundary_set,
                defaults={
                    "generation": staging,
                    "source_file": self.file_name[:255],
                    "postcodes": self.summary.stored,
                    "imported_at": timezone.now(),
                },
            )
            self.progress("Swapped in the new directory; committing")
            return directory

    def _index(self, cursor, staging: str) -> None:
        try:
            cursor.execute(
                f"ALTER TABLE {staging} ADD CONSTRAINT {staging}_pkey PRIMARY KEY (id, boundary_set_id)"
            )
            cursor.execute(
                f"ALTER TABLE {staging} ADD CONSTRAINT {staging}_unique "
                "UNIQUE (boundary_set_id, postcode, constituency_id)"
            )
        except IntegrityError as exc:
            raise ImportFileError([self.duplicate_problem(exc)]) from None
        cursor.execute(f"CREATE INDEX {staging}_boundary_set ON {staging} (boundary_set_id)")
        cursor.execute(f"CREATE INDEX {staging}_constituency ON {staging} (constituency_id)")
        # Lets ATTACH PARTITION trust the rows without scanning them again.
        cursor.execute(
            f"ALTER TABLE {staging} ADD CONSTRAINT {staging}_in_set "
            f"CHECK (boundary_set_id = {int(self.boundary_set.pk)})"
        )
        # The same foreign keys as the parent's, checked here in one pass each; ATTACH adopts them.
        for column, target in FOREIGN_KEYS.items():
            cursor.execute(
                f"ALTER TABLE {staging} ADD CONSTRAINT {staging}_{column}_fk FOREIGN KEY ({column}) "
                f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
            )
        cursor.execute(f"ANALYZE {staging}")

    def _swap(self, cursor, staging: str) -> None:
        bs = int(self.boundary_set.pk)
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = %s::regclass AND c.relname LIKE %s""",
            [TABLE, f"{TABLE}_bs{bs}\\_%"],
        )
        old = [name for (name,) in cursor.fetchall()]
        # Rows saved through the ORM before this boundary set had a partition of its own.
        cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE boundary_set_id = %s", [bs])
        cursor.execute("SHOW lock_timeout")
        (lock_timeout_before,) = cursor.fetchone()
        cursor.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
        for attempt in range(1, SWAP_ATTEMPTS + 1):
            try:
                # A savepoint: an attempt that times out gives back whatever it had locked.
                with transaction.atomic():
                    for name in old:
                        cursor.execute(f"DROP TABLE {name}")
                    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {staging} FOR VALUES IN ({bs})")
                # The short wait is for the swap only: what follows in the transaction (the directory's
                # row) waits as long as it did before.
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout_before])
                return
            except OperationalError as exc:
                if not isinstance(exc.__cause__, psycopg.errors.LockNotAvailable):
                    raise
            if attempt < SWAP_ATTEMPTS:
                self.progress(
                    f"The postcode table is busy (attempt {attempt} of {SWAP_ATTEMPTS}); trying the swap again"
                )
                time.sleep(SWAP_RETRY_PAUSE)
        raise ImportFileError(
            [
                Problem(
                    self.file_name,
                    f"could not swap in the new directory: look-ups kept the postcode table busy through "
                    f"{SWAP_ATTEMPTS} attempts of {SWAP_LOCK_TIMEOUT} each; nothing was changed, try again",
                )
            ]
        )

    # -- messages --------------------------------------------------------------------------------------

    def problems_with_total(self) -> list[Problem]:
        problems = list(self.problems)
        hidden = self.problem_count - len(problems)
        if hidden > 0:
            problems.append(Problem(self.file_name, f"... and {hidden:,} more rows with problems"))
        return problems

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

    def duplicate_problem(self, exc: Exception) -> Problem:
        cause = exc.__cause__ or exc
        detail = getattr(getattr(cause, "diag", None), "message_detail", None) or str(cause)
        match = re.search(r"=\(\d+, ([^,]+), (\d+)\)", detail)
        if match:
            code = self.code_by_id.get(int(match.group(2)), "the same constituency")
            message = f"lists postcode {match.group(1)} more than once for {code}"
        else:
            message = f"lists a postcode more than once ({detail})"
        return Problem(self.file_name, message, column=self.layout.postcode if self.layout else None)

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


# -- files ---------------------------------------------------------------------------------------------


@dataclass
class SourceMembers:
    """The CSV stream(s) in a source: one for a plain CSV, one or more for a zip."""

    display_name: str
    opener: Callable[[], Iterator[tuple[str, BinaryIO, int | None]]]
    plain: bool = False  # a CSV file rather than a zip

    def __iter__(self):
        return self.opener()


@contextmanager
def open_postcode_source(source: str | Path | BinaryIO) -> Iterator[SourceMembers]:
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ImportFileError([Problem(str(path), f"cannot be read: {exc.strerror}")]) from None
        name = path.name
    else:
        handle = source
        name = Path(getattr(source, "name", "") or "upload").name
    try:
        if zipfile.is_zipfile(handle):
            handle.seek(0)
            yield zip_members(handle, name)
        else:
            handle.seek(0)
            if handle.read(4) == b"PK\x03\x04":
                raise ImportFileError(
                    [Problem(name, "is a zip file that is damaged or cut short; download it again")]
                )
            handle.seek(0)
            size = file_size(handle)
            yield SourceMembers(name, lambda: iter([(name, handle, size)]), plain=True)
    finally:
        if isinstance(source, str | Path):
            handle.close()


def zip_members(handle: BinaryIO, name: str) -> SourceMembers:
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        raise ImportFileError([Problem(name, f"is not a readable zip file ({exc})")]) from None
    chosen = choose_zip_members(archive.infolist())
    if not chosen:
        listed = ", ".join(i.filename for i in archive.infolist()[:10])
        raise ImportFileError(
            [Problem(name, f"holds no postcode CSV file Seat Finder recognises (it has: {listed})")]
        )

    def opener():
        for info in chosen:
            with archive.open(info) as member:
                # A C-level line reader over the decompressed data: ZipExtFile.readline is Python.
                yield f"{name}: {info.filename}", io.BufferedReader(member, 1 << 20), info.file_size

    shown = (
        chosen[0].filename
        if len(chosen) == 1
        else f"{len(chosen)} files in {Path(chosen[0].filename).parent}"
    )
    return SourceMembers(f"{name}: {shown}", opener)


def choose_zip_members(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The data file in an ONS download: Data/ONSPD_AUG_2024_UK.csv (not the per-area copies in
    Data/multi_csv, nor the code lists in Documents/). Failing that, the per-area files together, or
    the only CSV in the zip."""
    csvs = [i for i in infos if i.filename.lower().endswith(".csv") and not i.is_dir()]
    in_data = [i for i in csvs if Path(i.filename).parent.name.lower() == "data"]
    if len(in_data) == 1:
        return in_data
    per_area = sorted(
        (i for i in csvs if Path(i.filename).parent.name.lower() == "multi_csv"), key=lambda i: i.filename
    )
    if per_area and not in_data:
        return per_area
    outside_documents = [i for i in csvs if "documents" not in Path(i.filename).parts[0].lower()]
    if len(outside_documents) == 1:
        return outside_documents
    if len(csvs) == 1:
        return csvs
    return []


def ends_with_line_break(stream: BinaryIO) -> bool:
    """Whether the file's last byte ends a line (True if the stream cannot be re-read to tell)."""
    try:
        stream.seek(-1, io.SEEK_END)
        return stream.read(1) in (b"\n", b"\r")
    except (OSError, ValueError, AttributeError):
        return True


def unreadable_csv_message(exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return (
            'ends inside a quoted cell (a " opened on or before this row is never closed): it looks '
            "truncated (cut short while downloading or copying); download it again"
        )
    return f"is not a readable CSV file ({exc})"


def file_size(handle: BinaryIO) -> int | None:
    try:
        position = handle.tell()
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(position)
        return size
    except (OSError, AttributeError):
        return None


def read_short_codes(path: Path) -> dict[str, str]:
    """mySociety short code (UKPARL.2025.ABC) -> ONS code, from any CSV that has both."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = [clean_column(h) for h in next(reader, [])]
            short = next((c for c in SHORT_CODE_COLUMNS if c in header), None)
            ons = next((c for c in ("gss_code", "ons_id", "pcon24cd", "pcon") if c in header), None)
            if short is None or ons is None:
                raise ImportFileError(
                    [
                        Problem(
                            path.name,
                            "needs a short code column (short_code or mysoc_short_code) and an ONS code "
                            "column (gss_code or ons_id) to resolve mySociety short codes",
                            row=1,
                        )
                    ]
                )
            i_short, i_ons = header.index(short), header.index(ons)
            return {
                row[i_short].strip(): row[i_ons].strip()
                for row in reader
                if len(row) > max(i_short, i_ons) and row[i_short].strip()
            }
    except OSError as exc:
        raise ImportFileError([Problem(str(path), f"cannot be read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise ImportFileError([Problem(path.name, "is not UTF-8 text")]) from None
