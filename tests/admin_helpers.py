"""Small files and helpers shared by the admin tests."""

from io import StringIO

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from constituencies.models import Election
from tests.conftest import SAMPLES

BATLEY_2021 = SAMPLES.parent / "by-batley-and-spen-2021.csv"

# A small general election on the 2010 boundaries in the long layout: two seats with the 2019 votes of their
# larger parties (minor candidates left out), candidate names only for the first two.
GE2019 = """ons_id,constituency,party,votes,candidate
E14000548,Batley and Spen,Labour,22594,Tracy Brabin
E14000548,Batley and Spen,Conservative,19069,Mark Brooks
E14000548,Batley and Spen,Heavy Woollen District Independents,6432,
E14000548,Batley and Spen,Liberal Democrats,2462,
E14000548,Batley and Spen,Brexit Party,1678,
E14000548,Batley and Spen,Green Party,692,
E14001009,Wakefield,Conservative,21283,Imran Ahmad Khan
E14001009,Wakefield,Labour,17925,Mary Creagh
E14001009,Wakefield,Brexit Party,2725,
E14001009,Wakefield,Liberal Democrats,1772,
"""

# The same file with the Conservative vote in Batley and Spen raised past Labour's: the winner, the
# tragedy status (Lab + LD + Green = 25,748 > 23,000) and the marginality all change.
GE2019_CON_WIN = GE2019.replace("Conservative,19069,Mark Brooks", "Conservative,23000,Mark Brooks")


def import_ge2019(text=GE2019, tmp_path=None):
    path = tmp_path / "ge2019.csv"
    path.write_text(text)
    call_command(
        "import_results", str(path), "--election", "ge2019", "--date", "2019-12-12", "--boundaries", "2010",
        stdout=StringIO(),
    )  # fmt: skip
    return Election.objects.get(slug="ge2019")


def upload(name, content, content_type="text/csv"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type=content_type)


def import_url(name="import", *args):
    return reverse(f"admin:constituencies_election_{name}", args=args)


def new_by_election(**overrides):
    from constituencies.models import BoundarySet

    data = {
        "election": "",
        "new_name": "2021 Batley and Spen by-election",
        "new_slug": "by-batley-and-spen-2021",
        "new_date": "2021-07-01",
        "new_kind": Election.Kind.BY_ELECTION,
        "new_boundary_set": BoundarySet.objects.get(code="2010").pk,
        "layout": "",
    }
    data.update(overrides)
    return data


def existing(election, **overrides):
    data = {"election": election.pk, "layout": ""}
    data.update(overrides)
    return data


def staff_user(username, *codenames, password="correct horse battery"):
    user = User.objects.create_user(username, password=password, is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user
