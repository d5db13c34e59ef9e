"""Notional results: one row per seat, one lower-case column per party."""

from __future__ import annotations

from datetime import date

from constituencies.imports.layouts.parsed import OTHER_CANDIDATES, Layout, ParsedCandidacy, ParsedContest
from constituencies.imports.layouts.rows import RowReader
from constituencies.rules.files import Table

# The Brexit Party became Reform UK on 6 January 2021.
REFORM_UK_FROM = date(2021, 1, 6)

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
                # "other" is every minor candidate of the seat together (the Speaker too, in Chorley).
                contest.candidacies.append(ParsedCandidacy(party, votes, is_combined=column == "other"))
        contest.valid_votes = contest.total_votes
        if total is not None and total != contest.total_votes:
            reader.problem(
                row,
                "total_votes",
                f"is {total:,} but the party columns add up to {contest.total_votes:,}",
            )
        contests.append(contest)
    reader.no_duplicate_seats(contests, "ons_id")
    return reader.finish(contests)


NOTIONAL = Layout(
    "notional",
    "notional results: ons_id,name,...,con,lab,ld,...",
    frozenset({"ons_id", "name", "con", "lab"}),
    read_notional,
)
