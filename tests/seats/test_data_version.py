"""The seat data version (kept by database triggers) and the responses cached on it: any committed change to
the data the listings show, by any path, gives a new version and so fresh answers in every process; nothing
else does; and nothing is cached or served from the cache inside a transaction."""

from datetime import date

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client

from constituencies.models import Party, Postcode, RecommendationOverride, SeatAssessment
from constituencies.seats import data_version
from constituencies.seats.blocs import change_blocs
from constituencies.seats.data_version import ResponseCache, seat_data_version
from tests.builders import ABERDEEN_NORTH, GODALMING, add_postcode, contest, load_election, small_ge2024
from tests.outage_helpers import database_away, django_error

pytestmark = pytest.mark.django_db(transaction=True)
GE2029 = date(2029, 5, 3)


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    data_version.responses.clear()
    yield
    data_version.responses.clear()


def test_every_kind_of_committed_write_gives_a_new_version(seats):
    versions = [seat_data_version()]

    def changed():
        versions.append(seat_data_version())
        return versions[-1] != versions[-2]

    Party.objects.filter(code="Green").update(name="Green Party of England and Wales")  # ORM update
    assert changed()
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute(
            "UPDATE constituencies_seatassessment SET majority = majority + 1 WHERE id = (SELECT min(id) FROM constituencies_seatassessment)"
        )
    assert changed()
    load_election("ge2029", GE2029, [contest(*GODALMING[:2], {"LD": 30000, "Con": 20000})])
    assert changed()  # an import: bulk writes of results, candidacies and assessments
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE constituencies_recommendationoverride")
    assert changed()
    assert len(set(versions)) == len(versions)  # never the same number twice


def test_reads_and_the_postcode_directory_leave_the_version_alone(seats, client):
    before = seat_data_version()
    client.get("/api/seats/?election=ge2024")
    SeatAssessment.objects.count()
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])
    Postcode.objects.filter(postcode="AB10 1PE").update(latitude=57.1)
    assert seat_data_version() == before


def test_one_transaction_one_new_version_and_a_rolled_back_one_none(seats):
    before = seat_data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Party.objects.filter(code="Lab").update(name="Labour (renamed)")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred triggers now
        abandoned = seat_data_version()  # the number this transaction would have committed
        assert abandoned != before
        raise RuntimeError
    assert seat_data_version() == before  # nothing committed, nothing changed
    with transaction.atomic():
        Party.objects.filter(code="Lab").update(name="Labour Party")
        Party.objects.filter(code="Con").update(name="Conservative Party")
        assert seat_data_version() == before  # set at commit, not before
    after = seat_data_version()
    # A new number, and not the rolled-back one: a version number always means one state of the data.
    assert after not in (before, abandoned)


def test_the_second_request_is_served_from_the_cache_with_one_query(seats, django_assert_num_queries):
    client = Client()
    first = client.get("/api/elections/")
    assert len(data_version.responses) == 1
    with django_assert_num_queries(1) as captured:  # the version, nothing else
        second = client.get("/api/elections/")
    assert "constituencies_seat_data_version" in captured.captured_queries[0]["sql"]
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert second["Access-Control-Allow-Origin"] == "*"
    csv = client.get("/seats/export.csv?election=ge2024")
    again = client.get("/seats/export.csv?election=ge2024")
    assert again.content == csv.content and again["Content-Disposition"] == csv["Content-Disposition"]


def test_an_import_shows_at_once(seats):
    client = Client()
    assert [e["slug"] for e in client.get("/api/elections/").json()["results"]] == ["ge2024"]
    load_election("ge2029", GE2029, [contest(*GODALMING[:2], {"LD": 30000, "Con": 20000})])
    assert [e["slug"] for e in client.get("/api/elections/").json()["results"]] == ["ge2029", "ge2024"]


def test_a_bloc_change_shows_at_once(seats):
    client = Client()
    path = "/api/seats/godalming-and-ash/?election=ge2024"
    assert client.get(path).json()["best_placed"] == "LD"
    change_blocs({"LD": ""}, username="test")  # the Lib Dems leave the progressive bloc
    assert client.get(path).json()["best_placed"] != "LD"


def test_an_override_shows_at_once_and_its_removal_too(seats):
    client = Client()
    path = "/api/seats/godalming-and-ash/?election=ge2024"
    assert client.get(path).json()["best_placed_source"] == "results"
    seat = SeatAssessment.objects.select_related("election", "constituency").get(
        election__slug="ge2024", constituency__slug="godalming-and-ash"
    )
    override = RecommendationOverride.objects.create(
        election=seat.election,
        constituency=seat.constituency,
        recommended_party=Party.objects.get(code="Lab"),
        reason="Made up for the test",
    )
    body = client.get(path).json()
    assert (body["best_placed"], body["best_placed_source"]) == ("Lab", "override")
    override.delete()
    assert client.get(path).json()["best_placed_source"] == "results"


