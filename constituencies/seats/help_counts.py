"""The nearest seats where a supporter's help counts (rules/nearby.py), from their postcode or their seat.

    election = help_counts_election()            # the latest general election on the current boundaries
    found = where_help_counts(election, origin_constituency=seat)            # from the seat's centre
    found = where_help_counts(election, origin_constituency=seat, postcode="GU7 1AA")  # the postcode's point
    found = where_help_counts(election, lat=51.5, lon=-0.12)                 # from any point
    found.seats[0].name, .url, .distance ("12 km (7 miles)"), .km, .miles, .why; found.measured_from

A seat counts when at `election` it was a progressive tragedy, very marginal or marginal, or when the advice
for `election` (seats/advice.py, general elections only) names a party there; `origin_constituency` itself is
never listed. A postcode is measured from its own coordinates in the postcode directory, else from the
seat's centre (manage.py import_constituency_centres). Bad coordinates raise ValueError.

The seats of an election are read once per process and seat data version (the assessments in one query, the
advice in election_advice's few), so a page that calls this stays cheap: one query for the version, one for
a postcode's point. Inside a transaction, where uncommitted changes are not in the version yet, everything
is read afresh and not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F

from constituencies.models import Constituency, Election, Postcode, SeatAssessment
from constituencies.rules import nearby
from constituencies.rules.explain import PartyRef
from constituencies.rules.postcodes import normalise_postcode
from constituencies.seats.advice import AdviceUnavailable, election_advice, evidence_store
from constituencies.seats.current import current_boundary_set_id_expression
from constituencies.seats.data_version import KeptPerVersion
from constituencies.seats.links import seat_path

SHOWN = 3


@dataclass(frozen=True)
class HelpCountsSeat:
    name: str
    slug: str
    url: str
    km: float
    distance: str  # "12 km (7 miles)"
    why: str  # "Very marginal: a majority of 891 votes"

    @property
    def miles(self) -> float:
        return nearby.km_to_miles(self.km)


@dataclass(frozen=True)
class HelpCounts:
    election: Election
    measured_from: str  # "the centre of Godalming and Ash", "your postcode, GU7 1AA"
    seats: list[HelpCountsSeat] = field(default_factory=list)
    note: str = ""  # why nothing could be measured, for people; "" when it could


@dataclass(frozen=True)
class _Seats:
    finder: nearby.NearestSeats
    link_election: str | None  # the ?election= of the links; None when the seat pages show it by default


_kept = KeptPerVersion(size=4)  # (election, version) pairs kept per process


def help_counts_election() -> Election | None:
    """The latest general election on the current boundaries: the one to measure help from. One query."""
    return (
        Election.objects.filter(
            kind=Election.Kind.GENERAL, boundary_set_id=current_boundary_set_id_expression()
        )
        .select_related("boundary_set")
        .order_by("-date", "slug")
        .first()
    )


def where_help_counts(
    election: Election,
    origin_constituency: Constituency | None = None,
    lat: float | None = None,
    lon: float | None = None,
    n: int = SHOWN,
    *,
    postcode: str | None = None,
) -> HelpCounts:
    """The n nearest seats where help counts, measured from `lat`/`lon`, else the postcode's point, else the
    centre of `origin_constituency` (which is never listed)."""
    origin, measured_from = _origin(election, origin_constituency, lat, lon, postcode)
    if origin is None:
        return HelpCounts(election, "", note=measured_from)
    seats = _seats_of(election)
    exclude = origin_constituency.ons_id if origin_constituency is not None else None
    found = [
        HelpCountsSeat(
            name=near.seat.name,
            slug=near.seat.slug,
            url=seat_path(near.seat.slug, seats.link_election),
            km=near.km,
            distance=near.distance,
            why=near.why,
        )
        for near in seats.finder.nearest(origin, n, exclude=exclude)
    ]
    note = (
        ""
        if found
        else f"No seat with a centre loaded was close or a progressive tragedy at the {election.name}."
    )
    return HelpCounts(election, measured_from, found, note)


def help_for_seat(
    constituency: Constituency, election: Election, assessment: SeatAssessment | None = None
) -> HelpCounts | None:
    """For a safe seat with a centre loaded, the nearest seats where help counts; else None. Without
    `assessment`, the seat's in `election` is read (one query)."""
    if constituency.centre_latitude is None:
        return None
    if assessment is None:
        assessment = SeatAssessment.objects.filter(election=election, constituency=constituency).first()
    if assessment is None or not nearby.is_safe_seat(assessment.marginality, assessment.is_tragedy):
        return None
    return where_help_counts(election, origin_constituency=constituency)


