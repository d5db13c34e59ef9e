"""The voter journey on the real files in SEATFINDER_DATA_DIR: the HoC 2024 results and the ONSPD
August 2024 extracts (Aberdeen plus a few London, Manchester and Jersey postcodes). Skipped, saying
why, when the folder is absent.

The extracts are read here with the csv module and bulk-created, keeping rows whose constituency code is
a 2024 constituency (as an importer would) and leaving out the rest (Jersey's pseudo-code L99999999 and one
row with no code), which are counted; test_full_data_postcodes.py imports the same files with import_postcodes.
"""

import csv
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from constituencies.models import BoundarySet, Constituency, Postcode
from constituencies.postcodes.lookup import Outcome, lookup_postcode
from constituencies.web.seat_page import build_seat_page
from tests.builders import import_results
from tests.web.test_voter_pages import ADVICE_PANEL_QUERIES, PREVIOUS_RESULT_QUERIES

pytestmark = pytest.mark.full_data


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def month(yyyymm):
    return date(int(yyyymm[:4]), int(yyyymm[4:6]), 1) if yyyymm else None


def coordinate(text):
    value = float(text) if text else None
    return None if value is None or abs(value) > 90 and abs(value - 99.999999) < 1e-6 else value


def load_directory(rows, code_column):
    """Bulk-create Postcode rows on the 2024 boundaries; returns (rows loaded, codes left out)."""
    boundaries = BoundarySet.objects.get(code="2024")
    constituency_ids = dict(Constituency.objects.filter(boundary_set=boundaries).values_list("ons_id", "pk"))
    postcodes, left_out = [], []
    for row in rows:
        pk = constituency_ids.get(row[code_column])
        if pk is None:
            left_out.append(row[code_column])
            continue
        lat = coordinate(row["lat"])
        postcodes.append(
            Postcode(
                boundary_set=boundaries,
                postcode=row["pcds"],
                constituency_id=pk,
                terminated_on=month(row["doterm"]),
                latitude=lat,
                longitude=float(row["long"]) if lat is not None else None,
            )
        )
    Postcode.objects.bulk_create(postcodes, batch_size=5000)
    return len(postcodes), left_out


@pytest.fixture
def real_ge2024(ge2024_results, data_dir):
    """The real 2024 results, imported once and shared (conftest.py); gives the data folder."""
    return data_dir


@pytest.fixture
def pcon24(real_ge2024):
    rows = read_csv(real_ge2024 / "postcode-pcon24-sample.csv")
    loaded, left_out = load_directory(rows, "pcon24cd")
    assert (loaded, sorted(left_out)) == (8046, ["", "L99999999"])
    return rows


def test_every_postcode_in_the_extract_resolves_as_the_onspd_says(pcon24):
    names = dict(Constituency.objects.filter(boundary_set__code="2024").values_list("ons_id", "name"))
    outcomes = {"live": 0, "retired": 0}
    for row in pcon24:
        code = row["pcon24cd"]
        if code not in names:
            continue
        result = lookup_postcode(row["pcds"].lower().replace(" ", ""))  # as someone might type it
        if row["doterm"]:
            assert result.outcome is Outcome.TERMINATED, row["pcds"]
            assert result.terminated_on == month(row["doterm"])
            outcomes["retired"] += 1
        else:
            assert result.outcome is Outcome.FOUND, row["pcds"]
            outcomes["live"] += 1
        assert [c.ons_id for c in result.constituencies] == [code], row["pcds"]
    assert outcomes == {"live": 4236, "retired": 3810}  # less Jersey (live) and AB11 3AG (retired)


def test_a_boundary_change_the_voter_sees_on_2024_boundaries(pcon24, client):
    """AB10 1AB was in Aberdeen North on the 2010 boundaries (ONSPD May 2021); it is in Aberdeen South now."""
    result = lookup_postcode("ab10 1ab")
    assert [(c.name, c.ons_id) for c in result.constituencies] == [("Aberdeen South", "S14000061")]

    response = client.get(reverse("constituencies:postcode"), {"postcode": "AB101AB"}, follow=True)
    assert response.redirect_chain[0][0] == "/seats/aberdeen-south/?postcode=AB10+1AB"
    page = response.context["page"]
    assert page.constituency.ons_id == "S14000061" and page.election.slug == "ge2024"
    assert page.assessment.winner.code == "SNP"
    assert page.recommendation.headline.startswith(
        "The SNP is best placed to hold this seat: they won it by 3,758 votes"
    )
    assert response.context["your_postcode"] == "AB10 1AB"

    api = client.get("/api/postcodes/AB10%201AB/").json()
    assert [c["ons_id"] for c in api["constituencies"]] == ["S14000061"]


