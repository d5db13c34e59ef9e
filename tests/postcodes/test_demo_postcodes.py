"""load_demo's handful of real postcodes on the 2010 boundaries, so the look-up works offline."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from constituencies.imports.demo import DEMO_POSTCODES_FILE, FIXTURES_DIR, load_demo_postcodes
from constituencies.models import BoundarySet, Postcode
from constituencies.postcodes.lookup import Outcome, lookup_postcode
from constituencies.rules.files import ImportFileError

FIXTURE = FIXTURES_DIR / DEMO_POSTCODES_FILE


def fixture_rows():
    with open(FIXTURE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_demo_postcodes_resolve_offline(demo, client):
    assert Postcode.objects.filter(boundary_set__code="2010").count() == len(fixture_rows())
    expected = {
        "sw1a0aa": "Cities of London and Westminster",
        "SW1A 2AA": "Cities of London and Westminster",
        "wf17 5da": "Batley and Spen",
        "LL77 7TW": "Ynys Mon",
        "se1 2dl": "Bermondsey and Old Southwark",
        "AB10 1AB": "Aberdeen North",  # Aberdeen South on the 2024 boundaries
    }
    for typed, name in expected.items():
        result = lookup_postcode(typed)
        assert [c.name for c in result.constituencies] == [name], typed
    assert lookup_postcode("SE1 9ZZ").outcome is Outcome.TERMINATED

    response = client.get("/postcode/", {"postcode": "wf175da"}, follow=True)
    assert response.redirect_chain[0][0] == "/seats/batley-and-spen/?postcode=WF17+5DA"
    page = response.context["page"]
    assert page.election.slug == "by-batley-and-spen-2021"  # the latest result on these boundaries
    assert page.recommendation.headline == (
        "Labour is best placed to hold this seat: they won it by 323 votes (0.9%) over the Conservatives."
    )
    assert [row.result.election.slug for row in page.history] == [
        "by-batley-and-spen-2021",
        "ge2019",
        "ge2017",
        "ge2015",
        "ge2010",
    ]
    assert "Current MP Kim Leadbeater (Labour)" in " ".join(response.content.decode().split()).replace(
        "</dt><dd>", " "
    )


def test_the_home_page_offers_the_demo_postcodes_that_work(demo, client):
    live = sorted(row["postcode"] for row in fixture_rows() if not row["terminated"])
    assert client.get("/").context["postcodes_to_try"] == live
    for postcode in live:
        assert client.get("/postcode/", {"postcode": postcode}).status_code in (200, 302)


def test_a_real_postcode_the_demo_does_not_hold_is_our_gap(demo, client):
    """SW1A 1AA (Buckingham Palace) is real; the demo holds only two SW postcodes."""
    response = client.get("/postcode/", {"postcode": "SW1A 1AA"})
    text = " ".join(response.content.decode().split())
    assert "We cannot look up SW1A 1AA yet: our postcode directory covers only a few SW postcodes." in text
    assert "Check it against a letter" not in text
    assert response.context["postcodes_to_try"]  # and which ones do work


def test_a_bad_demo_postcode_file_names_the_row_and_changes_nothing(demo, tmp_path):
    call_command("load_demo", stdout=StringIO())  # loading again keeps one row per postcode
    assert Postcode.objects.count() == len(fixture_rows())
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
def test_demo_postcodes_agree_with_the_may_2021_onspd(data_dir):
    """Every demo postcode the real ONSPD extract covers has its code, status and coordinates."""
    with open(data_dir / "onspd-sample-old.csv", encoding="utf-8", newline="") as f:
        onspd = {row["pcds"]: row for row in csv.DictReader(f)}
    checked = 0
    for row in fixture_rows():
        real = onspd.get(row["postcode"])
        if real is None:
            continue
        checked += 1
        assert real["pcon"] == row["ons_id"], row["postcode"]
        assert real["doterm"] == row["terminated"].replace("-", ""), row["postcode"]
        assert (real["lat"], real["long"]) == (row["latitude"], row["longitude"]), row["postcode"]
    assert checked == 6
