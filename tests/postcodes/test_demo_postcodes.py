"""load_demo's handful of real postcodes on the 2024 boundaries (and the 2010 ones), so the look-up works offline."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from constituencies.imports.demo_fixtures import DEMO_POSTCODES_FILES, FIXTURES_DIR, load_demo_postcodes
from constituencies.models import BoundarySet, Postcode
from constituencies.postcodes.lookup import Outcome, lookup_postcode
from constituencies.postcodes.messages import EXAMPLE
from constituencies.rules.files import ImportFileError

FIXTURE_2010 = FIXTURES_DIR / DEMO_POSTCODES_FILES["2010"]
FIXTURE_2024 = FIXTURES_DIR / DEMO_POSTCODES_FILES["2024"]


def fixture_rows(path=FIXTURE_2024):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def demo(demo_data):
    """The demo, loaded once and shared (tests/shared_data.py)."""
    return demo_data


def test_demo_postcodes_resolve_offline_to_their_2024_seats(demo, client):
    assert Postcode.objects.filter(boundary_set__code="2024").count() == len(fixture_rows())
    expected = {
        "m11ad": "Manchester Central",
        "M11 1AA": "Manchester Central",
        "se1 2dl": "Bermondsey and Old Southwark",
        "AB10 1AB": "Aberdeen South",  # Aberdeen North on the 2010 boundaries
        "ab10 1pe": "Aberdeen North",
        "AB12 3RL": "West Aberdeenshire and Kincardine",
    }
    for typed, name in expected.items():
        result = lookup_postcode(typed)
        assert [(c.name, c.boundary_set.code) for c in result.constituencies] == [(name, "2024")], typed
    assert lookup_postcode("SE1 9ZZ").outcome is Outcome.TERMINATED
    assert (
        lookup_postcode("WF17 5DA").outcome is Outcome.UNKNOWN
    )  # a 2010 demo postcode: not on these boundaries

    response = client.get("/postcode/", {"postcode": "m11ad"}, follow=True)
    assert response.redirect_chain[0][0] == "/seats/manchester-central/?postcode=M1+1AD"
    page = response.context["page"]
    assert page.election.slug == "ge2024"
    assert page.recommendation.headline.startswith("Labour is best placed to hold this seat")
    assert "Current MP Lucy Powell (Labour)" in " ".join(response.content.decode().split()).replace(
        "</dt><dd>", " "
    )


def test_the_home_page_offers_the_demo_postcodes_that_work_and_its_example_is_one(demo, client):
    live = sorted(row["postcode"] for row in fixture_rows() if not row["terminated"])
    home = client.get("/")
    assert home.context["postcodes_to_try"] == live
    assert EXAMPLE in live
    assert f"For example, {EXAMPLE}" in home.content.decode()
    for postcode in live:
        assert lookup_postcode(postcode).found, postcode
    response = client.get("/postcode/", {"postcode": EXAMPLE}, follow=True)
    assert response.context["page"].election.slug == "ge2024"


def test_a_postcode_the_demo_does_not_hold_is_our_gap(demo, client):
    """The demo holds three SE postcodes: any other is our gap, not the person's mistake."""
    response = client.get("/postcode/", {"postcode": "SE1 7PB"})
    text = " ".join(response.content.decode().split())
    assert "We cannot look up SE1 7PB yet: our postcode directory covers only a few SE postcodes." in text
    assert "Check it against a letter" not in text
    assert response.context["postcodes_to_try"]  # and which ones do work


def test_a_bad_demo_postcode_file_names_the_row_and_changes_nothing(demo, tmp_path):
    call_command("load_demo", stdout=StringIO())  # loading again keeps one row per postcode
    assert Postcode.objects.count() == len(fixture_rows(FIXTURE_2010)) + len(fixture_rows(FIXTURE_2024))
    before = sorted(Postcode.objects.values_list("postcode", "constituency_id", "terminated_on"))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "postcode,ons_id,constituency,terminated,latitude,longitude,source\n"
        "SW1A 0AA,E14000639,Cities of London and Westminster,,,,ok\n"
        "not a postcode,E14000639,Cities of London and Westminster,,,,bad\n"
        "SW1A 2AA,E14000548,Cities of London and Westminster,,,,wrong seat\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as error:
        load_demo_postcodes(BoundarySet.objects.get(code="2010"), bad)
    message = error.value.summary()
    assert 'bad.csv, row 3, column "postcode": "not a postcode" is not a postcode' in message
    assert 'row 4, column "ons_id": E14000548 is not "Cities of London and Westminster"' in message
    assert sorted(Postcode.objects.values_list("postcode", "constituency_id", "terminated_on")) == before


@pytest.mark.full_data
@pytest.mark.parametrize(
    ("fixture", "onspd_file", "checked"),
    [(FIXTURE_2010, "onspd-sample-old.csv", 6), (FIXTURE_2024, "onspd-aug2024-sample.csv", 11)],
)
def test_demo_postcodes_agree_with_the_onspd(data_dir, fixture, onspd_file, checked):
    """Every demo postcode the real ONSPD extract of its boundaries covers has its code, status and coordinates."""
    with open(data_dir / onspd_file, encoding="utf-8", newline="") as f:
        onspd = {row["pcds"]: row for row in csv.DictReader(f)}
    found = 0
    for row in fixture_rows(fixture):
        real = onspd.get(row["postcode"])
        if real is None:
            continue
        found += 1
        assert real["pcon"] == row["ons_id"], row["postcode"]
        assert real["doterm"] == row["terminated"].replace("-", ""), row["postcode"]
        assert (real["lat"], real["long"]) == (row["latitude"], row["longitude"]), row["postcode"]
    assert found == checked
