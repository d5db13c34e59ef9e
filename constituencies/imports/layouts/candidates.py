"""Results with one row per candidate: the House of Commons Library candidate file, and the plain long
format ons_id,constituency,party,votes[,candidate][,electorate]."""

from __future__ import annotations

from datetime import date

from constituencies.imports.layouts.parsed import Layout, ParsedCandidacy, ParsedContest
from constituencies.imports.layouts.rows import RowReader
from constituencies.rules.files import Table


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


HOC_CANDIDATE = Layout(
    "hoc-candidate",
    "House of Commons Library, one row per candidate",
    frozenset({"ONS ID", "Constituency name", "Party abbreviation", "Votes"}),
    read_hoc_candidates,
)
LONG = Layout(
    "long",
    "ons_id,constituency,party,votes[,candidate]",
    frozenset({"ons_id", "constituency", "party", "votes"}),
    read_long,
)
