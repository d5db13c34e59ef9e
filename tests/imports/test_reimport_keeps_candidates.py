"""Re-importing a results file over an election imported with candidate names: the names are kept where the
file's figures allow, the preview says seat by seat what really differs and which names would be removed, and
an import that would remove names is refused unless asked for (--replace-candidates)."""

import csv
import io

import pytest
from django.core.management import CommandError

from constituencies.imports.kept_candidates import CandidacyFacts, figure_differences, keep_candidate_details
from constituencies.models import Candidacy, Election, ResultsImport
from tests.builders import GE2024_ARGS, SAMPLES, import_results

CONSTITUENCY_FILE = SAMPLES / "hoc-ge2024-constituency-sample.csv"
CANDIDATE_FILE = SAMPLES / "hoc-ge2024-candidate-sample.csv"
ABERDEEN_NORTH = "S14000060"


def facts(party, votes, name="", combined=False, sitting=None):
    return CandidacyFacts(party, name, votes, combined, sitting)


# -- the plain functions ----------------------------------------------------------------------------------


def test_a_party_keeps_its_candidates_name_and_sitting_flag_whatever_the_votes():
    stored = [facts("Lab", 500, "Ann Smith", sitting=True), facts("Con", 400, "Bob Jones", sitting=False)]
    kept = keep_candidate_details([facts("Lab", 510), facts("Con", 400, "Bob Jones")], stored)
    assert kept.candidacies == [
        facts("Lab", 510, "Ann Smith", sitting=True),
        facts("Con", 400, "Bob Jones", sitting=False),
    ]
    assert (kept.names_kept, kept.names_removed) == (1, [])


def test_the_minor_candidates_replace_the_combined_others_when_their_votes_add_up():
    stored = [facts("Lab", 500, "Ann"), facts("TUSC", 20, "Cat"), facts("SFP", 30, "Dan")]
    kept = keep_candidate_details([facts("Lab", 500), facts("Oth", 50, combined=True)], stored)
    assert sorted(kept.candidacies) == sorted(stored)
    assert (kept.names_kept, kept.names_removed) == (3, [])


def test_minor_candidates_whose_votes_do_not_add_up_are_listed_as_removed():
    stored = [facts("Lab", 500, "Ann"), facts("TUSC", 20, "Cat"), facts("SFP", 30, "Dan")]
    kept = keep_candidate_details([facts("Lab", 500), facts("Oth", 51, combined=True)], stored)
    assert kept.candidacies == [facts("Lab", 500, "Ann"), facts("Oth", 51, combined=True)]
    assert kept.names_removed == ["Cat (TUSC)", "Dan (SFP)"]


def test_among_several_candidates_of_one_party_the_votes_say_which():
    stored = [facts("Ind", 900, "Eve"), facts("Ind", 40, "Fay"), facts("Lab", 800, "Gus")]
    new = [facts("Ind", 900, "Eve"), facts("Lab", 800), facts("Oth", 40, combined=True)]
    kept = keep_candidate_details(new, stored)
    assert sorted(kept.candidacies) == sorted(stored)
    assert kept.names_removed == []


def test_the_differences_name_the_counts_the_parties_and_the_names():
    was = (1000, 950, 5, (facts("Lab", 500, "Ann"), facts("Con", 450, "Bob")))
    now = (1001, 960, 5, (facts("Lab", 510, "Ann"), facts("Con", 450), facts("Oth", 0, combined=True)))
    assert figure_differences(was, now) == [
        "electorate 1,000 → 1,001",
        "valid votes 950 → 960",
        "Lab 500 → 510",
        "others (combined) none → 0",
        "candidate names removed: Bob (Con)",
    ]
    assert figure_differences(was, was) == []


# -- through the command ----------------------------------------------------------------------------------


def import_sample_with_candidates() -> Election:
    """The seven sample seats of 2024, from the constituency file with the candidate file's names."""
    import_results(CONSTITUENCY_FILE, "--candidates", CANDIDATE_FILE, *GE2024_ARGS)
    return Election.objects.get(slug="ge2024")


@pytest.fixture
def ge2024_with_candidates(default_parties):
    return import_sample_with_candidates()