def nearest_seats_finder(election: Election) -> nearby.NearestSeats:
    """The election's seats where help counts, ready for many look-ups (`.nearest(Point(lat, lon), n)`), with
    no query per look-up: for work over many postcodes at once."""
    return _seats_of(election).finder


def _origin(election, constituency, lat, lon, postcode) -> tuple[nearby.Point | None, str]:
    """(the point to measure from, where it is in words); (None, why not) when there is none."""
    if lat is not None or lon is not None:
        point = nearby.Point(lat, lon)
        nearby.check_point(point)
        return point, "the point given"
    if postcode:
        normalised = normalise_postcode(postcode)
        row = (
            Postcode.objects.filter(
                boundary_set_id=election.boundary_set_id,
                postcode=normalised,
                latitude__isnull=False,
                longitude__isnull=False,
            )
            .values_list("latitude", "longitude")
            .first()
            if normalised
            else None
        )
        if row is not None:
            return nearby.Point(*row), f"your postcode, {normalised}"
    if constituency is not None and constituency.centre_latitude is not None:
        point = nearby.Point(constituency.centre_latitude, constituency.centre_longitude)
        return point, f"the centre of {constituency.name}"
    if constituency is not None:
        return None, f"We have no centre point for {constituency.name} to measure from."
    return None, "We have no point to measure from: give a postcode, a seat or a latitude and longitude."


def _seats_of(election: Election) -> _Seats:
    return _kept.get(election.pk, lambda: _read(election))


def forget() -> None:
    _kept.clear()


def _read(election: Election) -> _Seats:
    advice, party_names = _advice_parties(election)
    rows = (
        SeatAssessment.objects.filter(election=election, constituency__centre_latitude__isnull=False)
        .annotate(
            code=F("constituency__ons_id"),
            name=F("constituency__name"),
            slug=F("constituency__slug"),
            lat=F("constituency__centre_latitude"),
            lon=F("constituency__centre_longitude"),
            winner_code=F("winner__code"),
            winner_party=F("winner__name"),
            winner_bloc=F("winner__bloc"),
        )
        .values_list(
            "constituency_id",
            "code",
            "name",
            "slug",
            "lat",
            "lon",
            "marginality",
            "majority",
            "is_tragedy",
            "winner_code",
            "winner_party",
            "winner_bloc",
        )  # fmt: skip
    )
    seats = []
    for pk, code, name, slug, lat, lon, marginality, majority, tragedy, w_code, w_name, w_bloc in rows:
        advised = advice.get(pk)
        seats.append(
            nearby.HelpSeat(
                code,
                name,
                lat,
                lon,
                marginality,
                majority,
                tragedy,
                winner=PartyRef(w_code, w_name, w_bloc),
                advice_party=PartyRef(advised, party_names.get(advised, advised), "") if advised else None,
                slug=slug,
            )  # fmt: skip
        )
    latest = help_counts_election()
    return _Seats(nearby.NearestSeats(seats), None if latest and latest.pk == election.pk else election.slug)


def _advice_parties(election: Election) -> tuple[dict[int, str], dict[str, str]]:
    """({constituency pk: the party code the advice names}, {party code: name}); empty when the election is
    not a general election or cannot be advised on."""
    if election.kind != Election.Kind.GENERAL:
        return {}, {}
    store = evidence_store(election)
    try:
        advised = election_advice(election, store=store)
    except AdviceUnavailable:
        return {}, {}
    return {a.seat.pk: a.party for a in advised.seats if a.party}, store.party_names
