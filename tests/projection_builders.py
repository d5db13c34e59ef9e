"""Poll projections for tests, through the real importer (a plain ons_id,party,share file)."""

from __future__ import annotations

from datetime import date

from constituencies.imports.projections import ProjectionImporter, ProjectionUpload
from constituencies.models import PollProjection


def add_projection(
    name: str,
    day: date,
    shares: dict[str, dict[str, float]],
    *,
    publisher: str = "",
    is_average: bool = False,
    boundaries: str = "2024",
) -> PollProjection:
    """shares: {ONS code: {party code: share}}; each seat's shares should add up to about 100."""
    lines = ["ons_id,party,share"] + [
        f"{ons_id},{party},{share}" for ons_id, seat in shares.items() for party, share in seat.items()
    ]
    upload = ProjectionUpload(
        f"{name}.csv",
        ("\n".join(lines) + "\n").encode(),
        name=name,
        date=day,
        publisher=publisher,
        is_average=is_average,
        boundaries=boundaries,
    )
    ProjectionImporter(upload, today=max(day, date.today())).run(username="test")
    return PollProjection.objects.get(name=name)
