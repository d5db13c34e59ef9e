def test_home_page_lists_the_imported_election(page, ge2024):
    page.goto("/")
    row = page.get_by_role("row", name="2024 general election")
    assert row.get_by_role("cell").nth(3).inner_text() == "1"  # Godalming and Ash is the one tragedy
    assert page.title().startswith("Seat Finder")
