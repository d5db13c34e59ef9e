"""An admin uploads a by-election in a real browser: log in, upload, preview, confirm, see the result."""

import re

from constituencies.models import Election, ResultsImport, SeatAssessment
from tests.builders import BATLEY_2021, import_ge2019


def test_admin_uploads_a_by_election_previews_confirms_and_sees_the_result(
    admin_page, default_parties, tmp_path
):
    page = admin_page
    import_ge2019(tmp_path=tmp_path)

    page.goto("/admin/constituencies/election/")
    page.get_by_role("link", name="Import results").click()
    page.get_by_role("heading", name="Import results").wait_for()
    page.get_by_label("Name").fill("2021 Batley and Spen by-election")
    page.get_by_label("Slug").fill("by-batley-and-spen-2021")
    page.get_by_label("Polling day").fill("2021-07-01")
    page.get_by_label("Kind").select_option(label="By-election")
    page.get_by_label("Boundaries").select_option(label="2010 constituency boundaries")
    page.get_by_label("Results file").set_input_files(str(BATLEY_2021))
    page.get_by_role("button", name="Preview the changes").click()

    # The preview: what will change, and nothing written yet.
    page.get_by_role("heading", name="What this import will change").wait_for()
    marginality = page.locator("#marginality-changes tbody tr")
    assert re.sub(r"\s+", " ", marginality.inner_text()).strip() == (
        "Batley and Spen marginal very marginal 2019 general election"
    )
    assert "Lab (Kim Leadbeater)" in page.locator("#new-results").inner_text()
    assert not Election.objects.filter(slug="by-batley-and-spen-2021").exists()

    page.get_by_role("button", name="Confirm and apply").click()
    success = page.locator(".messagelist .success")
    success.wait_for()
    assert success.inner_text().strip() == (
        f"Imported {BATLEY_2021.name} into 2021 Batley and Spen by-election: 1 seat in the file, 1 changed, "
        "0 winner changes, 1 seat assessed."
    )
    record = ResultsImport.objects.get(source="admin")
    assert record.username == "editor" and record.file_name == BATLEY_2021.name
    assert page.get_by_text(record.checksum).is_visible()

    # The new result, in admin and on the site's election list.
    seat = SeatAssessment.objects.get(election__slug="by-batley-and-spen-2021")
    assert (seat.winner.code, seat.majority) == ("Lab", 323)
    page.goto(f"/admin/constituencies/seatassessment/?election__id__exact={seat.election_id}")
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1
    assert "Batley and Spen" in row.inner_text() and "323" in row.inner_text()

    page.goto("/")
    election_row = page.get_by_role("row", name="2021 Batley and Spen by-election")
    assert election_row.get_by_role("cell").nth(2).inner_text() == "1"  # seats

    # The seat page now leads with the by-election result.
    page.goto("/seats/batley-and-spen/")
    main = page.locator("main").inner_text()
    assert "2021 Batley and Spen by-election" in main
    assert "Kim Leadbeater" in main and "13,296" in main and "323" in main


def test_a_bad_file_is_rejected_in_the_browser_with_its_row_and_column(admin_page, default_parties, tmp_path):
    page = admin_page
    import_ge2019(tmp_path=tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,13296\nE14000548,Batley and Spen,Conservative,lots\n"
    )
    page.goto("/admin/constituencies/election/import/")
    page.get_by_label("Election:", exact=True).select_option(label="2019 general election")
    page.get_by_label("Results file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview the changes").click()
    problems = page.locator("#import-problems tbody tr")
    problems.first.wait_for()
    cells = [c.strip() for c in problems.first.locator("td").all_inner_texts()]
    assert cells == ["bad.csv", "3", "votes", '"lots" is not a whole number of votes']
    assert "nothing was written" in page.locator(".import-problems").inner_text()
    assert ResultsImport.objects.filter(source="admin").count() == 0
