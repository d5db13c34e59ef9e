"""Checking each row of a postcode file and turning the good ones into lines of COPY text.

This loop runs for each of millions of rows, so it is written for speed: no call per row but the checks
themselves, counts kept in locals, the lines handed on a few thousand at a time.

Malformed rows are counted (the first few kept, with their row and column) and never stop the reading:
the importer refuses the whole file afterwards. Rows whose constituency is not on the boundary set are
skipped and counted by code.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

from constituencies.postcodes.importer.layout import PostcodeLayout
from constituencies.postcodes.importer.summary import PostcodeImportSummary
from constituencies.rules.files import MAX_PROBLEMS_SHOWN, Problem
from constituencies.rules.postcodes import INWARD_LETTERS, normalise_postcode

PROGRESS_EVERY = 250_000
MAX_UNKNOWN_CODES = 1_000
OTHER_CODES = f"(any of the codes after the first {MAX_UNKNOWN_CODES:,})"
# ONSPD and NSPL give 99.999999 (and longitude 0) for postcodes with no grid reference.
NO_GRID_REFERENCE = "99.999999"
SHORT_CODE = re.compile(r"^UKPARL\.\d{4}\.[A-Z]{3}$")
NULL = r"\N"  # COPY text format
DECIMAL = re.compile(r"-?[0-9]{1,3}(\.[0-9]+)?")
NO_COORDINATES = f"{NULL}\t{NULL}"
# "latitude<tab>longitude" certainly DECIMAL and in range (|latitude| < 90, |longitude| < 180), checked in one
# match without converting them; anything else is looked at closely (coordinates()).
USUAL_COORDINATES = re.compile(
    r"-?(?:0?[0-8])?[0-9](?:\.[0-9]+)?\t-?(?:1[0-7][0-9]|0?[0-9]?[0-9])(?:\.[0-9]+)?"
)
CHUNK_ROWS = 4096

# A postcode already in the official form ("AB1 0AA") is exactly what normalise_postcode() returns for it
# (a test checks this on arbitrary text); checking that first saves calling it on every one of millions
# of rows. Anything else goes through normalise_postcode().
_INWARD = "".join(sorted(INWARD_LETTERS))
OFFICIAL_FORM = re.compile(rf"[A-Z]{{1,2}}[0-9][A-Z0-9]? [0-9][{_INWARD}]{{2}}")


class Problems:
    """What is wrong with the files of one import: every problem counted, the first few kept."""

    def __init__(self):
        self.shown: list[Problem] = []
        self.count = 0

    def add(self, file_name: str, message: str, row: int | None = None, column: str | None = None):
        self.count += 1
        if len(self.shown) < MAX_PROBLEMS_SHOWN:
            self.shown.append(Problem(file_name, message, row=row, column=column))

    def with_total(self, file_name: str) -> list[Problem]:
        problems = list(self.shown)
        hidden = self.count - len(problems)
        if hidden > 0:
            problems.append(Problem(file_name, f"... and {hidden:,} more rows with problems"))
        return problems


class RowChecker:
    """Checks the rows of one file against its layout, yielding each good row as a line of COPY text.

    Counts go into the import's summary, problems into its Problems, and the ids of the constituencies
    given postcodes into `covered`."""

    def __init__(
        self,
        layout: PostcodeLayout,
        ids: dict[str, int],
        summary: PostcodeImportSummary,
        covered: set[str],
        problems: Problems,
        progress: Callable[[str], None],
    ):
        self.layout = layout
        self.ids = ids
        self.summary = summary
        self.covered = covered
        self.problems = problems
        self.progress = progress
        self.bucketed = False  # some unknown codes were counted together, as OTHER_CODES

    def chunks(self, reader, stream, file_name: str, size: int | None) -> Iterator[str]:
        """The good rows as lines of COPY text, CHUNK_ROWS rows' worth at a time."""
        layout, problem = self.layout, self.problems.add
        # The id as COPY text, once per constituency rather than once per row.
        ids = {code: str(pk) for code, pk in self.ids.items()}
        width = len(layout.header)
        i_postcode = layout.index(layout.postcode)
        i_code = layout.index(layout.constituency)
        i_terminated = layout.index(layout.terminated)
        i_lat, i_long = layout.index(layout.latitude), layout.index(layout.longitude)
        summary, covered = self.summary, self.covered
        unknown, examples = summary.unknown_codes, summary.unknown_examples
        official_form, usual_coordinates = OFFICIAL_FORM.fullmatch, USUAL_COORDINATES.fullmatch
        started = time.monotonic()
        out: list[str] = []
        append = out.append
        rows = stored = terminated_count = with_coordinates = 0
        try:
            for cells in reader:
                rows += 1
                if not rows % PROGRESS_EVERY:
                    self.report_progress(rows, started, stream, size)
                if len(cells) != width:
                    if not cells or cells == [""]:
                        rows -= 1  # a blank line
                        continue
                    noun = "cell" if len(cells) == 1 else "cells"
                    problem(
                        file_name, f"has {len(cells)} {noun} but the header has {width}", row=reader.line_num
                    )
                    continue
                postcode = cells[i_postcode]
                if not official_form(postcode):
                    postcode = normalise_postcode(postcode, uk_pattern_only=True)
                    if postcode is None:
                        shown = f'"{cells[i_postcode]}"' if cells[i_postcode] else "an empty cell"
                        problem(
                            file_name,
                            f"{shown} is not a UK postcode",
                            row=reader.line_num,
                            column=layout.postcode,
                        )
                        continue
                terminated = NULL
                if i_terminated is not None and (month := cells[i_terminated]):
                    if len(month) != 6 or not month.isdigit() or not "01" <= month[4:] <= "12":
                        problem(
                            file_name,
                            f'"{month}" is not a year and month (YYYYMM)',
                            row=reader.line_num,
                            column=layout.terminated,
                        )
                        continue
                    terminated = month + "01"  # YYYYMMDD, a date to COPY
                coordinates = NO_COORDINATES
                if i_lat is not None and (latitude := cells[i_lat]) and latitude != NO_GRID_REFERENCE:
                    longitude = cells[i_long]
                    coordinates = f"{latitude}\t{longitude}"
                    if (
                        not usual_coordinates(coordinates)
                        and self.coordinates(latitude, longitude, file_name, reader.line_num) is None
                    ):
                        continue
                code = cells[i_code]
                constituency_id = ids.get(code)
                if constituency_id is None:
                    code = code.strip()
                    constituency_id = ids.get(code)
                    if constituency_id is None:
                        if layout.short_codes and code and not SHORT_CODE.match(code):
                            problem(
                                file_name,
                                f'"{code}" is not a mySociety short code (UKPARL.2025.ABC)',
                                row=reader.line_num,
                                column=layout.constituency,
                            )
                            continue
                        if code not in unknown and len(unknown) >= MAX_UNKNOWN_CODES:
                            code = OTHER_CODES  # keep memory flat if a wrong column gives a new code on every row
                            self.bucketed = True
                        unknown[code] += 1
                        examples.setdefault(code, postcode)
                        continue
                covered.add(constituency_id)
                stored += 1
                if terminated is not NULL:
                    terminated_count += 1
                if coordinates is not NO_COORDINATES:
                    with_coordinates += 1
                append(f"{postcode}\t{constituency_id}\t{terminated}\t{coordinates}\n")
                if len(out) >= CHUNK_ROWS:
                    yield "".join(out)
                    out.clear()
            if out:
                yield "".join(out)
        finally:
            summary.rows_read += rows
            summary.stored += stored
            summary.terminated += terminated_count
            summary.with_coordinates += with_coordinates
        self.report_progress(rows, started, stream, size, final=True)

    def coordinates(self, lat: str, lng: str, file_name: str, row: int) -> tuple[str, str] | None:
        """The latitude and longitude as COPY text, or None (and a problem) if they are not numbers
        in range. They are passed on as written, once they are known to be plain decimals."""
        layout = self.layout
        for text, column in ((lat, layout.latitude), (lng, layout.longitude)):
            if not DECIMAL.fullmatch(text):
                shown = f'"{text}"' if text else "an empty cell"
                self.problems.add(file_name, f"{shown} is not a number", row=row, column=column)
                return None
        if not (-90 <= float(lat) <= 90 and -180 <= float(lng) <= 180):
            self.problems.add(
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
