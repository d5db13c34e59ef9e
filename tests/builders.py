"""Test data, built through the real importers so every seat is assessed exactly as an import would do it.

- Files: the samples in fixtures/ through `import_results` (`import_ge2024_sample`, `import_ge2019`).
- Contests typed here: `contest` for a real seat by its ONS code, `numbered_seat(s)` for made-up seats;
  `load_election` or `import_seats` imports them.
- `add_postcode` fills the postcode directory; `staff_user` makes an admin user with some permissions.
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import call_command

from constituencies.imports.demo import boundary_set
from constituencies.imports.layouts.parsed import ParsedCandidacy, ParsedContest
from constituencies.imports.results import ResultsImporter
from constituencies.models import Constituency, Election, Postcode
from constituencies.postcodes.lookup import AREA_COVERED_FROM

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "samples"
BATLEY_2021 = SAMPLES.parent / "by-batley-and-spen-2021.csv"

GE2024_ARGS = ["--election", "ge2024", "--date", "2024-07-04", "--boundaries", "2024"]
GE2024_DAY = date(2024, 7, 4)
GE2019_DAY = date(2019, 12, 12)


def import_results(*args) -> str:
    """Run `manage.py import_results` with these arguments; returns what it printed."""
    out = StringIO()
    call_command("import_results", *map(str, args), stdout=out)
    return out.getvalue()


# --- Sample files -----------------------------------------------------------------------------------


def import_ge2024_sample() -> Election:
    """The seven real 2024 seats in fixtures/samples (Godalming and Ash is the one tragedy)."""
    import_results(SAMPLES / "hoc-ge2024-constituency-sample.csv", *GE2024_ARGS)
    return Election.objects.get(slug="ge2024")


# A small general election on the 2010 boundaries in the long layout: two seats with the 2019 votes of their
# larger parties (minor candidates left out), candidate names only for the first two.
GE2019_CSV = """ons_id,constituency,party,votes,candidate
E14000548,Batley and Spen,Labour,22594,Tracy Brabin
E14000548,Batley and Spen,Conservative,19069,Mark Brooks
E14000548,Batley and Spen,Heavy Woollen District Independents,6432,
E14000548,Batley and Spen,Liberal Democrats,2462,
E14000548,Batley and Spen,Brexit Party,1678,
E14000548,Batley and Spen,Green Party,692,
E14001009,Wakefield,Conservative,21283,Imran Ahmad Khan
E14001009,Wakefield,Labour,17925,Mary Creagh
E14001009,Wakefield,Brexit Party,2725,
E14001009,Wakefield,Liberal Democrats,1772,
"""

# The same file with the Conservative vote in Batley and Spen raised past Labour's: the winner, the
# tragedy status (Lab + LD + Green = 25,748 > 23,000) and the marginality all change.
GE2019_CSV_CON_WIN = GE2019_CSV.replace("Conservative,19069,Mark Brooks", "Conservative,23000,Mark Brooks")


def import_ge2019(text=GE2019_CSV, tmp_path=None) -> Election:
    path = tmp_path / "ge2019.csv"
    path.write_text(text)
    import_results(path, "--election", "ge2019", "--date", "2019-12-12", "--boundaries", "2010")
    return Election.objects.get(slug="ge2019")


# --- Contests typed in the tests ----------------------------------------------------------------------


def contest(ons_id, name, votes, *, region="", country="England", electorate=None, names=None, row=2):
    """A real seat. votes: {party code or name: votes}, in any order; names: {party: candidate name}."""
    names = names or {}
    return ParsedContest(
        ons_id=ons_id,
        name=name,
        row=row,
        region=region,
        country=country,
        electorate=electorate,
        valid_votes=sum(votes.values()),
        candidacies=[ParsedCandidacy(party, n, names.get(party, "")) for party, n in votes.items()],
    )


def numbered_seat(
    name: str,
    votes: dict[str, int],
    *,
    region: str = "London",
    country: str = "England",
    number: int = 1,
    candidates: dict[str, str] | None = None,
) -> ParsedContest:
    """A made-up seat whose ONS code is its number, with an electorate half as large again as its votes."""
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
        contests.append(numbered_seat(f"Seat {n:03d}", votes, region=region, country=country, number=n))
    return contests


def load_election(
    slug, day, contests, *, kind=Election.Kind.GENERAL, boundary_code="2024", name=None, check_names=True
):
    """Import the contests as the election's results, creating the election unless it exists."""
    election = Election.objects.filter(slug=slug).first() or Election(
        slug=slug,
        name=name or f"{day.year} general election",
        date=day,
        kind=kind,
        boundary_set=boundary_set(boundary_code),
    )
    for row, c in enumerate(contests, start=2):
        c.row = row
    ResultsImporter(election, contests, f"{slug}.csv", check_names=check_names).run()
    return Election.objects.get(slug=slug)


