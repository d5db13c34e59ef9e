"""A big plain CSV file is read in parts by several processes: the same directory and the same report as one
process reading it, and anything unusual read again by one process, which reports it exactly."""

import pytest
from django.core.management import CommandError
from django.db import transaction

from constituencies.postcodes.importer import PostcodeImporter, parallel, rows
from tests.postcodes.test_import_postcodes import (
    NORTH,
    ROWS,
    SOUTH,
    boundaries,  # noqa: F401 (a fixture)
    directory,
    import_postcodes,
    onspd_csv,
    simple_csv,
    write,
)

pytestmark = pytest.mark.usefixtures("boundaries")
NOISE = ("rows/s", "Took ", "parts at once", "Reading it again")


READ_IN_PARTS, READ_AGAIN = parallel.chunks_in_parts, PostcodeImporter._forget_reading


class RolledBack(Exception):
    pass


def outcome(path, monkeypatch, parts):
    """(report or error, directory, what happened) of one import of `path` read in `parts` parts, undone."""
    happened = []

    def in_parts(*args, **kwargs):
        happened.append("in parts")
        yield from READ_IN_PARTS(*args, **kwargs)

    def again(self):
        happened.append("read again")
        READ_AGAIN(self)

    monkeypatch.setattr(parallel, "parts_for", lambda size: parts)
    monkeypatch.setattr(parallel, "chunks_in_parts", in_parts)
    monkeypatch.setattr(PostcodeImporter, "_forget_reading", again)
    result = None
    try:
        with transaction.atomic():
            try:
                report = import_postcodes(path)
            except CommandError as error:
                report = str(error)
            result = report, directory(), happened
            raise RolledBack
    except RolledBack:
        pass
    return result


def same_both_ways(path, monkeypatch, parts=3) -> list[str]:
    """What happened, reading in parts, once checked that it gave what one process gives."""
    one_by_one, in_parts = outcome(path, monkeypatch, 1), outcome(path, monkeypatch, parts)
    assert one_by_one[2] == []
    assert in_parts[1] == one_by_one[1]
    kept = [
        [line for line in report.splitlines() if not any(n in line for n in NOISE)]
        for report, *_ in (one_by_one, in_parts)
    ]
    reading = [line for line in kept[1] if line.startswith("Reading ")]
    if "read again" in in_parts[2] and reading:  # it says again that it reads the file
        kept[1].remove(reading[0])
    assert kept[1] == kept[0]
    return in_parts[2], kept[1]


def many_rows(count=300, code=SOUTH, outward="AB12"):
    """Distinct postcodes, a third of them retired."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return [
        (
            f"{outward} {n % 10}{letters[n // 10 % 20]}{letters[n // 200 % 20]}",
            "198001",
            "" if n % 3 else "199606",
            code,
            "57.1",
            "-2.1",
        )
        for n in range(count)
    ]


def test_a_clean_file_gives_the_same_directory_and_report(tmp_path, monkeypatch):
    text = simple_csv(many_rows() + ROWS)
    happened, report = same_both_ways(write(tmp_path, "big.csv", text), monkeypatch)
    assert happened == ["in parts"]
    assert any(line.startswith("Stored 305 postcodes") for line in report)
    assert "  L99999999: 1 row, e.g. JE2 4WD" in report


def test_the_ons_layout_quoted_as_published(tmp_path, monkeypatch):
    happened, _ = same_both_ways(
        write(tmp_path, "onspd.csv", onspd_csv(many_rows() + ROWS)), monkeypatch, parts=4
    )
    assert happened == ["in parts"]


def test_a_bad_row_in_a_later_part_is_reported_as_one_process_reports_it(tmp_path, monkeypatch):
    bad = [
        *many_rows(),
        ("not a postcode", "198001", "", SOUTH, "57.1", "-2.1"),
        *many_rows(20, NORTH, "AB15"),
    ]
    happened, report = same_both_ways(write(tmp_path, "bad.csv", simple_csv(bad)), monkeypatch)
    assert happened == ["in parts", "read again"]
    assert 'bad.csv, row 302, column "pcds": "not a postcode" is not a UK postcode' in report


def test_a_quoted_cell_with_line_breaks_across_the_parts(tmp_path, monkeypatch):
    text = simple_csv(many_rows(150))
    text += (
        'AB21 1AA,"1980\n' + "\n" * 20_000 + '01",,S14000061,57.1,-2.1\n'
    )  # a start date over 20,001 lines
    text += "".join(",".join(row) + "\n" for row in many_rows(150, NORTH, "AB15")[100:])
    happened, report = same_both_ways(write(tmp_path, "lines.csv", text), monkeypatch, parts=2)
    assert happened == ["in parts", "read again"]
    assert any(line.startswith("Stored 201 postcodes") for line in report)


def test_a_file_cut_short_is_reported_as_one_process_reports_it(tmp_path, monkeypatch):
    text = simple_csv(many_rows()).rstrip("\n")
    happened, report = same_both_ways(write(tmp_path, "cut.csv", text), monkeypatch)
    assert happened == ["read again"]  # seen before the parts are read
    assert any("does not end with a line break" in line for line in report)


def test_unknown_codes_past_the_limit_are_counted_as_one_process_counts_them(tmp_path, monkeypatch):
    monkeypatch.setattr(rows, "MAX_UNKNOWN_CODES", 2)
    unknown = [(f"AB30 {n}AA", "198001", "", f"X{n}", "57.1", "-2.1") for n in range(5)]
    text = simple_csv([*many_rows(), unknown[0], *many_rows(100, NORTH, "AB15")[50:], *unknown[1:]])
    happened, report = same_both_ways(write(tmp_path, "codes.csv", text), monkeypatch)
    assert happened == ["in parts", "read again"]
    assert any(line.startswith("  (any of the codes after the first 1,000): 3 rows") for line in report)
