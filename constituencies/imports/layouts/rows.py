"""Reading cells of a results table, collecting every problem with its row and column."""

from __future__ import annotations

from constituencies.imports.layouts.parsed import ParsedContest
from constituencies.rules.files import ImportFileError, Problem, Table, parse_count
from constituencies.rules.ons import ONS_CODE

# No constituency has anywhere near this many voters; larger numbers are typing mistakes (and would not fit).
MAX_COUNT = 10_000_000


class RowReader:
    """Collects problems while reading cells, so one pass reports them all."""

    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.table.file, message, row=row, column=column))

    def count(self, row: int, values: dict, column: str, *, blank: int | None = None) -> int | None:
        raw = values.get(column, "")
        if raw == "" and blank is not None:
            return blank
        number = parse_count(raw)
        if number is None:
            shown = f'"{raw}"' if raw else "an empty cell"
            self.problem(row, column, f"{shown} is not a whole number of votes")
        elif number > MAX_COUNT:
            self.problem(row, column, f"{number:,} is more than {MAX_COUNT:,}: too many for one constituency")
            return None
        return number

    def optional_count(self, row: int, values: dict, column: str) -> int | None:
        if values.get(column, "") == "":
            return None
        return self.count(row, values, column)

    def ons_id(self, row: int, values: dict, column: str) -> str | None:
        code = values.get(column, "").upper()
        if not ONS_CODE.match(code):
            shown = f'"{values.get(column, "")}"' if values.get(column) else "an empty cell"
            self.problem(
                row,
                column,
                f"{shown} is not a Westminster constituency ONS code (like E14001063, W07000081, "
                "S14000060 or N05000001)",
            )
            return None
        return code

    def no_duplicate_seats(self, contests: list[ParsedContest], column: str) -> None:
        seen: dict[str, int] = {}
        for contest in contests:
            if contest.ons_id in seen:
                self.problem(
                    contest.row,
                    column,
                    f"{contest.ons_id} ({contest.name}) appears twice; it is already on row {seen[contest.ons_id]}",
                )
            else:
                seen[contest.ons_id] = contest.row

    def finish(self, contests: list[ParsedContest]) -> list[ParsedContest]:
        if self.problems:
            raise ImportFileError(self.problems)
        return contests
