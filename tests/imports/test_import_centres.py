"""manage.py import_constituency_centres: each seat's centre, checked row by row, written in one transaction."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from constituencies.models import Constituency
from tests.builders import small_ge2024

HEADER = "full_code,short_code,name,gss_code,center_lat,center_lon\n"
GODALMING = "x,UKPARL.2025.GOA,Godalming and Ash,E14001249,51.1657806650532,-0.589802370798214\n"
ABERDEEN = "x,UKPARL.2025.ABN,Aberdeen North,S14000060,57.1640,-2.1360\n"


def run(tmp_path, content, *args, name="centres.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = StringIO()
    call_command("import_constituency_centres", str(path), *args, stdout=out)
    return out.getvalue()


def stored():
    return {
        code: (lat, lon)
        for code, lat, lon in Constituency.objects.values_list(
            "ons_id", "centre_latitude", "centre_longitude"
        )
    }


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    Constituency.objects.filter(ons_id="W07000112").update(centre_latitude=53.28, centre_longitude=-4.4)


def test_imports_the_centres_then_leaves_an_unchanged_file_alone(seats, tmp_path):
    out = run(tmp_path, HEADER + GODALMING + ABERDEEN)
    assert (
        "Imported 2 centres read from centres.csv for the 2024 constituency boundaries: updated 2, 0 unchanged"
        in out
    )
    assert "1 constituencies on these boundaries are not in the file" in out
    assert stored() == {
        "E14001249": (51.1657806650532, -0.589802370798214),
        "S14000060": (57.164, -2.136),
        "W07000112": (53.28, -4.4),  # not in the file: kept
    }
    assert "updated 0, 2 unchanged" in run(tmp_path, HEADER + GODALMING + ABERDEEN)


def test_a_dry_run_writes_nothing(seats, tmp_path):
    before = stored()
    out = run(tmp_path, HEADER + GODALMING, "--dry-run")
    assert "Dry run, nothing written: 1 centres read from centres.csv" in out and "would update 1" in out
    assert stored() == before


def test_an_old_scottish_code_is_matched_by_its_name(seats, tmp_path):
    # mySociety gives five unchanged Scottish seats their pre-2024 codes
    out = run(tmp_path, HEADER + "x,UKPARL.2025.ABN,Aberdeen North,S14000001,57.164,-2.136\n")
    assert "Aberdeen North: S14000001 in centres.csv is S14000060 on the 2024 constituency boundaries" in out
    assert stored()["S14000060"] == (57.164, -2.136)


@pytest.mark.parametrize(
    "content, message",
    [
        (HEADER + GODALMING.replace("51.1657806650532", "fifty-one"),
         'row 2, column "center_lat": "fifty-one" is not a latitude in the United Kingdom (49 to 61)'),
        (HEADER + GODALMING.replace("51.1657806650532", "-0.58"),
         'row 2, column "center_lat": "-0.58" is not a latitude in the United Kingdom'),
        (HEADER + GODALMING.replace("-0.589802370798214", ""),
         'row 2, column "center_lon": "" is not a longitude in the United Kingdom (-9 to 2)'),
        (HEADER + GODALMING.replace("51.1657806650532", "nan"), 'column "center_lat": "nan" is not a latitude'),
        (HEADER + ABERDEEN + GODALMING.replace("E14001249,", "E14009999,").replace("Godalming and Ash", "Nowhere"),
         'row 3, column "gss_code": E14009999 is not a constituency on the 2024 constituency boundaries'),
        (HEADER + GODALMING.replace("E14001249", "Godalming"),
         'row 2, column "gss_code": "Godalming" is not an ONS constituency code'),
        (HEADER + GODALMING + ABERDEEN + GODALMING,
         'row 4, column "gss_code": E14001249 is listed twice (first on row 2)'),
        ("name,gss_code,lat\nGodalming and Ash,E14001249,51.1\n", "row 1: needs an ONS code column"),
        (HEADER.encode() + GODALMING.replace("Godalming", "G\xf6dalming").encode("latin-1"),
         "row 2: is not UTF-8 text (byte 0xf6 cannot be read)"),
        (b"", "the file is empty"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_its_row_and_column_and_changes_nothing(seats, tmp_path, content, message):
    before = stored()
    with pytest.raises(CommandError) as refused:
        run(tmp_path, content)
    assert str(refused.value).startswith("Nothing was imported.\ncentres.csv")
    assert message in str(refused.value)
    assert stored() == before


def test_boundaries_with_no_constituencies_or_a_missing_file(seats, tmp_path):
    with pytest.raises(CommandError, match='no constituencies are loaded on the boundary set "2010"'):
        run(tmp_path, HEADER + GODALMING, "--boundaries", "2010")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_constituency_centres", str(tmp_path / "missing.csv"))
