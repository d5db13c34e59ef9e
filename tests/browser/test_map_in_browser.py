"""The hex map in a real browser: its links, keyboard focus, and the filters carried over from the list."""

import re

from constituencies.models import SeatAssessment
from tests.builders import import_ge2024_sample


def test_the_hexes_are_links_reached_by_keyboard_with_a_visible_focus(page, default_parties):
    import_ge2024_sample()
    page.goto("/map/")
    assert page.locator("svg.hex-map a").count() == 7
    godalming = page.get_by_role("link", name=re.compile(r"^Godalming and Ash: Conservative won"))
    assert godalming.get_attribute("href") == "/seats/godalming-and-ash/?election=ge2024"

    page.get_by_role("link", name="PNG").focus()  # the last link before the map
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const a = document.activeElement;
            return {inMap: !!a.closest('svg.hex-map'), label: a.getAttribute('aria-label'),
                    stroke: getComputedStyle(a.querySelector('polygon')).strokeWidth};
        }"""
    )
    assert focused["inMap"] and focused["stroke"] == "3px"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/seats/[-a-z]+/"))
    assert page.get_by_role("heading", level=1).inner_text() == focused["label"].split(":")[0]


def test_the_list_filters_carry_over_to_the_map_and_back(page, default_parties):
    election = import_ge2024_sample()
    labour = SeatAssessment.objects.filter(election=election, winner__code="Lab").count()
    page.goto("/seats/")
    page.get_by_label("Winner").select_option("Lab")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url(re.compile(r"winner=Lab"))
    page.get_by_role("link", name="see them on the map").click()
    page.wait_for_url(re.compile(r"/map/\?election=ge2024&winner=Lab"))
    assert page.get_by_test_id("map-count").inner_text().startswith(f"{labour} of 7 seats match")
    assert page.locator("svg.hex-map a.hex--faded").count() == 7 - labour
    assert page.get_by_label("Winner:").input_value() == "Lab"

    page.locator("summary", has_text="Colour and filter the map").click()  # the form is folded away
    page.get_by_label("Colour by").select_option("tragedy")
    page.get_by_role("button", name="Show map").click()
    page.wait_for_url(re.compile(r"colour=tragedy"))
    assert "winner=Lab" in page.url
    assert page.get_by_test_id("legend-tragedy").is_visible()
    page.get_by_role("link", name="as a list").click()
    page.wait_for_url(re.compile(r"/seats/\?election=ge2024&winner=Lab$"))
    assert page.get_by_test_id("seat-count").inner_text() == str(labour)


def test_the_map_fits_a_360px_phone(phone_page, default_parties):
    import_ge2024_sample()
    phone_page.goto("/map/?colour=tragedy")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert phone_page.get_by_test_id("hex-map").bounding_box()["width"] > 300  # the map fills the screen
