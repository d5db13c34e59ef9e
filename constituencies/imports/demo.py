"""Demo data for a fresh machine, offline: the House of Commons Library general election
results 2010-2019 that ship inside the `uk-politics` package, plus small files in fixtures/.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from constituencies.imports.elections import boundary_set_name, default_election_name
from constituencies.imports.layouts import load_results
from constituencies.imports.layouts.parsed import OTHER_CANDIDATES, ParsedCandidacy, ParsedContest
from constituencies.imports.results import ImportSummary, ResultsImporter
from constituencies.models import BoundarySet, Constituency, Election, Party, Postcode
from constituencies.rules.files import ImportFileError, Problem, parse_count, read_bytes, read_path
from constituencies.rules.names import name_key
from constituencies.rules.parties import DEFAULT_PARTIES
from constituencies.rules.postcodes import normalise_postcode

FIRST_DEMO_YEAR = 2010  # earlier elections in the package were fought on older boundaries
DEMO_BOUNDARIES = "2010"
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@dataclass(frozen=True)
class DemoByElection:
    slug: str
    name: str
    date: date
    file: str


DEMO_BY_ELECTIONS = (
    DemoByElection(
        "by-batley-and-spen-2021",
        "2021 Batley and Spen by-election",
        date(2021, 7, 1),
        "by-batley-and-spen-2021.csv",
    ),
)

# Minor candidates the package lumps into "Other" who came first or second (or the largest of them where the
# lump outpolls the second named party), typed from the declared results.
DEMO_OTHER_CANDIDATES_FILE = "demo-other-candidates.csv"
OTHER_CANDIDATES_HEADER = ["date", "ons_id", "constituency", "party", "candidate", "votes"]

DEMO_POSTCODES_FILE = "demo-postcodes-2010.csv"
DEMO_POSTCODES_HEADER = [
    "postcode",
    "ons_id",
    "constituency",
    "terminated",
    "latitude",
    "longitude",
    "source",
]

SMALL_WORDS = {"and", "of", "the", "upon", "on", "under", "with", "in", "super", "le", "en"}


def constituency_title(name: str) -> str:
    """BATLEY AND SPEN -> Batley and Spen; STOKE-ON-TRENT CENTRAL -> Stoke-on-Trent Central."""

    def word(w: str, first: bool) -> str:
        if "-" in w:
            parts = w.split("-")
            return "-".join(word(p, first and i == 0) for i, p in enumerate(parts))
        lower = w.lower()
        if lower in SMALL_WORDS and not first:
            return lower
        return lower[:1].upper() + lower[1:]

    return " ".join(word(w, i == 0) for i, w in enumerate(name.split()))


def uk_politics_results_path() -> Path:
    spec = importlib.util.find_spec("uk_politics")  # finds the package without importing it (or pandas)
    if spec is None or not spec.submodule_search_locations:
        raise ImportFileError(
            [
                Problem(
                    "uk-politics",
                    "the uk-politics package is not installed (pip install uk-politics)",
                )
            ]
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "GE_results.tsv"


def polling_day_of(row: dict, file_name: str, row_number: int, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(row["date"])
    except ValueError:
        problems.append(Problem(file_name, f'"{row["date"]}" is not a date', row_number, "date"))
        return None


def read_uk_politics_results(text: str, file_name: str) -> dict[date, list[ParsedContest]]:
    """Read the package's long TSV: location (ONS|NAME|county|region|country|electorate), date, party, votes."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if reader.fieldnames != ["location", "date", "party", "votes"]:
        raise ImportFileError([Problem(file_name, f"unexpected header {reader.fieldnames}", row=1)])
    elections: dict[date, dict[str, ParsedContest]] = defaultdict(dict)
    problems = []
    for row_number, row in enumerate(reader, start=2):
        polling_day = polling_day_of(row, file_name, row_number, problems)
        if polling_day is None:
            continue
        if polling_day.year < FIRST_DEMO_YEAR:
            continue
        votes = parse_count(row["votes"])
        fields = row["location"].split("|")
        if votes is None or len(fields) != 6:
            problems.append(Problem(file_name, "cannot read this row", row=row_number))
            continue
        ons_id, name, _county, region, country, electorate = fields
        contest = elections[polling_day].get(ons_id)
        if contest is None:
            contest = elections[polling_day][ons_id] = ParsedContest(
                ons_id=ons_id,
                name=constituency_title(name),
                row=row_number,
                region=region,
                country=country,
                electorate=parse_count(electorate),
            )
        if votes:
            contest.candidacies.append(uk_politics_candidacy(row["party"], votes, row_number))
    if problems:
        raise ImportFileError(problems)
    return {day: list(contests.values()) for day, contests in sorted(elections.items())}


