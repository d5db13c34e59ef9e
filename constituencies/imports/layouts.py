"""The results file layouts Seat Finder reads, and how to tell them apart by their header.

Each layout turns a Table into ParsedContest objects and reports every problem it
finds with its row and column. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from constituencies.models import ONS_CODE_PATTERN, Candidacy, Constituency, Party, Result
from constituencies.rules.files import (
    ImportFileError,
    Problem,
    Table,
    clean_header,
    decode_text,
    parse_count,
    parse_table,
)

ONS_CODE = re.compile(ONS_CODE_PATTERN)
OTHER_CANDIDATES = "Oth"

# No constituency has anywhere near this many voters; larger numbers are typing mistakes (and would not fit).
MAX_COUNT = 10_000_000

# The Brexit Party became Reform UK on 6 January 2021.
REFORM_UK_FROM = date(2021, 1, 6)


@dataclass
class ParsedCandidacy:
    party: str  # a party code or name as the file gives it
    votes: int
    candidate_name: str = ""
    party_name: str = ""  # the full name, where the file gives one beside a code
    is_sitting_mp: bool | None = None
    is_combined: bool = False  # several minor candidates, none first or second
    row: int | None = None  # where the file has a row per candidate


@dataclass
class ParsedContest:
    ons_id: str
    name: str
    row: int
    region: str = ""
    country: str = ""
    electorate: int | None = None
    valid_votes: int | None = None
    invalid_votes: int | None = None
    description: str = ""
    declared_winner: str | None = None
    candidacies: list[ParsedCandidacy] = field(default_factory=list)

    @property
    def total_votes(self) -> int:
        return sum(c.votes for c in self.candidacies)


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

    def finish(self, contests: list[ParsedContest]) -> list[ParsedContest]:
        if self.problems:
            raise ImportFileError(self.problems)
        return contests


def _no_duplicate_seats(reader: RowReader, contests: list[ParsedContest], column: str) -> None:
    seen: dict[str, int] = {}
    for contest in contests:
        if contest.ons_id in seen:
            reader.problem(
                contest.row,
                column,
                f"{contest.ons_id} ({contest.name}) appears twice; it is already on row {seen[contest.ons_id]}",
            )
        else:
            seen[contest.ons_id] = contest.row


# --- House of Commons Library: one row per constituency ----------------------------------------

HOC_SEAT_COLUMNS = {
    "ONS ID", "ONS region ID", "Constituency name", "County name", "Region name", "Country name",
    "Constituency type", "Declaration time", "Member first name", "Member surname", "Member gender",
    "Result", "First party", "Second party", "Electorate", "Valid votes", "Invalid votes", "Majority",
    "All other candidates", "Of which other winner",
}  # fmt: skip
HOC_SEAT_REQUIRED = {
    "ONS ID",
    "Constituency name",
    "First party",
    "Second party",
    "Valid votes",
    "Majority",
    "All other candidates",
}


def read_hoc_constituency(table: Table, election_date: date | None = None) -> list[ParsedContest]:
    reader = RowReader(table)
    party_columns = [h for h in table.header if h and h not in HOC_SEAT_COLUMNS]
    contests = []
    for row, values in table.rows:
        ons_id = reader.ons_id(row, values, "ONS ID")
        valid = reader.count(row, values, "Valid votes")
        majority = reader.count(row, values, "Majority")
        others = reader.count(row, values, "All other candidates", blank=0)
        other_winner = reader.count(row, values, "Of which other winner", blank=0)
        by_party = {col: reader.count(row, values, col, blank=0) for col in party_columns}
        first, second = values["First party"], values["Second party"]
        if not first:
            reader.problem(row, "First party", "the winning party is missing")
        if None in (ons_id, valid, majority, others, other_winner, *by_party.values()) or not first:
            continue

        member = " ".join(
            filter(None, [values.get("Member first name", ""), values.get("Member surname", "")])
        )
        contest = ParsedContest(
            ons_id=ons_id,
            name=values["Constituency name"],
            row=row,
            region=values.get("Region name", ""),
            country=values.get("Country name", ""),
            electorate=reader.optional_count(row, values, "Electorate"),
            valid_votes=valid,
            invalid_votes=reader.optional_count(row, values, "Invalid votes"),
            description=values.get("Result", ""),
            declared_winner=first,
        )
        for party, votes in by_party.items():
            if votes:
                name = member if party == first else ""
                contest.candidacies.append(ParsedCandidacy(party, votes, candidate_name=name))

        # Minor candidates are lumped together; split out the winner and runner-up when
        # they are among them, using "Of which other winner" and the majority.
        remaining = others
        if first not in by_party:
            if not other_winner:
                reader.problem(row, "Of which other winner", f"the winner ({first}) has no votes in this row")
                continue
            contest.candidacies.append(ParsedCandidacy(first, other_winner, candidate_name=member))
            remaining -= other_winner
        winner_votes = by_party.get(first, other_winner)
        if second in by_party and winner_votes - by_party[second] != majority:
            reader.problem(
                row,
                "Majority",
                f"is {majority:,} but {first} minus {second} is {winner_votes - by_party[second]:,}",
            )
        elif second and second not in by_party:
            runner_up_votes = winner_votes - majority
            if runner_up_votes < 0:
                reader.problem(
                    row,
                    "Majority",
                    f"is {majority:,}, more than the {winner_votes:,} votes of the winner ({first}), so "
                    f"{second}'s votes cannot be worked out",
                )
                continue
            contest.candidacies.append(ParsedCandidacy(second, runner_up_votes))
            remaining -= runner_up_votes
        if remaining < 0:
            reader.problem(
                row,
                "All other candidates",
                f"{others} is fewer than the votes of the winner and runner-up it should include",
            )
            continue
        if remaining:
            contest.candidacies.append(ParsedCandidacy(OTHER_CANDIDATES, remaining, is_combined=True))

        if contest.total_votes != valid:
            reader.problem(
                row,
                "Valid votes",
                f"the party columns add up to {contest.total_votes:,} but Valid votes is {valid:,}",
            )
        ranked = sorted(contest.candidacies, key=lambda c: -c.votes)
        leader = next(c for c in ranked if not c.is_combined)
        if leader.party != first and leader.votes != winner_votes:
            reader.problem(row, "First party", f"says {first} won but {leader.party} has the most votes")
        contests.append(contest)
    _no_duplicate_seats(reader, contests, "ONS ID")
    return reader.finish(contests)


# --- House of Commons Library: one row per candidate -------------------------------------------


def read_hoc_candidates(table: Table, election_date: date | None = None) -> list[ParsedContest]:
    reader = RowReader(table)
    contests: dict[str, ParsedContest] = {}
    seen_candidates: dict[tuple, int] = {}
    for row, values in table.rows:
        ons_id = reader.ons_id(row, values, "ONS ID")
        votes = reader.count(row, values, "Votes")
        party = values.get("Party abbreviation") or values.get("Party name", "")
        if not party:
            reader.problem(row, "Party abbreviation", "the party is missing (use Ind for an independent)")
        if ons_id is None or votes is None or not party:
            continue
        candidate = " ".join(
            filter(None, [values.get("Candidate first name", ""), values.get("Candidate surname", "")])
        )
        key = (ons_id, party, candidate)
        if key in seen_candidates:
            reader.problem(
                row,
                "Candidate surname",
                f"{candidate} ({party}) in {ons_id} is already on row {seen_candidates[key]}",
            )
            continue
        seen_candidates[key] = row
        contest = contests.get(ons_id)
        if contest is None:
            contest = contests[ons_id] = ParsedContest(
                ons_id=ons_id,
                name=values.get("Constituency name", ""),
                row=row,
                region=values.get("Region name", ""),
                country=values.get("Country name", ""),
            )
        elif contest.name != values.get("Constituency name", ""):
            reader.problem(row, "Constituency name", f'{ons_id} was "{contest.name}" on row {contest.row}')
        sitting = values.get("Sitting MP", "").lower()
        contest.candidacies.append(
            ParsedCandidacy(
                party,
                votes,
                candidate_name=candidate,
                party_name=values.get("Party name", ""),
                is_sitting_mp={"yes": True, "no": False}.get(sitting),
                row=row,
            )
        )
    for contest in contests.values():
        contest.valid_votes = contest.total_votes
    return reader.finish(list(contests.values()))


# --- Plain long format: ons_id,constituency,party,votes[,candidate] ----------------------------


def read_long(table: Table, election_date: date | None = None) -> list[ParsedContest]:
    reader = RowReader(table)
    contests: dict[str, ParsedContest] = {}
    seen: dict[tuple, int] = {}
    for row, values in table.rows:
        ons_id = reader.ons_id(row, values, "ons_id")
        votes = reader.count(row, values, "votes")
        party = values.get("party", "")
        if not party:
            reader.problem(row, "party", "the party is missing (use Independent for an independent)")
        if ons_id is None or votes is None or not party:
            continue
        candidate = values.get("candidate", "")
        if (ons_id, party, candidate) in seen:
            reader.problem(
                row,
                "party",
                f"{party} {candidate} in {ons_id} is already on row {seen[ons_id, party, candidate]}".replace(
                    "  ", " "
                ),
            )
            continue
        seen[ons_id, party, candidate] = row
        contest = contests.get(ons_id)
        if contest is None:
            contest = contests[ons_id] = ParsedContest(
                ons_id=ons_id, name=values.get("constituency", ""), row=row
            )
            if "electorate" in values:
                contest.electorate = reader.optional_count(row, values, "electorate")
        elif contest.name != values.get("constituency", ""):
            reader.problem(row, "constituency", f'{ons_id} was "{contest.name}" on row {contest.row}')
        contest.candidacies.append(ParsedCandidacy(party, votes, candidate_name=candidate, row=row))
    for contest in contests.values():
        contest.valid_votes = contest.total_votes
    return reader.finish(list(contests.values()))


# --- Notional results: one row per seat, one lower-case column per party ---------------------

NOTIONAL_SEAT_COLUMNS = {
    "ons_id",
    "name",
    "mysoc_short_code",
    "country",
    "region",
    "electorate",
    "total_votes",
}
NOTIONAL_PARTY_CODES = {
    "con": "Con", "lab": "Lab", "ld": "LD", "green": "Green", "snp": "SNP", "pc": "PC", "dup": "DUP",
    "sf": "SF", "sdlp": "SDLP", "uup": "UUP", "apni": "APNI", "other": OTHER_CANDIDATES,
    "reform": "RUK", "brexit": "Brexit", "ukip": "UKIP", "ruk": "RUK",
}  # fmt: skip


def read_notional(table: Table, election_date: date | None = None) -> list[ParsedContest]:
    reader = RowReader(table)
    reform_code = "RUK" if election_date and election_date >= REFORM_UK_FROM else "Brexit"
    party_columns = [h for h in table.header if h and h not in NOTIONAL_SEAT_COLUMNS]
    contests = []
    for row, values in table.rows:
        ons_id = reader.ons_id(row, values, "ons_id")
        by_party = {col: reader.count(row, values, col, blank=0) for col in party_columns}
        total = reader.optional_count(row, values, "total_votes")
        if ons_id is None or None in by_party.values():
            continue
        contest = ParsedContest(
            ons_id=ons_id,
            name=values.get("name", ""),
            row=row,
            region=values.get("region", ""),
            country=values.get("country", ""),
            electorate=reader.optional_count(row, values, "electorate"),
        )
        for column, votes in by_party.items():
            if votes:
                party = (
                    reform_code if column == "reform_or_brexit" else NOTIONAL_PARTY_CODES.get(column, column)
                )
                contest.candidacies.append(ParsedCandidacy(party, votes))
        contest.valid_votes = contest.total_votes
        if total is not None and total != contest.total_votes:
            reader.problem(
                row,
                "total_votes",
                f"is {total:,} but the party columns add up to {contest.total_votes:,}",
            )
        contests.append(contest)
    _no_duplicate_seats(reader, contests, "ons_id")
    return reader.finish(contests)


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    required: frozenset[str]
    read: Callable[[Table, date | None], list[ParsedContest]]


LAYOUTS = {
    layout.name: layout
    for layout in [
        Layout("hoc-constituency", "House of Commons Library, one row per constituency", frozenset(HOC_SEAT_REQUIRED), read_hoc_constituency),
        Layout("hoc-candidate", "House of Commons Library, one row per candidate", frozenset({"ONS ID", "Constituency name", "Party abbreviation", "Votes"}), read_hoc_candidates),
        Layout("long", "ons_id,constituency,party,votes[,candidate]", frozenset({"ons_id", "constituency", "party", "votes"}), read_long),
        Layout("notional", "notional results: ons_id,name,...,con,lab,ld,...", frozenset({"ons_id", "name", "con", "lab"}), read_notional),
    ]
}  # fmt: skip


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


@dataclass
class ParsedFile:
    """A results file read and checked: its layout, the contests in it and how many data rows it had."""

    file_name: str
    layout: Layout
    contests: list[ParsedContest]
    rows_read: int
    candidates_file_name: str = ""


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
    check_lengths(contests, file_name, layout)
    return ParsedFile(file_name, layout, contests, rows_read=len(table.rows))


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def check_lengths(contests: list[ParsedContest], file_name: str, layout: Layout) -> None:
    """Text longer than the database keeps is a problem in the file, reported like any other."""
    limits = [
        ("name", "constituency name", _max_length(Constituency, "name")),
        ("region", "region", _max_length(Constituency, "region")),
        ("country", "country", _max_length(Constituency, "country")),
        ("description", "result description", _max_length(Result, "description")),
    ]
    party_limit, name_limit = _max_length(Party, "name"), _max_length(Candidacy, "candidate_name")
    problems = []
    for contest in contests:
        for attribute, label, limit in limits:
            value = getattr(contest, attribute)
            if len(value) > limit:
                problems.append(
                    Problem(
                        file_name,
                        f"the {label} is {len(value)} characters long; at most {limit} fit",
                        contest.row,
                    )
                )
        for candidacy in contest.candidacies:
            row = candidacy.row or contest.row
            for label, value, limit in [
                ("party", candidacy.party, party_limit),
                ("party name", candidacy.party_name, party_limit),
                ("candidate name", candidacy.candidate_name, name_limit),
            ]:
                if len(value) > limit:
                    problems.append(
                        Problem(
                            file_name,
                            f"the {label} is {len(value)} characters long; at most {limit} fit",
                            row,
                        )
                    )
    if problems:
        raise ImportFileError(problems)


def read_results_file(
    text: str, file_name: str, layout_name: str | None = None, election_date: date | None = None
) -> tuple[Layout, list[ParsedContest]]:
    parsed = parse_results_file(text, file_name, layout_name, election_date)
    return parsed.layout, parsed.contests


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
        if parsed.layout.name != "hoc-constituency":
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
            decode_text(candidates_data, candidates_name), candidates_name, "hoc-candidate", election_date
        )
        parsed.contests = add_candidate_details(parsed.contests, detail.contests, file_name, candidates_name)
        parsed.candidates_file_name = candidates_name
        parsed.rows_read += detail.rows_read
    return parsed


def add_candidate_details(
    seats: list[ParsedContest],
    candidates: list[ParsedContest],
    seats_file: str,
    candidates_file: str,
) -> list[ParsedContest]:
    """Take seat-level facts from the constituency file and the candidates from the candidate file.

    The two must agree: the same seats, the same total votes in each and the same
    votes for each party the constituency file names.
    """
    by_seat = {c.ons_id: c for c in candidates}
    problems = []
    for seat in seats:
        detail = by_seat.pop(seat.ons_id, None)
        if detail is None:
            problems.append(Problem(candidates_file, f"has no candidates for {seat.ons_id} ({seat.name})"))
            continue
        if detail.total_votes != seat.valid_votes:
            problems.append(
                Problem(
                    candidates_file,
                    f"{seat.name}: candidates' votes add up to {detail.total_votes:,} but {seats_file} "
                    f"row {seat.row} has {seat.valid_votes:,} valid votes",
                    row=detail.row,
                )
            )
            continue
        for party in {c.party for c in seat.candidacies if not c.is_combined}:
            in_seat = [c.votes for c in seat.candidacies if c.party == party]
            in_detail = [c.votes for c in detail.candidacies if c.party == party]
            # Independents may be several candidates on one side and one lump on the other.
            if len(in_seat) == len(in_detail) == 1 and in_seat != in_detail:
                problems.append(
                    Problem(
                        candidates_file,
                        f"{seat.name}: {party} has {in_detail[0]:,} votes but {in_seat[0]:,} in {seats_file}",
                        row=detail.row,
                    )
                )
        seat.candidacies = detail.candidacies
    for extra in by_seat.values():
        problems.append(
            Problem(
                candidates_file,
                f"{extra.ons_id} ({extra.name}) is not in {seats_file}",
                row=extra.row,
            )
        )
    if problems:
        raise ImportFileError(problems)
    return seats
