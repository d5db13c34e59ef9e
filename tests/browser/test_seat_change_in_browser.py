"""The seat page's change chart in a real Chromium: the label, the swing, two bars a party drawn to scale,
the table a screen reader reads, and a 360 px phone."""

import pytest
from playwright.sync_api import expect

from tests.builders import notional_godalming_2019, small_ge2024

BEFORE = {"Con": 29728, "LD": 19008, "Lab": 4964, "Green": 903}  # notional 2019 (builders)
NOW = {"Con": 23293, "LD": 22402, "RUK": 4815, "Lab": 2748, "Green": 1243}


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    notional_godalming_2019()


def share(votes, code):
    return 100 * votes.get(code, 0) / sum(votes.values())


def change_section(page):
    page.goto("/seats/godalming-and-ash/")
    return page.get_by_role("region", name="Change since the 2019 notional result on 2024 boundaries")


def test_the_change_chart_shows_the_hold_the_swing_and_both_shares_to_scale(page, seats):
    section = change_section(page)
    expect(section).to_be_visible()
    expect(section.locator(".change-label")).to_have_text("Conservative hold")
    points = -((share(NOW, "Con") - share(BEFORE, "Con")) - (share(NOW, "LD") - share(BEFORE, "LD"))) / 2
    expect(section).to_contain_text(
        f"A swing of {points:.1f} percentage points from Conservative to Liberal Democrats since the 2019 "
        "notional result on 2024 boundaries."
    )
    table = section.get_by_role(
        "table",
        name="Share of the vote: 2019 notional result on 2024 boundaries beside the 2024 general election",
    )
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(5)  # the parties of either contest: Reform UK stood only in 2024
    change = share(BEFORE, "Con") - share(NOW, "Con")
    expect(rows.nth(0).get_by_role("rowheader")).to_have_text("Conservative")
    expect(rows.nth(0).get_by_role("cell")).to_have_text(
        [f"{share(BEFORE, 'Con'):.1f}%", f"{share(NOW, 'Con'):.1f}%", f"−{change:.1f}"]
    )
    expect(table.get_by_role("row", name="Reform UK").get_by_role("cell")).to_have_text(
        ["–", f"{share(NOW, 'RUK'):.1f}%", "–"]  # no 2019 figure, so no change either
    )

    # The bars are drawn to one scale: the longest is the Conservatives' 2019 share.
    con = rows.nth(0).locator(".change-bar")
    before_width, now_width = (con.nth(i).bounding_box()["width"] for i in (0, 1))
    assert now_width / before_width == pytest.approx(share(NOW, "Con") / share(BEFORE, "Con"), abs=0.02)
    ld = rows.nth(1).locator(".change-bar")
    assert ld.nth(1).bounding_box()["width"] / before_width == pytest.approx(
        share(NOW, "LD") / share(BEFORE, "Con"), abs=0.02
    )
    # The bars are decoration: a screen reader reads the numbers in the cells.
    expect(table.locator(".change-bar-track").first).to_have_attribute("aria-hidden", "true")


def test_the_change_chart_fits_a_phone(phone_page, seats):
    section = change_section(phone_page)
    expect(section.locator(".change-label")).to_have_text("Conservative hold")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"
    table_box = section.locator("table").bounding_box()
    assert table_box["x"] >= 0 and table_box["x"] + table_box["width"] <= 360
