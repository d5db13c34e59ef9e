"""Reading uploaded or on-disk CSV files, and reporting what is wrong with them."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

MAX_PROBLEMS_SHOWN = 25


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None  # spreadsheet numbering: the header is row 1
    column: str | None = None

    def __str__(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f'column "{self.column}"')
        return f"{', '.join(where)}: {self.message}"


class ImportFileError(Exception):
    """The file cannot be imported. Nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(f"... and {hidden} more problems")
        return "\n".join(lines)


def decode_text(data: bytes, file_name: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark); anything else is refused with its position."""
    if not data.strip():
        raise ImportFileError([Problem(file_name, "the file is empty")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            [
                Problem(
                    file_name,
                    f"is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read); "
                    "save it as 'CSV UTF-8' and try again",
                    row=row,
                )
            ]
        ) from None
    if "\x00" in text:
        raise ImportFileError(
            [
                Problem(
                    file_name,
                    "contains NUL characters, so it is not a plain text CSV file; save it as 'CSV UTF-8' and try again",
                    row=text[: text.index("\x00")].count("\n") + 1,
                )
            ]
        )
    return text


def read_bytes(path: str | Path) -> tuple[str, bytes]:
    """Return (display name, bytes) for a file on disk."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError([Problem(str(path), f"cannot be read: {exc.strerror}")]) from None
    return path.name, data


def read_path(path: str | Path) -> tuple[str, str]:
    """Return (display name, text) for a file on disk."""
    name, data = read_bytes(path)
    return name, decode_text(data, name)


@dataclass
class Table:
    """A parsed CSV: the header and the data rows, each with its spreadsheet row number."""

    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    first_cells: list[tuple[int, list[str]]]  # the first rows as read, to spot a misplaced header
    overlong_rows: list[tuple[int, int]]  # (row, number of cells) for rows longer than the header

    def check_row_lengths(self) -> None:
        if self.overlong_rows:
            raise ImportFileError(
                [
                    Problem(
                        self.file,
                        f"has {cells} cells but the header has {len(self.header)}",
                        row=row,
                    )
                    for row, cells in self.overlong_rows
                ]
            )


def parse_table(text: str, file_name: str) -> Table:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [clean_header(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError([Problem(file_name, "the file is empty")]) from None
    except csv.Error as exc:
        raise ImportFileError([Problem(file_name, f"is not a readable CSV file ({exc})", row=1)]) from None
    rows, first_cells, overlong = [], [], []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row_number = reader.line_num
            if len(first_cells) < 10:
                first_cells.append((row_number, [v.strip() for v in values]))
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                overlong.append((row_number, len(values)))
            padded = values + [""] * (len(header) - len(values))
            rows.append((row_number, {h: v.strip() for h, v in zip(header, padded, strict=False)}))
    except csv.Error as exc:
        raise ImportFileError(
            [Problem(file_name, f"is not a readable CSV file ({exc})", row=reader.line_num)]
        ) from None
    return Table(file_name, header, rows, first_cells, overlong)


def clean_header(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split())


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")


def parse_count(value: str) -> int | None:
    """A whole number of votes: "1234" or "1,234". Returns None if it is not one."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    if _THOUSANDS.match(value):
        return int(value.replace(",", ""))
    return None
