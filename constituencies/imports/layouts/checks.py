"""Checks over a whole parsed file: text against what the database keeps, and a candidate file against
the constituency file it adds names to."""

from __future__ import annotations

from constituencies.imports.layouts.parsed import ParsedContest
from constituencies.models import Candidacy, Constituency, Party, Result
from constituencies.rules.files import ImportFileError, Problem


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def check_lengths(contests: list[ParsedContest], file_name: str) -> None:
    """Text longer than the database keeps is a problem in the file, reported like any other."""
    seat_limits = [
        ("name", "constituency name", _max_length(Constituency, "name")),
        ("region", "region", _max_length(Constituency, "region")),
        ("country", "country", _max_length(Constituency, "country")),
        ("description", "result description", _max_length(Result, "description")),
    ]
    party_limit = _max_length(Party, "name")
    candidacy_limits = [
        ("party", "party", party_limit),
        ("party_name", "party name", party_limit),
        ("candidate_name", "candidate name", _max_length(Candidacy, "candidate_name")),
    ]
    problems = []
    for contest in contests:
        problems += _too_long(contest, seat_limits, file_name, contest.row)
        for candidacy in contest.candidacies:
            problems += _too_long(candidacy, candidacy_limits, file_name, candidacy.row or contest.row)
    if problems:
        raise ImportFileError(problems)


def _too_long(item, limits: list[tuple[str, str, int]], file_name: str, row: int) -> list[Problem]:
    return [
        Problem(file_name, f"the {label} is {len(value)} characters long; at most {limit} fit", row)
        for attribute, label, limit in limits
        if len(value := getattr(item, attribute)) > limit
    ]


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
