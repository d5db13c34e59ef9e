"""Small builders for the voter-journey tests: elections with results, through the real importer
(so every seat gets its assessment exactly as an import would), and postcode directory rows."""

from datetime import date

from constituencies.importers.layouts import ParsedCandidacy, ParsedContest
from constituencies.importers.results import ResultsImporter
from constituencies.models import BoundarySet, Constituency, Election, Postcode


def contest(ons_id, name, votes, *, region="", country="England", electorate=None, names=None, row=2):
    """votes: {party code or name: votes}, in any order; names: {party: candidate name}."""
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


def boundaries(code):
    return BoundarySet.objects.get_or_create(code=code, defaults={"name": f"{code} constituency boundaries"})[
        0
    ]


def load_election(slug, day, contests, *, kind=Election.Kind.GENERAL, boundary_code="2024", name=None):
    election = Election.objects.filter(slug=slug).first() or Election(
        slug=slug,
        name=name or f"{day.year} general election",
        date=day,
        kind=kind,
        boundary_set=boundaries(boundary_code),
    )
    for row, c in enumerate(contests, start=2):
        c.row = row
    ResultsImporter(election, contests, f"{slug}.csv").run()
    return Election.objects.get(slug=slug)


def add_postcode(postcode, ons_id, *, boundary_code="2024", terminated_on=None):
    constituency = Constituency.objects.get(boundary_set__code=boundary_code, ons_id=ons_id)
    return Postcode.objects.create(
        boundary_set=constituency.boundary_set,
        postcode=postcode,
        constituency=constituency,
        terminated_on=terminated_on,
    )


GE2024 = date(2024, 7, 4)
GE2019 = date(2019, 12, 12)

# Real 2024 results (House of Commons Library), without the "all other candidates" column.
GODALMING = ("E14001249", "Godalming and Ash", "South East")
GODALMING_2024 = {"Con": 23293, "LD": 22402, "RUK": 4815, "Lab": 2748, "Green": 1243}
GODALMING_NAMES = {"Con": "Jeremy Hunt", "LD": "Paul Follows"}
ABERDEEN_NORTH = ("S14000060", "Aberdeen North", "Scotland")
ABERDEEN_NORTH_2024 = {"SNP": 14533, "Lab": 12773, "Con": 5881, "RUK": 3781, "LD": 2583, "Green": 1275}
YNYS_MON = ("W07000112", "Ynys Môn", "Wales")
YNYS_MON_2024 = {"PC": 10590, "Con": 9953, "Lab": 7619, "RUK": 3223, "Green": 604, "LD": 439}


def ge2024(*extra):
    """A small 2024 general election: Godalming and Ash (a tragedy), Aberdeen North, Ynys Môn, and any extra
    contests."""
    return load_election(
        "ge2024",
        GE2024,
        [
            contest(
                *GODALMING[:2], GODALMING_2024, region=GODALMING[2], electorate=75816, names=GODALMING_NAMES
            ),
            contest(*ABERDEEN_NORTH[:2], ABERDEEN_NORTH_2024, region="Scotland", country="Scotland"),
            contest(*YNYS_MON[:2], YNYS_MON_2024, region="Wales", country="Wales"),
            *extra,
        ],
    )
