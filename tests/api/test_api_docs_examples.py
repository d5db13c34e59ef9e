"""Every example request on the /api/ page answers 200 with what its description says."""

import json
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.builders import add_postcode, import_seats, numbered_seat
from tests.csv_helpers import csv_rows

# Made-up seats so that every example finds something, and something it must leave out.
SEATS = [
    numbered_seat("Con Tragedy Close", {"Con": 10_000, "Lab": 9_800, "LD": 3_000}, number=1),
    numbered_seat("Con Tragedy Less Close", {"Con": 10_000, "Lab": 9_000, "Green": 2_000}, number=2),
    # A very marginal tragedy that Reform won: the first example, about Conservative wins, leaves it out.
    numbered_seat("Reform Tragedy Close", {"RUK": 10_000, "Lab": 9_900, "LD": 1_000}, number=3),
    numbered_seat("Reform Win", {"RUK": 10_000, "Con": 8_500, "Lab": 1_000}, number=4),  # 7.7%
    numbered_seat(
        "Plaid Seat", {"PC": 12_000, "Lab": 10_000, "Con": 3_000}, number=5, country="Wales", region="Wales"
    ),
    numbered_seat(
        "Welsh Labour Seat", {"Lab": 12_000, "PC": 5_000}, number=6, country="Wales", region="Wales"
    ),
    numbered_seat("Safe Labour", {"Lab": 20_000, "Con": 5_000}, number=7, region="North West"),
]

# What each example's comment on the page promises about the seats it returns.
SEAT_EXAMPLES = {
    "Progressive tragedies where the Conservatives won by under 5%, most marginal first": lambda seats: (
        all(s["is_tragedy"] and s["winner"] == "Con" and s["majority_pct"] < 5 for s in seats)
        and [s["majority_pct"] for s in seats] == sorted(s["majority_pct"] for s in seats)
    ),
    "Seats in Wales where Plaid Cymru is the best-placed progressive party": lambda seats: all(
        s["country"] == "Wales" and s["best_placed"] == "PC" for s in seats
    ),
    "Seats won by Reform UK with a majority between 5 and 10%": lambda seats: all(
        s["winner"] == "RUK" and 5 <= s["majority_pct"] <= 10 for s in seats
    ),
    "Seats where our advice is to vote Labour, smallest gap to win first": lambda seats: (
        all(s["advice"]["advice"] == "Lab" for s in seats)
        and [s["gap_to_win"] for s in seats] == sorted(s["gap_to_win"] for s in seats)
    ),
}


@pytest.fixture
def docs(default_parties, client):
    import_seats("ge2019", SEATS, year=2019, boundaries="2024")  # evidence for the advice example
    import_seats("ge2024", SEATS)
    add_postcode("SW1A 0AA", "E14000001")
    return unescape(client.get(reverse("constituencies:api_docs")).content.decode())


def example_paths(docs: str) -> list[str]:
    """Every URL the page shows in a curl command or a "Try it" link, as a path with its query."""
    urls = re.findall(r"curl (?:-o \S+ )?'?(http://testserver/[^'\s<]+)", docs)
    urls += re.findall(r'Try it: <a href="(/[^"]+)"', docs)
    return [urlsplit(url)._replace(scheme="", netloc="").geturl() for url in urls]


def seat_examples(docs: str) -> dict[str, str]:
    """{comment: path} for the commented examples of /api/seats/."""
    pairs = re.findall(r"# (.+)\ncurl '(http://testserver/[^']+)'", docs)
    return {comment: urlsplit(url)._replace(scheme="", netloc="").geturl() for comment, url in pairs}


def test_every_example_answers_200_with_json_or_csv(docs, client):
    paths = example_paths(docs)
    assert len(paths) == 20, paths  # 14 curl commands, 6 "Try it" links
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:300])
        if path.startswith("/seats/export.csv"):
            rows = csv_rows(response.content)
            assert rows and all(row["is_tragedy"] == "true" for row in rows), path  # "...&tragedy=true"
        else:
            assert response["Content-Type"].startswith("application/json"), path
            data = json.loads(response.content)
            assert data and "error" not in data, path
            if path.startswith("/seats/export.json"):
                assert data["results"] and {s["region"] for s in data["results"]} == {"London"}


