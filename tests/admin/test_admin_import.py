"""The admin results upload: preview, apply, cancel, bad files, permissions and the audit record."""

import hashlib
import html as html_lib

import pytest
from django.test import Client
from django.urls import reverse

from constituencies.models import AuditEvent, Election, PendingUpload, ResultsImport, SeatAssessment
from tests.admin_helpers import existing, import_url, new_by_election, upload
from tests.builders import BATLEY_2021, GE2019_CSV, GE2019_CSV_CON_WIN, SAMPLES, import_results, staff_user


def admin_imports():
    return ResultsImport.objects.filter(source=ResultsImport.Source.ADMIN)


def admin_events():
    return AuditEvent.objects.filter(results_import__source=ResultsImport.Source.ADMIN)


def upload_and_preview(client, data):
    """Submit the upload form, follow to the preview; returns the preview response."""
    response = client.post(import_url(), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"].startswith(import_url())
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return preview


def confirm(client, preview):
    return client.post(
        import_url("import_confirm", preview.context["pending"].token),
        {"state": preview.context["summary"].state_before},
    )


def table_rows(html, table_id):
    """The text of each row of one table, cells joined by |, to assert on what the admin sees."""
    import re

    start = html.index(f'id="{table_id}"')
    body = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        "|".join(
            html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        )
        for row in rows
    ]


# --- preview, apply, cancel -----------------------------------------------------------------


def test_by_election_preview_writes_nothing_then_confirm_applies_and_records(
    admin_client, admin_user, ge2019, snapshot
):
    before = snapshot()
    data = BATLEY_2021.read_bytes()
    preview = upload_and_preview(admin_client, new_by_election(results_file=upload("batley.csv", data)))
    html = preview.content.decode()

    assert snapshot() == before  # the preview ran the import and rolled it back
    assert not Election.objects.filter(slug="by-batley-and-spen-2021").exists()
    assert "will be created" in html
    assert "16 rows read" in html
    assert "1</strong> seat gets a result in this election for the first time" in html
    # Compared with the seat's 2019 result: Labour held it, but a 3,525 majority became 323.
    assert table_rows(html, "marginality-changes")[1:] == [
        "Batley and Spen|marginal|very marginal|2019 general election"
    ]
    assert "winner-changes" not in html and "tragedy-changes" not in html
    assert table_rows(html, "new-results")[1:] == [
        "Batley and Spen|Lab (Kim Leadbeater)|323 (0.86%)|very marginal|no|Lab"
    ]

    response = confirm(admin_client, preview)
    record = admin_imports().get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:constituencies_resultsimport_change", args=[record.pk])

    election = Election.objects.get(slug="by-batley-and-spen-2021")
    assert (election.kind, election.boundary_set.code, str(election.date)) == ("by", "2010", "2021-07-01")
    seat = SeatAssessment.objects.get(election=election)
    assert (seat.winner.code, seat.majority, seat.marginality) == ("Lab", 323, "very_marginal")

    assert record.user == admin_user and record.username == "admin"
    assert record.source == ResultsImport.Source.ADMIN
    assert (record.file_name, record.file_size) == ("batley.csv", len(data))
    assert record.checksum == hashlib.sha256(data).hexdigest()
    assert (record.rows_read, record.seats_in_file, record.seats_changed) == (16, 1, 1)
    assert record.election == election and record.election_created
    assert record.archived_as == ""  # not configured: no copy kept on disk
    assert record.changes["marginality_changes"][0]["now"] == "very marginal"
    event = admin_events().get(action=AuditEvent.Action.RESULTS_IMPORTED)
    assert event.results_import == record and event.user == admin_user
    assert "batley.csv imported into 2021 Batley and Spen by-election" in event.summary

    page = admin_client.get(response["Location"]).content.decode()
    assert record.checksum in page and "very marginal" in page
    assert not PendingUpload.objects.exists()  # the file no longer waits


