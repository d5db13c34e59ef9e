import re
from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from constituencies.postcodes.messages import EXAMPLE


def test_home_page_lists_the_imported_election(page, ge2024):
    page.goto("/")
    row = page.get_by_role("row", name="2024 general election")
    assert row.get_by_role("cell").nth(3).inner_text() == "1"  # Godalming and Ash is the one tragedy
    assert page.title().startswith("Seat Finder")


def test_the_demo_opens_on_2024_and_its_example_postcode_reaches_its_2024_seat(page, default_parties):
    call_command("load_demo", stdout=StringIO())  # what `make run` loads
    page.goto("/")
    expect(page.get_by_role("row").nth(1)).to_contain_text("2024 general election")  # newest first
    box = page.get_by_label("Your postcode")
    expect(page.get_by_text(f"For example, {EXAMPLE}")).to_be_visible()
    box.fill(EXAMPLE)
    page.get_by_role("button", name="Find my seat").click()
    expect(page).to_have_url(re.compile(r"/seats/manchester-central/\?postcode=M1\+1AD$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Manchester Central")
    expect(page.get_by_text(f"Your postcode, {EXAMPLE}, is in this constituency.")).to_be_visible()
    expect(page.get_by_role("table", name="Full result, 2024 general election")).to_be_visible()
