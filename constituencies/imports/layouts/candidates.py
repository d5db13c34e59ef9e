"""Results with one row per candidate: the House of Commons Library candidate file, and the plain long
format ons_id,constituency,party,votes[,candidate][,electorate]. One reader serves both; `CandidateColumns`
says where each layout keeps what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from constituencies.imports.layouts.parsed import Layout, ParsedCandidacy, ParsedContest
from constituencies.imports.layouts.rows import RowReader
from constituencies.rules.files import Table


@dataclass(frozen=True)
class CandidateColumns:
    ons_id: str
    constituency: str
    votes: str
    party: tuple[str, ...]  # the first one filled in; a missing party is reported in the first
    party_hint: str  # how to write an independent, in the missing-party message
    candidate: tuple[str, ...]  # joined with spaces
    duplicate_column: str
    # (party, candidate, ONS code, the earlier row) -> the message for a candidate listed twice
    duplicate: Callable[[str, str, str, int], str]
    region: str | None = None
    country: str | None = None
    electorate: str | None = None  # read from the seat's first row, where the header has it
    party_name: str | None = None
    sitting_mp: str | None = None  # "Yes" or "No"


HOC_CANDIDATE_COLUMNS = CandidateColumns(
    ons_id="ONS ID",
    constituency="Constituency name",
    votes="Votes",
    party=("Party abbreviation", "Party name"),
    party_hint="Ind",
    candidate=("Candidate first name", "Candidate surname"),
    duplicate_column="Candidate surname",
    duplicate=lambda party, candidate, ons_id, row: (
        f"{candidate} ({party}) in {ons_id} is already on row {row}"
    ),
    region="Region name",
    country="Country name",
    party_name="Party name",
    sitting_mp="Sitting MP",
)

LONG_COLUMNS = CandidateColumns(
    ons_id="ons_id",
    constituency="constituency",
    votes="votes",
    party=("party",),
    party_hint="Independent",
    candidate=("candidate",),
    duplicate_column="party",
    duplicate=lambda party, candidate, ons_id, row: (
        f"{party} {candidate} in {ons_id} is already on row {row}".replace("  ", " ")
    ),
    electorate="electorate",
)


def _cell(values: dict, column: str | None) -> str:
    return values.get(column, "") if column else ""


def read_candidate_rows(
    table: Table, election_date: date | None = None, *, columns: CandidateColumns
) -> list[ParsedContest]:
    reader = RowReader(table)
    contests: dict[str, ParsedContest] = {}
    seen: dict[tuple, int] = {}
    for row, values in table.rows:
        ons_id = reader.ons_id(row, values, columns.ons_id)
        votes = reader.count(row, values, columns.votes)
        party = next((values[c] for c in columns.party if values.get(c)), "")
        if not party:
            reader.problem(
                row, columns.party[0], f"the party is missing (use {columns.party_hint} for an independent)"
            )
        if ons_id is None or votes is None or not party:
            continue
        candidate = " ".join(filter(None, [values.get(c, "") for c in columns.candidate]))
        key = (ons_id, party, candidate)
        if key in seen:
            reader.problem(
                row, columns.duplicate_column, columns.duplicate(party, candidate, ons_id, seen[key])
            )
            continue
        seen[key] = row
        name = values.get(columns.constituency, "")
        contest = contests.get(ons_id)
        if contest is None:
            contest = contests[ons_id] = ParsedContest(
                ons_id=ons_id,
                name=name,
                row=row,
                region=_cell(values, columns.region),
                country=_cell(values, columns.country),
            )
            if columns.electorate in values:
                contest.electorate = reader.optional_count(row, values, columns.electorate)
        elif contest.name != name:
            reader.problem(row, columns.constituency, f'{ons_id} was "{contest.name}" on row {contest.row}')
        contest.candidacies.append(
            ParsedCandidacy(
                party,
                votes,
                candidate_name=candidate,
                party_name=_cell(values, columns.party_name),
                is_sitting_mp={"yes": True, "no": False}.get(_cell(values, columns.sitting_mp).lower()),
                row=row,
            )
        )
    for contest in contests.values():
        contest.valid_votes = contest.total_votes
    return reader.finish(list(contests.values()))


HOC_CANDIDATE = Layout(
    "hoc-candidate",
    "House of Commons Library, one row per candidate",
    frozenset({"ONS ID", "Constituency name", "Party abbreviation", "Votes"}),
    partial(read_candidate_rows, columns=HOC_CANDIDATE_COLUMNS),
)
LONG = Layout(
    "long",
    "ons_id,constituency,party,votes[,candidate]",
    frozenset({"ons_id", "constituency", "party", "votes"}),
    partial(read_candidate_rows, columns=LONG_COLUMNS),
)
