"""The admin upload with the real 2024 files (skipped, saying why, when SEATFINDER_DATA_DIR is absent)."""

import pytest

from constituencies.models import BoundarySet, Election, ResultsImport, SeatAssessment
from tests.admin.test_admin_import import confirm, upload_and_preview
from tests.admin_helpers import import_url, upload

pytestmark = pytest.mark.full_data


def test_uploading_the_2024_results_then_the_early_revision(
    admin_client, default_parties, data_dir, snapshot
):
    boundaries = BoundarySet.objects.create(code="2024", name="2024 constituency boundaries")
    reference = (data_dir / "hoc-ge2024-results-by-constituency.csv").read_bytes()
    before = snapshot()
    preview = upload_and_preview(
        admin_client,
        {
            "election": "",
            "new_name": "2024 general election",
            "new_slug": "ge2024",
            "new_date": "2024-07-04",
            "new_kind": "general",
            "new_boundary_set": boundaries.pk,
            "layout": "",
            "results_file": upload("HoC-GE2024-results-by-constituency.csv", reference),
        },
    )
    changes = preview.context["summary"].changes
    assert (len(changes.new_results), preview.context["summary"].constituencies_created) == (650, 650)
    assert snapshot() == before
    confirm(admin_client, preview)
    ge2024 = Election.objects.get(slug="ge2024")
    assert SeatAssessment.objects.filter(election=ge2024).count() == 650

    # The early, spreadsheet-resaved revision differs in 22 seats (electorates, invalid and valid votes)
    # but no winner or runner-up changes (see the data folder's README).
    early = (data_dir / "hoc-ge2024-results-by-constituency-resaved.csv").read_bytes()
    preview = upload_and_preview(
        admin_client, {"election": ge2024.pk, "layout": "", "results_file": upload("resaved.csv", early)}
    )
    changes = preview.context["summary"].changes
    assert changes.replaced == 650 and not changes.new_results and not changes.removed
    assert len(changes.figures_changed) == 22
    assert {"Exmouth and Exeter East", "Richmond Park"} <= set(changes.figures_changed)
    assert changes.winner_changes == []
    html = preview.content.decode()
    assert "628 with the same figures, 22 with different figures" in html
    confirm(admin_client, preview)
    record = ResultsImport.objects.filter(source="admin").latest("created_at")
    assert (record.rows_read, record.seats_changed, record.winner_changes) == (650, 22, 0)
    assert import_url() in admin_client.get("/admin/constituencies/election/").content.decode()
