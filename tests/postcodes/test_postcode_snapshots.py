"""Look-up snapshots: look-ups answered from a mapped file of the imported directory, never stale for long.

These tests commit (transactional_db): a look-up inside a transaction always asks the database.
"""

import logging
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from constituencies.models import Constituency, Election, PostcodeDirectory
from constituencies.postcodes.lookup import (
    AREA_COVERED_FROM,
    Outcome,
    database_directory_rows,
    lookup_postcode,
)
from constituencies.postcodes.snapshots import Snapshot, lookups, snapshot_path
from tests.builders import import_ge2019, import_ge2024_sample

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "pcds,dointr,doterm,pcon24cd,lat,long\n"
ROWS = [
    "GU7 1AA,199001,,E14001249,51.18,-0.61",  # Godalming and Ash
    "GU11 1AA,199001,,E14001063,51.24,-0.76",  # Aldershot
    "GU11 1AB,199001,201006,E14001063,51.24,-0.76",  # Aldershot, retired June 2010
    "CO15 1AA,199001,,E14001174,51.79,1.15",  # Clacton
    "CO15 1AB,199001,,E14001174,51.79,1.15",  # split between Clacton ...
    "CO15 1AB,199001,,E14001249,51.79,1.15",  # ... and (for the test) Godalming and Ash
]


@pytest.fixture
def snapshots_on(settings, tmp_path, default_parties):
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = str(tmp_path / "snapshots")
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 0  # every look-up re-checks what is current
    import_ge2024_sample()
    return tmp_path / "snapshots"


def import_directory(tmp_path, rows, name="directory.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n")
    call_command("import_postcodes", str(path), "--allow-shrink", stdout=StringIO())
    return PostcodeDirectory.objects.get(boundary_set__code="2024")


def answer(postcode):
    result = lookup_postcode(postcode)
    return result.outcome, [c.name for c in result.constituencies], result.terminated_on


def test_import_writes_a_snapshot_that_answers_as_the_database_does(snapshots_on, tmp_path):
    directory = import_directory(tmp_path, ROWS)
    path = snapshot_path(snapshots_on, directory.generation)
    assert path.exists()
    assert Snapshot(path).count == len(ROWS)
    for postcode in ["GU7 1AA", "GU11 1AA", "GU11 1AB", "CO15 1AB", "CO15 9ZZ"]:
        from_snapshot = lookups.directory_rows(postcode)
        assert [(t, c.pk) for t, c in from_snapshot] == [
            (t, c.pk) for t, c in database_directory_rows(postcode)
        ]
    assert answer("gu111ab") == (Outcome.TERMINATED, ["Aldershot"], date(2010, 6, 1))
    assert answer("CO15 1AB") == (Outcome.FOUND, ["Clacton", "Godalming and Ash"], None)
    assert answer("CO15 9ZZ")[0] == Outcome.UNKNOWN


def test_a_fresh_state_means_no_database_query(snapshots_on, tmp_path, settings, django_assert_num_queries):
    import_directory(tmp_path, ROWS)
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 60
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)  # reads the state once
    with django_assert_num_queries(0):
        assert answer("GU11 1AA") == (Outcome.FOUND, ["Aldershot"], None)
        assert answer("CO15 9ZZ")[0] == Outcome.UNKNOWN


def test_area_coverage_comes_from_the_snapshot_as_from_the_database(
    snapshots_on, tmp_path, settings, django_assert_num_queries
):
    """C (Colchester) and G (Glasgow) are not CO or GU: the snapshot counts only the postcode's own area."""
    rows = [
        f"CO15 {d}{a}{b},199001,,E14001174,51.79,1.15" for d in "0123456789" for a in "AB" for b in "ABDEF"
    ]
    import_directory(tmp_path, rows + ["GU7 1AA,199001,,E14001249,51.18,-0.61"])
    assert len(rows) == AREA_COVERED_FROM
    settings.SEATFINDER_LOOKUP_STATE_SECONDS = 60
    lookup_postcode("GU7 1AA")  # reads the state once
    with django_assert_num_queries(0):
        covered, thin, absent = (lookup_postcode(pc) for pc in ("CO16 9ZZ", "GU8 9ZZ", "C1 1AA"))
    assert [r.directory_covers_area for r in (covered, thin, absent)] == [True, False, False]
    assert thin.message.startswith("We cannot look up GU8 9ZZ yet")
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = ""  # the database agrees
    assert [lookup_postcode(pc).directory_covers_area for pc in ("CO16 9ZZ", "GU8 9ZZ", "G1 1AA")] == [
        True,
        False,
        False,
    ]


def test_a_new_import_is_followed_and_the_old_snapshot_removed(snapshots_on, tmp_path):
    first = import_directory(tmp_path, ROWS)
    assert answer("GU7 1AA")[1] == ["Godalming and Ash"]
    second = import_directory(tmp_path, ["GU7 1AA,199001,,E14001063,51.18,-0.61"], name="second.csv")
    assert second.generation != first.generation
    assert answer("GU7 1AA")[1] == ["Aldershot"]
    assert answer("GU11 1AA")[0] == Outcome.UNKNOWN
    assert not snapshot_path(snapshots_on, first.generation).exists()


def test_a_newer_general_election_on_other_boundaries_takes_over(snapshots_on, tmp_path):
    import_directory(tmp_path, ROWS)
    assert answer("GU7 1AA")[0] == Outcome.FOUND
    import_ge2019(tmp_path=tmp_path)  # 2010 boundaries, no directory there
    Election.objects.filter(slug="ge2019").update(date=date(2029, 5, 3))  # now the most recent
    assert answer("GU7 1AA")[0] == Outcome.UNKNOWN  # the 2010 boundaries have no such postcode


def test_a_renamed_constituency_shows_its_new_name(snapshots_on, tmp_path):
    import_directory(tmp_path, ROWS)
    assert answer("GU11 1AA")[1] == ["Aldershot"]
    Constituency.objects.filter(ons_id="E14001063").update(name="Aldershot and Farnborough")
    assert answer("GU11 1AA")[1] == ["Aldershot and Farnborough"]


def test_a_missing_or_damaged_snapshot_falls_back_to_the_database(snapshots_on, tmp_path, caplog):
    directory = import_directory(tmp_path, ROWS)
    path = snapshot_path(snapshots_on, directory.generation)
    path.unlink()
    lookups.reset()
    assert lookups.directory_rows("GU7 1AA") is None
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)

    path.write_bytes(b"SFPCODE1" + b"\x05" + b"\x00" * 20)  # claims five records, holds one and a bit
    lookups.reset()
    with caplog.at_level(logging.WARNING):
        assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)
    assert "not a complete postcode snapshot" in caplog.text


def test_the_command_writes_missing_snapshots(snapshots_on, tmp_path):
    directory = import_directory(tmp_path, ROWS)
    path = snapshot_path(snapshots_on, directory.generation)
    path.unlink()
    out = StringIO()
    call_command("postcode_snapshots", stdout=out)
    assert f"Wrote {path}" in out.getvalue()
    assert Snapshot(path).count == len(ROWS)


def test_switched_off_nothing_is_written(settings, tmp_path, default_parties):
    settings.SEATFINDER_POSTCODE_SNAPSHOT_DIR = ""
    import_ge2024_sample()
    import_directory(tmp_path, ROWS)
    assert lookups.directory_rows("GU7 1AA") is None
    assert answer("GU7 1AA") == (Outcome.FOUND, ["Godalming and Ash"], None)
