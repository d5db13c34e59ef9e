"""2024 against the notional 2019 result on the 2024 boundaries, from the real files."""

import csv
import re
from collections import Counter
from html import unescape

import pytest
from django.urls import reverse

from tests.builders import import_results
from tests.full_data.test_full_data import as_int, read_rows

pytestmark = pytest.mark.full_data

# The notional file's party columns, by the code the 2024 file's "First party" uses.
NOTIONAL_COLUMNS = {
    "con": "Con", "lab": "Lab", "ld": "LD", "green": "Green", "reform_or_brexit": "Brexit", "snp": "SNP",
    "pc": "PC", "dup": "DUP", "sf": "SF", "sdlp": "SDLP", "uup": "UUP", "apni": "APNI", "other": "Oth",
}  # fmt: skip


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def both(ge2024_results, data_dir):
    import_results(
        data_dir / "notional-2019-on-2024-boundaries.csv",
        "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024",
        "--name", "2019 notional result on 2024 boundaries",
    )  # fmt: skip
    with open(data_dir / "notional-2019-on-2024-boundaries.csv", encoding="utf-8", newline="") as f:
        notional = {
            row["ons_id"]: max(NOTIONAL_COLUMNS, key=lambda column: as_int(row[column]))
            for row in csv.DictReader(f)
        }
    now = {
        row["ONS ID"]: row["First party"]
        for row in read_rows(data_dir / "hoc-ge2024-results-by-constituency.csv")
    }
    return {ons: (NOTIONAL_COLUMNS[column], now[ons]) for ons, column in notional.items()}


def test_the_seats_that_changed_hands_between_the_notional_2019_result_and_2024(both, client):
    # From the files alone: a different winner, leaving out Chorley, whose notional winner is "other" (the Speaker).
    changed = {ons for ons, (before, now) in both.items() if before != "Oth" and before != now}
    held = {ons for ons, (before, now) in both.items() if before != "Oth" and before == now}
    assert (len(changed), len(held), len(both)) == (303, 346, 650)
    api = reverse("constituencies:api_seats")
    listed = client.get(api, {"election": "ge2024", "changed": "true", "page_size": "1000"}).json()["results"]
    assert {seat["ons_id"] for seat in listed} == changed
    assert Counter(seat["gained_from"] for seat in listed) == Counter(both[ons][0] for ons in changed)
    kept = client.get(api, {"election": "ge2024", "changed": "false", "page_size": "1000"}).json()["results"]
    assert {seat["ons_id"] for seat in kept} == held
    assert all(seat["gained_from"] is None and seat["previous_winner"] == seat["winner"] for seat in kept)


@pytest.mark.parametrize(
    ("slug", "label"),
    [
        ("rushcliffe", "Labour gain from Conservative"),
        ("clacton", "Reform UK gain from Conservative"),
        ("islington-north", "Independent gain from Labour"),
        ("holborn-and-st-pancras", "Labour hold"),
        ("godalming-and-ash", "Conservative hold"),
    ],
)
def test_known_gains_and_holds_on_the_seat_page(both, client, slug, label):
    page = text(client.get(f"/seats/{slug}/"))
    assert "Change since the 2019 notional result on 2024 boundaries" in page
    assert f" {label} " in page
