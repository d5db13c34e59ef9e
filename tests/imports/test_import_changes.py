"""What an import changes: the pure diff, the importer's dry run, and the command's --dry-run."""

from decimal import Decimal

import pytest
from django.core.management import CommandError

from constituencies.imports.changes import SeatState, diff_seats, state_fingerprint
from constituencies.imports.kept_candidates import CandidacyFacts
from constituencies.imports.layouts import load_results, parse_results_file
from constituencies.imports.results import ResultsChangedError, ResultsImporter
from constituencies.models import AuditEvent, BoundarySet, Election, Party, ResultsImport
from constituencies.rules import arithmetic
from tests.builders import BATLEY_2021, GE2019_CSV, GE2019_CSV_CON_WIN, import_ge2019, import_results


def state(ons_id="E14000548", winner="Lab", tragedy=False, band=arithmetic.SAFE, figures=(1,), **kw):
    return SeatState(
        ons_id=ons_id,
        name=kw.pop("name", "Batley and Spen"),
        election=kw.pop("election", "2019 general election"),
        winner=winner,
        winner_name=kw.pop("winner_name", ""),
        majority=kw.pop("majority", 100),
        majority_pct=Decimal("1.00"),
        marginality=band,
        is_tragedy=tragedy,
        figures=figures,
    )


# --- diff_seats: plain data in, plain data out ------------------------------------------------


def test_identical_results_change_nothing():
    seats = {"A": state("A", name="Alpha"), "B": state("B", name="Beta")}
    changes = diff_seats(seats, dict(seats))
    assert (changes.replaced, changes.unchanged, changes.seats_changed) == (2, 2, 0)
    assert not (changes.winner_changes or changes.tragedy_changes or changes.marginality_changes)


def test_replaced_seat_with_new_winner_tragedy_and_band():
    lab, con = CandidacyFacts("Lab", "", 500, False, None), CandidacyFacts("Con", "", 400, False, None)
    before = {"A": state("A", winner="Lab", band=arithmetic.MARGINAL, figures=(1000, 900, 5, (con, lab)))}
    after = {
        "A": state(
            "A",
            winner="Con",
            tragedy=True,
            band=arithmetic.VERY_MARGINAL,
            figures=(1000, 900, 5, (con._replace(votes=501), lab._replace(votes=399))),
        )
    }
    changes = diff_seats(before, after)
    assert changes.figures_changed == ["Batley and Spen"]
    [difference] = changes.differences
    assert difference.what == ("Con 400 → 501", "Lab 500 → 399", "winner Lab → Con")
    assert changes.seats_changed == 1
    [winner] = changes.winner_changes
    assert (winner.was, winner.now, winner.compared_with) == ("Lab", "Con", "the results loaded now")
    assert [(c.was, c.now) for c in changes.tragedy_changes] == [("not a tragedy", "progressive tragedy")]
    assert [(c.was, c.now) for c in changes.marginality_changes] == [("marginal", "very marginal")]


def test_new_seats_are_compared_with_their_previous_election():
    after = {"A": state("A", winner="LD", winner_name="Sarah Green", election="2021 by-election")}
    previous = {"A": state("A", winner="Con", winner_name="Cheryl Gillan", election="2019 general election")}
    changes = diff_seats({}, after, previous)
    assert [s.ons_id for s in changes.new_results] == ["A"]
    [winner] = changes.winner_changes
    assert (winner.was, winner.now, winner.compared_with) == (
        "Con (Cheryl Gillan)",
        "LD (Sarah Green)",
        "2019 general election",
    )


def test_new_seat_with_no_earlier_result_has_nothing_to_compare():
    changes = diff_seats({}, {"A": state("A")}, {})
    assert changes.seats_changed == 1 and not changes.winner_changes


def test_seats_missing_from_the_file_are_removed():
    before = {"A": state("A", name="Alpha"), "B": state("B", name="Beta")}
    changes = diff_seats(before, {"A": state("A", name="Alpha")})
    assert [s.name for s in changes.removed] == ["Beta"]
    assert changes.seats_changed == 1
    assert changes.as_dict()["removed"][0]["name"] == "Beta"


def test_fingerprint_follows_the_figures_and_the_blocs():
    blocs = arithmetic.Blocs(frozenset({"Lab", "LD"}), frozenset({"Con"}))
    seats = {"A": state("A", figures=(1, 2))}
    same = state_fingerprint(dict(seats), arithmetic.Blocs(frozenset({"LD", "Lab"}), frozenset({"Con"})))
    assert state_fingerprint(seats, blocs) == same
    assert state_fingerprint({"A": state("A", figures=(1, 3))}, blocs) != same
    assert state_fingerprint(seats, arithmetic.Blocs(frozenset({"Lab"}), frozenset({"Con"}))) != same
    assert state_fingerprint({}, blocs) != same


# --- the importer's dry run -------------------------------------------------------------------


def test_parse_counts_the_rows_read():
    parsed = parse_results_file(GE2019_CSV, "ge2019.csv")
    assert (parsed.layout.name, parsed.rows_read, len(parsed.contests)) == ("long", 10, 2)