def import_seats(
    slug: str, contests: list[ParsedContest], *, year: int = 2024, kind="general", boundaries: str = ""
) -> Election:
    """Made-up seats as a new "test election", polled on 4 July of `year`."""
    return load_election(
        slug,
        date(year, 7, 4),
        contests,
        kind=kind,
        boundary_code=boundaries or str(year),
        name=f"{year} test election {slug}",
        check_names=False,
    )


# Real 2024 results (House of Commons Library), without the "all other candidates" column.
GODALMING = ("E14001249", "Godalming and Ash", "South East")
GODALMING_2024 = {"Con": 23293, "LD": 22402, "RUK": 4815, "Lab": 2748, "Green": 1243}
GODALMING_NAMES = {"Con": "Jeremy Hunt", "LD": "Paul Follows"}
ABERDEEN_NORTH = ("S14000060", "Aberdeen North", "Scotland")
ABERDEEN_NORTH_2024 = {"SNP": 14533, "Lab": 12773, "Con": 5881, "RUK": 3781, "LD": 2583, "Green": 1275}
YNYS_MON = ("W07000112", "Ynys Môn", "Wales")
YNYS_MON_2024 = {"PC": 10590, "Con": 9953, "Lab": 7619, "RUK": 3223, "Green": 604, "LD": 439}


def small_ge2024(*extra):
    """A small 2024 general election: Godalming and Ash (a tragedy), Aberdeen North, Ynys Môn, and any extra
    contests."""
    return load_election(
        "ge2024",
        GE2024_DAY,
        [
            contest(
                *GODALMING[:2], GODALMING_2024, region=GODALMING[2], electorate=75816, names=GODALMING_NAMES
            ),
            contest(*ABERDEEN_NORTH[:2], ABERDEEN_NORTH_2024, region="Scotland", country="Scotland"),
            contest(*YNYS_MON[:2], YNYS_MON_2024, region="Wales", country="Wales"),
            *extra,
        ],
    )


def notional_godalming_2019():
    """The 2019 notional result for Godalming and Ash on the 2024 boundaries (load small_ge2024 first)."""
    return load_election(
        "notional-ge2019-2024",
        GE2019_DAY,
        [
            contest(
                *GODALMING[:2], {"Con": 29728, "LD": 19008, "Lab": 4964, "Green": 903}, region="South East"
            )
        ],
        kind=Election.Kind.NOTIONAL,
        name="2019 notional result on 2024 boundaries",
    )


# --- The postcode directory and users -------------------------------------------------------------------


def add_postcode(postcode, ons_id, *, boundary_code="2024", terminated_on=None):
    constituency = Constituency.objects.get(boundary_set__code=boundary_code, ons_id=ons_id)
    return Postcode.objects.create(
        boundary_set=constituency.boundary_set,
        postcode=postcode,
        constituency=constituency,
        terminated_on=terminated_on,
    )


def cover_area(outward, ons_id, *, count=AREA_COVERED_FROM, boundary_code="2024"):
    """`count` made-up live postcodes in one district ("ZE1 0AB", "ZE1 0AD", ...), so that the directory
    covers its postcode area (lookup.AREA_COVERED_FROM)."""
    constituency = Constituency.objects.get(boundary_set__code=boundary_code, ons_id=ons_id)
    inward = (f"{digit}{a}{b}" for digit in "0123456789" for a in "ABD" for b in "ABDEFGHJLNPQRSTUWXYZ")
    Postcode.objects.bulk_create(
        Postcode(
            boundary_set=constituency.boundary_set, postcode=f"{outward} {code}", constituency=constituency
        )
        for code, _ in zip(inward, range(count), strict=False)
    )


def staff_user(username, *codenames, password="correct horse battery"):
    user = User.objects.create_user(username, password=password, is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user
