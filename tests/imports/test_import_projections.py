"""import_projections on small files typed in the published layouts, and every kind of bad input.

The seats are the seven real 2024 ones of the `ge2024` fixture; the MRP rows copy the layout of
../shared/data/mrp-averages-2024-06.csv (trailing space in "Short Codes ", % signs, NA and NI).
"""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from constituencies.models import AuditEvent, PollProjection, ProjectedShare

MRP_HEADER = (
    "Short Codes ,Utility,MRP Poll Sheet,Con,Lab,LD,Green,SNP,PC,Reform,Other,Single Top Progressive\n"
)
MRP_ROWS = """UKPARL.2025.GAA,1,YOUGOV MRPs (List),33.00%,12.00%,38.00%,5.00%,0.00%,0.00%,11.00%,1.00%,LD
UKPARL.2025.GAA,2,IPSOS MRP (List),31.00%,15.00%,36.00%,4.00%,NA,NA,13.00%,1.00%,LD
UKPARL.2025.GAA,3,Survation MRP (List),32.50%,14.20%,35.10%,4.10%,NI,NI,12.60%,1.50%,LD
UKPARL.2025.GAA,4,FocalData MRP (List),34.10%,13.30%,33.40%,4.60%,,,13.90%,,Con
UKPARL.2025.GAA,5,AVERAGE,32.65%,13.63%,35.63%,4.43%,0.00%,0.00%,12.63%,1.17%,TRUE
UKPARL.2025.AHT,1,YOUGOV MRPs (List),27.00%,45.00%,7.00%,5.00%,0.00%,0.00%,15.00%,1.00%,Lab
UKPARL.2025.AHT,2,IPSOS MRP (List),26.00%,46.00%,8.00%,4.00%,NA,NA,15.00%,1.00%,Lab
UKPARL.2025.AHT,3,Survation MRP (List),25.00%,47.00%,8.00%,4.00%,NI,NI,15.00%,1.00%,Lab
UKPARL.2025.AHT,4,FocalData MRP (List),26.50%,44.50%,7.50%,5.50%,,,15.00%,,Lab
UKPARL.2025.AHT,5,AVERAGE,26.13%,45.63%,7.63%,4.63%,0.00%,0.00%,15.00%,1.00%,TRUE
"""
SHORT_CODES = """full_code,short_code,name,gss_code,nation
uk.org.mysociety.cons.ukparl.2025.gaa,UKPARL.2025.GAA,Godalming and Ash,E14001249,England
uk.org.mysociety.cons.ukparl.2025.aht,UKPARL.2025.AHT,Aldershot,E14001063,England
uk.org.mysociety.cons.ukparl.2025.clt,UKPARL.2025.CLT,Clacton,E14001174,England
"""
AVERAGE_NAME = "MRP average (June 2024)"
JUNE = "2024-06-26"


