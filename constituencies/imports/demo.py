"""Demo data for a fresh machine, offline: the House of Commons Library general election results 2010-2019
that ship inside the `uk-politics` package, the 2024 results and small files in fixtures/ (fixtures/README.md).
Each election is imported only when its files differ from those of its latest import (service.already_imported).
"""

from __future__ import annotations

import csv
import importlib.util
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from constituencies.imports.centres import CentresImporter, CentresSummary
from constituencies.imports.demo_fixtures import (
    DEMO_CENTRES_FILE,
    DEMO_POSTCODES_FILES,
    FIXTURES_DIR,
    load_demo_postcodes,
    read_fixture,
)
from constituencies.imports.elections import boundary_set_name, default_election_name
from constituencies.imports.layouts.parsed import OTHER_CANDIDATES, ParsedCandidacy, ParsedContest
from constituencies.imports.results import ImportSummary, ResultsImporter
from constituencies.imports.service import ResultsUpload, already_imported, apply_import, record_import
from constituencies.models import BoundarySet, Election, Party, ResultsImport
from constituencies.rules.files import ImportFileError, Problem, decode_text, parse_count, read_bytes
from constituencies.rules.parties import DEFAULT_PARTIES

FIRST_DEMO_YEAR = 2010  # earlier elections in the package were fought on older boundaries
DEMO_BOUNDARIES = "2010"
PACKAGE_ELECTIONS = ("ge2010", "ge2015", "ge2017", "ge2019")  # those of the package from FIRST_DEMO_YEAR
DEMO_USER = "manage.py load_demo"


@dataclass(frozen=True)
class DemoElection:
    """An election the demo imports from fixtures/, with the same importer as `manage.py import_results`."""

    slug: str
    name: str
    date: date
    kind: str
    boundaries: str
    file: str
    candidates_file: str | None = None


# In this order: the by-election after the general election before it, 2024 last.
DEMO_FIXTURE_ELECTIONS = (
    DemoElection(
        "by-batley-and-spen-2021",
        "2021 Batley and Spen by-election",
        date(2021, 7, 1),
        Election.Kind.BY_ELECTION,
        DEMO_BOUNDARIES,
        "by-batley-and-spen-2021.csv",
    ),
    DemoElection(
        "ge2024",
        "2024 general election",
        date(2024, 7, 4),
        Election.Kind.GENERAL,
        "2024",
        "hoc-ge2024-results-by-constituency.csv",
        "hoc-ge2024-results-by-candidate.csv",
    ),
)

# Minor candidates the package lumps into "Other" who came first or second (or the largest of them where the
# lump outpolls the second named party), typed from the declared results.
DEMO_OTHER_CANDIDATES_FILE = "demo-other-candidates.csv"
OTHER_CANDIDATES_HEADER = ["date", "ons_id", "constituency", "party", "candidate", "votes"]

UK_POLITICS_LAYOUT = "uk-politics"  # the package's long TSV, as the import records name it

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
    """The election as the demo describes it, written only if it is missing or differs (a write would give the
    seat data version a new number, and every cached answer with it)."""
    wanted = {"name": name, "date": polling_day, "kind": kind, "boundary_set_id": boundaries.pk}
    election = Election.objects.filter(slug=slug).select_related("boundary_set").first()
    if election is not None and all(getattr(election, field) == value for field, value in wanted.items()):
        return election
    return Election.objects.update_or_create(slug=slug, defaults=wanted)[0]


class DemoLoader:
    """Loads the demo in one transaction. `summaries` are the elections imported, `unchanged` the names of those
    whose files were imported before and have not changed since (and so were left alone), `postcodes` how many
    demo postcodes were written on which boundaries, `centres` the seat centres' import."""

    def __init__(self):
        self.summaries: list[ImportSummary] = []
        self.unchanged: list[str] = []
        self.postcodes: list[tuple[int, str]] = []
        self.centres: CentresSummary | None = None

    def load(self) -> list[ImportSummary]:
        with transaction.atomic():
            ensure_default_parties()
            boundary_set("2024")
            self._load_uk_politics(boundary_set(DEMO_BOUNDARIES))
            for demo in DEMO_FIXTURE_ELECTIONS:
                self._load_fixture_election(demo)
            self._load_postcodes()
            self.centres = CentresImporter(
                *read_bytes(FIXTURES_DIR / DEMO_CENTRES_FILE), boundaries="2024"
            ).run()
        return self.summaries

    def _load_uk_politics(self, boundaries: BoundarySet) -> None:
        upload = ResultsUpload.from_files(
            uk_politics_results_path(), candidates_path=FIXTURES_DIR / DEMO_OTHER_CANDIDATES_FILE
        )
        loaded = Election.objects.filter(slug__in=PACKAGE_ELECTIONS).select_related("boundary_set")
        unchanged = [e for e in loaded.order_by("-date") if already_imported(upload, e)]
        if len(unchanged) == len(PACKAGE_ELECTIONS):
            self.unchanged.extend(e.name for e in unchanged)
            return  # the package is not even read
        by_date = read_uk_politics_results(decode_text(upload.data, upload.file_name), upload.file_name)
        split_out_other_candidates(by_date, upload.file_name, FIXTURES_DIR / DEMO_OTHER_CANDIDATES_FILE)
        # Newest first, so constituencies take the names used in 2019; the package
        # spells some differently in earlier years ("Devon Central"), so names are not checked.
        for polling_day, contests in sorted(by_date.items(), reverse=True):
            slug, kind = f"ge{polling_day.year}", Election.Kind.GENERAL
            election = demo_election(
                slug, default_election_name(slug, kind, polling_day), polling_day, kind, boundaries
            )
            if election in unchanged:
                self.unchanged.append(election.name)
                continue
            summary = ResultsImporter(election, contests, upload.file_name, check_names=False).run()
            record_import(
                upload,
                summary,
                election,
                layout=UK_POLITICS_LAYOUT,
                rows_read=sum(len(contest.candidacies) for contest in contests),
                source=ResultsImport.Source.COMMAND,
                username=DEMO_USER,
            )
            self.summaries.append(summary)

    def _load_fixture_election(self, demo: DemoElection) -> None:
        candidates = FIXTURES_DIR / demo.candidates_file if demo.candidates_file else None
        upload = ResultsUpload.from_files(FIXTURES_DIR / demo.file, candidates_path=candidates)
        election = demo_election(demo.slug, demo.name, demo.date, demo.kind, boundary_set(demo.boundaries))
        if already_imported(upload, election):
            self.unchanged.append(election.name)
            return
        outcome = apply_import(upload, election, source=ResultsImport.Source.COMMAND, username=DEMO_USER)
        self.summaries.append(outcome.summary)

    def _load_postcodes(self) -> None:
        for code, file in DEMO_POSTCODES_FILES.items():
            boundaries = boundary_set(code)
            if written := load_demo_postcodes(boundaries, FIXTURES_DIR / file):
                self.postcodes.append((written, boundaries.name))
