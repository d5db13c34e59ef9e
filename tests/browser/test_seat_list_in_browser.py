"""Campaign staff in a real browser: filter the seat list, sort it, download the CSV and check its rows."""

import re
from io import StringIO

from django.core.management import call_command

from constituencies.models import Constituency, Party, RecommendationOverride, SeatAssessment
from tests.csv_helpers import csv_rows


def seat_count(page) -> int:
    return int(page.get_by_test_id("seat-count").inner_text().replace(",", ""))


def table_column(page, column: int | re.Pattern) -> list[str]:
    """The cells of one column, by position or by a pattern its header's text matches."""
    if isinstance(column, re.Pattern):
        headers = page.locator("table.seat-table thead th").all_inner_texts()
        column = next(i for i, text in enumerate(headers) if column.match(text.strip()))
    return page.locator("table.seat-table tbody tr").evaluate_all(
        f"rows => rows.map(r => r.querySelectorAll('th, td')[{column}].innerText.trim())"
    )


def test_tragedy_and_region_filters_sort_by_majority_and_download_the_csv(page, default_parties):
    call_command("load_demo", stdout=StringIO())  # the real 2010-2024 results; 2024 is the default election
    ge2024 = SeatAssessment.objects.filter(election__slug="ge2024")
    tragedies = ge2024.filter(is_tragedy=True)
    london_tragedies = tragedies.filter(constituency__region="London")

    page.goto("/seats/")
    assert page.get_by_label("Election").input_value() == "ge2024"
    assert seat_count(page) == ge2024.count() == 650

    page.get_by_label("Progressive tragedy").select_option("true")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url(re.compile(r"tragedy=true"))
    assert seat_count(page) == tragedies.count()
    assert 0 < tragedies.count() < 650
    assert page.get_by_test_id("tragedy-count").inner_text() == str(tragedies.count())

    page.get_by_label("Region").select_option("London")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url(re.compile(r"region=London"))
    assert seat_count(page) == london_tragedies.count()
    assert 0 < london_tragedies.count() < tragedies.count()
    # the filters kept their values after the submit
    assert page.get_by_label("Progressive tragedy").input_value() == "true"
    assert page.get_by_label("Region").input_value() == "London"

    page.get_by_role("columnheader", name=re.compile(r"^Majority \(")).get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=majority"))
    header = page.get_by_role("columnheader", name=re.compile(r"^Majority \("))
    assert header.get_attribute("aria-sort") == "ascending"
    names = table_column(page, 0)
    majorities = [int(m.replace(",", "")) for m in table_column(page, re.compile(r"Majority(?! %)"))]
    assert len(names) == london_tragedies.count()
    assert majorities == sorted(majorities) and majorities[0] < majorities[-1]
    assert set(table_column(page, 1)) == {"London"}

    # The CSV link, fetched by the page's own request context (its cookies, gzip as a browser asks for it):
    # Chromium's download manager, not the site, was what stalled under load.
    csv_link = page.get_by_role("link", name="CSV", exact=True)
    download = page.request.get(csv_link.evaluate("a => a.href"), timeout=60_000)
    assert download.ok
    assert (
        download.headers["content-disposition"] == 'attachment; filename="seats-ge2024-tragedies-london.csv"'
    )
    rows = csv_rows(download.body())
    assert [row["name"] for row in rows] == names  # same seats, same order as the table
    assert [int(row["majority"]) for row in rows] == majorities
    assert {row["is_tragedy"] for row in rows} == {"true"}
    assert {row["region"] for row in rows} == {"London"}
    assert {row["winner"] for row in rows} <= {"Con", "Brexit", "UKIP", "RUK"}
    expected = {a.constituency.ons_id: a.majority for a in london_tragedies.select_related("constituency")}
    assert {row["ons_id"]: int(row["majority"]) for row in rows} == expected


def test_seat_list_fits_a_phone_screen_and_filters_without_javascript(chromium, live_server, ge2024):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto("/seats/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # a card per seat, no wide table
        page.get_by_text("Filters", exact=True).click()  # folded on a phone: a <details>, no script needed
        page.get_by_label("Region").select_option("South East")
        page.get_by_role("button", name="Show seats").click()
        page.wait_for_url(re.compile(r"region=South"))
        assert seat_count(page) == 2
        assert table_column(page, 0) == ["Aldershot", "Godalming and Ash"]
    finally:
        context.close()


def test_an_overrides_reason_is_readable_on_a_phone(phone_page, ge2024):
    reason = "Recent council results: Labour won every ward here, and the Liberal Democrats stood aside"
    RecommendationOverride.objects.create(
        election=ge2024,
        constituency=Constituency.objects.get(name="Godalming and Ash"),
        recommended_party=Party.objects.get(code="Lab"),
        reason=reason,
    )
    page = phone_page
    page.goto("/seats/?election=ge2024")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name=re.compile("editors’ choice")).click()
    page.wait_for_url(re.compile(r"#override-note-1$"))
    note = page.locator("#override-note-1")
    assert note.is_visible()
    assert reason in note.inner_text()
    # On screen after the jump, and as wide as the phone at most: no scrolling sideways to read it.
    box = page.locator("#override-reason-1").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert 0 <= box["y"] < 740
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    note.get_by_role("link", name=re.compile("Back to the table")).click()
    page.wait_for_url(re.compile(r"#override-ref-1$"))