def test_reimport_preview_lists_winner_tragedy_and_marginality_changes(admin_client, ge2019, snapshot):
    before = snapshot()
    preview = upload_and_preview(
        admin_client, existing(ge2019, results_file=upload("ge2019-fixed.csv", GE2019_CSV_CON_WIN))
    )
    html = preview.content.decode()
    assert snapshot() == before
    current = "the results loaded now"
    assert table_rows(html, "winner-changes")[1:] == [
        f"Batley and Spen|Lab (Tracy Brabin)|Con (Mark Brooks)|{current}"
    ]
    assert table_rows(html, "tragedy-changes")[1:] == [
        f"Batley and Spen|not a tragedy|progressive tragedy|{current}"
    ]
    assert table_rows(html, "marginality-changes")[1:] == [
        f"Batley and Spen|marginal|very marginal|{current}"
    ]
    assert (
        "2</strong> existing results replaced: 1 with the same figures, 1 with different figures (Batley and Spen)"
        in html
    )

    confirm(admin_client, preview)
    batley = SeatAssessment.objects.get(election=ge2019, constituency__name="Batley and Spen")
    assert (batley.winner.code, batley.is_tragedy, batley.majority) == ("Con", True, 406)
    record = admin_imports().get()
    assert (record.seats_changed, record.winner_changes, record.results_replaced) == (1, 1, 2)


def test_a_file_missing_seats_says_their_results_will_be_removed(admin_client, ge2019):
    only_batley = "\n".join(line for line in GE2019_CSV.splitlines() if "Wakefield" not in line) + "\n"
    preview = upload_and_preview(
        admin_client, existing(ge2019, results_file=upload("batley-only.csv", only_batley))
    )
    assert (
        "1</strong> result removed (in the election but not in the file): Wakefield"
        in preview.content.decode()
    )


def test_cancel_writes_nothing_and_forgets_the_file(admin_client, ge2019, snapshot):
    before = snapshot()
    preview = upload_and_preview(
        admin_client, existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN))
    )
    token = preview.context["pending"].token
    response = admin_client.post(import_url("import_cancel", token), follow=True)
    assert "Import cancelled: nothing was written." in response.content.decode()
    assert snapshot() == before
    assert not admin_imports().exists() and not admin_events().exists()
    # The file is gone: the preview and confirm no longer work.
    gone = admin_client.get(import_url("import_preview", token), follow=True)
    assert "no longer waiting" in gone.content.decode()
    admin_client.post(import_url("import_confirm", token), {"state": preview.context["summary"].state_before})
    assert snapshot() == before


def test_confirm_only_by_post(admin_client, ge2019):
    preview = upload_and_preview(
        admin_client, existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN))
    )
    response = admin_client.get(import_url("import_confirm", preview.context["pending"].token))
    assert response.status_code == 405
    assert not admin_imports().exists()


def test_a_second_confirm_from_an_older_preview_is_refused(admin_client, ge2019, snapshot):
    """Two admins preview different files; the first applies; the second sees that its preview is stale."""
    other_admin = Client()
    other_admin.force_login(staff_user("other", "import_results"))
    first = upload_and_preview(
        admin_client, existing(ge2019, results_file=upload("a.csv", GE2019_CSV_CON_WIN))
    )
    second = upload_and_preview(
        other_admin, existing(ge2019, results_file=upload("b.csv", GE2019_CSV.replace("21283", "21300")))
    )
    confirm(admin_client, first)
    after_first = snapshot()

    response = confirm(other_admin, second)
    assert response["Location"] == import_url("import_preview", second.context["pending"].token)
    refreshed = other_admin.get(response["Location"])
    assert "have changed since this preview was made" in refreshed.content.decode()
    assert snapshot() == after_first
    assert admin_imports().count() == 1
    # The refreshed preview compares with what is loaded now, and can be confirmed.
    assert "Lab (Tracy Brabin)" in table_rows(refreshed.content.decode(), "winner-changes")[1]
    confirm(other_admin, refreshed)
    assert admin_imports().count() == 2
    assert SeatAssessment.objects.get(election=ge2019, constituency__name="Wakefield").winner_votes == 21300


