"""The poll projection file layouts Seat Finder reads, told apart by their header. No database.

- `mrp-collection`: MRPs collected in one file, as published in ../shared/data/mrp-averages-2024-06.csv:
  one row per seat and pollster (`Short Codes `, `Utility`, `MRP Poll Sheet` = YOUGOV MRPs (List),
  IPSOS MRP (List), ..., AVERAGE), a column per party (Con, Lab, LD, Green, SNP, PC, Reform, Other) with
  shares as "20.55%", or NA / NI / blank where the pollster gave no figure; seats by mySociety short code.
- `long`: ons_id,party,share, one row per seat and party.
- `wide`: ons_id,<party>,<party>,..., one row per seat and one column per party.

Each layout gives ParsedSources (one per pollster, or the file's one), party as the file names it, and
every problem with its row and column. Shares are checked to add up to about 100 (see share_total_problem).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from constituencies.rules.files import ImportFileError, Problem, Table

# Shares rounded to whole numbers, or to two decimals, add up to between about 98 and 102.
SHARE_TOTAL_TOLERANCE = 2
# An average takes each party's mean over the pollsters that gave it a figure; pollsters leave out
# different parties, so an average's figures can add up to a few points more or less than 100.
AVERAGE_TOTAL_TOLERANCE = 5
NO_FIGURE = {"", "NA", "N/A", "NI", "-"}  # NI: Survation's mark for a party it did not include
AVERAGE_SHEET = "AVERAGE"
KNOWN_POLLSTERS = {"YOUGOV": "YouGov", "IPSOS": "Ipsos", "SURVATION": "Survation", "FOCALDATA": "Focaldata"}
SEAT_COLUMNS = {"ons_id", "name", "constituency", "constituency_name", "region", "country"}
MRP_COLUMNS = {"Short Codes", "Utility", "MRP Poll Sheet", "Single Top Progressive"}
_NUMBER = re.compile(r"^\d{1,3}(\.\d+)?$")


@dataclass
class SeatShares:
    seat: str  # the ONS code, or the short code until it is resolved
    row: int
    name: str = ""  # for a short code, the name its mapping file gives
    shares: dict[str, float] = field(default_factory=dict)  # party as the file names it -> points
    column: dict[str, str] = field(default_factory=dict)  # party -> the column it came from
    rows: dict[str, int] = field(default_factory=dict)  # party -> its row (the long layout's own)


@dataclass
class ParsedSource:
    pollster: str  # "YouGov"; "" for the file's own projection (plain layouts, or the average)
    is_average: bool
    seats: list[SeatShares] = field(default_factory=list)


@dataclass
class ParsedProjectionFile:
    file_name: str
    layout: str
    sources: list[ParsedSource]
    rows_read: int
    by_short_code: bool  # seats are mySociety short codes, to be resolved to ONS codes

    @property
    def party_columns(self) -> dict[str, str]:
        """Every party named, with the first column (or "party") it appears in."""
        found: dict[str, str] = {}
        for source in self.sources:
            for seat in source.seats:
                for party, column in seat.column.items():
                    found.setdefault(party, column)
        return found


class ShareReader:
    """Reads share cells, collecting every problem so one pass reports them all."""

    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []
        self.bad_cells = 0
        self.bad_rows: set[int] = set()  # their totals are not checked: a bad cell is already said

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.table.file, message, row=row, column=column))

    def share(self, row: int, column: str, raw: str) -> float | None:
        """Points from "20.55%", "20.55" or "0"; None for no figure (NA, NI, blank) or a bad cell."""
        text = raw.strip().removesuffix("%").strip()
        if raw.strip().upper() in NO_FIGURE:
            return None
        if not _NUMBER.match(text) or float(text) > 100:
            self.bad_cells += 1
            self.bad_rows.add(row)
            self.problem(
                row, column, f'"{raw}" is not a share of the vote from 0 to 100 (like 20.55%), NA or NI'
            )
            return None
        return float(text)

    def total(self, source: ParsedSource, seat: SeatShares, complete: bool, column: str = "") -> None:
        """`column`: where the shares are (the long layout's "share"); else the row's party columns."""
        if self.bad_rows & {seat.row, *seat.rows.values()}:
            return
        message = share_total_problem(seat.shares, complete=complete, is_average=source.is_average)
        if message:
            if not column:
                parties = list(dict.fromkeys(seat.column.values())) or self.party_headers()
                column = " to ".join(dict.fromkeys([parties[0], parties[-1]])) if parties else ""
            self.problem(
                seat.row, column or None, f"{source.pollster or 'the'} shares for {seat.seat} {message}"
            )

    def party_headers(self) -> list[str]:
        return [h for h in self.table.header if h and h not in MRP_COLUMNS and h.lower() not in SEAT_COLUMNS]


def share_total_problem(shares: dict[str, float], *, complete: bool, is_average: bool) -> str | None:
    """Why one seat's shares cannot be right, if they cannot. With a figure for every party they must add
    up to 100 within the tolerance; with some parties left out (NA) those parties take the rest, so the
    others must only not add up to more."""
    if not shares:
        return "have no figure for any party (all NA or blank)"
    tolerance = AVERAGE_TOTAL_TOLERANCE if is_average else SHARE_TOTAL_TOLERANCE
    total = sum(shares.values())
    if total > 100 + tolerance or (complete and total < 100 - tolerance):
        expected = f"100 ± {tolerance}" if complete else f"at most {100 + tolerance}"
        return f"add up to {total:.2f}%, not {expected}"
    return None


def pollster_name(sheet: str) -> str:
    """ "YOUGOV MRPs (List)" -> "YouGov"; an unknown pollster keeps its own words."""
    words = re.sub(r"\(.*?\)|\bMRPs?\b", " ", sheet, flags=re.IGNORECASE).split()
    key = "".join(words).upper()
    return KNOWN_POLLSTERS.get(key, " ".join(words))


def read_mrp_collection(table: Table) -> list[ParsedSource]:
    reader = ShareReader(table)
    parties = [h for h in table.header if h and h not in MRP_COLUMNS]
    sources: dict[str, ParsedSource] = {}
    seen: dict[tuple[str, str], int] = {}
    for row, values in table.rows:
        seat_code, sheet = values.get("Short Codes", "").upper(), values.get("MRP Poll Sheet", "")
        if not seat_code or not sheet:
            reader.problem(row, "Short Codes" if not seat_code else "MRP Poll Sheet", "is empty")
            continue
        is_average = sheet.upper() == AVERAGE_SHEET
        pollster = "" if is_average else pollster_name(sheet)
        if not is_average and not pollster:
            reader.problem(row, "MRP Poll Sheet", f'"{sheet}" does not name a pollster')
            continue
        source = sources.setdefault(sheet.upper(), ParsedSource(pollster, is_average))
        if (sheet.upper(), seat_code) in seen:
            first = seen[(sheet.upper(), seat_code)]
            reader.problem(
                row, "Short Codes", f"{seat_code} appears twice for {sheet}; it is already on row {first}"
            )
            continue
        seen[(sheet.upper(), seat_code)] = row
        seat = SeatShares(seat_code, row)
        for party in parties:
            share = reader.share(row, party, values.get(party, ""))
            if share is not None:
                seat.shares[party], seat.column[party] = share, party
        reader.total(source, seat, complete=len(seat.shares) == len(parties))
        source.seats.append(seat)
    return _finish(reader, list(sources.values()))


def read_long(table: Table) -> list[ParsedSource]:
    reader = ShareReader(table)
    seats: dict[str, SeatShares] = {}
    complete: dict[str, bool] = {}
    for row, values in table.rows:
        seat_code, party = values.get("ons_id", "").upper(), values.get("party", "")
        if not seat_code or not party:
            reader.problem(row, "ons_id" if not seat_code else "party", "is empty")
            continue
        seat = seats.setdefault(seat_code, SeatShares(seat_code, row))
        if party in seat.rows:
            reader.problem(
                row,
                "party",
                f"{party} appears twice for {seat_code}; it is already on row {seat.rows[party]}",
            )
            continue
        seat.rows[party] = row
        share = reader.share(row, "share", values.get("share", ""))
        complete[seat_code] = complete.get(seat_code, True) and share is not None
        if share is not None:
            seat.shares[party], seat.column[party] = share, "party"
    source = ParsedSource("", False, list(seats.values()))
    for seat in source.seats:
        reader.total(source, seat, complete=complete[seat.seat], column="share")
    return _finish(reader, [source])


def read_wide(table: Table) -> list[ParsedSource]:
    reader = ShareReader(table)
    parties = [h for h in table.header if h and h.lower() not in SEAT_COLUMNS]
    source = ParsedSource("", False)
    seen: dict[str, int] = {}
    for row, values in table.rows:
        seat_code = values.get("ons_id", "").upper()
        if not seat_code:
            reader.problem(row, "ons_id", "is empty")
            continue
        if seat_code in seen:
            reader.problem(
                row, "ons_id", f"{seat_code} appears twice; it is already on row {seen[seat_code]}"
            )
            continue
        seen[seat_code] = row
        seat = SeatShares(seat_code, row)
        for party in parties:
            share = reader.share(row, party, values.get(party, ""))
            if share is not None:
                seat.shares[party], seat.column[party] = share, party
        reader.total(source, seat, complete=len(seat.shares) == len(parties))
        source.seats.append(seat)
    return _finish(reader, [source])


def _finish(reader: ShareReader, sources: list[ParsedSource]) -> list[ParsedSource]:
    seats = [seat for source in sources for seat in source.seats]
    if seats and not reader.bad_cells and not any(seat.shares for seat in seats):
        raise ImportFileError(
            [Problem(reader.table.file, "has no figures at all: every share is NA or blank")]
        )
    if reader.problems:
        raise ImportFileError(reader.problems)
    return sources


@dataclass(frozen=True)
class ProjectionLayout:
    name: str
    label: str
    required: frozenset[str]
    read: Callable[[Table], list[ParsedSource]]
    by_short_code: bool = False


PROJECTION_LAYOUTS = [
    ProjectionLayout("mrp-collection", "MRPs collected: Short Codes, MRP Poll Sheet, Con, Lab, ...", frozenset({"Short Codes", "MRP Poll Sheet"}), read_mrp_collection, by_short_code=True),
    ProjectionLayout("long", "ons_id,party,share (one row per party)", frozenset({"ons_id", "party", "share"}), read_long),
    ProjectionLayout("wide", "ons_id,<party>,<party>,... (one column per party)", frozenset({"ons_id"}), read_wide),
]  # fmt: skip


def read_projection_table(table: Table) -> ParsedProjectionFile:
    header = set(table.header)
    layout = next((layout for layout in PROJECTION_LAYOUTS if layout.required <= header), None)
    if layout is None:
        known = "; ".join(layout.label for layout in PROJECTION_LAYOUTS)
        shown = ", ".join(table.header[:8]) + (", ..." if len(table.header) > 8 else "")
        raise ImportFileError(
            [
                Problem(
                    table.file, f"unknown column layout (header: {shown}). Seat Finder reads: {known}", row=1
                )
            ]
        )
    repeated = sorted({h for h in table.header if h and table.header.count(h) > 1})
    if repeated:  # a dict of the row would keep only the last cell of each
        raise ImportFileError(
            [Problem(table.file, "appears more than once in the header", row=1, column=h) for h in repeated]
        )
    table.check_row_lengths()
    sources = layout.read(table)
    if not any(source.seats for source in sources):
        raise ImportFileError([Problem(table.file, "has a header but no rows of shares")])
    return ParsedProjectionFile(table.file, layout.name, sources, len(table.rows), layout.by_short_code)
