"""The admin's own pages: its title, the index's link to the results upload, the Parties list."""

import re

from django.contrib.auth.models import Permission

from constituencies.models import Party
from tests.builders import staff_user


def test_the_admin_is_titled_seat_finder(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "<title>Elections, results and parties | Seat Finder admin</title>" in page
    assert '<a href="/admin/">Seat Finder administration</a>' in page
    assert "Django administration" not in page and "Site administration" not in page


def test_the_index_links_to_the_results_upload_for_those_who_may_import(admin_client, client, db):
    page = admin_client.get("/admin/").content.decode()
    assert '<a href="/admin/constituencies/election/import/">Import results</a>' in page
    assert admin_client.get("/admin/constituencies/election/import/").status_code == 200

    editor = staff_user("editor", "view_party")
    client.force_login(editor)
    assert "Import results" not in client.get("/admin/").content.decode()
    editor.user_permissions.add(Permission.objects.get(codename="import_results"))
    client.force_login(editor)
    assert "Import results" in client.get("/admin/").content.decode()


def test_the_parties_list_shows_each_bloc_as_stored(admin_client, default_parties):
    Party.objects.filter(code="UKIP").update(bloc=Party.Bloc.TARGET)
    Party.objects.filter(code="Green").update(bloc="")
    page = admin_client.get("/admin/constituencies/party/").content.decode()
    cells = dict(
        re.findall(
            r'<th class="field-name"><a [^>]*>([^<]+)</a></th>.*?<td class="field-bloc_name">([^<]*)</td>',
            page,
            re.S,
        )
    )
    assert cells["Labour"] == "Progressive"
    assert cells["UK Independence Party"] == "Target"
    assert cells["Green Party"] == "No bloc"
    assert "Conservative and Reform" not in page
    no_bloc = admin_client.get("/admin/constituencies/party/", {"bloc": "none"}).content.decode()
    assert ">Green Party</a>" in no_bloc and ">Labour</a>" not in no_bloc