def test_a_new_election_created_by_someone_else_since_the_preview(admin_client, ge2019, snapshot):
    preview = upload_and_preview(
        admin_client, new_by_election(results_file=upload("batley.csv", BATLEY_2021.read_bytes()))
    )
    import_results(
        BATLEY_2021, "--election", "by-batley-and-spen-2021", "--date", "2021-07-01", "--boundaries", "2010"
    )
    before = snapshot()
    response = confirm(admin_client, preview)
    page = admin_client.get(response["Location"]).content.decode()
    assert "has been created since this file was uploaded" in page
    assert snapshot() == before
    assert admin_imports().count() == 0


def test_hoc_constituency_file_with_its_candidate_file(admin_client, ge2024, snapshot):
    preview = upload_and_preview(
        admin_client,
        existing(
            ge2024,
            results_file=upload(
                "constituencies.csv", (SAMPLES / "hoc-ge2024-constituency-sample.csv").read_bytes()
            ),
            candidates_file=upload(
                "candidates.csv", (SAMPLES / "hoc-ge2024-candidate-sample.csv").read_bytes()
            ),
        ),
    )
    html = preview.content.decode()
    assert "with candidates from candidates.csv" in html
    assert "48</strong> candidacies written, replacing 41" in html
    assert (
        "0 with the same figures, 7 with different figures" in html
    )  # every seat gains its candidates' names
    assert "winner-changes" not in html  # the same winners, now with every candidate's name
    confirm(admin_client, preview)
    record = ResultsImport.objects.get(source="admin")
    assert record.candidates_file_name == "candidates.csv"
    assert (
        record.candidates_checksum
        == hashlib.sha256((SAMPLES / "hoc-ge2024-candidate-sample.csv").read_bytes()).hexdigest()
    )
    aldershot = SeatAssessment.objects.get(election=ge2024, constituency__name="Aldershot").result
    assert aldershot.candidacies.get(candidate_name="Leo Docherty").is_sitting_mp is True


def test_import_link_from_the_election_list_and_the_election_page(admin_client, ge2019):
    changelist = admin_client.get(reverse("admin:constituencies_election_changelist")).content.decode()
    assert f'href="{import_url()}"' in changelist
    change = admin_client.get(
        reverse("admin:constituencies_election_change", args=[ge2019.pk])
    ).content.decode()
    assert f'href="{import_url()}?election={ge2019.pk}"' in change
    form = admin_client.get(f"{import_url()}?election={ge2019.pk}")
    assert form.context["form"]["election"].value() == str(ge2019.pk)


# --- bad files: row-and-column messages on the same page, database unchanged -------------------

LATIN1 = "ons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,13296\nE14000548,Batley and Spen,Thérèse,207\n".encode(
    "latin-1"
)


