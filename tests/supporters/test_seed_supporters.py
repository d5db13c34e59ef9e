"""manage.py seed_supporters --demo: fake confirmed supporters, clearly marked, in the seats the postcode
directory knows; run again, it replaces them; without --demo it refuses."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from supporters.models import Supporter
from supporters.services.counts import seat_count
from tests.supporters.conftest import join_data

pytestmark = pytest.mark.django_db


def test_seeds_fake_supporters_in_the_seats_with_postcodes(seats, client):
    out = StringIO()
    call_command("seed_supporters", "--demo", stdout=out)
    by_seat = {s.constituency.name for s in Supporter.objects.select_related("constituency")}
    assert by_seat == {"Aberdeen North", "Godalming and Ash"}  # Ynys Môn has no postcode in this directory
    assert all(s.is_fake and s.email.endswith("@example.invalid") for s in Supporter.objects.all())
    assert set(Supporter.objects.values_list("status", flat=True)) == {"confirmed"}
    north = Supporter.objects.filter(constituency__name="Aberdeen North").first().constituency_id
    assert seat_count(north) == {"count": 7, "display": "7 supporters"}
    assert "Aberdeen North: 7 fake confirmed supporters" in out.getvalue()

    call_command("seed_supporters", "--demo", stdout=StringIO())
    assert Supporter.objects.count() == 7 + 5


def test_refuses_without_demo(seats):
    with pytest.raises(CommandError, match="--demo"):
        call_command("seed_supporters")
    assert Supporter.objects.count() == 0


def test_keeps_real_supporters(seats, client):
    client.post("/join/", join_data())
    call_command("seed_supporters", "--demo", stdout=StringIO())
    call_command("seed_supporters", "--demo", stdout=StringIO())
    assert Supporter.objects.filter(is_fake=False).count() == 1
