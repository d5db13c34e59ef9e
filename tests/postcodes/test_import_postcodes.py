"""import_postcodes on small files written here in each layout, and every kind of bad input."""

import csv
import io
import threading
import time
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from constituencies.models import BoundarySet, Constituency, Postcode
from constituencies.postcodes.importer import PostcodeImporter, swap
from constituencies.postcodes.importer.layout import detect_postcode_layout
from constituencies.postcodes.importer.rows import DECIMAL, OFFICIAL_FORM, USUAL_COORDINATES
from constituencies.postcodes.importer.sources import choose_zip_members
from constituencies.rules.files import ImportFileError
from constituencies.rules.postcodes import INWARD_LETTERS, normalise_postcode

# The August 2024 ONSPD header, as published.
ONSPD_HEADER = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "oscty",
    "ced",
    "oslaua",
    "osward",
    "parish",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "oshlthau",
    "nhser",
    "ctry",
    "rgn",
    "streg",
    "pcon",
    "eer",
    "teclec",
    "ttwa",
    "pct",
    "itl",
    "statsward",
    "oa01",
    "casward",
    "npark",
    "lsoa01",
    "msoa01",
    "ur01ind",
    "oac01",
    "oa11",
    "lsoa11",
    "msoa11",
    "wz11",
    "sicbl",
    "bua11",
    "buasd11",
    "ru11ind",
    "oac11",
    "lat",
    "long",
    "lep1",
    "lep2",
    "pfa",
    "imd",
    "calncv",
    "icb",
    "oa21",
    "lsoa21",
    "msoa21",
]
# The NSPL header of the same era.
NSPL_HEADER = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "oa21",
    "cty",
    "ced",
    "laua",
    "ward",
    "nhser",
    "ctry",
    "rgn",
    "pcon",
    "ttwa",
    "itl",
    "npark",
    "lsoa21",
    "msoa21",
    "wz11",
    "sicbl",
    "bua22",
    "ru11ind",
    "oac11",
    "lat",
    "long",
    "lep1",
    "lep2",
    "pfa",
    "imd",
    "icb",
]
SIMPLE_HEADER = ["pcds", "dointr", "doterm", "pcon24cd", "lat", "long"]

SOUTH, NORTH, WEST = "S14000061", "S14000060", "S14000112"
# (postcode, dointr, doterm, constituency, lat, long)
ROWS = [
    ("AB10 1AB", "198001", "", SOUTH, "57.148845", "-2.097004"),
    ("AB10 1AF", "198001", "", SOUTH, "57.148675", "-2.097451"),
    ("AB1 0AA", "198001", "199606", SOUTH, "57.101474", "-2.242851"),  # terminated June 1996
    ("AB15 4YR", "199001", "", NORTH, "57.143870", "-2.164590"),
    ("AB31 4AA", "199001", "", WEST, "99.999999", "0.000000"),  # no grid reference
    ("JE2 4WD", "200001", "", "L99999999", "99.999999", "0.000000"),  # Jersey: no constituency
    ("AB11 3AG", "200001", "", "", "57.140000", "-2.090000"),  # blank constituency
]