@pytest.fixture
def files(tmp_path):
    def write(name, text, encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    write("short-codes.csv", SHORT_CODES)
    return write


def import_projections(path, *args, name=AVERAGE_NAME, day=JUNE) -> str:
    out = StringIO()
    short_codes = ["--short-codes", str(path.parent / "short-codes.csv")]
    call_command(
        "import_projections", str(path), "--name", name, "--date", day, *short_codes, *args, stdout=out
    )
    return out.getvalue()


def assert_rejected(snapshot, path, *expected, args=(), **options):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_projections(path, *args, **options)
    message = str(error.value)
    assert message.startswith("Nothing was imported.")
    for text in expected:
        assert text in message, message
    assert snapshot() == before
    return message


def shares(name, seat="Godalming and Ash"):
    return {
        code: float(share)
        for code, share in ProjectedShare.objects.filter(
            projection__name=name, constituency__name=seat
        ).values_list("party__code", "share")
    }


def test_an_mrp_collection_keeps_each_pollster_and_the_average(ge2024, files):
    out = import_projections(files("mrp.csv", MRP_HEADER + MRP_ROWS), "--publisher", "Movement Forward")
    assert "Imported 5 projections from mrp.csv on the 2024 boundaries" in out
    stored = {p.name: p for p in PollProjection.objects.all()}
    assert set(stored) == {
        "YouGov MRP (June 2024)",
        "Ipsos MRP (June 2024)",
        "Survation MRP (June 2024)",
        "Focaldata MRP (June 2024)",
        AVERAGE_NAME,
    }
    average = stored[AVERAGE_NAME]
    assert (average.is_average, average.publisher, average.date) == (
        True,
        "Movement Forward",
        date(2024, 6, 26),
    )
    assert (stored["Ipsos MRP (June 2024)"].publisher, stored["Ipsos MRP (June 2024)"].is_average) == (
        "Ipsos",
        False,
    )
    assert {p.seats for p in stored.values()} == {2}
    assert average.checksum and average.file_name == "mrp.csv" and "command line" in average.username
    # Reform is RUK, Other is Oth; NA, NI and blank cells are no figure, 0.00% is a figure.
    assert shares("YouGov MRP (June 2024)") == {
        "Con": 33, "Lab": 12, "LD": 38, "Green": 5, "SNP": 0, "PC": 0, "RUK": 11, "Oth": 1,
    }  # fmt: skip
    assert shares("Survation MRP (June 2024)") == {
        "Con": 32.5, "Lab": 14.2, "LD": 35.1, "Green": 4.1, "RUK": 12.6, "Oth": 1.5,
    }  # fmt: skip
    assert set(shares("Focaldata MRP (June 2024)")) == {"Con", "Lab", "LD", "Green", "RUK"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.PROJECTIONS_IMPORTED)
    assert event.details["projections"][-1] == AVERAGE_NAME and "mrp.csv imported" in event.summary


def test_the_plain_layouts_long_and_wide(ge2024, files):
    long = "ons_id,party,share\nE14001249,LD,40\nE14001249,Con,35\nE14001249,Lab,15\nE14001249,Other,10\n"
    import_projections(files("long.csv", long), "--publisher", "Electoral Calculus", name="EC (June 2024)")
    source = PollProjection.objects.get(name="EC (June 2024)")
    assert (source.publisher, source.is_average, source.seats) == ("Electoral Calculus", False, 1)
    assert shares("EC (June 2024)") == {"LD": 40, "Con": 35, "Lab": 15, "Oth": 10}

    wide = "ons_id,name,Con,Lab,Liberal Democrats,Reform UK,Oth\nE14001063,Aldershot,30,45.5,10,12.5,2\n"
    import_projections(files("wide.csv", wide), "--average", name="Poll of polls")
    source = PollProjection.objects.get(name="Poll of polls")
    assert (source.publisher, source.is_average) == ("Poll of polls", True)
    assert shares("Poll of polls", "Aldershot") == {"Con": 30, "Lab": 45.5, "LD": 10, "RUK": 12.5, "Oth": 2}


def test_a_second_import_of_the_same_name_and_date_replaces_it(ge2024, files):
    path = files("mrp.csv", MRP_HEADER + MRP_ROWS)
    import_projections(path)
    first = ProjectedShare.objects.count()
    out = import_projections(
        files("mrp2.csv", MRP_HEADER + MRP_ROWS.replace("38.00%", "37.00%").replace("12.00%", "13.00%"))
    )
    assert "replaced" in out
    assert PollProjection.objects.count() == 5 and ProjectedShare.objects.count() == first
    assert shares("YouGov MRP (June 2024)")["LD"] == 37
    assert PollProjection.objects.get(name=AVERAGE_NAME).file_name == "mrp2.csv"


def test_a_dry_run_writes_nothing(ge2024, files, snapshot):
    before = snapshot()
    out = import_projections(files("mrp.csv", MRP_HEADER + MRP_ROWS), "--dry-run")
    assert "Dry run, nothing written: would import 5 projections" in out
    assert snapshot() == before


def test_a_short_code_given_an_old_code_is_matched_by_its_name(ge2024, files):
    # mySociety's list gives five Scottish seats the codes of their pre-2024 namesakes.
    files("short-codes.csv", SHORT_CODES.replace("E14001249", "E14000720"))
    out = import_projections(files("mrp.csv", MRP_HEADER + MRP_ROWS))
    assert "Godalming and Ash: E14000720 in the short code file is E14001249" in out
    assert shares(AVERAGE_NAME)["LD"] == 35.63


# --- Bad input: a clear message, with the file, row and column, and nothing changed ----------------------


def test_shares_that_do_not_add_up_to_about_100(ge2024, files, snapshot):
    rows = MRP_ROWS.replace("33.00%,12.00%,38.00%", "43.00%,12.00%,38.00%")  # YouGov now adds up to 110
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + rows),
        'mrp.csv, row 2, column "Con to Other": YouGov shares for UKPARL.2025.GAA add up to 110.00%, not 100 ± 2',
    )
    long = "ons_id,party,share\nE14001249,LD,40\nE14001249,Con,35\nE14001249,Lab,15\n"  # 90, nothing else
    assert_rejected(
        snapshot,
        files("long.csv", long),
        'long.csv, row 2, column "share": the shares for E14001249 add up to 90.00%, not 100 ± 2',
    )


