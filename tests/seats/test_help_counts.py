"""seats/help_counts.py: the nearest seats where help counts, read from the database once per data version."""

import pytest

from constituencies.models import Constituency, Postcode
from constituencies.rules.nearby import Point
from constituencies.seats.help_counts import forget, nearest_seats_finder, where_help_counts
from tests.builders import import_seats, numbered_seats
from tests.query_counts import HELP_COUNTS_QUERIES, advised_seats


def place_in_a_line(count: int) -> None:
    """Seat n's centre at 51 + n/10 degrees north on the Greenwich meridian: seat n+1 is 11.1 km from seat n."""
    for n in range(1, count + 1):
        Constituency.objects.filter(name=f"Seat {n:03d}").update(
            centre_latitude=51 + n / 10, centre_longitude=0.0
        )


def seat(n: int) -> Constituency:
    return Constituency.objects.get(name=f"Seat {n:03d}")


def names(found) -> list[str]:
    return [s.name for s in found.seats]


def test_from_a_safe_seat_the_nearest_tragedies_and_marginals(default_parties):
    election = import_seats("ge2024", numbered_seats(7))  # 3 and 6 tragedies; no advice without evidence
    place_in_a_line(7)
    found = where_help_counts(election, origin_constituency=seat(4))
    assert names(found) == ["Seat 003", "Seat 006"]  # the only two that matter
    assert found.measured_from == "the centre of Seat 004"
    first = found.seats[0]
    assert (first.url, first.distance, round(first.miles, 2)) == ("/seats/seat-003/", "11 km (7 miles)", 6.91)
    assert first.why == (
        "A progressive tragedy: the progressive parties together outpolled the Conservatives; "
        "very marginal: a majority of 1,030 votes"
    )
    assert names(where_help_counts(election, origin_constituency=seat(3), n=1)) == [
        "Seat 006"
    ]  # never itself


def test_seats_where_the_advice_names_a_party_count_too(default_parties, django_assert_num_queries):
    election = advised_seats(7)  # advised to vote Labour in every seat but 1, 4 and 7
    place_in_a_line(7)
    origin = seat(1)
    with django_assert_num_queries(HELP_COUNTS_QUERIES):  # in a transaction: read afresh
        found = where_help_counts(election, origin_constituency=origin)
    assert names(found) == ["Seat 002", "Seat 003", "Seat 005"]
    assert found.seats[0].why == "Our advice names Labour here"
    assert found.seats[1].why.endswith("; our advice names Labour here")


def test_a_postcode_is_measured_from_its_own_point_else_from_its_seat(default_parties):
    election = import_seats("ge2024", numbered_seats(7))
    place_in_a_line(7)
    for postcode, lat in (("SW1A 1AA", 51.62), ("SW1A 2AA", None)):
        Postcode.objects.create(
            boundary_set=election.boundary_set, postcode=postcode, constituency=seat(4), latitude=lat,
            longitude=0.0 if lat else None,
        )  # fmt: skip
    from_postcode = where_help_counts(election, origin_constituency=seat(4), postcode="sw1a1aa")
    assert from_postcode.measured_from == "your postcode, SW1A 1AA"
    assert names(from_postcode) == ["Seat 006", "Seat 003"]  # 51.62 is nearer 51.6 than 51.3
    assert from_postcode.seats[0].distance == "2.2 km (1.4 miles)"
    for postcode in ("SW1A 2AA", "ZZ99 9ZZ", "not a postcode"):
        found = where_help_counts(election, origin_constituency=seat(4), postcode=postcode)
        assert found.measured_from == "the centre of Seat 004"


def test_from_a_point_and_when_there_is_nothing_to_measure_from(default_parties):
    election = import_seats("ge2024", numbered_seats(7))
    assert where_help_counts(election, origin_constituency=seat(4)).note == (
        "We have no centre point for Seat 004 to measure from."
    )
    assert where_help_counts(election, lat=51.3, lon=0).note == (
        "No seat with a centre loaded was close or a progressive tragedy at the 2024 test election ge2024."
    )
    place_in_a_line(7)
    assert names(where_help_counts(election, lat=51.3, lon=0.0)) == ["Seat 003", "Seat 006"]
    with pytest.raises(ValueError, match="latitude must be a number from -90 to 90"):
        where_help_counts(election, lat=151.3, lon=0.0)
    with pytest.raises(ValueError, match="longitude must be a number"):
        where_help_counts(election, lat=51.3, lon=None)


def test_links_name_the_election_unless_it_is_the_latest_general_election(default_parties):
    ge2019 = import_seats("ge2019", numbered_seats(4), year=2019, boundaries="2024")
    ge2024 = import_seats("ge2024", numbered_seats(4))
    place_in_a_line(4)
    assert (
        where_help_counts(ge2019, origin_constituency=seat(1)).seats[0].url
        == "/seats/seat-003/?election=ge2019"
    )
    latest = where_help_counts(ge2024, origin_constituency=seat(1))  # seat 2 advised from the 2019 result
    assert [s.url for s in latest.seats] == ["/seats/seat-002/", "/seats/seat-003/"]


@pytest.mark.django_db(transaction=True)  # the data version changes at commit
def test_read_once_per_data_version(default_parties, django_assert_num_queries):
    forget()
    election = import_seats("ge2024", numbered_seats(7))
    place_in_a_line(7)
    where_help_counts(election, origin_constituency=seat(4))
    origin = seat(4)
    with django_assert_num_queries(1):  # the seat data version only
        assert names(where_help_counts(election, origin_constituency=origin)) == ["Seat 003", "Seat 006"]
    with django_assert_num_queries(1):  # then none for any number of look-ups
        finder = nearest_seats_finder(election)
        assert [[n.seat.name for n in finder.nearest(Point(lat, 0.0), 1)] for lat in (51, 52)] == [
            ["Seat 003"],
            ["Seat 006"],
        ]
    Constituency.objects.filter(name="Seat 006").update(centre_latitude=51.45)  # committed: a new version
    assert names(where_help_counts(election, origin_constituency=origin)) == ["Seat 006", "Seat 003"]
    forget()
