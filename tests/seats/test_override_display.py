"""An editors' override shows, marked as such with its reason, on the seat page, the list, the exports and the API."""

import re
from html import unescape

import pytest

from constituencies.models import Party, RecommendationOverride, SeatAssessment
from tests.csv_helpers import csv_rows
from tests.query_counts import ADVICE_QUERIES

REASON = "Recent council results: Labour won every ward here"


@pytest.fixture
def overridden(ge2024):
    godalming = SeatAssessment.objects.get(constituency__name="Godalming and Ash")
    assert godalming.best_placed.code == "LD"
    return RecommendationOverride.objects.create(
        election=ge2024,
        constituency=godalming.constituency,
        recommended_party=Party.objects.get(code="Lab"),
        reason=REASON,
    )


def test_seat_page_shows_the_override_and_its_reason_before_the_computed_recommendation(client, overridden):
    html = client.get("/seats/godalming-and-ash/").content.decode()
    notice = html.index("Editors&rsquo; recommendation")
    assert "We recommend <strong>" in html and "Labour</strong> here." in html
    assert REASON in html
    assert notice < html.index('id="recommendation-text"')  # the computed sentence still follows
    assert "Liberal Democrats" in html[html.index('id="recommendation-text"') :]


def test_seat_without_override_shows_no_notice(client, overridden):
    html = client.get("/seats/aldershot/").content.decode()
    assert "Editors&rsquo; recommendation" not in html


def visible_text(html: str) -> str:
    """The page's text as a sighted reader sees it: no tooltips (title), no visually-hidden text, no tags."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', " ", html, flags=re.S)
    html = re.sub(r"<[^>]*>", " ", html)  # tags, and the title attributes inside them
    return re.sub(r"\s+", " ", unescape(html))


def test_seat_list_shows_the_overrides_reason_as_visible_text(client, overridden):
    html = client.get("/seats/", {"election": "ge2024"}).content.decode()
    text = visible_text(html)
    assert "editors’ choice" in text
    assert REASON in text
    assert "Godalming and Ash : back Labour (on the results alone, Liberal Democrats)." in text
    # The cell links to the note, and names it as the mark's description for screen readers.
    assert (
        '<a class="override-mark" id="override-ref-1" href="#override-note-1" '
        'aria-describedby="override-reason-1">editors’ choice<sup>1</sup></a>' in html
    )
    assert '<li id="override-note-1">' in html
    assert f'<span id="override-reason-1">{REASON}</span>' in html
    assert html.count("editors’ choice<sup>") == 1  # only the overridden seat


def test_seat_list_without_overrides_has_no_notes(client, ge2024):
    html = client.get("/seats/", {"election": "ge2024"}).content.decode()
    assert "override-notes" not in html and "editors’ choice" not in html


def test_api_and_exports_give_the_override_with_its_reason(client, overridden):
    seat = client.get("/api/seats/godalming-and-ash/", {"election": "ge2024"}).json()
    assert (seat["best_placed"], seat["best_placed_source"], seat["computed_best_placed"]) == (
        "Lab",
        "override",
        "LD",
    )
    assert seat["override_reason"] == REASON
    assert seat["gap_to_win"] is None  # the gap belongs to the computed party, not the editors' choice

    rows = {r["name"]: r for r in client.get("/api/seats/", {"election": "ge2024"}).json()["results"]}
    assert rows["Godalming and Ash"]["best_placed_source"] == "override"
    assert rows["Aldershot"]["best_placed_source"] == "results"
    assert rows["Aldershot"]["override_reason"] is None

    response = client.get("/seats/export.csv", {"election": "ge2024"})
    exported = {r["name"]: r for r in csv_rows(response.content)}
    assert exported["Godalming and Ash"]["best_placed"] == "Lab"
    assert exported["Godalming and Ash"]["override_reason"] == REASON
    assert exported["Aldershot"]["best_placed_source"] == "results"


def test_best_placed_filter_follows_the_override(client, overridden):
    def names(code):
        data = client.get("/api/seats/", {"election": "ge2024", "best_placed": code}).json()
        return {r["name"] for r in data["results"]}

    assert "Godalming and Ash" in names("Lab")
    assert "Godalming and Ash" not in names("LD")
    assert "Aldershot" in names("Lab")  # no override: the computed best-placed party


@pytest.mark.parametrize("url", ["/seats/", "/api/seats/"])
def test_listing_query_count_is_unchanged_by_overrides(
    client, overridden, django_assert_max_num_queries, url
):
    with django_assert_max_num_queries(6 + ADVICE_QUERIES):
        client.get(url, {"election": "ge2024"})
