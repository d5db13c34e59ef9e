"""CSV and JSON downloads of the filtered seat list: every matching row, the same filters as the page."""

import csv
import io
import json

import pytest
from django.urls import reverse

from constituencies.models import Candidacy, Party, SeatAssessment
from tests.builders import import_seats, numbered_seat, numbered_seats
from tests.csv_helpers import csv_rows
from tests.query_counts import ADVICE_QUERIES, SUPPORTER_COUNTS_QUERIES, advised_seats

CSV_URL = reverse("constituencies:seat_list_csv")
JSON_URL = reverse("constituencies:seat_list_json")


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return csv_rows(response.content)


def test_csv_has_every_matching_seat_not_just_one_page(default_parties, client):
    import_seats("ge2024", numbered_seats(120))
    response = client.get(CSV_URL, {"tragedy": "false", "sort": "-majority"})
    assert response["Content-Disposition"] == 'attachment; filename="seats-ge2024-not-tragedies.csv"'
    rows = read_csv(response)
    expected = SeatAssessment.objects.filter(is_tragedy=False).order_by("-majority", "constituency__name")
    assert len(rows) == expected.count() == 80  # more than the 50 on a page
    assert [r["name"] for r in rows] == [a.constituency.name for a in expected]
    assert {r["is_tragedy"] for r in rows} == {"false"}


def test_csv_columns_and_values_for_a_real_seat(ge2024, client):
    response = client.get(CSV_URL, {"q": "godalming"})
    headings = next(csv.reader(io.StringIO(response.content.decode())))
    assert headings == [
        "ONS code", "Constituency", "Region", "Country", "Election", "Winner (party code)", "Winning candidate",
        "Runner-up (party code)", "Majority (votes)", "Majority (% of valid votes)", "Marginality",
        "Progressive tragedy", "Progressive votes, all parties", "Best placed at the last result (party code)",
        "Best placed: votes", "Best placed: lead is clear", "Best placed: from the results or the editors (override)",
        "Editors’ reason", "Gap to win (votes)", "Valid votes", "Electorate", "Seat page",
        "Gained from (party code)", "Previous winner (party code)", "Previous majority (votes)", "Confirmed supporters",
        "Advice", "Advice: party code", "Advice: why",
        "Votes: Conservative (Con)", "Votes: Liberal Democrats (LD)", "Votes: Reform UK (RUK)", "Votes: Labour (Lab)",
        "Votes: Green Party (Green)", "Votes: Other candidates (Oth)",
    ]  # fmt: skip
    rows = read_csv(response)
    assert len(rows) == 1
    row = rows[0]
    assert list(row)[:22] == [
        "ons_id", "name", "region", "country", "election", "winner", "winner_candidate", "runner_up",
        "majority", "majority_pct", "marginality", "is_tragedy", "progressive_total", "best_placed",
        "best_placed_votes", "best_placed_lead_is_clear", "best_placed_source", "override_reason", "gap_to_win",
        "valid_votes", "electorate", "url",
    ]  # fmt: skip
    assert row["override_reason"] == ""
    assert row["ons_id"] == "E14001249"
    assert (row["winner"], row["runner_up"], row["best_placed"]) == ("Con", "LD", "LD")
    assert (row["majority"], row["majority_pct"], row["marginality"]) == ("891", "1.63", "very_marginal")
    assert (row["is_tragedy"], row["progressive_total"], row["gap_to_win"]) == ("true", "26393", "891")
    assert row["url"] == "http://testserver/seats/godalming-and-ash/?election=ge2024"
    votes = {k.removeprefix("votes_"): int(v) for k, v in row.items() if k.startswith("votes_")}
    assert votes == {"Con": 23293, "LD": 22402, "RUK": 4815, "Lab": 2748, "Green": 1243, "Oth": 195}
    assert sum(votes.values()) == int(row["valid_votes"]) == 54696


def test_csv_vote_columns_cover_every_party_in_the_export(ge2024, client):
    rows = read_csv(client.get(CSV_URL))
    assert len(rows) == 7
    vote_columns = [c for c in rows[0] if c.startswith("votes_")]
    stood = set(
        Candidacy.objects.filter(result__election__slug="ge2024")
        .values_list("party__code", flat=True)
        .distinct()
    )
    assert {c.removeprefix("votes_") for c in vote_columns} == stood
    for row in rows:
        assert sum(int(row[c]) for c in vote_columns) == int(row["valid_votes"]), row["name"]


