"""The election a results file goes into, as `manage.py import_results` names it: an existing one, or a new
one described by the options (saved by the importer, inside its transaction, so a failed import leaves no
trace). The command never edits an election; the admin does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from constituencies.models import WELL_KNOWN_BOUNDARY_SETS, BoundarySet, Election

KIND_BY_SLUG_PREFIX = {
    "ge": Election.Kind.GENERAL,
    "by-": Election.Kind.BY_ELECTION,
    "notional": Election.Kind.NOTIONAL,
}


class ElectionOptionsError(Exception):
    """The options cannot name an election to import into; nothing was imported."""


def boundary_set_name(code: str) -> str:
    return f"{code} constituency boundaries"


def default_election_name(slug: str, kind: str, polling_day: date) -> str:
    if kind == Election.Kind.GENERAL:
        return f"{polling_day.year} general election"
    if kind == Election.Kind.NOTIONAL:
        return f"{polling_day.year} notional result"
    return slug.replace("-", " ").capitalize()


@dataclass(frozen=True)
class ElectionOptions:
    slug: str
    date: date | None = None
    name: str | None = None
    kind: str | None = None
    boundaries: str | None = None  # a boundary set's code

    def election(self) -> Election:
        """The election of that slug, or a new unsaved one; raises ElectionOptionsError."""
        existing = Election.objects.filter(slug=self.slug).select_related("boundary_set").first()
        if existing:
            self.check_matches(existing)
            return existing
        kind = self.kind or next(
            (kind for prefix, kind in KIND_BY_SLUG_PREFIX.items() if self.slug.startswith(prefix)), None
        )
        missing = [
            f"--{flag}"
            for flag, value in [("date", self.date), ("boundaries", self.boundaries), ("kind", kind)]
            if not value
        ]
        if missing:
            raise ElectionOptionsError(
                f"Election {self.slug} does not exist yet; to create it, also give {', '.join(missing)}"
            )
        return Election(
            slug=self.slug,
            name=self.name or default_election_name(self.slug, kind, self.date),
            date=self.date,
            kind=kind,
            boundary_set=known_boundary_set(self.boundaries),
        )

    def check_matches(self, election: Election) -> None:
        """Options given for an existing election must describe it as it is: a different polling day or
        kind most likely means a second election given the same slug by mistake, whose import would
        replace the first one's results."""
        given = {
            "--boundaries": (self.boundaries, election.boundary_set.code),
            "--date": (self.date, election.date),
            "--kind": (self.kind, election.kind),
            "--name": (self.name, election.name),
        }
        differing = [
            f"{flag} {value} (it is {stored})"
            for flag, (value, stored) in given.items()
            if value and value != stored
        ]
        if differing:
            raise ElectionOptionsError(
                f"{election.slug} exists already and the options describe it differently: {'; '.join(differing)}. "
                "Nothing was imported. Leave those options out to import into it as it is, or use another "
                "--election for a different election."
            )


def known_boundary_set(code: str) -> BoundarySet:
    """The boundary set of that code: one already loaded, or a well-known one, new (saved by the importer)."""
    boundary_set = BoundarySet.objects.filter(code=code).first()
    if boundary_set:
        return boundary_set
    if code not in WELL_KNOWN_BOUNDARY_SETS:
        known = sorted(
            set(WELL_KNOWN_BOUNDARY_SETS) | set(BoundarySet.objects.values_list("code", flat=True))
        )
        raise ElectionOptionsError(
            f'There is no "{code}" boundary set: Seat Finder knows {", ".join(known)}. Nothing was imported. '
            "A new boundary set is added in the admin (Boundary sets) before an election fought on it."
        )
    return BoundarySet(code=code, name=boundary_set_name(code))
