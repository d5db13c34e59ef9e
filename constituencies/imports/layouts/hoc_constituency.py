"""House of Commons Library results, one row per constituency.

Minor candidates are lumped in "All other candidates"; an independent or Speaker winner is split out using
"Of which other winner", and a minor-party runner-up using the majority.
"""

from __future__ import annotations

from datetime import date

from constituencies.imports.layouts.parsed import OTHER_CANDIDATES, Layout, ParsedCandidacy, ParsedContest
from constituencies.imports.layouts.rows import RowReader
from constituencies.rules.files import Table

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
    reader.no_duplicate_seats(contests, "ONS ID")
    return reader.finish(contests)


HOC_CONSTITUENCY = Layout(
    "hoc-constituency",
    "House of Commons Library, one row per constituency",
    frozenset(HOC_SEAT_REQUIRED),
    read_hoc_constituency,
)