def test_csv_defuses_text_a_spreadsheet_would_run_as_a_formula(default_parties, client):
    import_seats(
        "ge2024", [numbered_seat("=HYPERLINK(1)", {"Lab": 10, "Con": 5}, candidates={"Lab": "@evil"})]
    )
    row = read_csv(client.get(CSV_URL))[0]
    assert row["name"] == "'=HYPERLINK(1)"
    assert row["winner_candidate"] == "'@evil"


def test_json_export_has_the_filters_and_every_matching_seat(default_parties, client):
    import_seats("ge2024", numbered_seats(120))
    response = client.get(JSON_URL, {"region": "london", "marginality": ["very_marginal", "marginal"]})
    assert response["Content-Disposition"] == (
        'attachment; filename="seats-ge2024-very-marginal-marginal-london.json"'
    )
    data = json.loads(response.content)
    expected = SeatAssessment.objects.filter(
        constituency__region="London", marginality__in=["very_marginal", "marginal"]
    )
    assert data["count"] == len(data["results"]) == expected.count() > 20
    assert data["election"] == "ge2024"
    assert data["filters"] == {
        "election": "ge2024",
        "marginality": "very_marginal,marginal",
        "region": "London",
    }
    first = data["results"][0]
    assert first["region"] == "London"
    assert sum(first["votes"].values()) == first["valid_votes"]


def test_exports_match_the_page(ge2024, client):
    params = {"region": "South East", "sort": "-majority_pct"}
    page = client.get(reverse("constituencies:seat_list"), params)
    shown = [r.name for r in page.context["records"]]
    assert shown == ["Aldershot", "Godalming and Ash"]
    assert [r["name"] for r in read_csv(client.get(page.context["csv_url"]))] == shown
    assert [r["name"] for r in json.loads(client.get(page.context["json_url"]).content)["results"]] == shown


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_a_bad_filter_refuses_the_export_with_a_message(ge2024, client, url):
    response = client.get(url, {"winner": "Nobody", "majority_pct_min": "ten"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "winner: “Nobody” is not a party code we know." in body
    assert "majority_pct_min: Enter the smallest majority as a number" in body
    if url == JSON_URL:
        assert json.loads(body)["results"] == []


def test_an_override_of_the_best_placed_party_is_one_function_away(ge2024, client, monkeypatch):
    """The list, the exports and the API all take the recommendation from recommendations.recommend."""
    from constituencies.models import RecommendationOverride
    from constituencies.seats import recommendations

    green = Party.objects.get(code="Green")

    def overridden(*args, **kwargs):
        override = RecommendationOverride(recommended_party=green, reason="test")
        return recommendations.EffectiveRecommendation(green, None, 1243, 22050, True, override)

    monkeypatch.setattr(recommendations, "recommend", overridden)
    assert read_csv(client.get(CSV_URL, {"q": "godalming"}))[0]["best_placed"] == "Green"
    api = json.loads(client.get(reverse("constituencies:api_seats"), {"q": "godalming"}).content)
    assert (api["results"][0]["best_placed"], api["results"][0]["best_placed_source"]) == (
        "Green",
        "override",
    )
    page = client.get(reverse("constituencies:seat_list"), {"q": "godalming"})
    assert page.context["records"][0].best.party == green


@pytest.mark.parametrize("seats", [3, 120])
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_run_in_a_fixed_number_of_queries(
    default_parties, client, django_assert_num_queries, seats, url
):
    advised_seats(seats)
    # elections, parties, regions, the seats, their candidacies, the advice and the supporter counts
    with django_assert_num_queries(5 + ADVICE_QUERIES + SUPPORTER_COUNTS_QUERIES):
        response = client.get(url, {"marginality": "safe,marginal,very_marginal", "advice": "none_needed"})
    rows = read_csv(response) if url == CSV_URL else json.loads(response.content)["results"]
    assert len(rows) == len(range(1, seats + 1, 3))  # the safe Labour seats, every third
    if url == CSV_URL:
        assert {row["advice"] for row in rows} == {"No tactical vote needed"}
    else:
        assert {(row["advice"]["advice"], row["advice"]["party"]) for row in rows} == {("none_needed", None)}