@pytest.mark.parametrize(
    ("name", "content", "expected_rows"),
    [
        (
            "mystery.csv",
            "seat,who,how many\nBatley,Lab,1\n",
            [["mystery.csv", "1", "", "unknown column layout (header: seat, who, how many)"]],
        ),
        ("latin1.csv", LATIN1, [["latin1.csv", "3", "", "is not UTF-8 text (byte 0xe9 cannot be read)"]]),
        (
            "typo.csv",
            "ons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,13296\nE14000548,Batley and Spen,Conservative,12,973x\n",
            [["typo.csv", "3", "", "has 5 cells but the header has 4"]],
        ),
        (
            "letters.csv",
            "ons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,lots\nE14000548,Batley and Spen,Conservative,12973\n",
            [["letters.csv", "2", "votes", '"lots" is not a whole number of votes']],
        ),
        (
            "new-boundaries.csv",
            "ons_id,constituency,party,votes\nE14001063,Aldershot,Labour,19764\n",
            [
                [
                    "new-boundaries.csv",
                    "2",
                    "",
                    "E14001063 (Aldershot) is not a constituency on the 2010 constituency boundaries",
                ]
            ],
        ),
        ("empty.csv", b"", [["empty.csv", "", "", "the file is empty"]]),
        ("blank.csv", b"\r\n\r\n", [["blank.csv", "", "", "the file is empty"]]),
        (
            "titled.csv",
            "Batley and Spen by-election 2021,,,\nDeclared 2 July 2021,,,\nons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,13296\n",
            [["titled.csv", "1", "", "the column headings are on row 3, not row 1"]],
        ),
        (
            "code.csv",
            "ons_id,constituency,party,votes\nX1400054,Batley and Spen,Labour,13296\n",
            [["code.csv", "2", "ons_id", '"X1400054" is not a Westminster constituency ONS code']],
        ),
        (
            "nul.csv",
            b"ons_id,constituency,party,votes\nE14000548,Batley\x00 and Spen,Labour,13296\n",
            [["nul.csv", "2", "", "contains NUL characters, so it is not a plain text CSV file"]],
        ),
        (
            "workbook.xlsx",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x9f\x8e",
            [["workbook.xlsx", "1", "", "is not UTF-8 text (byte 0x9f cannot be read)"]],
        ),
        (
            "utf16.csv",
            "ons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,13296\n".encode("utf-16"),
            [["utf16.csv", "1", "", "is not UTF-8 text (byte 0xff cannot be read)"]],
        ),
        (
            "huge.csv",
            "ons_id,constituency,party,votes\nE14000548,Batley and Spen,Labour,99999999999\n",
            [
                [
                    "huge.csv",
                    "2",
                    "votes",
                    "99,999,999,999 is more than 10,000,000: too many for one constituency",
                ]
            ],
        ),
        (
            "long-name.csv",
            "ons_id,constituency,party,votes,candidate\nE14000548,Batley and Spen,Labour,13296,Kim\n"
            f"E14000548,Batley and Spen,Conservative,12973,{'R' * 201}\n",
            [["long-name.csv", "3", "", "the candidate name is 201 characters long; at most 200 fit"]],
        ),
        (
            "dupe.csv",
            "ons_id,constituency,party,votes,candidate\nE14000548,Batley and Spen,Labour,13296,Kim Leadbeater\nE14000548,Batley and Spen,Labour,13296,Kim Leadbeater\n",
            [["dupe.csv", "3", "party", "Labour Kim Leadbeater in E14000548 is already on row 2"]],
        ),
    ],
)
def test_bad_files_are_rejected_on_the_same_page(
    admin_client, ge2019, snapshot, name, content, expected_rows
):
    before = snapshot()
    response = admin_client.post(import_url(), new_by_election(results_file=upload(name, content)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file was not imported: nothing was written." in html
    rows = [row.split("|") for row in table_rows(html, "import-problems")[1:]]
    assert len(rows) == len(expected_rows)
    for row, (file, line, column, message) in zip(rows, expected_rows, strict=True):
        assert row[:3] == [file, line, column]
        assert message in row[3]
    assert snapshot() == before
    assert not Election.objects.filter(slug="by-batley-and-spen-2021").exists()
    assert not PendingUpload.objects.exists()  # nothing is kept waiting for confirmation
    assert response.context["form"]["new_name"].value() == "2021 Batley and Spen by-election"  # kept


def test_a_file_over_the_size_limit_is_not_read(admin_client, ge2019, snapshot, settings):
    settings.SEATFINDER_MAX_UPLOAD_BYTES = 1024
    before = snapshot()
    response = admin_client.post(
        import_url(), new_by_election(results_file=upload("batley.csv", BATLEY_2021.read_bytes()))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["results_file"]
    assert errors == [
        "batley.csv is larger than the upload limit of 1.0\xa0KB (SEATFINDER_MAX_UPLOAD_MB). Nothing was read."
    ]
    assert snapshot() == before
    # Under the limit the same file goes through.
    settings.SEATFINDER_MAX_UPLOAD_BYTES = 2048
    assert (
        admin_client.post(
            import_url(), new_by_election(results_file=upload("batley.csv", BATLEY_2021.read_bytes()))
        ).status_code
        == 302
    )


def test_uploads_are_read_in_memory_and_never_spooled_to_disk(admin_client, ge2019, settings, monkeypatch):
    # Make Django's own handler spool anything over 10 bytes to a temporary file, and fail if it does.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    from django.core.files import uploadhandler

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "new_file", refuse)
    preview = upload_and_preview(
        admin_client, new_by_election(results_file=upload("batley.csv", BATLEY_2021.read_bytes()))
    )
    assert preview.context["pending"].upload.data == BATLEY_2021.read_bytes()


def test_a_copy_is_kept_only_when_an_archive_folder_is_configured(admin_client, ge2019, settings, tmp_path):
    settings.SEATFINDER_UPLOAD_ARCHIVE_DIR = str(tmp_path / "archive")
    preview = upload_and_preview(
        admin_client, new_by_election(results_file=upload("../../batley.csv", BATLEY_2021.read_bytes()))
    )
    assert not (tmp_path / "archive").exists()  # previewing keeps nothing
    confirm(admin_client, preview)
    record = ResultsImport.objects.get(source="admin")
    [kept] = (tmp_path / "archive").iterdir()
    assert str(kept) == record.archived_as
    assert kept.name.endswith(f"-{record.checksum[:12]}-batley.csv")
    assert kept.read_bytes() == BATLEY_2021.read_bytes()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_date": ""}, "new_date", "Needed for a new election"),
        ({"new_boundary_set": ""}, "new_boundary_set", "Needed for a new election"),
        ({"new_slug": "ge2019"}, "new_slug", "An election with the slug “ge2019” exists: choose it above."),
        ({"new_slug": "by election!"}, "new_slug", "Enter a valid “slug”"),
        ({"new_date": "1 July"}, "new_date", "Enter a valid date."),
    ],
)
def test_new_election_details_are_checked(admin_client, ge2019, snapshot, data, field, message):
    before = snapshot()
    response = admin_client.post(
        import_url(), new_by_election(results_file=upload("b.csv", BATLEY_2021.read_bytes()), **data)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert snapshot() == before


def test_choosing_an_election_and_describing_a_new_one_is_refused(admin_client, ge2019):
    response = admin_client.post(
        import_url(),
        new_by_election(election=ge2019.pk, results_file=upload("b.csv", BATLEY_2021.read_bytes())),
    )
    assert "Choose an existing election or describe a new one, not both" in response.content.decode()


def test_no_file_chosen(admin_client, ge2019):
    response = admin_client.post(import_url(), existing(ge2019))
    assert response.context["form"].errors["results_file"] == ["Choose the results file to upload."]


def test_slug_is_made_from_the_name_when_left_empty(admin_client, ge2019):
    preview = upload_and_preview(
        admin_client, new_by_election(new_slug="", results_file=upload("b.csv", BATLEY_2021.read_bytes()))
    )
    assert preview.context["election"].slug == "2021-batley-and-spen-by-election"


# --- permissions and CSRF -----------------------------------------------------------------------


def test_anonymous_users_get_the_admin_login(client, ge2019):
    for url in (import_url(), import_url("import_preview", "abc")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    response = Client(enforce_csrf_checks=False).post(
        import_url(), existing(ge2019, results_file=upload("x.csv", GE2019_CSV))
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not admin_imports().exists()


def test_signed_in_users_who_are_not_staff_get_the_admin_login(client, ge2019, snapshot, django_user_model):
    django_user_model.objects.create_user("voter", password="correct horse battery")
    client.login(username="voter", password="correct horse battery")
    before = snapshot()
    response = client.post(import_url(), existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN)))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    login = client.get(response["Location"])
    assert (
        "You are authenticated as voter, but are not authorized to access this page" in login.content.decode()
    )
    assert snapshot() == before


def test_staff_without_the_permission_are_refused(client, ge2019, snapshot):
    staff_user("viewer", "view_election", "change_election")
    client.login(username="viewer", password="correct horse battery")
    before = snapshot()
    assert client.get(import_url()).status_code == 403
    assert (
        client.post(
            import_url(), existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN))
        ).status_code
        == 403
    )
    assert client.post(import_url("import_confirm", "abc"), {"state": "x"}).status_code == 403
    assert snapshot() == before
    # The normal admin still works for them, without the import button.
    changelist = client.get(reverse("admin:constituencies_election_changelist"))
    assert changelist.status_code == 200
    assert import_url() not in changelist.content.decode()


