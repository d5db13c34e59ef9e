"""The admin preview of a re-import over an election with candidate names: what differs, seat by seat, which
names would be removed, and the box that must be ticked before they are."""

import pytest
from django.contrib.messages import get_messages

from constituencies.models import Candidacy, ResultsImport
from tests.admin.test_admin_import import table_rows, upload_and_preview
from tests.admin_helpers import existing, import_url, upload
from tests.imports.test_reimport_keeps_candidates import (
    ABERDEEN_NORTH,
    CONSTITUENCY_FILE,
    candidacies,
    import_sample_with_candidates,
    with_others_changed,
)


@pytest.fixture
def ge2024_with_candidates(default_parties):
    return import_sample_with_candidates()


NAMES_REMOVED = "Charlie Abel (Alba), Dawn Smith (SFP), Lucas Grant (TUSC)"


def preview_others_changed(admin_client, election):
    text = with_others_changed(CONSTITUENCY_FILE.read_text(), ABERDEEN_NORTH, 1)
    return upload_and_preview(admin_client, existing(election, results_file=upload("others.csv", text)))


def confirm(admin_client, preview, **extra):
    return admin_client.post(
        import_url("import_confirm", preview.context["pending"].token),
        {"state": preview.context["summary"].state_before, **extra},
    )


def test_the_preview_lists_the_differences_and_the_names_that_would_be_removed(
    admin_client, ge2024_with_candidates, snapshot
):
    before = snapshot()
    preview = preview_others_changed(admin_client, ge2024_with_candidates)
    html = preview.content.decode()
    assert "6 with the same figures, 1 with different figures" in html
    assert table_rows(html, "figure-differences") == [
        "Seat|What differs",
        "Aberdeen North|valid votes 42,095 → 42,096; Alba 703 → none; SFP 352 → none; TUSC 214 → none; "
        f"others (combined) none → 1,270; candidate names removed: {NAMES_REMOVED}",
    ]
    assert "3 candidate names would be removed" in html
    assert f"Aberdeen North: {NAMES_REMOVED}" in html
    assert 'name="replace_candidates"' in html
    assert "<strong>38</strong> candidate names the file leaves out kept" in html  # 41 less the 3 removed
    assert snapshot() == before


def test_confirm_without_the_box_is_refused_and_changes_nothing(
    admin_client, ge2024_with_candidates, snapshot
):
    preview = preview_others_changed(admin_client, ge2024_with_candidates)
    before = snapshot()
    response = confirm(admin_client, preview)
    assert response["Location"] == import_url("import_preview", preview.context["pending"].token)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(
        "Nothing was imported. others.csv: 3 candidate names stored now would be removed"
    )
    assert 'tick "Remove these candidate names"' in message
    assert snapshot() == before


def test_confirm_with_the_box_removes_only_those_names(admin_client, ge2024_with_candidates):
    before = candidacies(ge2024_with_candidates)
    preview = preview_others_changed(admin_client, ge2024_with_candidates)
    response = confirm(admin_client, preview, replace_candidates="on")
    record = ResultsImport.objects.get(source="admin")
    assert response["Location"].endswith(f"/resultsimport/{record.pk}/change/")
    after = candidacies(ge2024_with_candidates)
    assert [c for c in after if c[0] != ABERDEEN_NORTH] == [c for c in before if c[0] != ABERDEEN_NORTH]
    assert not Candidacy.objects.filter(candidate_name="Lucas Grant").exists()
    assert Candidacy.objects.filter(candidate_name="Lynn Thomson", votes=12773).exists()


def test_the_same_file_again_shows_no_differences_and_no_box(admin_client, ge2024_with_candidates):
    preview = upload_and_preview(
        admin_client,
        existing(ge2024_with_candidates, results_file=upload("same.csv", CONSTITUENCY_FILE.read_bytes())),
    )
    html = preview.content.decode()
    assert "7 with the same figures, 0 with different figures" in html
    assert "would be removed" not in html and 'name="replace_candidates"' not in html
    assert 'id="figure-differences"' not in html