def onspd_csv(rows=ROWS, header=ONSPD_HEADER, postcode_column="pcds", code_column="pcon"):
    """Rows in the ONS layout, quoted as the ONS quotes them; the columns we do not read are filled."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for postcode, dointr, doterm, code, lat, lng in rows:
        values = dict.fromkeys(header, "S99999999")
        outward, inward = postcode.split()
        values.update(
            pcd=f"{outward:<4}{inward}",
            pcd2=f"{outward:<4} {inward}",
            pcds=postcode,
            dointr=dointr,
            doterm=doterm,
            lat=lat,
            long=lng,
        )
        values[postcode_column] = values.get(postcode_column, postcode)
        values[code_column] = code
        writer.writerow([values[h] for h in header])
    return out.getvalue()


def simple_csv(rows=ROWS):
    lines = [",".join(SIMPLE_HEADER)] + [",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_postcodes(*args):
    out = StringIO()
    call_command("import_postcodes", *map(str, args), stdout=out)
    return out.getvalue()


def directory(boundaries="2024"):
    """The stored directory as comparable tuples."""
    return sorted(
        Postcode.objects.filter(boundary_set__code=boundaries).values_list(
            "postcode", "constituency__ons_id", "terminated_on", "latitude", "longitude"
        )
    )


@pytest.fixture
def boundaries(db):
    new = BoundarySet.objects.create(code="2024", name="2024 constituency boundaries")
    old = BoundarySet.objects.create(code="2010", name="2010 constituency boundaries")
    for code, name in [
        (SOUTH, "Aberdeen South"),
        (NORTH, "Aberdeen North"),
        (WEST, "West Aberdeenshire and Kincardine"),
    ]:
        Constituency.objects.create(
            boundary_set=new, ons_id=code, name=name, slug=name.lower().replace(" ", "-")
        )
    Constituency.objects.create(
        boundary_set=old, ons_id="S14000001", name="Aberdeen North", slug="aberdeen-north"
    )
    return new


# -- layouts ------------------------------------------------------------------------------------------


def test_layouts_are_recognised_from_the_header():
    onspd = detect_postcode_layout(ONSPD_HEADER, "f.csv", "2024")
    assert (onspd.label, onspd.postcode, onspd.constituency, onspd.terminated, onspd.latitude) == (
        "ONS Postcode Directory (ONSPD)",
        "pcds",
        "pcon",
        "doterm",
        "lat",
    )
    nspl = detect_postcode_layout(NSPL_HEADER, "f.csv", "2024")
    assert (nspl.label, nspl.constituency) == ("National Statistics Postcode Lookup (NSPL)", "pcon")
    mysoc = detect_postcode_layout(["postcode", "short_code"], "f.csv", "2024")
    assert (mysoc.label, mysoc.postcode, mysoc.short_codes, mysoc.terminated, mysoc.latitude) == (
        "mySociety uk_parliament_2025_postcode_lookup",
        "postcode",
        True,
        None,
        None,
    )
    simple = detect_postcode_layout(SIMPLE_HEADER, "f.csv", "2024")
    assert (simple.label, simple.constituency) == ("postcode and constituency columns", "pcon24cd")


def test_the_edition_column_for_the_boundary_set_wins_over_plain_pcon():
    header = ["pcd7", "pcd8", "pcds", "doterm", "pcon", "pcon24cd", "lat", "long"]
    assert detect_postcode_layout(header, "f.csv", "2024").constituency == "pcon24cd"
    assert detect_postcode_layout(header, "f.csv", "2010").constituency == "pcon"
    override = detect_postcode_layout(header, "f.csv", "2024", constituency_column="PCON")
    assert override.constituency == "pcon"


def test_an_unknown_header_says_what_is_missing():
    with pytest.raises(ImportFileError) as error:
        detect_postcode_layout(["ONS ID", "Constituency name", "Lab"], "results.csv", "2024")
    message = str(error.value)
    assert "results.csv, row 1" in message
    assert "a postcode column" in message and "a constituency column" in message
    assert "ONS ID, Constituency name, Lab" in message
    with pytest.raises(ImportFileError, match='has no column "pcon25cd"'):
        detect_postcode_layout(SIMPLE_HEADER, "f.csv", "2024", constituency_column="pcon25cd")


@given(
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{0,3})?", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{0,3})?", fullmatch=True),
)
def test_the_usual_coordinates_shortcut_takes_only_coordinates_the_full_check_accepts(lat, lng):
    if USUAL_COORDINATES.fullmatch(f"{lat}\t{lng}"):
        assert DECIMAL.fullmatch(lat) and DECIMAL.fullmatch(lng)
        assert -90 <= float(lat) <= 90 and -180 <= float(lng) <= 180


@given(st.floats(-89.999, 89.999), st.floats(-179.999, 179.999))
def test_ordinary_coordinates_take_the_shortcut(lat, lng):
    assert USUAL_COORDINATES.fullmatch(f"{lat:.6f}\t{lng:.6f}")


@given(st.text(max_size=12))
def test_the_official_form_shortcut_agrees_with_the_normaliser(text):
    if OFFICIAL_FORM.fullmatch(text):
        assert normalise_postcode(text) == text


@given(
    st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True),
    st.integers(0, 9),
    st.text(alphabet="".join(sorted(INWARD_LETTERS)), min_size=2, max_size=2),
)
def test_every_official_postcode_takes_the_shortcut(outward, sector, unit):
    postcode = f"{outward} {sector}{unit}"
    assert OFFICIAL_FORM.fullmatch(postcode)
    assert normalise_postcode(postcode) == postcode


def test_the_data_file_is_chosen_from_an_ons_zip():
    names = [
        "Documents/LA_UA names and codes UK as at 04_23.csv",
        "Data/multi_csv/ONSPD_AUG_2024_UK_AB.csv",
        "Data/multi_csv/ONSPD_AUG_2024_UK_AL.csv",
        "Data/ONSPD_AUG_2024_UK.csv",
        "User Guide/ONSPD User Guide Aug 2024.pdf",
    ]
    infos = [zipfile.ZipInfo(name) for name in names]
    assert [i.filename for i in choose_zip_members(infos)] == ["Data/ONSPD_AUG_2024_UK.csv"]
    per_area = [i for i in infos if "multi_csv" in i.filename or "Documents" in i.filename]
    assert [i.filename for i in choose_zip_members(per_area)] == [
        "Data/multi_csv/ONSPD_AUG_2024_UK_AB.csv",
        "Data/multi_csv/ONSPD_AUG_2024_UK_AL.csv",
    ]


# -- importing each layout ----------------------------------------------------------------------------


def test_onspd_file_is_imported_with_terminated_postcodes_and_coordinates(boundaries, tmp_path):
    output = import_postcodes(write(tmp_path, "ONSPD_AUG_2024_UK.csv", onspd_csv()))
    assert directory() == [
        ("AB1 0AA", SOUTH, date(1996, 6, 1), 57.101474, -2.242851),
        ("AB10 1AB", SOUTH, None, 57.148845, -2.097004),
        ("AB10 1AF", SOUTH, None, 57.148675, -2.097451),
        ("AB15 4YR", NORTH, None, 57.14387, -2.16459),
        ("AB31 4AA", WEST, None, None, None),
    ]
    assert "ONS Postcode Directory (ONSPD)" in output
    assert (
        "Stored 5 postcodes on the 2024 constituency boundaries: 4 live, 1 terminated, 4 with coordinates"
        in output
    )
    assert "3 of 3 constituencies have postcodes" in output


def test_rows_with_no_known_constituency_are_counted_and_reported_not_dropped_silently(boundaries, tmp_path):
    output = import_postcodes(write(tmp_path, "onspd.csv", onspd_csv()))
    assert (
        "Skipped 2 rows whose constituency code is not a constituency on the 2024 constituency boundaries"
        in output
    )
    assert "L99999999: 1 row, e.g. JE2 4WD" in output
    assert "(blank): 1 row, e.g. AB11 3AG" in output
    assert not Postcode.objects.filter(postcode__in=["JE2 4WD", "AB11 3AG"]).exists()


def test_unknown_codes_are_counted_in_bounded_memory(boundaries, tmp_path, monkeypatch):
    monkeypatch.setattr("constituencies.postcodes.importer.rows.MAX_UNKNOWN_CODES", 2)
    rows = [*ROWS[:2], *[(f"AB10 {n}AA", "198001", "", f"X{n}", "57.1", "-2.1") for n in range(5)]]
    summary = PostcodeImporter(write(tmp_path, "codes.csv", simple_csv(rows)), boundaries).run()
    assert summary.stored == 2 and summary.skipped == 5
    assert len(summary.unknown_codes) == 3
    assert summary.unknown_codes["(any of the codes after the first 1,000)"] == 3


def test_fixed_width_pcd_column_is_normalised(boundaries, tmp_path):
    header = [h for h in ONSPD_HEADER if h not in ("pcds", "pcd2")]
    import_postcodes(write(tmp_path, "onspd.csv", onspd_csv(ROWS[:4], header=header)))
    layout_postcodes = [p for p, *_ in directory()]
    assert layout_postcodes == ["AB1 0AA", "AB10 1AB", "AB10 1AF", "AB15 4YR"]


def test_nspl_file_is_imported(boundaries, tmp_path):
    output = import_postcodes(write(tmp_path, "NSPL_AUG_2024_UK.csv", onspd_csv(header=NSPL_HEADER)))
    assert "National Statistics Postcode Lookup (NSPL)" in output
    assert len(directory()) == 5
    assert Postcode.objects.get(postcode="AB1 0AA").terminated_on == date(1996, 6, 1)


def test_simple_six_column_file_is_imported(boundaries, tmp_path):
    import_postcodes(write(tmp_path, "postcode-pcon24.csv", simple_csv()))
    assert [(p, c) for p, c, *_ in directory()] == [
        ("AB1 0AA", SOUTH),
        ("AB10 1AB", SOUTH),
        ("AB10 1AF", SOUTH),
        ("AB15 4YR", NORTH),
        ("AB31 4AA", WEST),
    ]


def test_mysociety_lookup_is_resolved_through_a_short_code_file(boundaries, tmp_path):
    lookup = write(
        tmp_path,
        "uk_parliament_2025_postcode_lookup.csv",
        "postcode,short_code\nAB10 1AB,UKPARL.2025.ABS\nab151yy,UKPARL.2025.ABN\nAB31 4AA,UKPARL.2025.XYZ\n",
    )
    short_codes = write(
        tmp_path,
        "parl_constituencies_2025.csv",
        f"short_code,name,gss_code\nUKPARL.2025.ABS,Aberdeen South,{SOUTH}\n"
        f"UKPARL.2025.ABN,Aberdeen North,{NORTH}\n",
    )
    output = import_postcodes(lookup, "--short-codes", short_codes)
    assert [(p, c, t, lat) for p, c, t, lat, _ in directory()] == [
        ("AB10 1AB", SOUTH, None, None),
        ("AB15 1YY", NORTH, None, None),
    ]
    assert "UKPARL.2025.XYZ: 1 row, e.g. AB31 4AA" in output


def test_mysociety_short_codes_default_to_the_notional_file_in_the_data_folder(
    boundaries, tmp_path, settings
):
    settings.SEATFINDER_DATA_DIR = tmp_path
    write(
        tmp_path,
        "notional-2019-on-2024-boundaries.csv",
        f"ons_id,name,mysoc_short_code,country\n{SOUTH},Aberdeen South,UKPARL.2025.ABS,Scotland\n",
    )
    lookup = write(tmp_path, "lookup.csv", "postcode,short_code\nAB10 1AB,UKPARL.2025.ABS\n")
    assert "Resolving mySociety short codes" in import_postcodes(lookup)
    assert [p for p, *_ in directory()] == ["AB10 1AB"]


def test_mysociety_lookup_without_a_short_code_file_says_what_to_give(boundaries, tmp_path, settings):
    settings.SEATFINDER_DATA_DIR = tmp_path / "absent"
    lookup = write(tmp_path, "lookup.csv", "postcode,short_code\nAB10 1AB,UKPARL.2025.ABS\n")
    with pytest.raises(CommandError, match=r"mySociety short codes .* \(--short-codes\)"):
        import_postcodes(lookup)
    assert not Postcode.objects.exists()


def test_ons_zip_as_downloaded_is_read(boundaries, tmp_path):
    path = tmp_path / "ONSPD_AUG_2024.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Documents/Country names and codes UK as at 08_12.csv", "CTRY12CD,CTRY12NM\n")
        archive.writestr("Data/multi_csv/ONSPD_AUG_2024_UK_AB.csv", onspd_csv(ROWS[:1]))
        archive.writestr("Data/ONSPD_AUG_2024_UK.csv", onspd_csv())
    output = import_postcodes(path)
    assert "ONSPD_AUG_2024.zip: Data/ONSPD_AUG_2024_UK.csv (ONS Postcode Directory (ONSPD))" in output
    assert len(directory()) == 5


def test_per_area_files_in_a_zip_are_read_together(boundaries, tmp_path):
    path = tmp_path / "ONSPD_AUG_2024.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Data/multi_csv/ONSPD_AUG_2024_UK_AB.csv", onspd_csv(ROWS[:3]))
        archive.writestr("Data/multi_csv/ONSPD_AUG_2024_UK_AB2.csv", onspd_csv(ROWS[3:]))
    import_postcodes(path)
    assert len(directory()) == 5


def test_an_upload_can_be_imported_from_a_file_object(boundaries):
    upload = io.BytesIO(simple_csv().encode())
    upload.name = "upload.csv"
    summary = PostcodeImporter(upload, boundaries).run()
    assert (summary.file, summary.stored, summary.terminated) == ("upload.csv", 5, 1)
    assert not upload.closed


# -- replacing a directory ----------------------------------------------------------------------------


def test_a_new_import_replaces_the_directory_of_its_boundary_set_only(boundaries, tmp_path):
    import_postcodes(write(tmp_path, "a.csv", simple_csv()))
    old = BoundarySet.objects.get(code="2010")
    Postcode.objects.create(
        boundary_set=old, postcode="AB10 1AB", constituency=Constituency.objects.get(boundary_set=old)
    )
    moved = [(p, d, t, NORTH if p == "AB10 1AB" else c, lat, lng) for p, d, t, c, lat, lng in ROWS[:4]]
    output = import_postcodes(write(tmp_path, "b.csv", simple_csv(moved)))
    assert "Replaced the 5 postcodes stored before" in output
    assert [(p, c) for p, c, *_ in directory()] == [
        ("AB1 0AA", SOUTH),
        ("AB10 1AB", NORTH),
        ("AB10 1AF", SOUTH),
        ("AB15 4YR", NORTH),
    ]
    assert directory("2010") == [("AB10 1AB", "S14000001", None, None, None)]


def test_postcodes_saved_through_the_orm_work_before_and_after_an_import(boundaries, tmp_path):
    south, north = Constituency.objects.get(ons_id=SOUTH), Constituency.objects.get(ons_id=NORTH)
    Postcode.objects.create(boundary_set=boundaries, postcode="SW1A 0AA", constituency=south)
    import_postcodes(write(tmp_path, "a.csv", simple_csv()))
    assert not Postcode.objects.filter(postcode="SW1A 0AA").exists()  # replaced with the rest
    # A postcode split between two constituencies is one row for each.
    Postcode.objects.create(boundary_set=boundaries, postcode="AB10 1AB", constituency=north)
    split = Postcode.objects.filter(boundary_set=boundaries, postcode="AB10 1AB").order_by(
        "constituency__name"
    )
    assert [p.constituency.ons_id for p in split] == [NORTH, SOUTH]
    split.filter(constituency=north).delete()
    assert Postcode.objects.filter(boundary_set=boundaries, postcode="AB10 1AB").count() == 1


def test_a_split_postcode_in_the_file_is_stored_once_per_constituency(boundaries, tmp_path):
    rows = [ROWS[0], (*ROWS[0][:3], NORTH, *ROWS[0][4:])]
    import_postcodes(write(tmp_path, "split.csv", simple_csv(rows)))
    assert [(p, c) for p, c, *_ in directory()] == [("AB10 1AB", NORTH), ("AB10 1AB", SOUTH)]


def test_dry_run_reports_and_changes_nothing(boundaries, tmp_path):
    import_postcodes(write(tmp_path, "a.csv", simple_csv()))
    before = directory()
    output = import_postcodes(write(tmp_path, "b.csv", simple_csv(ROWS[:4])), "--dry-run")
    assert "Would store 4 postcodes" in output and "Would replace the 5 postcodes" in output
    assert "Dry run: nothing was changed." in output
    assert directory() == before


def test_the_import_runs_the_same_queries_however_long_the_file(
    boundaries, tmp_path, django_assert_max_num_queries
):
    short = write(tmp_path, "short.csv", simple_csv(ROWS[:2]))
    many = [
        (f"AB10 {d}{a}{b}", "198001", "", SOUTH, "57.1", "-2.1") for d in "1234" for a in "ABD" for b in "EFG"
    ]
    long = write(tmp_path, "long.csv", simple_csv(many))
    PostcodeImporter(short, boundaries).run()
    with django_assert_max_num_queries(30) as short_queries:
        PostcodeImporter(short, boundaries).run()
    with django_assert_max_num_queries(30) as long_queries:
        PostcodeImporter(long, boundaries).run()
    assert Postcode.objects.filter(boundary_set=boundaries).count() == 36
    assert len(long_queries) == len(short_queries)


# -- bad input: a clear message, and the directory as it was ------------------------------------------


@pytest.fixture
def existing(boundaries, tmp_path):
    """A directory already in place, which every failed import must leave exactly as it is."""
    import_postcodes(write(tmp_path, "existing.csv", simple_csv()))
    return directory()


def refused(*args):
    with pytest.raises(CommandError) as error:
        import_postcodes(*args)
    message = str(error.value)
    assert message.startswith("Nothing was imported; the postcode directory is unchanged.")
    return message


def test_malformed_rows_are_all_reported_with_row_and_column(existing, tmp_path):
    text = simple_csv(
        [
            ROWS[0],
            ("not a postcode", "198001", "", SOUTH, "57.1", "-2.1"),
            ("AB10 1AG", "198001", "1996-06", SOUTH, "57.1", "-2.1"),
            ("AB10 1AH", "198001", "", SOUTH, "north", "-2.1"),
            ("AB10 1AJ", "198001", "", SOUTH, "157.1", "-2.1"),
            ("", "198001", "", SOUTH, "57.1", "-2.1"),
        ]
    )
    text += "AB10 1AL,198001,,S14000061\n"
    message = refused(write(tmp_path, "bad.csv", text))
    assert 'bad.csv, row 3, column "pcds": "not a postcode" is not a UK postcode' in message
    assert 'bad.csv, row 4, column "doterm": "1996-06" is not a year and month (YYYYMM)' in message
    assert 'bad.csv, row 5, column "lat": "north" is not a number' in message
    assert 'bad.csv, row 6, column "lat": 157.1, -2.1 is not a latitude and longitude' in message
    assert 'bad.csv, row 7, column "pcds": an empty cell is not a UK postcode' in message
    assert "bad.csv, row 8: has 4 cells but the header has 6" in message
    assert directory() == existing


def test_a_truncated_file_leaves_the_old_directory_in_place(existing, tmp_path):
    text = onspd_csv()
    cut = text[: text.index("AB31 4AA") + 5]  # the download stopped in the middle of a row, in a quoted cell
    message = refused(write(tmp_path, "ONSPD_cut.csv", cut))
    assert "ONSPD_cut.csv, row 6: ends inside a quoted cell" in message
    unquoted = simple_csv()
    message = refused(write(tmp_path, "simple_cut.csv", unquoted[: unquoted.index("AB31 4AA") + 5]))
    assert "simple_cut.csv, row 6: has 1 cell but the header has 6" in message
    assert "simple_cut.csv, row 6: does not end with a line break" in message
    assert directory() == existing


def test_a_file_cut_at_the_end_of_a_row_leaves_the_old_directory_in_place(existing, tmp_path):
    text = onspd_csv()
    end_of_row = text.index("\r\n", text.index("AB15 4YR"))
    cut = text[:end_of_row]  # four whole rows, not under half the five stored, but no final line break
    message = refused(write(tmp_path, "ONSPD_cut.csv", cut))
    assert (
        "ONSPD_cut.csv, row 5: does not end with a line break, as the ONS and mySociety files do: it looks "
        "truncated (cut short while downloading or copying); download it again" in message
    )
    assert directory() == existing


def test_a_file_cut_inside_its_last_quoted_cell_leaves_the_old_directory_in_place(existing, tmp_path):
    text = onspd_csv(ROWS[:5])
    cut = text[
        : len(text) - len('999"\r\n')
    ]  # the last row's last cell reads "S99999 and the quote never closes
    message = refused(write(tmp_path, "ONSPD_cut.csv", cut))
    assert (
        'ONSPD_cut.csv, row 6: ends inside a quoted cell (a " opened on or before this row is never closed): '
        "it looks truncated" in message
    )
    assert directory() == existing


def test_a_zip_whose_file_has_no_final_line_break_is_read(boundaries, tmp_path):
    # A zip member's checksum already shows a cut; the line-break check is for plain files.
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("Data/ONSPD_AUG_2024_UK.csv", onspd_csv().removesuffix("\r\n"))
    path = tmp_path / "ONSPD_AUG_2024.zip"
    path.write_bytes(whole.getvalue())
    import_postcodes(path)
    assert len(directory()) == 5


def test_a_truncated_zip_leaves_the_old_directory_in_place(existing, tmp_path):
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Data/ONSPD_AUG_2024_UK.csv", onspd_csv())
    path = tmp_path / "ONSPD_AUG_2024.zip"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    assert "is a zip file that is damaged or cut short" in refused(path)
    assert directory() == existing


def test_a_zip_whose_data_is_corrupt_leaves_the_old_directory_in_place(existing, tmp_path):
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("Data/ONSPD_AUG_2024_UK.csv", onspd_csv())
    data = bytearray(whole.getvalue())
    position = data.index(b"AB15 4YR")
    data[position : position + 4] = b"AB16"  # the CRC no longer matches
    path = tmp_path / "ONSPD_AUG_2024.zip"
    path.write_bytes(bytes(data))
    assert "could not be read to the end" in refused(path)
    assert directory() == existing


def test_a_file_much_smaller_than_the_directory_needs_allow_shrink(existing, tmp_path):
    small = write(tmp_path, "small.csv", simple_csv(ROWS[:2]))
    assert "under half the 5 stored now" in refused(small)
    assert directory() == existing
    import_postcodes(small, "--allow-shrink")
    assert len(directory()) == 2


def test_a_postcode_listed_twice_for_one_constituency_is_refused(existing, tmp_path):
    message = refused(write(tmp_path, "dup.csv", simple_csv([*ROWS, ROWS[1]])))
    assert "lists postcode AB10 1AF more than once for S14000061" in message
    assert directory() == existing


def test_a_file_for_other_boundaries_says_so(existing, tmp_path):
    old_codes = [(p, d, t, "S14000001", lat, lng) for p, d, t, _, lat, lng in ROWS]
    message = refused(write(tmp_path, "old.csv", simple_csv(old_codes)))
    assert "none of its constituency codes is a constituency on the 2024 constituency boundaries" in message
    assert "S14000001 ×7" in message and "--boundaries" in message
    assert directory() == existing
    import_postcodes(write(tmp_path, "old.csv", simple_csv(old_codes)), "--boundaries", "2010")
    assert len(directory("2010")) == 7 and directory() == existing


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "has no header row (it is empty, or starts with a blank line)"),
        (b"pcds,dointr,doterm,pcon24cd,lat,long\n", "has no postcode rows"),
        (b"ONS ID,Constituency name\nS14000061,Aberdeen South\n", "is not a postcode file Seat Finder knows"),
        (
            b"pcds,pcon24cd\nAB10 1AB,S14000061\nAB10 1AF,S1400006\xe9\n",
            "row 3: is not UTF-8 text (byte 0xe9",
        ),
        (b"\n\npcds,pcon24cd\nAB10 1AB,S14000061\n", "has no header row"),
        (
            b'pcds,pcon24cd\nAB10 1AB,S14000061\n"' + b"x" * 200_000,
            "row 3: is not a readable CSV file (field larger",
        ),
    ],
)
def test_unreadable_files_are_refused(existing, tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert expected in refused(path)
    assert directory() == existing


def test_missing_file_boundary_set_or_constituencies(existing, tmp_path):
    assert "missing.csv: cannot be read" in refused(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match=r'There is no "2019" boundary set \(loaded: 2024, 2010\)'):
        import_postcodes(write(tmp_path, "a.csv", simple_csv()), "--boundaries", "2019")
    BoundarySet.objects.create(code="2028", name="2028 constituency boundaries")
    message = refused(write(tmp_path, "a.csv", simple_csv()), "--boundaries", "2028")
    assert "the 2028 constituency boundaries have no constituencies yet" in message
    assert directory() == existing


def test_a_mysociety_row_with_something_else_in_the_short_code_column(boundaries, tmp_path):
    lookup = write(tmp_path, "lookup.csv", "postcode,short_code\nAB10 1AB,S14000061\n")
    short_codes = write(tmp_path, "codes.csv", f"short_code,gss_code\nUKPARL.2025.ABS,{SOUTH}\n")
    message = refused(lookup, "--short-codes", short_codes)
    assert 'lookup.csv, row 2, column "short_code": "S14000061" is not a mySociety short code' in message


# -- look-ups keep working while a directory is replaced ----------------------------------------------


def read_in_another_connection(results, key):
    """Look the postcode up the way the site does, on a connection of its own."""
    try:
        results[key] = list(
            Postcode.objects.filter(boundary_set__code="2024", postcode="AB10 1AB").values_list(
                "constituency__ons_id", flat=True
            )
        )
        results[key + " count"] = Postcode.objects.filter(boundary_set__code="2024").count()
    except Exception as exc:  # reported by the test's assertions
        results[key] = exc
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_readers_see_the_old_directory_until_the_new_one_commits(tmp_path):
    new = BoundarySet.objects.create(code="2024", name="2024 constituency boundaries")
    for code, name in [(SOUTH, "Aberdeen South"), (NORTH, "Aberdeen North"), (WEST, "West Aberdeenshire")]:
        Constituency.objects.create(
            boundary_set=new, ons_id=code, name=name, slug=name.lower().replace(" ", "-")
        )
    PostcodeImporter(write(tmp_path, "a.csv", simple_csv()), new).run()
    moved = [(p, d, t, NORTH, lat, lng) for p, d, t, _, lat, lng in ROWS[:4]]
    results, readers = {}, []

    def progress(message):
        if message.startswith("Swapping"):
            # The new directory is built and indexed, in the import's transaction: others cannot see it.
            reader = threading.Thread(target=read_in_another_connection, args=(results, "before swap"))
            reader.start()
            reader.join(timeout=30)
        if message.startswith("Swapped"):
            # The swap is done but not committed: a look-up now waits for the commit, then sees the new one.
            reader = threading.Thread(target=read_in_another_connection, args=(results, "during swap"))
            reader.start()
            readers.append(reader)

    PostcodeImporter(write(tmp_path, "b.csv", simple_csv(moved)), new, progress=progress).run()
    for reader in readers:
        reader.join(timeout=30)
    assert results["before swap"] == [SOUTH] and results["before swap count"] == 5
    assert results["during swap"] == [NORTH] and results["during swap count"] == 4
    assert directory()[1][:2] == ("AB10 1AB", NORTH)


# -- the swap waits for running look-ups briefly, lets queued ones through, and tries again -------------


class LongReader(threading.Thread):
    """A transaction on another connection that has read the postcode table and stays open until released,
    holding a lock the swap must wait for (as a slow report or an idle-in-transaction session would)."""

    def __init__(self):
        super().__init__()
        self.reading, self.release = threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                Postcode.objects.count()
                self.reading.set()
                self.release.wait(timeout=60)
        finally:
            connection.close()


def swap_is_waiting() -> bool:
    with connection.cursor() as cursor:
        # Only this database's waits: other xdist workers' test databases share the server.
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE NOT l.granted AND l.mode = 'AccessExclusiveLock' AND d.datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def time_a_lookup_queued_behind_the_swap(timings):
    """Once the swap waits for its lock, look a postcode up and time it."""
    try:
        deadline = time.monotonic() + 10
        while not swap_is_waiting() and time.monotonic() < deadline:
            time.sleep(0.02)
        started = time.monotonic()
        Postcode.objects.filter(postcode="AB10 1AB").count()
        timings.append(time.monotonic() - started)
    finally:
        connection.close()


@pytest.fixture
def live_directory(transactional_db, tmp_path):
    new = BoundarySet.objects.create(code="2024", name="2024 constituency boundaries")
    for code, name in [(SOUTH, "Aberdeen South"), (NORTH, "Aberdeen North"), (WEST, "West Aberdeenshire")]:
        Constituency.objects.create(
            boundary_set=new, ons_id=code, name=name, slug=name.lower().replace(" ", "-")
        )
    PostcodeImporter(write(tmp_path, "a.csv", simple_csv()), new).run()
    return new


def test_look_ups_wait_behind_the_swap_at_most_its_lock_timeout_and_the_swap_is_retried(
    live_directory, tmp_path
):
    moved = [(p, d, t, NORTH, lat, lng) for p, d, t, _, lat, lng in ROWS[:4]]
    blocker, timings, messages, lookups = LongReader(), [], [], []
    blocker.start()
    assert blocker.reading.wait(timeout=30)
    # The slow reader finishes 4 s after the swap starts waiting; look-ups must not wait that long.
    threading.Timer(4, blocker.release.set).start()

    def progress(message):
        messages.append(message)
        if message.startswith("Swapping"):
            lookup = threading.Thread(target=time_a_lookup_queued_behind_the_swap, args=(timings,))
            lookup.start()
            lookups.append(lookup)

    PostcodeImporter(write(tmp_path, "b.csv", simple_csv(moved)), live_directory, progress=progress).run()
    for thread in [blocker, *lookups]:
        thread.join(timeout=30)
    assert timings and timings[0] < 3, timings  # under SWAP_LOCK_TIMEOUT (2 s) and some slack, not 4 s
    assert any(m.startswith("The postcode table is busy (attempt 1 of 5)") for m in messages)
    assert sum(m.startswith("Reading") for m in messages) == 1  # only the swap is tried again
    assert directory()[1][:2] == ("AB10 1AB", NORTH)


def test_a_swap_that_never_gets_its_lock_changes_nothing(live_directory, tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "SWAP_LOCK_TIMEOUT", "100ms")
    monkeypatch.setattr(swap, "SWAP_RETRY_PAUSE", 0)
    before = directory()
    blocker = LongReader()
    blocker.start()
    assert blocker.reading.wait(timeout=30)
    moved = [(p, d, t, NORTH, lat, lng) for p, d, t, _, lat, lng in ROWS[:4]]
    try:
        with pytest.raises(ImportFileError) as error:
            PostcodeImporter(write(tmp_path, "b.csv", simple_csv(moved)), live_directory).run()
    finally:
        blocker.release.set()
        blocker.join(timeout=30)
    assert (
        "b.csv: could not swap in the new directory: look-ups kept the postcode table busy through 5 attempts "
        "of 100ms each; nothing was changed, try again" in str(error.value)
    )
    assert directory() == before


def test_the_swaps_short_lock_wait_ends_with_the_swap(live_directory, tmp_path):
    """The 2 s lock timeout is for DROP/ATTACH only: the directory's row, written after, and anything
    else in the transaction wait as long as they did before the import."""
    seen = {}

    def progress(message):
        if message.startswith("Swap"):  # not while the rows are copied: the connection is busy then
            with connection.cursor() as cursor:
                cursor.execute("SHOW lock_timeout")
                seen[message.split(" ")[0]] = cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '7s'")  # a session's own setting, restored as it was
    try:
        moved = [(p, d, t, NORTH, lat, lng) for p, d, t, _, lat, lng in ROWS[:4]]
        PostcodeImporter(write(tmp_path, "b.csv", simple_csv(moved)), live_directory, progress=progress).run()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert seen["Swapping"] == "7s"
    assert seen["Swapped"] == "7s"  # after the swap and PostcodeDirectory.update_or_create, not "2s"
    assert directory()[1][:2] == ("AB10 1AB", NORTH)
