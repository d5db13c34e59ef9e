"""Where the rows come from: a CSV file, an uploaded file object, or a zip as the ONS publishes it.

Nothing here holds a file in memory: the CSV streams are read line by line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from constituencies.postcodes.importer.layout import SHORT_CODE_COLUMNS, clean_column
from constituencies.rules.files import ImportFileError, Problem

DEFAULT_SHORT_CODES_FILE = "notional-2019-on-2024-boundaries.csv"


@dataclass
class SourceMembers:
    """The CSV stream(s) in a source: one for a plain CSV, one or more for a zip."""

    display_name: str
    opener: Callable[[], Iterator[tuple[str, BinaryIO, int | None]]]
    plain: bool = False  # a CSV file rather than a zip
    path: Path | None = None  # a plain CSV file's path, which other processes can open too

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
            path = Path(source) if isinstance(source, str | Path) else None

            def opener():
                handle.seek(0)  # from the start each time: a file read in parts may be read again
                return iter([(name, handle, size)])

            yield SourceMembers(name, opener, plain=True, path=path)
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


def csv_reader(stream: BinaryIO):
    """A csv reader over a byte stream, without its byte order mark.

    Lines are decoded one by one (not through a TextIOWrapper) so that text which is not UTF-8 raises
    UnicodeDecodeError at its own row. `strict`: a quoted cell still open at the end of the file is an
    error, not a cell."""
    first = stream.readline()
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    return csv.reader(map(bytes.decode, itertools.chain([first], stream)), strict=True)


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


def short_codes_file(given: str | Path | None, file_name: str, progress: Callable[[str], None]) -> Path:
    """The file that turns mySociety short codes into ONS codes: the one given, else the notional 2019
    results in SEATFINDER_DATA_DIR."""
    if given:
        return Path(given)
    default = Path(settings.SEATFINDER_DATA_DIR) / DEFAULT_SHORT_CODES_FILE
    if default.is_file():
        progress(f"Resolving mySociety short codes to ONS codes with {default}")
        return default
    raise ImportFileError(
        [
            Problem(
                file_name,
                "gives constituencies as mySociety short codes (UKPARL.2025.ABC), which Seat Finder "
                "stores by ONS code: give a file that maps one to the other (--short-codes), such as "
                "mySociety's parl_constituencies_2025.csv (short_code, gss_code) or the notional 2019 "
                "results file (mysoc_short_code, ons_id)",
            )
        ]
    )


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
