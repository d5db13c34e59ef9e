"""The real MRP collection of June 2024 (../shared/data/mrp-averages-2024-06.csv) imported as it stands.

Skipped, saying why, when the data folder is absent."""

from io import StringIO

import pytest
from django.core.management import call_command

from constituencies.models import PollProjection, ProjectedShare
from tests.builders import import_results

pytestmark = pytest.mark.full_data

AVERAGE = "MRP average of YouGov, Ipsos, Survation and Focaldata (June 2024)"


def import_notional_2019(data_dir):
    import_results(
        data_dir / "notional-2019-on-2024-boundaries.csv",
        "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024",
        "--name", "2019 notional result on 2024 boundaries",
    )  # fmt: skip


def import_mrp(data_dir) -> str:
    out = StringIO()
    call_command(
        "import_projections", str(data_dir / "mrp-averages-2024-06.csv"),
        "--name", AVERAGE, "--publisher", "Movement Forward", "--date", "2024-06-26",
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_the_june_2024_mrps_load_as_five_projections_of_631_seats(default_parties, data_dir):
    import_notional_2019(data_dir)
    out = import_mrp(data_dir)  # short codes from mysociety-parl-constituencies-2025.csv, the default
    sources = {p.name: p for p in PollProjection.objects.all()}
    assert set(sources) == {
        "YouGov MRP (June 2024)",
        "Ipsos MRP (June 2024)",
        "Survation MRP (June 2024)",
        "Focaldata MRP (June 2024)",
        AVERAGE,
    }
    assert [p.name for p in sources.values() if p.is_average] == [AVERAGE]
    assert {p.seats for p in sources.values()} == {631}  # Great Britain without the Speaker's seat
    counts = {name: ProjectedShare.objects.filter(projection__name=name).count() for name in sources}
    # YouGov and the average give all eight figures; Ipsos and Survation mark SNP and PC NA or NI in England,
    # and Focaldata leaves SNP, PC and Other blank outside Scotland and Wales.
    assert counts == {
        "YouGov MRP (June 2024)": 5048,
        "Ipsos MRP (June 2024)": 3744,
        "Survation MRP (June 2024)": 3744,
        "Focaldata MRP (June 2024)": 3244,
        AVERAGE: 5048,
    }
    # mySociety's list gives five Scottish seats their pre-2024 namesakes' codes; matched by name, and said so.
    assert out.count("Matched by name") == 5 and "Central Ayrshire: S14000010" in out
    seats = set(ProjectedShare.objects.values_list("constituency__name", flat=True))
    assert len(seats) == 631 and "Chorley" not in seats and "Belfast East" not in seats
    alyn = dict(
        ProjectedShare.objects.filter(
            projection__name="YouGov MRP (June 2024)", constituency__name="Alyn and Deeside"
        ).values_list("party__code", "share")
    )
    assert {code: float(share) for code, share in alyn.items() if share} == {
        "Con": 16, "Lab": 41, "LD": 7, "Green": 5, "PC": 8, "RUK": 21, "Oth": 2,
    }  # fmt: skip
