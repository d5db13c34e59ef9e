"""The voter journey in a real Chromium: postcode to seat page, bad and split postcodes, name search,
a 360 px phone, keyboard order, and no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.builders import ABERDEEN_NORTH, GODALMING, add_postcode, notional_godalming_2019, small_ge2024


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    notional_godalming_2019()
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])  # real: ONSPD August 2024
    add_postcode("AB9 9ZZ", ABERDEEN_NORTH[0])  # made up: a postcode split between two seats
    add_postcode("AB9 9ZZ", GODALMING[0])


def find_postcode(page, typed):
    page.goto("/")
    page.get_by_label("Your postcode").fill(typed)
    page.get_by_role("button", name="Find my seat").click()


def test_a_messy_postcode_reaches_the_seat_and_its_recommendation(page, seats):
    find_postcode(page, "  ab10  1pe ")
    expect(page).to_have_url(re.compile(r"/seats/aberdeen-north/\?postcode=AB10\+1PE$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aberdeen North")
    expect(page.get_by_text("Your postcode, AB10 1PE, is in this constituency.")).to_be_visible()
    recommendation = page.get_by_role("region", name="How to make your vote count here")
    expect(recommendation).to_be_visible()
    expect(recommendation).to_contain_text(
        "The SNP is best placed to hold this seat: they won it by 1,760 votes (4.3%) over Labour."
    )
    expect(
        page.get_by_role("table", name="Full result, 2024 general election").get_by_role("row")
    ).to_have_count(
        1 + 6 + 1  # header, six parties, valid votes
    )
    assert page.title().startswith("Aberdeen North: 2024 general election result")


def test_a_bad_postcode_shows_its_message_and_keeps_what_was_typed(page, seats):
    find_postcode(page, "hello there")
    box = page.get_by_label("Your postcode")
    expect(page.get_by_role("alert")).to_contain_text("“hello there” is not a UK postcode.")
    expect(box).to_have_value("hello there")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert page.title().startswith("Error: ")

    find_postcode(page, "ze1 0aa")
    expect(page.get_by_role("alert")).to_contain_text(
        "We cannot look up ZE1 0AA yet: our postcode directory does not cover ZE postcodes."
    )
    find_postcode(page, "JE2 4WD")
    expect(page.get_by_role("alert")).to_contain_text("JE2 4WD is a postcode for Jersey")


def test_a_small_directory_offers_the_postcodes_it_knows(page, seats):
    page.goto("/")
    expect(page.get_by_role("link", name="Find your seat")).to_have_attribute("aria-current", "page")
    page.locator("#postcodes-to-try").get_by_role("link", name="AB10 1PE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aberdeen North")
    expect(page.get_by_text("Your postcode, AB10 1PE, is in this constituency.")).to_be_visible()


def test_a_split_postcode_shows_the_choice(page, seats):
    find_postcode(page, "ab99zz")
    expect(page.get_by_role("heading", level=1)).to_have_text("AB9 9ZZ is split between 2 constituencies")
    choices = page.locator(".choice-list a")
    expect(choices).to_have_count(2)
    expect(choices.nth(0)).to_contain_text("Aberdeen North")
    expect(choices.nth(1)).to_contain_text("Godalming and Ash")
    choices.nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Godalming and Ash")
    expect(page.get_by_role("list", name="Status of this seat")).to_contain_text("Progressive tragedy")
    expect(page.get_by_role("region", name="How to make your vote count here")).to_contain_text(
        "The Liberal Democrats are best placed to beat the Conservatives here: they came second, 891 votes behind."
    )


def test_name_search_finds_a_seat(page, seats):
    page.goto("/")
    page.get_by_label("Constituency or place name").fill("ynys mon")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("1 constituency found")
    page.get_by_role("link", name="Ynys Môn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ynys Môn")
    expect(page.get_by_role("region", name="How to make your vote count here")).to_contain_text(
        "Plaid Cymru is best placed to hold this seat: they won it by 637 votes"
    )


def test_history_links_to_the_earlier_result(page, seats):
    page.goto("/seats/godalming-and-ash/")
    history = page.get_by_role("table", name="Every result we hold for this constituency, newest first")
    expect(history.get_by_role("row")).to_have_count(3)
    history.get_by_role("link", name="2019 notional result on 2024 boundaries").click()
    expect(page).to_have_url(re.compile(r"\?election=notional-ge2019-2024$"))
    expect(page.get_by_text("Notional winner")).to_be_visible()


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


PHONE_PATHS = [
    "/",
    "/postcode/?postcode=not+a+postcode+at+all",
    "/postcode/?postcode=AB9+9ZZ",
    "/search?q=a",
    "/seats/godalming-and-ash/",
    "/seats/aberdeen-north/?postcode=AB10+1PE",
    "/search?q=" + "x" * 99,  # a long unbroken word must wrap, not widen the page
    "/postcode/?postcode=" + "y" * 99,
    "/seats/nowhere-" + "z" * 80 + "/",
]


def test_pages_fit_a_360px_phone(phone_page, seats):
    for path in PHONE_PATHS:
        phone_page.goto(path)
        assert phone_page.evaluate("window.innerWidth") == 360
        assert no_horizontal_overflow(phone_page), f"{path} is wider than the screen"


def test_the_phone_journey(phone_page, seats):
    find_postcode(phone_page, "AB10 1PE")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Aberdeen North")
    bar = phone_page.locator(".bar").first
    assert bar.bounding_box()["width"] > 100  # the chart is still readable at 360 px
    assert no_horizontal_overflow(phone_page)


def test_keyboard_focus_order_on_the_home_page(page, seats):
    page.goto("/")
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert order == [
        "Skip to content",
        "Seat Finder",
        "Find your seat",
        "Search by name",
        "Seat list",
        "Map",
        "What if",
        "Under PR",
        "API",
        "Join",
        "id_postcode",
        "Find my seat",
    ]


def test_works_without_javascript(chromium, live_server, seats):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        find_postcode(page, "ab99zz")
        page.get_by_role("link", name=re.compile("Godalming and Ash")).click()
        expect(page.get_by_role("region", name="How to make your vote count here")).to_be_visible()
        page.goto("/search?q=godalming")
        expect(page.get_by_role("link", name="Godalming and Ash")).to_be_visible()
    finally:
        context.close()


CONTRAST_JS = """
(selectors) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const main = document.querySelector("main");
  return selectors.map((selector) => {
    let el = document.querySelector(selector);
    if (!el) {  // a class this page does not use: render a sample of it
      el = document.createElement("span");
      el.className = selector.replace(/\\./g, " ").trim();
      el.textContent = "Sample";
      main.appendChild(el);
    }
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    return [selector, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}
"""


def test_text_colours_meet_wcag_aa_contrast(page, seats):
    page.goto("/postcode/?postcode=nope")
    selectors = [
        ".error-message", ".hint", ".field-label", ".site-header a", ".button", ".button.button--secondary",
        ".badge.badge--tragedy", ".badge.badge--very_marginal", ".badge.badge--marginal", ".badge.badge--safe",
        ".bar-share", ".seat-meta", ".hit-meta",
    ]  # fmt: skip
    ratios = dict(page.evaluate(CONTRAST_JS, selectors))
    low = {selector: round(ratio, 2) for selector, ratio in ratios.items() if ratio < 4.5}
    assert not low, f"below 4.5:1: {low}"