def test_staff_with_the_permission_can_import(client, ge2019):
    staff_user("importer", "import_results", "view_election")
    client.login(username="importer", password="correct horse battery")
    preview = upload_and_preview(client, existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN)))
    response = confirm(client, preview)
    record = admin_imports().get()
    assert record.username == "importer"
    # They can read the record they made (but not change or delete it).
    assert client.get(response["Location"]).status_code == 200
    change_url = reverse("admin:constituencies_resultsimport_change", args=[record.pk])
    assert client.post(change_url, {"file_name": "other.csv"}).status_code == 403
    assert (
        client.post(reverse("admin:constituencies_resultsimport_delete", args=[record.pk])).status_code == 403
    )


def test_csrf_is_checked(ge2019, admin_user, snapshot):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    before = snapshot()
    response = client.post(import_url(), existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN)))
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert not PendingUpload.objects.exists()
    # With the token from the form, the same upload goes through to the preview.
    token = client.get(import_url()).context["csrf_token"]
    response = client.post(
        import_url(),
        existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN), csrfmiddlewaretoken=str(token)),
    )
    assert response.status_code == 302
    # ... and confirming without the token is refused too.
    preview = client.get(response["Location"])
    refused = client.post(
        import_url("import_confirm", preview.context["pending"].token),
        {"state": preview.context["summary"].state_before},
    )
    assert refused.status_code == 403
    assert snapshot() == before