def candidacies(election) -> list[tuple]:
    return sorted(
        Candidacy.objects.filter(result__election=election).values_list(
            "result__constituency__ons_id", "party__code", "candidate_name", "votes", "is_sitting_mp"
        )
    )


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_others_changed(text: str, ons_id: str, extra: int) -> str:
    """The constituency file with `extra` more votes for one seat's "All other candidates" (and its valid
    votes), as a correction would give."""
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["ONS ID"] == ons_id:
            for column in ("All other candidates", "Valid votes"):
                row[column] = str(int(row[column]) + extra)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def resaved_through_a_spreadsheet(text: str) -> str:
    """The layout variant of the early 2024 revision: thousands separators in quoted numbers, and the two
    empty columns (County name, Declaration time) dropped."""
    rows = list(csv.DictReader(io.StringIO(text)))
    header = [h for h in rows[0] if h not in ("County name", "Declaration time")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{int(row[h]):,}" if row[h].isdigit() else row[h] for h in header])
    return out.getvalue()


def test_the_constituency_file_again_keeps_every_candidate_and_changes_nothing(ge2024_with_candidates):
    before = candidacies(ge2024_with_candidates)
    assert len(before) == 48 and all(name for _, _, name, _, _ in before)
    preview = import_results(CONSTITUENCY_FILE, "--election", "ge2024", "--dry-run")
    assert "7 replaced (7 unchanged, 0 with different figures)" in preview
    assert "48 candidacies (replacing 48)" in preview
    assert "41 candidate names the file leaves out kept" in preview  # 48 less the 7 winners it names
    assert "would be removed" not in preview

    import_results(CONSTITUENCY_FILE, "--election", "ge2024")
    assert candidacies(ge2024_with_candidates) == before
    record = ResultsImport.objects.latest("created_at")
    assert (record.seats_changed, record.changes["candidate_names_removed_count"]) == (0, 0)


def test_a_resaved_file_with_one_real_difference_shows_only_that_seat(ge2024_with_candidates, tmp_path):
    text = CONSTITUENCY_FILE.read_text().replace("S14000060,S92000003,Aberdeen North,,Scotland,Scotland,Burgh,,Kirsty,Blackman,Female,SNP hold,SNP,Lab,75925", "S14000060,S92000003,Aberdeen North,,Scotland,Scotland,Burgh,,Kirsty,Blackman,Female,SNP hold,SNP,Lab,75900")  # fmt: skip
    resaved = write(tmp_path, "resaved.csv", resaved_through_a_spreadsheet(text))
    assert '"75,900"' in resaved.read_text()
    preview = import_results(resaved, "--election", "ge2024", "--dry-run")
    assert "7 replaced (6 unchanged, 1 with different figures)" in preview
    assert "1 seat with different figures:" in preview
    assert "Aberdeen North: electorate 75,925 → 75,900" in preview
    assert "would be removed" not in preview


def test_a_file_that_would_remove_names_is_refused_and_changes_nothing(
    ge2024_with_candidates, tmp_path, snapshot
):
    path = write(
        tmp_path, "others.csv", with_others_changed(CONSTITUENCY_FILE.read_text(), ABERDEEN_NORTH, 1)
    )
    preview = import_results(path, "--election", "ge2024", "--dry-run")
    assert (
        "WARNING: 3 candidate names would be removed (the import is refused without --replace-candidates):"
        in preview
    )
    assert "Aberdeen North: Charlie Abel (Alba), Dawn Smith (SFP), Lucas Grant (TUSC)" in preview
    assert (
        "Aberdeen North: valid votes 42,095 → 42,096; Alba 703 → none; SFP 352 → none; TUSC 214 → none; "
        "others (combined) none → 1,270; candidate names removed: Charlie Abel (Alba), Dawn Smith (SFP), "
        "Lucas Grant (TUSC)" in preview
    )

    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_results(path, "--election", "ge2024")
    assert (
        "others.csv: 3 candidate names stored now would be removed, the file giving other figures for 1 seat "
        "(Aberdeen North: Charlie Abel (Alba), Dawn Smith (SFP), Lucas Grant (TUSC)); nothing was written. "
        'To import it all the same, use --replace-candidates (in the admin, tick "Remove these candidate '
        'names")' in str(error.value)
    )
    assert snapshot() == before


def test_replace_candidates_removes_only_the_names_listed(ge2024_with_candidates, tmp_path):
    before = candidacies(ge2024_with_candidates)
    path = write(
        tmp_path, "others.csv", with_others_changed(CONSTITUENCY_FILE.read_text(), ABERDEEN_NORTH, 1)
    )
    import_results(path, "--election", "ge2024", "--replace-candidates")
    after = candidacies(ge2024_with_candidates)
    assert [c for c in after if c[0] != ABERDEEN_NORTH] == [c for c in before if c[0] != ABERDEEN_NORTH]
    aberdeen = [c[1:] for c in after if c[0] == ABERDEEN_NORTH]
    assert ("Oth", "", 1270, None) in aberdeen
    assert ("SNP", "Kirsty Blackman", 14533, True) in aberdeen  # named by the file, flagged as stored
    assert ("Lab", "Lynn Thomson", 12773, False) in aberdeen  # kept
    assert len(aberdeen) == 7
    record = ResultsImport.objects.latest("created_at")
    assert record.changes["candidate_names_removed"] == [
        {"seat": "Aberdeen North", "names": ["Charlie Abel (Alba)", "Dawn Smith (SFP)", "Lucas Grant (TUSC)"]}
    ]
