"""import_postcodes on the real ONSPD extracts in SEATFINDER_DATA_DIR (skipped, saying why, when absent).

The expected figures are the ones the data folder's README gives for each file.
"""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from constituencies.models import Postcode

pytestmark = pytest.mark.full_data


def run(command, *args):
    out = StringIO()
    call_command(command, *map(str, args), stdout=out)
    return out.getvalue()


def directory(boundaries):
    return sorted(
        Postcode.objects.filter(boundary_set__code=boundaries).values_list(
            "postcode", "constituency__ons_id", "terminated_on", "latitude", "longitude"
        )
    )


@pytest.fixture
def real_ge2024(ge2024_results):
    """The real 2024 results, imported once and shared (conftest.py)."""


def test_onspd_august_2024_extract(real_ge2024, data_dir):
    output = run("import_postcodes", data_dir / "onspd-aug2024-sample.csv")

    per_seat = Counter(
        Postcode.objects.filter(boundary_set__code="2024").values_list("constituency__name", flat=True)
    )
    assert per_seat == {
        "Aberdeen South": 6127,
        "Aberdeen North": 1458,
        "West Aberdeenshire and Kincardine": 455,
        "Aberdeenshire North and Moray East": 1,
        "Bermondsey and Old Southwark": 3,
        "Manchester Central": 2,
    }
    stored = Postcode.objects.filter(boundary_set__code="2024")
    # 4,237 live and 3,811 terminated in the file; Jersey (live) and AB11 3AG (terminated) are skipped.
    assert stored.filter(terminated_on__isnull=True).count() == 4236
    assert stored.filter(terminated_on__isnull=False).count() == 3810
    assert "L99999999: 1 row, e.g. JE2 4WD" in output
    assert "(blank): 1 row, e.g. AB11 3AG" in output

    ab10 = stored.select_related("constituency").get(postcode="AB10 1AB")
    assert (ab10.constituency.ons_id, ab10.terminated_on) == ("S14000061", None)
    assert (ab10.latitude, ab10.longitude) == (57.149606, -2.096916)  # as in the file
    assert stored.get(postcode="AB1 0AA").terminated_on == date(1996, 6, 1)
    assert stored.get(postcode="SE1P 5ZZ").constituency.name == "Bermondsey and Old Southwark"
    assert stored.get(postcode="M1 1AD").constituency.name == "Manchester Central"


def test_six_column_extract_gives_the_same_directory(real_ge2024, data_dir):
    run("import_postcodes", data_dir / "onspd-aug2024-sample.csv")
    from_onspd = directory("2024")
    run("import_postcodes", data_dir / "postcode-pcon24-sample.csv")
    assert len(from_onspd) == 8046
    assert directory("2024") == from_onspd


def test_older_onspd_on_the_2010_boundaries_and_the_boundary_change(real_ge2024, data_dir):
    run("load_demo")
    output = run("import_postcodes", data_dir / "onspd-sample-old.csv", "--boundaries", "2010")
    old = Postcode.objects.filter(boundary_set__code="2010")
    assert old.count() == 5654  # 5,656 rows less Jersey and the one with no constituency
    assert Counter(old.values_list("constituency__ons_id", flat=True)) == {
        "S14000002": 4576,
        "S14000001": 641,
        "S14000058": 431,
        "E14000553": 3,
        "E14000807": 2,
        "S14000007": 1,
    }
    assert (
        "Stored 5,654 postcodes on the 2010 constituency boundaries: 2,260 live, 3,394 terminated" in output
    )

    run("import_postcodes", data_dir / "onspd-aug2024-sample.csv")
    seat_2010 = dict(old.filter(postcode__startswith="AB10 ").values_list("postcode", "constituency__ons_id"))
    live_2024 = Postcode.objects.filter(
        boundary_set__code="2024", postcode__startswith="AB10 ", terminated_on__isnull=True
    ).values_list("postcode", "constituency__ons_id")
    moves = Counter((seat_2010[p], seat) for p, seat in live_2024 if p in seat_2010)
    # 66 live AB10 postcodes moved from Aberdeen North (2010) to Aberdeen South (2024); five the other way.
    assert moves[("S14000001", "S14000061")] == 66
    assert moves[("S14000002", "S14000060")] == 5
    assert old.count() == 5654  # the 2024 import left the 2010 directory alone