def test_retired_outside_and_unknown_postcodes_from_the_extract(pcon24, client):
    retired = lookup_postcode("AB1 0AA")
    assert retired.outcome is Outcome.TERMINATED
    assert retired.message.startswith("AB1 0AA is no longer in use: Royal Mail retired it in June 1996.")
    assert [c.name for c in retired.constituencies] == ["Aberdeen South"]
    assert client.get("/api/postcodes/AB10AA/").status_code == 410

    jersey = lookup_postcode("je2 4wd")  # pcon L99999999 in the ONSPD: outside the constituencies
    assert jersey.outcome is Outcome.OUTSIDE and jersey.place == "Jersey"
    assert client.get("/api/postcodes/JE24WD/").json()["error"] == "outside_coverage"

    # AB11 3AG has no constituency code in the ONSPD, so a directory built from it does not hold it.
    assert lookup_postcode("AB11 3AG").outcome is Outcome.UNKNOWN


def test_the_full_onspd_layout_gives_the_same_answers(real_ge2024, client):
    rows = read_csv(real_ge2024 / "onspd-aug2024-sample.csv")
    loaded, left_out = load_directory(rows, "pcon")
    assert (loaded, sorted(left_out)) == (8046, ["", "L99999999"])
    for typed, name in [
        ("M1 1AD", "Manchester Central"),
        ("m11 1aa", "Manchester Central"),
        ("SE1 2DL", "Bermondsey and Old Southwark"),
        ("se1p5zz", "Bermondsey and Old Southwark"),
        ("AB10 1XG", "Aberdeen South"),
    ]:
        result = lookup_postcode(typed)
        assert [c.name for c in result.constituencies] == [name], typed
        response = client.get(reverse("constituencies:postcode"), {"postcode": typed}, follow=True)
        assert response.status_code == 200
        assert response.context["page"].constituency.name == name
        assert response.context["page"].recommendation is not None


def test_every_2024_seat_has_a_recommendation_and_its_history(
    real_ge2024, client, django_assert_max_num_queries
):
    import_results(
        real_ge2024 / "notional-2019-on-2024-boundaries.csv",
        "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024",
        "--name", "2019 notional result on 2024 boundaries",
    )  # fmt: skip
    unclear = tragedies = no_progressive = 0
    for slug in Constituency.objects.filter(boundary_set__code="2024").values_list("slug", flat=True):
        with django_assert_max_num_queries(3 + PREVIOUS_RESULT_QUERIES + ADVICE_PANEL_QUERIES):
            page = build_seat_page(slug)
        assert [row.result.election.slug for row in page.history] == ["ge2024", "notional-ge2019-2024"], slug
        assert page.recommendation.headline, slug
        unclear += not page.recommendation.clear and page.assessment.best_placed_id is not None
        no_progressive += page.assessment.best_placed_id is None
        tragedies += page.assessment.is_tragedy
        if page.assessment.is_tragedy:
            assert "a progressive tragedy" in page.recommendation.text, slug
    assert 0 < unclear < 650
    assert tragedies > 0 and no_progressive > 0  # some Northern Ireland seats have no progressive-bloc party

    # The last result's own sentence, and the page rendered in full: the Speaker's seat, an independent's,
    # Northern Ireland, and a tragedy. Where the advice says no tactical vote applies, the page (and its
    # description) gives the advice rather than that sentence.
    for slug, sentence, shown in [
        (
            "chorley",
            "The Greens are best placed to beat the Speaker here",
            "Chorley (North West). Not applicable. Neither the Conservatives nor Reform UK stood here",
        ),
        (
            "islington-north",
            "Labour is best placed to beat the independent candidate here: they came second, 7,247 votes behind.",
            "Islington North (London). No tactical vote needed: vote for the party you support. Neither the "
            "Conservatives nor Reform UK has a realistic chance here.",
        ),
        (
            "foyle",
            "No progressive party stood here in the 2024 general election",
            "Foyle (Northern Ireland). Not applicable.",
        ),
        ("godalming-and-ash", "a progressive tragedy", "a progressive tragedy"),
    ]:
        assert sentence in build_seat_page(slug).recommendation.text, slug
        response = client.get(reverse("constituencies:seat", args=[slug]))
        assert response.status_code == 200
        assert shown in unescape(" ".join(response.content.decode().split())), slug