def test_each_seats_example_returns_what_its_comment_says(docs, client):
    examples = seat_examples(docs)
    assert set(examples) == set(SEAT_EXAMPLES)  # a new example needs its promise written down here
    for comment, path in examples.items():
        seats = client.get(path).json()["results"]
        assert seats, (comment, path)
        assert SEAT_EXAMPLES[comment](seats), (comment, [(s["name"], s["winner"]) for s in seats])
    con_tragedies = client.get(examples[next(iter(SEAT_EXAMPLES))]).json()["results"]
    assert [s["name"] for s in con_tragedies] == ["Con Tragedy Close", "Con Tragedy Less Close"]


def test_the_try_it_link_for_tragedies_gives_tragedies_most_marginal_first(docs, client):
    link = re.search(r'Try it: <a href="(/api/seats/[^"]+)">progressive tragedies, most marginal first', docs)
    seats = client.get(link.group(1)).json()["results"]
    assert [s["name"] for s in seats] == [
        "Reform Tragedy Close",
        "Con Tragedy Close",
        "Con Tragedy Less Close",
    ]


def test_the_advice_examples_give_every_seat_as_of_the_day_before(docs, client):
    paths = [path for path in example_paths(docs) if path.startswith("/api/advice/")]
    assert paths == ["/api/advice/ge2024/?as_of=2024-07-03", "/api/advice/ge2024/"]
    for path in paths:
        body = client.get(path).json()
        assert body["count"] == len(SEATS) and body["election"]["slug"] == "ge2024"
        assert {seat["advice"] for seat in body["results"]} <= {
            "Lab",
            "LD",
            "Green",
            "SNP",
            "PC",
            "none_needed",
            "too_close",
            "not_applicable",
        }
    assert client.get(paths[0]).json()["as_of"] == "2024-07-03"


def test_the_what_if_examples_give_the_scenarios_their_words_describe(docs, client):
    paths = [path for path in example_paths(docs) if path.startswith("/api/what-if/")]
    assert paths == [
        "/api/what-if/?election=ge2024",
        "/api/what-if/?election=ge2024&stand_aside=Lab,LD&follow=70&seats=tragedies",
        "/api/what-if/?election=ge2024&follow=50",
    ]
    everyone, tragedies, half = (client.get(path).json() for path in paths)
    assert everyone["inputs"]["stand_aside"] == ["Green", "Lab", "LD", "PC", "SNP"]
    assert everyone["inputs"]["follow"] == 100 and everyone["inputs"]["seats_considered"] == len(SEATS)
    assert tragedies["inputs"]["stand_aside"] == ["Lab", "LD"] and tragedies["inputs"]["follow"] == 70
    assert tragedies["inputs"]["seats_considered"] == 3  # the three tragedies of SEATS
    assert half["inputs"]["follow"] == 50
    # Every seat the examples flip was a tragedy, and more follow more flips.
    tragic = {"con-tragedy-close", "con-tragedy-less-close", "reform-tragedy-close"}
    for body in (everyone, tragedies, half):
        assert {seat["slug"] for seat in body["seats_changed"]} <= tragic
    assert len(half["seats_changed"]) <= len(everyone["seats_changed"]) == 3


def test_the_pr_examples_give_every_seat_to_a_party_as_asked(docs, client):
    paths = [path for path in example_paths(docs) if path.startswith("/api/pr/")]
    assert paths == [
        "/api/pr/?election=ge2024&method=sainte_lague&by=region",
        "/api/pr/?election=ge2024&method=dhondt&by=nation&threshold=5&threshold_scope=regional",
        "/api/pr/?election=ge2024",
    ]
    asked = [("sainte_lague", "region", None), ("dhondt", "nation", "regional"), ("dhondt", "nation", None)]
    for path, (method, by, scope) in zip(paths, asked, strict=True):
        body = client.get(path).json()
        assert (body["method"], body["by"], body["threshold"]["scope"]) == (method, by, scope)
        assert body["total_seats"] == len(SEATS) == sum(p["seats"] for p in body["parties"])
        assert body["gallagher"]["fptp"] > body["gallagher"]["pr"]