def test_import_records_and_audit_events_are_read_only(admin_client, ge2019):
    preview = upload_and_preview(
        admin_client, existing(ge2019, results_file=upload("x.csv", GE2019_CSV_CON_WIN))
    )
    confirm(admin_client, preview)
    record = admin_imports().get()
    event = admin_events().get()
    assert admin_client.get(reverse("admin:constituencies_resultsimport_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:constituencies_resultsimport_delete", args=[record.pk])).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:constituencies_auditevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:constituencies_auditevent_delete", args=[event.pk])).status_code
        == 403
    )
    listing = admin_client.get(reverse("admin:constituencies_resultsimport_changelist")).content.decode()
    assert "x.csv" in listing and record.checksum[:12] in listing
    audit = admin_client.get(reverse("admin:constituencies_auditevent_changelist")).content.decode()
    assert "Results imported" in audit and "x.csv imported into 2019 general election" in audit
    # Saving the view-only page changes nothing.
    admin_client.post(
        reverse("admin:constituencies_resultsimport_change", args=[record.pk]), {"file_name": "y"}
    )
    assert admin_imports().get().file_name == "x.csv"


def test_a_candidate_file_only_goes_with_a_constituency_file(admin_client, ge2019, snapshot):
    before = snapshot()
    response = admin_client.post(
        import_url(),
        existing(
            ge2019,
            results_file=upload("long.csv", GE2019_CSV_CON_WIN),
            candidates_file=upload(
                "candidates.csv", (SAMPLES / "hoc-ge2024-candidate-sample.csv").read_bytes()
            ),
        ),
    )
    rows = table_rows(response.content.decode(), "import-problems")[1:]
    assert rows == [
        "candidates.csv|||a candidate file can only be added to a House of Commons Library constituency file, "
        "and long.csv is in the long layout"
    ]
    assert snapshot() == before
