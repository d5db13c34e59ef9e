"""/pr/ in a real browser: choosing the method and the allocation changes the seats, and the URL carries the
choice (a plain GET form, so every view can be shared)."""

import re

from constituencies.seats import pr_votes
from tests.builders import import_seats
from tests.pr_builders import SEATS


def cell(page, party: str, column: str) -> str:
    return page.locator(f'tr[data-party="{party}"] td[data-col="{column}"]').inner_text()


def seat_share(page, party: str) -> str:
    return cell(page, party, "seat-share")


def test_switching_method_and_region_changes_the_seats_and_the_url(page, default_parties):
    pr_votes.forget()
    import_seats("ge2024", SEATS)
    page.goto("/pr/")
    assert (
        page.get_by_test_id("gallagher-pr")
        .locator("xpath=..")
        .inner_text()
        .startswith("Gallagher index, D'Hondt")
    )
    assert seat_share(page, "Green") == "0.0%"  # D'Hondt, nationally: no seat for the Greens

    page.get_by_label("Method").select_option("sainte_lague")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url(re.compile(r"/pr/\?.*method=sainte_lague"))
    assert "Gallagher index, Sainte-Laguë" in page.locator(".pr-indexes").inner_text()
    assert seat_share(page, "Green") == "20.0%"  # Sainte-Laguë gives them the fifth seat
    assert cell(page, "SNP", "sainte_lague") == "1"

    page.get_by_label("Seats allocated").select_option("region")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url(re.compile(r"/pr/\?(?=.*method=sainte_lague)(?=.*by=region)"))
    assert cell(page, "SNP", "sainte_lague") == "2"  # Scotland's two seats both go to the SNP
    assert cell(page, "Lab", "sainte_lague") == "1"
    assert "region by region (2 regions" in page.get_by_test_id("pr-summary").inner_text()

    # The URL alone gives the same view: reload it in a fresh page.
    url = page.url
    page.goto("/pr/")
    page.goto(url)
    assert page.get_by_label("Seats allocated").input_value() == "region"
    assert page.get_by_label("Method").input_value() == "sainte_lague"


def test_a_bad_threshold_is_shown_beside_its_field(page, default_parties):
    pr_votes.forget()
    import_seats("ge2024", SEATS)
    page.goto("/pr/")
    page.get_by_label("Threshold (% of the vote)").fill("sixty")
    page.get_by_role("button", name="Show seats").click()
    page.wait_for_url(re.compile(r"threshold=sixty"))
    error = page.get_by_test_id("error-threshold")
    assert "not “sixty”" in error.inner_text()
    assert page.get_by_label("Threshold (% of the vote)").input_value() == "sixty"
    assert page.get_by_test_id("pr-table").count() == 0
