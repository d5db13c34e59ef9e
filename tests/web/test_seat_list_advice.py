"""The advice in the seat list, its downloads and /api/seats/: the Advice column, the advice= filter, overrides,
bad values, and an election with no advice."""

import json

import pytest
from django.urls import reverse

from constituencies.models import Constituency, Party, RecommendationOverride
from constituencies.seats.advice import election_advice
from tests.builders import import_seats, numbered_seat
from tests.csv_helpers import csv_rows
from tests.web.test_seat_list import text

URL = reverse("constituencies:seat_list")
CSV_URL = reverse("constituencies:seat_list_csv")
JSON_URL = reverse("constituencies:seat_list_json")
API_URL = reverse("constituencies:api_seats")

# The same votes in 2019 (the evidence) and 2024 (the result listed), and the advice the 2019 result gives.
SEATS = {
    "Labour Target": ({"Con": 10_000, "Lab": 9_000, "LD": 1_000}, "Lab"),
    "Lib Dem Target": ({"Con": 10_000, "LD": 9_000, "Lab": 1_000}, "LD"),
    "Safe Labour": ({"Lab": 20_000, "Con": 5_000}, "none_needed"),
    "Too Close": ({"Con": 10_000, "Lab": 6_000, "LD": 5_500}, "too_close"),  # Lab leads LD by 2.3 points
    "No Target": ({"Lab": 10_000, "LD": 8_000}, "not_applicable"),  # neither Con nor Reform stood
}
REASON = "Local polling puts the Liberal Democrats ahead"


def contests():
    return [numbered_seat(name, votes, number=n) for n, (name, (votes, _)) in enumerate(SEATS.items(), 1)]


@pytest.fixture
def advised(default_parties):
    import_seats("ge2019", contests(), year=2019, boundaries="2024")
    return import_seats("ge2024", contests())


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [record.name for record in response.context["records"]]


@pytest.mark.parametrize("advice", ["Lab", "LD", "none_needed", "too_close", "not_applicable"])
def test_the_filter_gives_exactly_the_seats_with_that_advice(advised, client, advice):
    computed = sorted(s.seat.name for s in election_advice(advised).seats if s.advice == advice)
    assert computed == [name for name, (_, expected) in SEATS.items() if expected == advice]
    assert listed(client, advice=advice) == computed
    api = json.loads(client.get(API_URL, {"advice": advice}).content)
    assert [seat["name"] for seat in api["results"]] == computed
    assert {seat["advice"]["advice"] for seat in api["results"]} == {advice}


def test_the_column_names_the_party_or_the_advice_in_words(advised, client):
    page = text(client.get(URL))
    assert "Tragedy Advice Best placed at the last result Gap to win" in page
    assert "Labour Target London Con Lab 1,000 5.0% Marginal No Labour Lab 1,000" in page
    assert "Lib Dem Target London Con LD 1,000 5.0% Marginal No Liberal Democrats LD 1,000" in page
    assert "Safe Labour London Lab Con 15,000 60.0% Safe No No tactical vote needed Lab Holds it" in page
    assert "Too Close London Con Lab 4,000 18.6% Safe Tragedy Too close to call Lab 4,000" in page
    assert "No Target London Lab LD 2,000 11.1% Safe No Not applicable Lab Holds it" in page


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("ld", "LD"), ("None needed", "none_needed"), ("TOO-CLOSE", "too_close"), (" Lab ", "Lab")],
)
def test_the_filter_is_lenient_about_case_and_punctuation_and_carried_in_links(
    advised, client, typed, canonical
):
    response = client.get(URL, {"advice": typed, "tragedy": "true"})
    assert response.context["filter"].query_params() == [
        ("election", "ge2024"),
        ("tragedy", "true"),
        ("advice", canonical),
    ]
    assert f"advice={canonical}" in response.context["share_url"]
    assert f"advice={canonical}" in response.context["csv_url"]
    assert f'<option value="{canonical}" selected>' in response.content.decode()


