"""Confirmed supporters in the seat list, its filter, the downloads, the API and the map: never a number below 5,
the filter only from 5, bad values named, and the layers kept apart (constituencies reads the counts through
seats/supporter_counts.py, which the supporters app registers into)."""

import json
import re

import pytest

from constituencies.models import Constituency
from supporters.models import Supporter
from tests.csv_helpers import csv_rows
from tests.supporters.test_counts import add_supporters

pytestmark = pytest.mark.django_db

GODALMING = "E14001249"


@pytest.fixture
def counted(ge2024):
    """Godalming and Ash with 7 confirmed supporters; another seat with 4 (and 6 pending, who never count)."""
    other = Constituency.objects.exclude(ons_id=GODALMING).order_by("name").first()
    add_supporters(GODALMING, 7)
    add_supporters(other.ons_id, 4)
    add_supporters(other.ons_id, 6, status=Supporter.Status.PENDING, start=100)
    return other


def cells(html: str) -> dict[str, str]:
    """The Supporters cell of each row of the seat list, by constituency name."""
    rows = re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a></th>(.*?)</tr>', html, re.S)
    found = {}
    for name, row in rows:
        cell = re.search(r'<td data-label="Supporters"[^>]*>(.*?)</td>', row, re.S).group(1)
        found[name] = re.sub(r"<[^>]+>", "", cell).strip()
    return found


def test_the_list_shows_a_count_from_5_and_fewer_than_5_below(counted, client):
    html = client.get("/seats/").content.decode()
    shown = cells(html)
    assert shown["Godalming and Ash"] == "7"
    assert shown[counted.name] == "fewer than 5"  # 4 confirmed; the 6 pending do not count
    assert set(shown.values()) == {"7", "fewer than 5"}
    assert '<th scope="col" class="num">Supporters</th>' in html


def test_the_filter_keeps_the_seats_with_at_least_that_many(counted, client):
    response = client.get("/seats/", {"supporters": "5"})
    assert list(cells(response.content.decode())) == ["Godalming and Ash"]
    assert client.get("/seats/", {"supporters": " 8 "}).context["records"] == []
    assert response.context["csv_url"] == "/seats/export.csv?election=ge2024&supporters=5"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4", "supporters: Seats with fewer than 5 supporters are never told apart, so the list cannot be "
         "filtered by them: use 5 or more."),
        ("0", "use 5 or more"),
        ("-5", "use 5 or more"),
        ("five", "supporters: Enter the least number of confirmed supporters as a whole number, such as 5 or 10."),
        ("5.5", "as a whole number"),
    ],
)  # fmt: skip
def test_a_bad_filter_value_is_named_and_not_applied(counted, client, value, message):
    page = client.get("/seats/", {"supporters": value})
    assert page.status_code == 200
    assert any(message in problem for problem in page.context["problems"])
    assert len(page.context["records"]) == Constituency.objects.count()  # the filter is not applied
    api = client.get("/api/seats/", {"supporters": value})
    assert api.status_code == 400 and message in json.dumps(api.json(), ensure_ascii=False)
    assert client.get("/seats/export.csv", {"supporters": value}).status_code == 400


def test_the_downloads_and_the_api_never_give_a_number_below_5(counted, client):
    csv = client.get("/seats/export.csv")
    rows = {row["ons_id"]: row for row in csv_rows(csv.content)}
    assert rows[GODALMING]["supporters"] == "7"
    assert rows[counted.ons_id]["supporters"] == "fewer than 5"
    seats = {s["ons_id"]: s for s in client.get("/seats/export.json").json()["results"]}
    assert seats[GODALMING]["supporters"] == {"count": 7, "display": "7"}
    assert seats[counted.ons_id]["supporters"] == {"count": None, "display": "fewer than 5"}
    api = {s["ons_id"]: s for s in client.get("/api/seats/").json()["results"]}
    assert api[counted.ons_id]["supporters"] == {"count": None, "display": "fewer than 5"}
    assert client.get(f"/api/seats/{counted.slug}/").json()["supporters"]["count"] is None


def test_a_filtered_download_says_so_in_its_name(counted, client):
    response = client.get("/seats/export.csv", {"supporters": "5"})
    assert 'filename="seats-ge2024-supporters-from-5.csv"' in response["Content-Disposition"]
    assert [row["ons_id"] for row in csv_rows(response.content)] == [GODALMING]


def test_the_map_colours_by_supporters_in_bands_with_a_text_legend(counted, client):
    html = client.get("/map/", {"colour": "supporters"}).content.decode()
    legend = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('class="map-legend', 1)[1].split("</ul>")[0])
    )
    for band in ("Fewer than 5", "5–9", "10–24", "25 or more"):
        assert band in legend
    assert "Godalming and Ash: Conservative won" in html and "; 7 supporters" in html
    assert f"{counted.name}: " in html and "; fewer than 5 supporters" in html
    assert "4 supporters" not in html
    assert 'value="supporters" selected' in html


def test_an_unknown_colouring_names_supporters_among_the_choices(ge2024, client):
    html = client.get("/map/", {"colour": "donors"}).content.decode()
    assert "use winner, tragedy, marginality, advice, changed or supporters." in html


def test_the_header_links_to_joining(ge2024, client):
    html = client.get("/seats/").content.decode()
    assert '<a href="/join/">Join</a>' in html
    assert '<a href="/join/" aria-current="page">Join</a>' in client.get("/join/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_only_a_change_to_the_confirmed_supporters_gives_the_listings_a_new_version(default_parties):
    """The seat list, map, downloads and API are cached on the seat data version (seats/data_version.py)."""
    from constituencies.seats.data_version import seat_data_version
    from tests.builders import small_ge2024

    small_ge2024()
    before = seat_data_version()
    add_supporters(GODALMING, 2, status=Supporter.Status.PENDING)
    assert seat_data_version() == before  # joining leaves the cached listings alone
    Supporter.objects.filter(pk=Supporter.objects.order_by("pk").first().pk).update(
        status=Supporter.Status.CONFIRMED, confirmed_at="2026-12-01T12:00Z"
    )
    confirmed = seat_data_version()
    assert confirmed != before
    Supporter.objects.filter(status=Supporter.Status.PENDING).delete()
    assert seat_data_version() == confirmed
    Supporter.objects.filter(status=Supporter.Status.CONFIRMED).delete()
    assert seat_data_version() != confirmed
