"""The admin projections upload: preview, apply, cancel, stale previews, bad files, permissions and the audit.

The seats are the seven real 2024 ones of the `ge2024` fixture; the files are typed in the layouts
manage.py import_projections reads (tests/imports/test_import_projections.py tests the importer itself).
"""

import hashlib
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from constituencies.models import AuditEvent, PendingUpload, PollProjection, ProjectedShare
from tests.admin.test_admin_import import table_rows
from tests.admin_helpers import upload
from tests.builders import import_results, staff_user
from tests.projection_builders import add_projection

WIDE = "ons_id,Con,Lab,LD,Reform\nE14001063,27,45,13,15\nE14001249,33,12,43,12\nE14001174,20,20,5,55\n"
MRP = (
    "Short Codes ,Utility,MRP Poll Sheet,Con,Lab,LD,Green,SNP,PC,Reform,Other,Single Top Progressive\n"
    "UKPARL.2025.GAA,1,YOUGOV MRPs (List),33.00%,12.00%,38.00%,5.00%,0.00%,0.00%,11.00%,1.00%,LD\n"
    "UKPARL.2025.GAA,2,IPSOS MRP (List),31.00%,15.00%,36.00%,4.00%,NA,NA,13.00%,1.00%,LD\n"
    "UKPARL.2025.GAA,5,AVERAGE,32.00%,13.50%,37.00%,4.50%,0.00%,0.00%,12.00%,1.00%,TRUE\n"
    "UKPARL.2025.AHT,1,YOUGOV MRPs (List),27.00%,45.00%,7.00%,5.00%,0.00%,0.00%,15.00%,1.00%,Lab\n"
    "UKPARL.2025.AHT,5,AVERAGE,27.00%,45.00%,7.00%,5.00%,0.00%,0.00%,15.00%,1.00%,TRUE\n"
)
SHORT_CODES = (
    "full_code,short_code,name,gss_code,nation\n"
    "uk.org.mysociety.cons.ukparl.2025.gaa,UKPARL.2025.GAA,Godalming and Ash,E14001249,England\n"
    "uk.org.mysociety.cons.ukparl.2025.aht,UKPARL.2025.AHT,Aldershot,E14001063,England\n"
)
NAME = "Seat Finder test MRP (June 2024)"


def url(name, *args):
    return reverse(f"admin:constituencies_pollprojection_{name}", args=args)


def form(content=WIDE, file_name="wide.csv", **overrides):
    data = {
        "projections_file": upload(file_name, content),
        "name": NAME,
        "publisher": "Pollster Ltd",
        "date": "2024-06-26",
        "boundaries": "",
    }
    data.update(overrides)
    return data


