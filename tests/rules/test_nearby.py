"""Distances and the nearest seats where help counts, without a database."""

import csv
import math
import random
from pathlib import Path

import pytest

from constituencies.rules.arithmetic import MARGINAL, SAFE, VERY_MARGINAL
from constituencies.rules.explain import PartyRef
from constituencies.rules.nearby import (
    HelpSeat,
    NearestSeats,
    Point,
    distance_in_words,
    haversine_km,
    is_safe_seat,
    km_to_miles,
    nearest_where_help_counts,
    reasons_help_counts,
)

CENTRES_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "mysociety-parl-constituencies-2025.csv"
CON = PartyRef("Con", "Conservative", "target")
LAB = PartyRef("Lab", "Labour", "progressive")
LD = PartyRef("LD", "Liberal Democrats", "progressive")


def real_centres() -> dict[str, tuple[str, Point]]:
    with CENTRES_FILE.open(encoding="utf-8", newline="") as f:
        return {
            row["gss_code"]: (row["name"], Point(float(row["center_lat"]), float(row["center_lon"])))
            for row in csv.DictReader(f)
        }


def vincenty_sphere_km(a: Point, b: Point, radius=6371.0088) -> float:
    """The same great-circle distance by another formula (Vincenty's, on a sphere), to check haversine's."""
    p1, p2, dl = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    y = math.hypot(
        math.cos(p2) * math.sin(dl), math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    )
    x = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return radius * math.atan2(y, x)


def seat(code, lat, lon, marginality=SAFE, **kw):
    return HelpSeat(code, kw.pop("name", f"Seat {code}"), lat, lon, marginality, **kw)


def test_the_distance_between_two_real_seat_centres():
    centres = real_centres()
    westminster = centres["E14001172"]
    edinburgh = centres["S14000080"]
    assert (westminster[0], edinburgh[0]) == ("Cities of London and Westminster", "Edinburgh South")
    km = haversine_km(westminster[1], edinburgh[1])
    assert km == pytest.approx(vincenty_sphere_km(westminster[1], edinburgh[1]), abs=1e-6)
    assert 525 < km < 540  # London to Edinburgh as the crow flies
    assert km_to_miles(km) == pytest.approx(km / 1.609344)
    hove, pavilion = centres["E14001296"][1], centres["E14001130"][1]
    assert haversine_km(hove, pavilion) == pytest.approx(vincenty_sphere_km(hove, pavilion), abs=1e-9)
    assert haversine_km(hove, hove) == 0


def test_distances_in_words():
    assert distance_in_words(3.42) == "3.4 km (2.1 miles)"
    assert distance_in_words(1.6) == "1.6 km (1.0 mile)"
    assert distance_in_words(534.4) == "534 km (332 miles)"


def test_why_help_counts_in_plain_words():
    tragedy = seat("A", 51, 0, MARGINAL, majority=4210, is_tragedy=True, winner=CON)
    assert reasons_help_counts(tragedy) == (
        "a progressive tragedy: the progressive parties together outpolled the Conservatives",
        "marginal: a majority of 4,210 votes",
    )
    assert reasons_help_counts(seat("B", 51, 0, VERY_MARGINAL, majority=891)) == (
        "very marginal: a majority of 891 votes",
    )
    assert reasons_help_counts(seat("C", 51, 0, SAFE, majority=20000, advice_party=LAB)) == (
        "our advice names Labour here",
    )
    assert reasons_help_counts(seat("D", 51, 0, SAFE, majority=20000)) == ()
    assert is_safe_seat(SAFE, False) and not is_safe_seat(SAFE, True) and not is_safe_seat(MARGINAL, False)


def test_nearest_first_among_the_seats_that_matter_never_the_origin():
    origin = seat("O", 51.0, 0.0, VERY_MARGINAL, majority=10)  # matters, but is where we start
    seats = [
        origin,
        seat("SAFE-NEXT-DOOR", 51.01, 0.0),  # the nearest, but safe and without advice
        seat("FAR", 52.0, 0.0, MARGINAL, majority=3000),
        seat("NEAR", 51.1, 0.0, VERY_MARGINAL, majority=891),
        seat("MIDDLE", 50.6, 0.0, SAFE, advice_party=LD),
        seat("NO-CENTRE", None, None, VERY_MARGINAL, majority=5),
    ]
    found = nearest_where_help_counts(origin, seats)
    assert [n.seat.code for n in found] == ["NEAR", "MIDDLE", "FAR"]
    assert [round(n.km, 1) for n in found] == [11.1, 44.5, 111.2]
    assert found[0].why == "Very marginal: a majority of 891 votes"
    assert found[1].why == "Our advice names the Liberal Democrats here"
    assert [n.seat.code for n in nearest_where_help_counts(Point(51.0, 0.0), seats, n=5)] == [
        "O",
        "NEAR",
        "MIDDLE",
        "FAR",
    ]
    assert nearest_where_help_counts(Point(51.0, 0.0), seats, n=0) == []


def test_ties_are_broken_by_ons_code():
    seats = [
        seat(code, 0.0, lon, MARGINAL, majority=1) for code, lon in (("B", 1.0), ("C", -1.0), ("A", -1.0))
    ]
    found = NearestSeats(seats).nearest(Point(0.0, 0.0), n=2)
    assert [n.seat.code for n in found] == ["A", "B"]
    assert found[0].km == found[1].km


def test_bad_points_are_refused():
    finder = NearestSeats([seat("A", 51, 0, MARGINAL)])
    for lat, lon, message in ((91, 0, "latitude"), (51, -181, "longitude"), (math.nan, 0, "latitude")):
        with pytest.raises(ValueError, match=message):
            finder.nearest(Point(lat, lon))
    with pytest.raises(ValueError, match="latitude must be a number from -90 to 90, not '51'"):
        finder.nearest(Point("51", 0))
    with pytest.raises(ValueError, match="Seat X has no centre"):
        nearest_where_help_counts(seat("X", None, None), [])


def test_the_finder_agrees_with_a_brute_force_search_over_the_real_centres():
    rng = random.Random(13)
    bands = [SAFE] * 6 + [MARGINAL, VERY_MARGINAL]
    seats = [
        seat(code, point.lat, point.lon, rng.choice(bands), majority=100, is_tragedy=rng.random() < 0.1)
        for code, (_, point) in real_centres().items()
    ]
    finder = NearestSeats(seats)
    mattering = [s for s in seats if reasons_help_counts(s)]
    assert len(finder) == len(mattering) > 100
    for _ in range(300):
        origin = Point(rng.uniform(49.9, 60.9), rng.uniform(-8.2, 1.8))
        excluded = rng.choice(seats).code
        expected = sorted(
            (haversine_km(origin, Point(s.lat, s.lon)), s.code) for s in mattering if s.code != excluded
        )[:3]
        found = finder.nearest(origin, 3, exclude=excluded)
        assert [n.seat.code for n in found] == [code for _, code in expected]
        assert [n.km for n in found] == pytest.approx([km for km, _ in expected], abs=1e-9)
