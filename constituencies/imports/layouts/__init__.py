"""The results file layouts Seat Finder reads, how to tell them apart by their header, and the one way in
for a results file's bytes (`load_results`). Nothing here writes to the database."""

from __future__ import annotations

from datetime import date

from constituencies.imports.layouts.candidates import HOC_CANDIDATE, LONG
from constituencies.imports.layouts.checks import add_candidate_details, check_lengths
from constituencies.imports.layouts.hoc_constituency import HOC_CONSTITUENCY
from constituencies.imports.layouts.notional import NOTIONAL
from constituencies.imports.layouts.parsed import Layout, ParsedFile
from constituencies.rules.files import ImportFileError, Problem, Table, clean_header, decode_text, parse_table

# Detection tries them in this order.
LAYOUTS = {layout.name: layout for layout in [HOC_CONSTITUENCY, HOC_CANDIDATE, LONG, NOTIONAL]}


def detect_layout(table: Table) -> Layout:
    header = set(table.header)
    for layout in LAYOUTS.values():
        if layout.required <= header:
            return layout
    # A spreadsheet export with title rows above the real header is a common mistake.
    for row, values in table.first_cells:
        cells = {clean_header(v) for v in values if v}
        for layout in LAYOUTS.values():
            if layout.required <= cells:
                raise ImportFileError(
                    [
                        Problem(
                            table.file,
                            f"the column headings are on row {row}, not row 1; delete the "
                            f"{row - 1} row(s) above them and save the file again",
                            row=1,
                        )
                    ]
                )
    known = "; ".join(f"{layout.label}" for layout in LAYOUTS.values())
    shown = ", ".join(table.header[:8]) + (", ..." if len(table.header) > 8 else "")
    raise ImportFileError(
        [
            Problem(
                table.file,
                f"unknown column layout (header: {shown}). Seat Finder reads: {known}",
                row=1,
            )
        ]
    )


def parse_results_file(
    text: str, file_name: str, layout_name: str | None = None, election_date: date | None = None
) -> ParsedFile:
    table = parse_table(text, file_name)
    if layout_name:
        layout = LAYOUTS[layout_name]
        missing = sorted(layout.required - set(table.header))
        if missing:
            raise ImportFileError(
                [
                    Problem(
                        file_name,
                        f"is not in the {layout.name} layout: missing columns {', '.join(missing)}",
                        row=1,
                    )
                ]
            )
    else:
        layout = detect_layout(table)
    table.check_row_lengths()
    contests = layout.read(table, election_date)
    if not contests:
        raise ImportFileError([Problem(file_name, "has a header but no results rows")])
    check_lengths(contests, file_name)
    return ParsedFile(file_name, layout, contests, rows_read=len(table.rows))


def load_results(
    file_name: str,
    data: bytes,
    layout_name: str | None = None,
    election_date: date | None = None,
    candidates: tuple[str, bytes] | None = None,
) -> ParsedFile:
    """Decode and read a results file (and optionally the HoC candidate file that goes with it).

    The one way in for bytes from disk (manage.py import_results) and from an admin upload.
    """
    parsed = parse_results_file(decode_text(data, file_name), file_name, layout_name, election_date)
    if candidates:
        candidates_name, candidates_data = candidates
        if parsed.layout is not HOC_CONSTITUENCY:
            raise ImportFileError(
                [
                    Problem(
                        candidates_name,
                        "a candidate file can only be added to a House of Commons Library constituency file, "
                        f"and {file_name} is in the {parsed.layout.name} layout",
                    )
                ]
            )
        detail = parse_results_file(
            decode_text(candidates_data, candidates_name), candidates_name, HOC_CANDIDATE.name, election_date
        )
        parsed.contests = add_candidate_details(parsed.contests, detail.contests, file_name, candidates_name)
        parsed.candidates_file_name = candidates_name
        parsed.rows_read += detail.rows_read
    return parsed
