"""Poll projections are part of the seat data version (migration 0009): adding, changing or removing one gives
cached listings and the advice a new version, as results do."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from constituencies.models import Constituency, Party, PollProjection, ProjectedShare
from constituencies.seats.data_version import seat_data_version
from tests.builders import GODALMING, small_ge2024

pytestmark = pytest.mark.django_db(transaction=True)


def projection(**fields) -> PollProjection:
    values = {
        "name": "YouGov MRP (June 2024)",
        "publisher": "YouGov",
        "date": date(2024, 6, 20),
        "imported_at": timezone.now(),
        "username": "test",
        "file_name": "mrp.csv",
        "checksum": "0" * 64,
        "seats": 1,
    }
    values.update(fields)
    return PollProjection.objects.create(**values)


@pytest.fixture
def godalming(default_parties):
    small_ge2024()
    return Constituency.objects.get(ons_id=GODALMING[0])


def test_a_projection_added_changed_or_removed_gives_a_new_version(godalming):
    versions = [seat_data_version()]

    def changed():
        versions.append(seat_data_version())
        return versions[-1] != versions[-2]

    source = projection(boundary_set=godalming.boundary_set)
    assert changed()
    share = ProjectedShare.objects.create(
        projection=source, constituency=godalming, party=Party.objects.get(code="LD"), share=Decimal("41.5")
    )
    assert changed()
    ProjectedShare.objects.filter(pk=share.pk).update(share=Decimal("40"))
    assert changed()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE constituencies_projectedshare")
    assert changed()
    source.delete()
    assert changed()


def test_a_share_outside_0_to_100_and_a_second_share_for_one_party_are_refused(godalming):
    source = projection(boundary_set=godalming.boundary_set)
    ld = Party.objects.get(code="LD")
    for bad in (Decimal("-0.5"), Decimal("100.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectedShare.objects.create(projection=source, constituency=godalming, party=ld, share=bad)
    ProjectedShare.objects.create(projection=source, constituency=godalming, party=ld, share=Decimal("40"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectedShare.objects.create(
            projection=source, constituency=godalming, party=ld, share=Decimal("41")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        projection(boundary_set=godalming.boundary_set)  # the same name twice