@pytest.mark.parametrize("bad", ["Con", "RUK", "vote labour", "Lib Dems", "none", "x" * 500])
def test_a_value_that_is_not_advice_is_refused_with_a_message_and_changes_nothing(advised, client, bad):
    response = client.get(URL, {"advice": bad})
    assert response.status_code == 200
    assert response.context["problems"] == [
        f"advice: “{bad[:60]}” is not advice we give: use a progressive party's code "
        "(Green, Lab, LD, PC, SNP), none_needed, too_close or not_applicable."
    ]
    assert len(response.context["records"]) == len(SEATS)  # the filter is not applied
    assert "advice" not in dict(response.context["filter"].query_params())
    for url in (CSV_URL, JSON_URL, API_URL):
        refused = client.get(url, {"advice": bad})
        assert refused.status_code == 400
        assert "advice: " in refused.content.decode()


def test_an_override_changes_the_advice_listed_everywhere(advised, client):
    RecommendationOverride.objects.create(
        election=advised,
        constituency=Constituency.objects.get(name="Too Close"),
        recommended_party=Party.objects.get(code="LD"),
        reason=REASON,
    )
    assert listed(client, advice="LD") == ["Lib Dem Target", "Too Close"]
    assert listed(client, advice="too_close") == []
    page = text(client.get(URL, {"q": "too close"}))
    assert "Tragedy Liberal Democrats (editors’ choice) LD editors’ choice 1" in page

    row = csv_rows(client.get(CSV_URL, {"q": "too close"}).content)[0]
    assert (row["advice"], row["advice_party"], row["advice_reason"]) == ("Liberal Democrats", "LD", REASON)
    seat = json.loads(client.get(reverse("constituencies:api_seat", args=["too-close"])).content)
    assert seat["advice"] == {"advice": "LD", "party": "LD", "reason": REASON, "overridden": True}
    exported = json.loads(client.get(JSON_URL, {"advice": "LD"}).content)["results"]
    assert [(s["name"], s["advice"]["overridden"]) for s in exported] == [
        ("Lib Dem Target", False),
        ("Too Close", True),
    ]


def test_the_downloads_carry_the_advice_and_its_reason(advised, client):
    rows = {row["name"]: row for row in csv_rows(client.get(CSV_URL).content)}
    assert (rows["Labour Target"]["advice"], rows["Labour Target"]["advice_party"]) == ("Labour", "Lab")
    assert rows["Labour Target"]["advice_reason"].startswith(
        "Labour is best placed to beat the Conservatives"
    )
    assert (rows["Safe Labour"]["advice"], rows["Safe Labour"]["advice_party"]) == (
        "No tactical vote needed",
        "",
    )
    assert rows["Too Close"]["advice_reason"].startswith("Too close to call: the 2019 ")
    exported = {s["name"]: s for s in json.loads(client.get(JSON_URL).content)["results"]}
    assert exported["Safe Labour"]["advice"]["advice"] == "none_needed"
    assert exported["Safe Labour"]["advice"]["party"] is None


def test_an_election_with_no_advice_lists_none_and_refuses_the_filter_saying_why(default_parties, client):
    import_seats("ge2024", contests())  # nothing earlier on the 2024 boundaries to reason from
    response = client.get(URL)
    page = text(response)
    assert "The list shows no advice for the 2024 test election ge2024. Nothing on the 2024" in page
    assert "Best placed at the last result" in page and " Advice " not in page
    assert {record.advice for record in response.context["records"]} == {None}

    refused = client.get(URL, {"advice": "LD"})
    assert refused.context["problems"] == [
        "advice: There is no advice for the 2024 test election ge2024, so the list cannot be filtered by it. "
        "Nothing on the 2024 constituency boundaries is dated before the 2024 test election ge2024 (2024-07-04): "
        "no earlier result, notional result or poll projection to advise from."
    ]
    assert len(refused.context["records"]) == len(SEATS)
    api = client.get(API_URL, {"advice": "LD"})
    assert api.status_code == 400 and "There is no advice for the 2024 test election" in api.json()["error"]
    assert {seat["advice"] for seat in client.get(API_URL).json()["results"]} == {None}
    row = csv_rows(client.get(CSV_URL).content)[0]
    assert (row["advice"], row["advice_party"], row["advice_reason"]) == ("", "", "")