def upload_and_preview(client, data):
    response = client.post(url("upload"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return preview


def confirm(client, preview, **overrides):
    data = {
        "state": preview.context["summary"].state_before,
        "checksum": preview.context["pending"].upload.checksum,
    }
    data.update(overrides)
    return client.post(url("upload_confirm", preview.context["pending"].token), data)


def messages_of(client, response) -> list[str]:
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


# --- preview, apply, cancel -----------------------------------------------------------------


def test_preview_writes_nothing_then_confirm_applies_and_audits(admin_client, admin_user, ge2024, snapshot):
    before = snapshot()
    preview = upload_and_preview(admin_client, form())
    html = preview.content.decode()
    assert snapshot() == before  # the dry run was rolled back
    assert "3 of the 7 seats on the 2024 boundaries" in html
    assert table_rows(html, "projection-sources") == [
        "Projection|Publisher|Seats|Shares|Change",
        f"{NAME}|Pollster Ltd|3|12|new",
    ]
    assert PendingUpload.objects.get().kind == PendingUpload.Kind.PROJECTIONS

    response = confirm(admin_client, preview)
    assert response["Location"] == url("changelist")
    assert messages_of(admin_client, response) == [
        "Imported wide.csv: 1 projection (0 replaced), 3 seats on the 2024 boundaries."
    ]
    projection = PollProjection.objects.get()
    checksum = hashlib.sha256(WIDE.encode()).hexdigest()
    assert (projection.name, projection.publisher, str(projection.date)) == (
        NAME,
        "Pollster Ltd",
        "2024-06-26",
    )
    assert (projection.imported_by, projection.checksum, projection.seats) == (admin_user, checksum, 3)
    assert ProjectedShare.objects.count() == 12
    event = AuditEvent.objects.get(action=AuditEvent.Action.PROJECTIONS_IMPORTED)
    assert (event.user, event.username) == (admin_user, "admin")
    assert event.details["checksum"] == checksum and event.details["source"] == "admin"
    assert event.details["counts"] == {NAME: {"seats": 3, "shares": 12, "replaced": False}}
    assert not PendingUpload.objects.exists()
    # The same file again, under another file name: the preview warns, and says what it replaces.
    html = upload_and_preview(admin_client, form(file_name="again.csv")).content.decode()
    assert f"This very file (same SHA-256) is already loaded as {NAME}." in html
    imported = timezone.localtime(projection.imported_at)
    assert table_rows(html, "projection-sources")[1] == (
        f"{NAME}|Pollster Ltd|3|12|replaces 3 seats from wide.csv, imported {imported:%Y-%m-%d %H:%M} by admin"
    )


def test_an_mrp_collection_with_its_short_codes_shows_each_pollster(admin_client, ge2024, snapshot):
    before = snapshot()
    data = form(MRP, "mrp.csv", short_codes_file=upload("codes.csv", SHORT_CODES), publisher="")
    html = upload_and_preview(admin_client, data).content.decode()
    assert snapshot() == before
    assert "2 of the 7 seats on the 2024 boundaries" in html
    assert table_rows(html, "projection-sources")[1:] == [
        "YouGov MRP (June 2024)|YouGov|2|16|new",
        "Ipsos MRP (June 2024)|Ipsos|1|6|new",
        f"{NAME}|average|2|16|new",
    ]


def test_cancel_writes_nothing_and_forgets_the_file(admin_client, ge2024, snapshot):
    before = snapshot()
    preview = upload_and_preview(admin_client, form())
    response = admin_client.post(url("upload_cancel", preview.context["pending"].token))
    assert response["Location"] == url("changelist")
    assert not PendingUpload.objects.exists() and snapshot() == before
    again = confirm(admin_client, preview)
    assert messages_of(admin_client, again) == [
        "Upload cancelled: nothing was written.",
        "That upload is no longer waiting (already applied or cancelled, or over an hour old): nothing was "
        "written.",
    ]
    assert snapshot() == before


def test_a_double_confirm_applies_once(admin_client, ge2024):
    preview = upload_and_preview(admin_client, form())
    confirm(admin_client, preview)
    second = confirm(admin_client, preview)
    assert second["Location"] == url("upload")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PROJECTIONS_IMPORTED).count() == 1


def test_a_stale_preview_is_refused(admin_client, ge2024, snapshot):
    preview = upload_and_preview(admin_client, form())
    # Someone imports a projection of the same name after the preview was shown.
    add_projection(NAME, date(2024, 6, 26), {"E14001063": {"Con": 30, "Lab": 70}})
    before = snapshot()
    response = confirm(admin_client, preview)
    assert response["Location"] == url("upload_preview", preview.context["pending"].token)
    assert messages_of(admin_client, response)[0] == (
        "The projections this file replaces were imported, replaced or deleted by someone else since the "
        "preview. Nothing was imported: check the preview again."
    )
    assert snapshot() == before
    assert PendingUpload.objects.exists()  # still waiting, to be previewed again


def test_a_file_changed_since_the_preview_is_refused(admin_client, ge2024, snapshot):
    before = snapshot()
    preview = upload_and_preview(admin_client, form())
    response = confirm(admin_client, preview, checksum=hashlib.sha256(b"another file").hexdigest())
    assert messages_of(admin_client, response)[0] == (
        "Nothing was imported: the file waiting is not the one this preview showed (its SHA-256 differs). "
        "Check the preview again."
    )
    assert snapshot() == before


def test_confirm_and_cancel_only_by_post(admin_client, ge2024, snapshot):
    before = snapshot()
    token = upload_and_preview(admin_client, form()).context["pending"].token
    assert admin_client.get(url("upload_confirm", token)).status_code == 405
    assert admin_client.get(url("upload_cancel", token)).status_code == 405
    assert snapshot() == before


def test_links_from_the_changelist_and_the_admin_index(admin_client, ge2024):
    changelist = admin_client.get(url("changelist")).content.decode()
    assert f'<a href="{url("upload")}" class="addlink">Upload projections</a>' in changelist
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{url("upload")}">Upload poll projections</a>' in index


# --- bad input: refused with file, row and column, and nothing changed ------------------------

TOMORROW = date.today() + timedelta(days=1)
BAD_FILES = {
    "shares not adding up": (
        WIDE.replace("E14001063,27,45,13,15", "E14001063,37,45,13,15"),
        {},
        [["wide.csv", "2", "Con to Reform", "the shares for E14001063 add up to 110.00%, not 100 ± 2"]],
    ),
    "unknown seat code": (
        WIDE + "E14009999,25,25,25,25\n",
        {},
        [["wide.csv", "5", "ons_id", "E14009999 is not a constituency on the 2024 constituency boundaries"]],
    ),
    "duplicate seat": (
        WIDE + "E14001063,27,45,13,15\n",
        {},
        [["wide.csv", "5", "ons_id", "E14001063 appears twice; it is already on row 2"]],
    ),
    "a future date": (
        WIDE,
        {"date": TOMORROW.isoformat()},
        [["wide.csv", "", "", f"the date {TOMORROW} is in the future; give the day it was published"]],
    ),
    "NA everywhere": (
        "ons_id,Con,Lab\nE14001063,NA,NA\nE14001249,NA,\n",
        {},
        [["wide.csv", "", "", "has no figures at all: every share is NA or blank"]],
    ),
    "a share that is not one": (  # said once: its seat's total is not checked as well
        "ons_id,party,share\nE14001063,Con,999\n",
        {},
        [
            [
                "wide.csv",
                "2",
                "share",
                '"999" is not a share of the vote from 0 to 100 (like 20.55%), NA or NI',
            ]
        ],
    ),
    "a column twice": (
        "ons_id,Con,Lab,Con\nE14001063,30,50,20\n",
        {},
        [["wide.csv", "1", "Con", "appears more than once in the header"]],
    ),
    "an empty file": ("", {}, [["wide.csv", "", "", "the file is empty"]]),
    "not UTF-8": (
        b"ons_id,Con,Lab\nE14001063,50,50\n" + "Ynys Môn".encode("latin-1"),
        {},
        [
            [
                "wide.csv",
                "3",
                "",
                "is not UTF-8 text (byte 0xf4 cannot be read); save it as 'CSV UTF-8' and try again",
            ]
        ],
    ),
}


def problem_rows(html):
    return [row.split("|") for row in table_rows(html, "import-problems")[1:]]


@pytest.mark.parametrize("content, overrides, expected", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_files_are_refused_on_the_form(admin_client, ge2024, snapshot, content, overrides, expected):
    before = snapshot()
    response = admin_client.post(url("upload"), form(content, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file was not imported: nothing was written." in html
    assert problem_rows(html) == expected
    assert snapshot() == before
    assert not PendingUpload.objects.exists()


def test_a_file_over_the_size_limit_is_not_read(admin_client, ge2024, snapshot, settings):
    settings.SEATFINDER_MAX_UPLOAD_BYTES = 50
    before = snapshot()
    response = admin_client.post(url("upload"), form())
    assert response.status_code == 200
    assert response.context["form"].errors["projections_file"] == [
        "wide.csv is larger than the upload limit of 50\xa0bytes (SEATFINDER_MAX_UPLOAD_MB). Nothing was read."
    ]
    assert snapshot() == before and not PendingUpload.objects.exists()


def test_the_form_says_what_is_missing(admin_client, ge2024, snapshot):
    before = snapshot()
    response = admin_client.post(url("upload"), {"name": "", "date": "the 26th"})
    errors = response.context["form"].errors
    assert errors["projections_file"] == ["Choose the projections file to upload."]
    assert errors["name"] == ["This field is required."]
    assert errors["date"] == ["Enter a valid date."]
    assert snapshot() == before


def test_staff_without_the_permission_are_refused(client, ge2024, snapshot):
    staff_user("viewer", "view_pollprojection")
    client.login(username="viewer", password="correct horse battery")
    before = snapshot()
    assert client.get(url("upload")).status_code == 403
    assert client.post(url("upload"), form()).status_code == 403
    assert client.post(url("upload_confirm", "abc"), {"state": "x"}).status_code == 403
    assert client.post(url("upload_cancel", "abc")).status_code == 403
    assert snapshot() == before and not PendingUpload.objects.exists()
    changelist = client.get(url("changelist")).content.decode()
    assert url("upload") not in changelist
    assert url("upload") not in client.get(reverse("admin:index")).content.decode()


def test_staff_with_the_permission_can_upload(client, ge2024):
    staff_user("importer", "import_results")
    client.login(username="importer", password="correct horse battery")
    confirm(client, upload_and_preview(client, form()))
    assert PollProjection.objects.get().username == "importer"
    assert client.get(url("changelist")).status_code == 200  # and can see what they imported


def test_a_results_token_is_not_a_projections_token(admin_client, ge2024):
    token = upload_and_preview(admin_client, form()).context["pending"].token
    response = admin_client.get(reverse("admin:constituencies_election_import_preview", args=[token]))
    assert response["Location"] == reverse("admin:constituencies_election_import")


# --- the real June 2024 MRP collection --------------------------------------------------------


@pytest.mark.full_data
def test_the_real_mrp_collection_previews_and_applies(admin_client, default_parties, data_dir, snapshot):
    import_results(
        data_dir / "notional-2019-on-2024-boundaries.csv",
        "--election", "notional-ge2019-2024", "--date", "2019-12-12", "--boundaries", "2024",
        "--name", "2019 notional result on 2024 boundaries",
    )  # fmt: skip
    content = (data_dir / "mrp-averages-2024-06.csv").read_bytes()
    average = "MRP average (June 2024)"
    before = snapshot()
    preview = upload_and_preview(
        admin_client, form(content, "mrp-averages-2024-06.csv", name=average, publisher="Movement Forward")
    )
    html = preview.content.decode()
    assert snapshot() == before
    assert "631 of the 650 seats on the 2024 boundaries" in html
    assert table_rows(html, "projection-sources")[1:] == [
        "YouGov MRP (June 2024)|YouGov|631|5048|new",
        "Ipsos MRP (June 2024)|Ipsos|631|3744|new",
        "Survation MRP (June 2024)|Survation|631|3744|new",
        "Focaldata MRP (June 2024)|Focaldata|631|3244|new",
        f"{average}|average|631|5048|new",
    ]
    assert html.count("Matched by name: ") == 5
    confirm(admin_client, preview)
    assert PollProjection.objects.count() == 5 and ProjectedShare.objects.count() == 20828
