from io import StringIO

from django.core.management import call_command

from tests.conftest import SAMPLES


def test_home_page_lists_the_imported_election(page, default_parties):
    call_command(
        "import_results", str(SAMPLES / "hoc-ge2024-constituency-sample.csv"),
        "--election", "ge2024", "--date", "2024-07-04", "--boundaries", "2024", stdout=StringIO(),
    )  # fmt: skip
    page.goto("/")
    row = page.get_by_role("row", name="2024 general election")
    assert row.get_by_role("cell").nth(3).inner_text() == "1"  # Godalming and Ash is the one tragedy
    assert page.title().startswith("Seat Finder")