def test_dry_run_of_a_new_election_writes_nothing_and_leaves_it_unsaved(ge2019, snapshot):
    before = snapshot()
    election = Election(
        slug="by-batley-and-spen-2021",
        name="2021 Batley and Spen by-election",
        date="2021-07-01",
        kind="by",
        boundary_set=BoundarySet.objects.get(code="2010"),
    )
    parsed = load_results("batley.csv", BATLEY_2021.read_bytes())
    summary = ResultsImporter(election, parsed.contests, "batley.csv").run(dry_run=True)
    assert summary.dry_run and summary.election_created
    assert [s.name for s in summary.changes.new_results] == ["Batley and Spen"]
    assert summary.changes.new_results[0].majority == 323
    assert snapshot() == before
    assert election.pk is None and election._state.adding  # it can still be saved for real
    ResultsImporter(election, parsed.contests, "batley.csv").run()
    assert Election.objects.get(slug="by-batley-and-spen-2021").results.count() == 1


def test_dry_run_on_a_new_boundary_set_leaves_both_unsaved(default_parties, snapshot):
    before = snapshot()
    election = Election(
        slug="ge2034", name="2034 general election", date="2034-05-04", kind="general",
        boundary_set=BoundarySet(code="2034", name="2034 constituency boundaries"),
    )  # fmt: skip
    parsed = load_results("ge2034.csv", b"ons_id,constituency,party,votes\nE14002001,Newtown,Labour,100\n")
    summary = ResultsImporter(election, parsed.contests, "ge2034.csv").run(dry_run=True)
    assert summary.new_constituencies == ["Newtown"]
    assert snapshot() == before
    assert election.pk is None and election.boundary_set.pk is None and election.boundary_set_id is None
    ResultsImporter(election, parsed.contests, "ge2034.csv").run()
    assert Election.objects.get(slug="ge2034").boundary_set.code == "2034"


def test_applying_refuses_when_the_results_changed_since_the_preview(ge2019, snapshot, tmp_path):
    parsed = load_results("fix.csv", GE2019_CSV_CON_WIN.encode())
    preview = ResultsImporter(ge2019, parsed.contests, "fix.csv").run(dry_run=True)
    import_ge2019(GE2019_CSV.replace("21283", "21300"), tmp_path=tmp_path)  # someone else's import
    before = snapshot()
    with pytest.raises(ResultsChangedError, match="have changed since this preview was made"):
        ResultsImporter(ge2019, parsed.contests, "fix.csv").run(expect_state=preview.state_before)
    assert snapshot() == before


def test_applying_refuses_when_the_blocs_changed_since_the_preview(ge2019, snapshot):
    parsed = load_results("fix.csv", GE2019_CSV_CON_WIN.encode())
    preview = ResultsImporter(ge2019, parsed.contests, "fix.csv").run(dry_run=True)
    Party.objects.filter(code="Green").update(bloc="")
    before = snapshot()
    with pytest.raises(ResultsChangedError):
        ResultsImporter(ge2019, parsed.contests, "fix.csv").run(expect_state=preview.state_before)
    assert snapshot() == before


def test_applying_goes_ahead_when_nothing_changed_since_the_preview(ge2019):
    parsed = load_results("fix.csv", GE2019_CSV_CON_WIN.encode())
    preview = ResultsImporter(ge2019, parsed.contests, "fix.csv").run(dry_run=True)
    summary = ResultsImporter(ge2019, parsed.contests, "fix.csv").run(expect_state=preview.state_before)
    assert [c.name for c in summary.changes.winner_changes] == ["Batley and Spen"]
    assert summary.changes.as_dict() == preview.changes.as_dict()  # applied exactly what was previewed


# --- manage.py import_results --dry-run, and the record the command leaves --------------------


def test_command_dry_run_prints_the_changes_and_writes_nothing(ge2019, snapshot, tmp_path):
    path = tmp_path / "fix.csv"
    path.write_text(GE2019_CSV_CON_WIN)
    before = snapshot()
    imports_before = ResultsImport.objects.count()
    text = import_results(path, "--election", "ge2019", "--dry-run")
    assert "Dry run, nothing written" in text
    assert "1 seats change winner" in text
    assert (
        "Batley and Spen: Lab (Tracy Brabin) -> Con (Mark Brooks) (compared with the results loaded now)"
        in text
    )
    assert "Batley and Spen: not a tragedy -> progressive tragedy" in text
    assert snapshot() == before
    assert ResultsImport.objects.count() == imports_before


def test_command_import_is_recorded_in_the_audit_trail(default_parties, tmp_path):
    record_count = ResultsImport.objects.count()
    import_ge2019(tmp_path=tmp_path)
    assert ResultsImport.objects.count() == record_count + 1
    record = ResultsImport.objects.latest("created_at")
    assert record.source == ResultsImport.Source.COMMAND
    assert record.username.endswith("(command line)") or record.username == "command line"
    assert (record.file_name, record.rows_read, record.seats_in_file, record.seats_changed) == (
        "ge2019.csv",
        10,
        2,
        2,
    )
    assert record.election_created and record.user is None
    assert AuditEvent.objects.get(results_import=record).action == AuditEvent.Action.RESULTS_IMPORTED


def test_command_refuses_numbers_too_big_for_a_constituency(ge2019, snapshot, tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text(GE2019_CSV.replace("22594", "2259422594"))
    before = snapshot()
    with pytest.raises(CommandError, match=r'row 2, column "votes": 2,259,422,594 is more than 10,000,000'):
        import_results(path, "--election", "ge2019")
    assert snapshot() == before
