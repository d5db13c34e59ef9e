"""Re-importing the real 2024 constituency files over the election imported with the candidate file (skipped,
saying why, when SEATFINDER_DATA_DIR lacks them): the names are all kept, and only the seats that really
differ are shown as changed."""

import pytest

from constituencies.imports.service import ResultsUpload, describe_changes, preview_import
from constituencies.models import Candidacy, Election

pytestmark = pytest.mark.full_data


def preview(data_dir, file_name):
    upload = ResultsUpload.from_files(data_dir / file_name)
    return preview_import(upload, Election.objects.get(slug="ge2024")).summary


def test_the_same_revision_without_its_candidate_file_changes_nothing(
    ge2024_results_and_candidates, data_dir
):
    names_before = (
        Candidacy.objects.filter(result__election__slug="ge2024").exclude(candidate_name="").count()
    )
    summary = preview(data_dir, "hoc-ge2024-results-by-constituency.csv")
    assert names_before == 4515
    assert (summary.changes.replaced, summary.changes.unchanged, summary.changes.differences) == (
        650,
        650,
        [],
    )
    assert (summary.candidacies, summary.candidacies_replaced) == (4515, 4515)
    assert summary.candidate_names_kept == 4515 - 650  # the file names each seat's winner itself
    assert summary.candidate_names_removed == []


def test_the_early_resaved_revision_differs_in_exactly_22_seats(ge2024_results_and_candidates, data_dir):
    if not (data_dir / "hoc-ge2024-results-by-constituency-resaved.csv").is_file():
        pytest.skip(f"{data_dir} has no hoc-ge2024-results-by-constituency-resaved.csv")
    summary = preview(data_dir, "hoc-ge2024-results-by-constituency-resaved.csv")
    changes = summary.changes
    assert (changes.replaced, changes.unchanged, len(changes.differences)) == (650, 628, 22)
    assert summary.candidate_names_removed == []
    assert summary.candidacies == 4515
    what = {d.name: d.what for d in changes.differences}
    # The two seats whose votes differ (the data folder's README), and one of the 16 electorates.
    assert what["Exmouth and Exeter East"] == ("valid votes 51,316 → 51,326", "RUK 7,085 → 7,095")
    assert what["Richmond Park"] == ("valid votes 52,205 → 51,517", "Green 3,416 → 2,728")
    assert what["Bexleyheath and Crayford"] == ("electorate 70,297 → 57,359",)
    assert sum(any(w.startswith("electorate") for w in d.what) for d in changes.differences) == 16
    assert sum(any(w.startswith("invalid votes") for w in d.what) for d in changes.differences) == 4
    assert not changes.winner_changes
    assert "22 seats with different figures:" in describe_changes(summary)