def test_a_pollster_that_leaves_parties_out_may_add_up_to_less_but_not_more(ge2024, files, snapshot):
    rows = MRP_ROWS.replace("31.00%,15.00%,36.00%", "41.00%,15.00%,36.00%")  # Ipsos (NA for SNP, PC): 110
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + rows),
        'row 3, column "Con to Other": Ipsos shares for UKPARL.2025.GAA add up to 110.00%, not at most 102',
    )


def test_fractions_instead_of_percentages(ge2024, files, snapshot):
    wide = "ons_id,Con,Lab,LD\nE14001063,0.3,0.5,0.2\n"
    assert_rejected(
        snapshot,
        files("wide.csv", wide),
        'wide.csv, row 2, column "Con to LD": the shares for E14001063 add up to 1.00%, not 100 ± 2',
    )


def test_unknown_seat_codes(ge2024, files, snapshot):
    wide = "ons_id,Con,Lab,LD\nE14001063,30,50,20\nE14009999,30,50,20\nX1,30,50,20\n"
    assert_rejected(
        snapshot,
        files("wide.csv", wide),
        'wide.csv, row 3, column "ons_id": E14009999 is not a constituency on the 2024 constituency boundaries',
        'wide.csv, row 4, column "ons_id": "X1" is not a Westminster constituency ONS code',
    )
    rows = MRP_ROWS + "UKPARL.2025.ZZZ,1,YOUGOV MRPs (List),30%,50%,20%,0%,0%,0%,0%,0%,Lab\n"
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + rows),
        'mrp.csv, row 12, column "Short Codes": UKPARL.2025.ZZZ is not a short code in short-codes.csv',
    )
    assert_rejected(
        snapshot,
        files("wide2.csv", "ons_id,Con,Lab\nE14001063,50,50\n"),
        'there is no "2034" boundary set',
        args=["--boundaries", "2034"],
    )


def test_a_duplicate_seat(ge2024, files, snapshot):
    rows = MRP_ROWS + MRP_ROWS.splitlines()[2] + "\n"  # Survation's Godalming row again
    assert_rejected(
        snapshot, files("mrp.csv", MRP_HEADER + rows),
        'mrp.csv, row 12, column "Short Codes": UKPARL.2025.GAA appears twice for Survation MRP (List); it is already on row 4',
    )  # fmt: skip
    wide = "ons_id,Con,Lab\nE14001063,50,50\nE14001063,40,60\n"
    assert_rejected(
        snapshot,
        files("wide.csv", wide),
        'row 3, column "ons_id": E14001063 appears twice; it is already on row 2',
    )
    long = "ons_id,party,share\nE14001249,LD,40\nE14001249,Con,60\nE14001249,LD,45\n"
    assert_rejected(
        snapshot,
        files("long.csv", long),
        'row 4, column "party": LD appears twice for E14001249; it is already on row 2',
    )


def test_a_future_date(ge2024, files, snapshot):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + MRP_ROWS),
        f"the date {tomorrow} is in the future",
        day=tomorrow,
    )


def test_na_everywhere(ge2024, files, snapshot):
    rows = "".join(",".join(line.split(",")[:3] + ["NA"] * 8 + [""]) + "\n" for line in MRP_ROWS.splitlines())
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + rows),
        "mrp.csv: has no figures at all: every share is NA or blank",
    )
    one_row = MRP_ROWS.replace("26.00%,46.00%,8.00%,4.00%,NA,NA,15.00%,1.00%", ",".join(["NA"] * 8))
    assert_rejected(
        snapshot,
        files("mrp2.csv", MRP_HEADER + one_row),
        'row 8, column "Con to Other": Ipsos shares for UKPARL.2025.AHT have no figure for any party',
    )


