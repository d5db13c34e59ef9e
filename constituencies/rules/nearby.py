"""Distances on the Earth, and the nearest seats where a supporter's help counts. Plain Python, no Django.

    seats = [HelpSeat("E14001063", "Godalming and Ash", 51.19, -0.62, SAFE, majority=891, ...), ...]
    nearest_where_help_counts(Point(51.5, -0.1), seats, n=3)   # one look-up
    finder = NearestSeats(seats)                                # many: sorted and precomputed once
    finder.nearest(Point(51.5, -0.1), n=3, exclude="E14001063")  # -> [Nearby(seat, km, reasons)]

A seat matters (help counts there) when it is a progressive tragedy, very marginal or marginal, or when the
advice names a party there; `reasons` says which, in plain words. The nearest come first (ties by ONS code);
the origin seat itself is never listed.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from constituencies.rules.arithmetic import MARGINAL, SAFE, VERY_MARGINAL
from constituencies.rules.explain import PartyRef, phrase, votes

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_MILE = 1.609344


@dataclass(frozen=True)
class Point:
    lat: float  # degrees north
    lon: float  # degrees east


def check_point(point: Point) -> None:
    """ValueError unless the point is a latitude and a longitude in range."""
    lat, lon = point.lat, point.lon
    if not (isinstance(lat, int | float) and math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError(f"latitude must be a number from -90 to 90, not {lat!r}")
    if not (isinstance(lon, int | float) and math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError(f"longitude must be a number from -180 to 180, not {lon!r}")


def haversine_km(a: Point, b: Point) -> float:
    """The great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    )
    return _km(h)


def _km(h: float) -> float:
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE


def distance_in_words(km: float) -> str:
    """ "12 km (7 miles)"; under 10 km to a tenth: "3.4 km (2.1 miles)"."""
    miles = km_to_miles(km)
    if km < 10:
        return f"{km:.1f} km ({miles:.1f} mile{'' if f'{miles:.1f}' == '1.0' else 's'})"
    return f"{km:,.0f} km ({miles:,.0f} mile{'' if round(miles) == 1 else 's'})"


@dataclass(frozen=True)
class HelpSeat:
    """One seat at one election, as far as helping there goes."""

    code: str  # ONS code
    name: str
    lat: float | None  # the seat's centre; a seat without one is never listed
    lon: float | None
    marginality: str  # arithmetic.VERY_MARGINAL, MARGINAL or SAFE
    majority: int = 0  # votes
    is_tragedy: bool = False
    winner: PartyRef | None = None
    advice_party: PartyRef | None = None  # the party the advice names here; None: none named
    slug: str = ""  # carried for the caller's links


def is_safe_seat(marginality: str, is_tragedy: bool) -> bool:
    """A seat whose supporters are pointed to the nearest seats where help counts."""
    return marginality == SAFE and not is_tragedy


def reasons_help_counts(seat: HelpSeat) -> tuple[str, ...]:
    """Why help counts in the seat, in plain words; () when it does not."""
    reasons = []
    if seat.is_tragedy:
        beaten = phrase(seat.winner) if seat.winner else "the winner"
        reasons.append(f"a progressive tragedy: the progressive parties together outpolled {beaten}")
    if seat.marginality == VERY_MARGINAL:
        reasons.append(f"very marginal: a majority of {votes(seat.majority)}")
    elif seat.marginality == MARGINAL:
        reasons.append(f"marginal: a majority of {votes(seat.majority)}")
    if seat.advice_party is not None:
        reasons.append(f"our advice names {phrase(seat.advice_party)} here")
    return tuple(reasons)


@dataclass(frozen=True)
class Nearby:
    seat: HelpSeat
    km: float
    reasons: tuple[str, ...]

    @property
    def miles(self) -> float:
        return km_to_miles(self.km)

    @property
    def distance(self) -> str:
        return distance_in_words(self.km)

    @property
    def why(self) -> str:
        """ "A progressive tragedy: ...; our advice names Labour here"."""
        text = "; ".join(self.reasons)
        return text[:1].upper() + text[1:]


class NearestSeats:
    """The seats that matter, sorted by latitude with their trigonometry done once, for many look-ups.

    A look-up walks outwards from the origin's latitude, nearest latitude first, and stops once the latitude
    difference alone puts every seat left farther than the n-th found (a great-circle distance is never less
    than its latitude difference), so it reads the seats of a narrow band, not all of them.
    """

    def __init__(self, seats):
        kept = []
        for seat in seats:
            reasons = reasons_help_counts(seat)
            if reasons and seat.lat is not None and seat.lon is not None:
                check_point(Point(seat.lat, seat.lon))
                kept.append((math.radians(seat.lat), seat, reasons))
        kept.sort(key=lambda k: (k[0], k[1].code))
        self._phi = [phi for phi, _, _ in kept]
        self._cos = [math.cos(phi) for phi in self._phi]
        self._lam = [math.radians(seat.lon) for _, seat, _ in kept]
        self._seats = [(seat, reasons) for _, seat, reasons in kept]

    def __len__(self) -> int:
        return len(self._seats)

    @property
    def seats(self) -> list[HelpSeat]:
        """The seats that matter, by latitude."""
        return [seat for seat, _ in self._seats]

    def nearest(self, origin: Point, n: int = 3, exclude: str | None = None) -> list[Nearby]:
        """The n nearest seats that matter, nearest first (ties by ONS code), leaving out `exclude`."""
        check_point(origin)
        if n <= 0:
            return []
        phi0, lam0 = math.radians(origin.lat), math.radians(origin.lon)
        cos0 = math.cos(phi0)
        phi, cos, lam, seats = self._phi, self._cos, self._lam, self._seats
        sin = math.sin
        best: list[tuple[float, str, int]] = []  # (haversine h, code, index), at most n, sorted
        below, above = bisect_left(phi, phi0) - 1, bisect_left(phi, phi0)
        while below >= 0 or above < len(phi):
            if above < len(phi) and (below < 0 or phi[above] - phi0 <= phi0 - phi[below]):
                i, above = above, above + 1
            else:
                i, below = below, below - 1
            floor = sin((phi[i] - phi0) / 2) ** 2  # h from the latitude difference alone
            if len(best) == n and floor > best[-1][0]:
                break  # every seat left is at least this far in latitude
            code = seats[i][0].code
            if code == exclude:
                continue
            h = floor + cos0 * cos[i] * sin((lam[i] - lam0) / 2) ** 2
            if len(best) < n or (h, code) < best[-1][:2]:
                best.append((h, code, i))
                best.sort()
                del best[n:]
        return [Nearby(seats[i][0], _km(h), seats[i][1]) for h, _, i in best]


def nearest_where_help_counts(
    origin: Point | HelpSeat, seats, n: int = 3, exclude: str | None = None
) -> list[Nearby]:
    """The n nearest seats where help counts, from a point or from a seat's centre (that seat left out)."""
    if isinstance(origin, HelpSeat):
        exclude = exclude or origin.code
        if origin.lat is None or origin.lon is None:
            raise ValueError(f"{origin.name} has no centre to measure from")
        origin = Point(origin.lat, origin.lon)
    return NearestSeats(seats).nearest(origin, n, exclude)