def test_the_page_and_its_links_are_kept_per_host(seats):
    client = Client()
    one = client.get("/seats/?election=ge2024", HTTP_HOST="localhost")
    other = client.get("/seats/?election=ge2024", HTTP_HOST="127.0.0.1")
    assert b"http://localhost/seats/" in one.content and b"http://127.0.0.1/seats/" in other.content
    assert len(data_version.responses) == 2


def test_errors_are_not_kept(seats):
    client = Client()
    assert client.get("/api/seats/?election=nope").status_code == 400
    assert client.get("/api/seats/nowhere/?election=ge2024").status_code == 404
    assert len(data_version.responses) == 0


def test_switched_off_nothing_is_kept(seats, settings):
    settings.SEATFINDER_RESPONSE_CACHE_MB = 0
    Client().get("/api/elections/")
    assert len(data_version.responses) == 0


@pytest.mark.django_db(transaction=False)
def test_inside_a_transaction_nothing_is_kept_or_served(default_parties, client):
    # Uncommitted changes are not in the version yet, so the cache must stay out of the way.
    small_ge2024()
    data_version.responses.clear()
    client.get("/api/elections/")
    assert len(data_version.responses) == 0


def test_the_cache_is_bounded_in_bytes_and_forgets_the_least_recent():
    cache = ResponseCache()
    for key in "abcde":
        cache.put(key, (200, b"x" * 20, []), budget=100)
    assert len(cache) == 5
    assert cache.get("a") is not None  # a is now the most recent, b the least
    cache.put("f", (200, b"x" * 20, []), budget=100)
    assert cache.get("b") is None and all(cache.get(k) for k in "acdef")
    cache.put("huge", (200, b"x" * 30, []), budget=100)  # over a quarter of the budget: not kept
    assert cache.get("huge") is None and len(cache) == 5


def test_with_the_database_away_the_answer_kept_for_the_last_version_read_is_served(seats):
    client = Client()
    listed = client.get("/seats/?election=ge2024")
    api = client.get("/api/elections/")
    with database_away():
        assert client.get("/seats/?election=ge2024").content == listed.content
        kept = client.get("/api/elections/")
        assert kept.status_code == 200 and kept.json() == api.json()
        assert client.get("/seats/?election=ge2019").status_code == 503  # nothing kept for it


def test_an_answer_kept_for_an_older_version_is_not_served_with_the_database_away(seats):
    client = Client()
    client.get("/api/elections/")
    Party.objects.filter(code="Lab").update(name="Labour and Co-operative")  # a new version
    # This process reads the new version (any request would): the answer kept is for an older one.
    assert seat_data_version() not in {key[-1] for key in data_version.responses._entries}
    with database_away():
        assert client.get("/api/elections/").status_code == 503


def test_another_error_reading_the_version_is_not_taken_for_an_outage(seats, monkeypatch):
    client = Client(raise_request_exception=False)
    client.get("/api/elections/")

    def deadlocked():
        raise django_error(psycopg.errors.DeadlockDetected("deadlock detected"))

    monkeypatch.setattr(data_version, "seat_data_version", deadlocked)
    assert client.get("/api/elections/").status_code == 500


def test_a_new_postcode_directory_and_a_local_group_give_a_new_version_and_its_time(seats):
    from django.utils import timezone

    from constituencies.models import BoundarySet, PostcodeDirectory
    from supporters.models import LocalGroup

    with connection.cursor() as cursor:  # as if the last change were an hour ago, so the next one is later
        cursor.execute(
            "UPDATE constituencies_seat_data_version SET changed_at = changed_at - interval '1 hour'"
        )
    first = data_version.read_seat_data_state()
    PostcodeDirectory.objects.create(
        boundary_set=BoundarySet.objects.get(code="2024"),
        generation="postcodes_test_generation",
        source_file="ONSPD.csv",
        postcodes=1,
        imported_at=timezone.now(),
    )
    second = data_version.read_seat_data_state()
    assert second.version != first.version and second.changed_at > first.changed_at
    seat = SeatAssessment.objects.select_related("constituency").first().constituency
    LocalGroup.objects.create(constituency=seat, name="Friends of the seat")
    third = data_version.read_seat_data_state()
    assert third.version != second.version and third.changed_at >= second.changed_at
    SeatAssessment.objects.count()  # a read changes nothing, neither the version nor its time
    assert data_version.read_seat_data_state() == third