def uk_politics_candidacy(party: str, votes: int, row: int) -> ParsedCandidacy:
    # "Other" is every minor candidate of the seat together: never a party that could win or come second.
    if party == "Other":
        return ParsedCandidacy(OTHER_CANDIDATES, votes, is_combined=True, row=row)
    return ParsedCandidacy(party, votes, row=row)


def read_fixture(path: Path, header: list[str]) -> tuple[str, csv.DictReader]:
    """A small CSV file of ours, refused unless its header is exactly `header`."""
    file_name, text = read_path(path)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != header:
        raise ImportFileError([Problem(file_name, f"expected the header {','.join(header)}", row=1)])
    return file_name, reader


def read_other_candidates(
    path: Path,
) -> tuple[str, dict[tuple[date, str], list[tuple[int, ParsedCandidacy]]]]:
    """fixtures/demo-other-candidates.csv: (polling day, ONS code) -> [(row, candidacy)]."""
    file_name, reader = read_fixture(path, OTHER_CANDIDATES_HEADER)
    listed, problems = defaultdict(list), []
    for row_number, row in enumerate(reader, start=2):
        votes = parse_count(row["votes"])
        polling_day = polling_day_of(row, file_name, row_number, problems)
        if polling_day is None:
            continue
        if votes is None:
            problems.append(
                Problem(file_name, f'"{row["votes"]}" is not a whole number', row_number, "votes")
            )
            continue
        candidacy = ParsedCandidacy(row["party"], votes, candidate_name=row["candidate"], row=row_number)
        listed[polling_day, row["ons_id"]].append((row_number, candidacy))
    if problems:
        raise ImportFileError(problems)
    return file_name, listed


def split_out_other_candidates(by_date: dict[date, list[ParsedContest]], file_name: str, path: Path) -> None:
    """Take the candidates listed in `path` out of their seat's "Other" lump, as the House of Commons Library
    layout does with "Of which other winner", and refuse any seat whose lump could still hold its winner or
    runner-up: the package does not say who won, so the named parties are the top two only when the lump
    polled fewer votes than the second of them."""
    other_file, listed = read_other_candidates(path)
    contests = {(day, c.ons_id): c for day, day_contests in by_date.items() for c in day_contests}
    problems = []
    for (polling_day, ons_id), candidates in listed.items():
        row = candidates[0][0]
        contest = contests.get((polling_day, ons_id))
        if contest is None:
            problems.append(
                Problem(other_file, f"{file_name} has no {ons_id} on {polling_day}", row, "ons_id")
            )
            continue
        lump = other_lump(contest)
        taken = sum(candidacy.votes for _, candidacy in candidates)
        if lump is None or lump.votes < taken:
            problems.append(
                Problem(
                    other_file,
                    f"{contest.name} {polling_day.year} has {lump.votes if lump else 0:,} votes lumped as Other "
                    f"in {file_name}, fewer than the {taken:,} listed here",
                    row,
                    "votes",
                )
            )
            continue
        lump.votes -= taken
        contest.candidacies.extend(candidacy for _, candidacy in candidates)
        if not lump.votes:
            contest.candidacies.remove(lump)
    for polling_day, day_contests in by_date.items():
        for contest in day_contests:
            if problem := lump_could_hold_the_top_two(contest, polling_day, file_name, other_file):
                problems.append(problem)
    if problems:
        raise ImportFileError(problems)


def other_lump(contest: ParsedContest) -> ParsedCandidacy | None:
    return next((c for c in contest.candidacies if c.is_combined), None)


def lump_could_hold_the_top_two(
    contest: ParsedContest, polling_day: date, file_name: str, other_file: str
) -> Problem | None:
    lump = other_lump(contest)
    named = sorted((c.votes for c in contest.candidacies if not c.is_combined), reverse=True)
    second = named[1] if len(named) > 1 else 0
    if lump is None or lump.votes < second:
        return None
    return Problem(
        file_name,
        f"{contest.name} {polling_day.year}: the {lump.votes:,} votes lumped as Other are not fewer than the "
        f"second named party's {second:,}, so a minor candidate may have come first or second; list the "
        f"largest of them in {other_file}",
        lump.row,
        "votes",
    )


