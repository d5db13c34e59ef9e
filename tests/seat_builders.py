"""Build elections for the seat list tests through the real importer (ResultsImporter), seat by seat."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command

from constituencies.importers.demo import boundary_set
from constituencies.importers.layouts import ParsedCandidacy, ParsedContest
from constituencies.importers.results import ResultsImporter
from constituencies.models import Election
from tests.conftest import SAMPLES

GE2024_ARGS = ["--election", "ge2024", "--date", "2024-07-04", "--boundaries", "2024"]


def import_ge2024_sample() -> Election:
    """The seven real 2024 seats in fixtures/samples (Godalming and Ash is the one tragedy)."""
    call_command(
        "import_results", str(SAMPLES / "hoc-ge2024-constituency-sample.csv"), *GE2024_ARGS, stdout=StringIO()
    )
    return Election.objects.get(slug="ge2024")


def seat(
    name: str,
    votes: dict[str, int],
    *,
    region: str = "London",
    country: str = "England",
    number: int = 1,
    candidates: dict[str, str] | None = None,
) -> ParsedContest:
    candidates = candidates or {}
    return ParsedContest(
        ons_id=f"{'S14' if country == 'Scotland' else 'E14'}{number:06d}",
        name=name,
        row=number + 1,
        region=region,
        country=country,
        electorate=sum(votes.values()) * 3 // 2,
        candidacies=[
            ParsedCandidacy(party, count, candidate_name=candidates.get(party, ""))
            for party, count in votes.items()
        ],
    )


def import_seats(
    slug: str, contests: list[ParsedContest], *, year: int = 2024, kind="general", boundaries: str = ""
) -> Election:
    election = Election(
        slug=slug,
        name=f"{year} test election {slug}",
        date=date(year, 7, 4),
        kind=kind,
        boundary_set=boundary_set(boundaries or str(year)),
    )
    ResultsImporter(election, contests, "test", check_names=False).run()
    return Election.objects.get(slug=slug)


def numbered_seats(count: int, *, start: int = 1) -> list[ParsedContest]:
    """`count` seats whose majorities grow with their number: every third a tragedy (Con wins, Lab+LD more)."""
    contests = []
    for n in range(start, start + count):
        if n % 3 == 0:  # Con 10,000 + n; Lab 9,000; LD 3,000: a progressive tragedy
            votes = {"Con": 10_000 + n * 10, "Lab": 9_000, "LD": 3_000, "Green": 500}
        elif n % 3 == 1:  # a safe Labour seat
            votes = {"Lab": 20_000 + n * 10, "Con": 8_000, "RUK": 4_000}
        else:  # a Conservative seat where the progressives together poll less
            votes = {"Con": 18_000 + n * 10, "Lab": 6_000, "Green": 1_000, "RUK": 3_000}
        region = ["London", "North West", "Scotland"][n % 3 if n % 5 else 0]
        country = "Scotland" if region == "Scotland" else "England"
        contests.append(seat(f"Seat {n:03d}", votes, region=region, country=country, number=n))
    return contests