def test_unknown_party_codes_and_one_party_twice(ge2024, files, snapshot):
    wide = "ons_id,Con,Lab,Whigs\nE14001063,30,50,20\n"
    assert_rejected(
        snapshot,
        files("wide.csv", wide),
        'wide.csv, row 1, column "Whigs": "Whigs" is not a party Seat Finder knows; use a party code (',
    )
    long = "ons_id,party,share\nE14001249,LD,40\nE14001249,Con,50\nE14001249,Tories United,10\n"
    assert_rejected(
        snapshot, files("long.csv", long), 'long.csv, row 4, column "party": "Tories United" is not a party'
    )
    wide = "ons_id,Con,Lab,Reform,RUK\nE14001063,30,50,10,10\n"
    assert_rejected(
        snapshot, files("wide2.csv", wide), 'row 2, column "RUK": Reform and RUK are the same party'
    )


def test_cells_that_are_not_shares(ge2024, files, snapshot):
    rows = MRP_ROWS.replace("27.00%,45.00%", "27.00%,forty")
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + rows),
        'row 7, column "Lab": "forty" is not a share of the vote from 0 to 100',
    )
    wide = "ons_id,Con,Lab\nE14001063,-5,105\n"
    message = assert_rejected(snapshot, files("wide.csv", wide), 'column "Con": "-5" is not a share')
    assert 'column "Lab": "105" is not a share' in message


def test_files_that_cannot_be_read_as_projections(ge2024, files, snapshot):
    assert_rejected(
        snapshot,
        files("odd.csv", "seat,who,share\nAldershot,Lab,50\n"),
        "odd.csv, row 1: unknown column layout (header: seat, who, share)",
    )
    assert_rejected(
        snapshot,
        files("latin1.csv", "ons_id,Con\nE14001063,100\n# Ynys Môn\n", "latin-1"),
        "latin1.csv, row 3: is not UTF-8 text",
    )
    assert_rejected(snapshot, files("empty.csv", ""), "empty.csv: the file is empty")
    assert_rejected(
        snapshot, files("header.csv", MRP_HEADER), "header.csv: has a header but no rows of shares"
    )
    assert_rejected(
        snapshot, files("noname.csv", MRP_HEADER + MRP_ROWS), "the name must be 1 to 100 characters", name=" "
    )


def test_short_codes_with_no_file_to_resolve_them(ge2024, files, snapshot, settings, tmp_path):
    settings.SEATFINDER_DATA_DIR = tmp_path / "nowhere"
    before = snapshot()
    with pytest.raises(CommandError, match="gives seats as mySociety short codes: give the file"):
        call_command(
            "import_projections", str(files("mrp.csv", MRP_HEADER + MRP_ROWS)), "--name", "x", "--date", JUNE
        )
    assert snapshot() == before


def test_the_same_name_with_another_date_is_refused(ge2024, files, snapshot):
    import_projections(files("mrp.csv", MRP_HEADER + MRP_ROWS))
    assert_rejected(
        snapshot,
        files("mrp.csv", MRP_HEADER + MRP_ROWS),
        'a projection named "MRP average (June 2024)" is already loaded, dated 2024-06-26; give --date 2024-06-26',
        day="2024-06-27",
    )


def test_a_failure_while_writing_rolls_everything_back(ge2024, files, snapshot, monkeypatch):
    import_projections(files("mrp.csv", MRP_HEADER + MRP_ROWS))  # so that a replacement is interrupted
    before = snapshot()
    calls = []
    original = ProjectedShare.objects.bulk_create

    def fail_on_the_third(objs, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(objs, **kwargs)

    monkeypatch.setattr(ProjectedShare.objects, "bulk_create", fail_on_the_third)
    with pytest.raises(RuntimeError):
        import_projections(
            files("mrp2.csv", MRP_HEADER + MRP_ROWS.replace("38.00%", "37.00%").replace("12.00%", "13.00%"))
        )
    assert snapshot() == before
    assert ProjectedShare.objects.filter(share=Decimal("37")).count() == 0