def ensure_default_parties() -> int:
    """Create the default parties that are missing; leave existing ones (and admins' bloc edits) alone."""
    created = Party.objects.bulk_create(
        [Party(code=p.code, name=p.name, colour=p.colour, bloc=p.bloc) for p in DEFAULT_PARTIES],
        ignore_conflicts=True,
    )
    return len(created)


def boundary_set(code: str) -> BoundarySet:
    return BoundarySet.objects.get_or_create(code=code, defaults={"name": boundary_set_name(code)})[0]


def demo_election(slug: str, name: str, polling_day: date, kind: str, boundaries: BoundarySet) -> Election:
    return Election.objects.update_or_create(
        slug=slug, defaults={"name": name, "date": polling_day, "kind": kind, "boundary_set": boundaries}
    )[0]


class DemoLoader:
    def __init__(self, progress: Callable[[str], None] | None = None):
        self.progress = progress or (lambda message: None)

    def load(self) -> list[ImportSummary]:
        file_name, text = read_path(uk_politics_results_path())
        by_date = read_uk_politics_results(text, file_name)
        split_out_other_candidates(by_date, file_name, FIXTURES_DIR / DEMO_OTHER_CANDIDATES_FILE)
        summaries = []
        with transaction.atomic():
            ensure_default_parties()
            boundary_set("2024")
            boundaries = boundary_set(DEMO_BOUNDARIES)
            # Newest first, so constituencies take the names used in 2019; the package
            # spells some differently in earlier years ("Devon Central"), so names are not checked.
            for polling_day, contests in sorted(by_date.items(), reverse=True):
                slug, kind = f"ge{polling_day.year}", Election.Kind.GENERAL
                name = default_election_name(slug, kind, polling_day)
                election = demo_election(slug, name, polling_day, kind, boundaries)
                self.progress(f"Importing {election.name} ({len(contests)} seats)")
                summaries.append(
                    ResultsImporter(election, contests, file_name, self.progress, check_names=False).run()
                )
            for by_election in DEMO_BY_ELECTIONS:
                election = demo_election(
                    by_election.slug,
                    by_election.name,
                    by_election.date,
                    Election.Kind.BY_ELECTION,
                    boundaries,
                )
                parsed = load_results(
                    *read_bytes(FIXTURES_DIR / by_election.file), election_date=by_election.date
                )
                self.progress(f"Importing {election.name}")
                summaries.append(ResultsImporter.for_file(parsed, election, self.progress).run())
            count = load_demo_postcodes(boundaries, FIXTURES_DIR / DEMO_POSTCODES_FILE)
            self.progress(f"{count} demo postcodes on the {boundaries.name}")
        return summaries


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_demo_postcodes(boundaries: BoundarySet, path: Path) -> int:
    """A handful of real, well-known postcodes (fixtures/demo-postcodes-2010.csv) so the look-up can be
    tried offline. Not the national importer: a few rows, checked, then replaced in bulk."""
    file_name, reader = read_fixture(path, DEMO_POSTCODES_HEADER)
    constituencies = {c.ons_id: c for c in Constituency.objects.filter(boundary_set=boundaries)}
    rows, problems = [], []
    for row_number, row in enumerate(reader, start=2):
        postcode = normalise_postcode(row["postcode"], uk_pattern_only=True)
        constituency = constituencies.get(row["ons_id"])
        if postcode is None:
            problems.append(
                Problem(file_name, f'"{row["postcode"]}" is not a postcode', row_number, "postcode")
            )
            continue
        if constituency is None or name_key(constituency.name) != name_key(row["constituency"]):
            problems.append(
                Problem(
                    file_name,
                    f'{row["ons_id"]} is not "{row["constituency"]}" on the {boundaries.name}',
                    row_number,
                    "ons_id",
                )
            )
            continue
        try:
            terminated = date.fromisoformat(f"{row['terminated']}-01") if row["terminated"] else None
            latitude, longitude = _optional_float(row["latitude"]), _optional_float(row["longitude"])
        except ValueError:
            problems.append(Problem(file_name, "cannot read the date or coordinates", row_number))
            continue
        rows.append(
            Postcode(
                boundary_set=boundaries,
                postcode=postcode,
                constituency=constituency,
                terminated_on=terminated,
                latitude=latitude,
                longitude=longitude,
            )
        )
    if problems:
        raise ImportFileError(problems)
    Postcode.objects.filter(boundary_set=boundaries, postcode__in=[r.postcode for r in rows]).delete()
    Postcode.objects.bulk_create(rows)
    return len(rows)
