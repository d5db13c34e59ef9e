"""The what-if in a real browser: the follow share's slider and the party boxes change the House, and the URL
carries the scenario."""

import re

from tests.builders import import_seats
from tests.web.test_what_if_page import SEATS


def house_seats(page, party: str) -> int:
    return int(page.get_by_test_id(f"scenario-{party}").inner_text())


def test_changing_the_follow_share_and_the_parties_changes_the_house(page, default_parties):
    import_seats("ge2024", SEATS)
    page.goto("/what-if/")
    assert house_seats(page, "Con") == 2  # every progressive party stands aside, all their voters follow
    assert (
        page.get_by_test_id("headline")
        .inner_text()
        .startswith("The Conservative majority would not have survived")
    )

    slider = page.locator("#id_follow_slider")
    assert slider.is_visible()  # shown by the script; the number field works without it
    slider.fill("50")  # a range input takes fill(): as if dragged to 50
    assert page.get_by_label("Share of their voters who follow (%)").input_value() == "50"
    page.get_by_role("button", name="Work it out").click()
    page.wait_for_url(re.compile(r"follow=50"))
    assert house_seats(page, "Con") == 3 and house_seats(page, "Lab") == 3

    page.get_by_label("Liberal Democrats (LD)").uncheck()
    page.get_by_label("Share of their voters who follow (%)").fill("100")
    page.get_by_role("button", name="Work it out").click()
    page.wait_for_url(re.compile(r"follow=100"))
    assert "stand_aside=" in page.url and "LD" not in re.search(
        r"stand_aside=[^&]*(&stand_aside=[^&]*)*", page.url
    ).group(0)
    # The Liberal Democrats no longer stand aside for Labour in Tragedy Lab; Labour still does in Tragedy LD.
    assert house_seats(page, "Con") == 3 and house_seats(page, "LD") == 2
    flips = page.get_by_test_id("flips").inner_text()
    assert "Tragedy LD" in flips and "Tragedy Lab" not in flips

    shared = page.get_by_test_id("share-url").inner_text()
    page.goto(shared)
    assert house_seats(page, "Con") == 3 and not page.get_by_label("Liberal Democrats (LD)").is_checked()


def test_a_bad_follow_share_is_shown_beside_the_field(page, default_parties):
    import_seats("ge2024", SEATS)
    page.goto("/what-if/?follow=abc")
    error = page.locator("#id_follow_error")
    assert "a number from 0 to 100" in error.inner_text()
    assert (
        page.get_by_label("Share of their voters who follow (%)").get_attribute("aria-describedby")
        == "id_follow_error"
    )


def test_on_a_phone_nothing_is_wider_than_the_screen(phone_page, default_parties):
    import_seats("ge2024", SEATS)
    phone_page.goto("/what-if/")
    assert phone_page.evaluate("document.scrollingElement.scrollWidth") <= 360
    for test_id in ("house", "side-by-side"):
        table = phone_page.get_by_test_id(test_id)
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), (
            test_id
        )  # no column scrolled out of sight
