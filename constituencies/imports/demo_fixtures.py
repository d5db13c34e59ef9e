"""The small files of fixtures/ that `manage.py load_demo` reads besides the results: the reader for our own
CSV files, and the handful of real postcodes the demo can look up offline."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

from django.conf import settings

from constituencies.models import BoundarySet, Constituency, Postcode
from constituencies.rules.files import ImportFileError, Problem, read_path
from constituencies.rules.names import name_key
from constituencies.rules.postcodes import normalise_postcode

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# The demo postcodes of each boundary set: real postcodes with their constituency on those boundaries.
DEMO_POSTCODES_FILES = {"2010": "demo-postcodes-2010.csv", "2024": "demo-postcodes-2024.csv"}
# Each 2024 constituency's centre point (mySociety, CC BY 4.0), for the nearest seats where help counts.
DEMO_CENTRES_FILE = "mysociety-parl-constituencies-2025.csv"
DEMO_POSTCODES_HEADER = [
    "postcode",
    "ons_id",
    "constituency",
    "terminated",
    "latitude",
    "longitude",
    "source",
]


def read_fixture(path: Path, header: list[str]) -> tuple[str, csv.DictReader]:
    """A small CSV file of ours, refused unless its header is exactly `header`."""
    file_name, text = read_path(path)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != header:
        raise ImportFileError([Problem(file_name, f"expected the header {','.join(header)}", row=1)])
    return file_name, reader


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_demo_postcodes(boundaries: BoundarySet, path: Path) -> int:
    """A handful of real postcodes (fixtures/demo-postcodes-*.csv) so the look-up can be tried offline. Not the
    national importer: a few rows, checked, then replaced in bulk. Gives how many were written: none when the
    directory already holds these rows as they are."""
    file_name, reader = read_fixture(path, DEMO_POSTCODES_HEADER)
    constituencies = {c.ons_id: c for c in Constituency.objects.filter(boundary_set=boundaries)}
    rows, problems = [], []
    for row_number, row in enumerate(reader, start=2):
        postcode = normalise_postcode(row["postcode"], uk_pattern_only=True)
        constituency = constituencies.get(row["ons_id"])
        if postcode is None:
            problems.append(
                Problem(file_name, f'"{row["postcode"]}" is not a postcode', row_number, "postcode")
            )
            continue
        if constituency is None or name_key(constituency.name) != name_key(row["constituency"]):
            problems.append(
                Problem(
                    file_name,
                    f'{row["ons_id"]} is not "{row["constituency"]}" on the {boundaries.name}',
                    row_number,
                    "ons_id",
                )
            )
            continue
        try:
            terminated = date.fromisoformat(f"{row['terminated']}-01") if row["terminated"] else None
            latitude, longitude = _optional_float(row["latitude"]), _optional_float(row["longitude"])
        except ValueError:
            problems.append(Problem(file_name, "cannot read the date or coordinates", row_number))
            continue
        rows.append(
            Postcode(
                boundary_set=boundaries,
                postcode=postcode,
                constituency=constituency,
                terminated_on=terminated,
                latitude=latitude,
                longitude=longitude,
            )
        )
    if problems:
        raise ImportFileError(problems)
    fields = ["postcode", "constituency_id", "terminated_on", "latitude", "longitude"]
    held = Postcode.objects.filter(boundary_set=boundaries, postcode__in=[r.postcode for r in rows])
    if Counter(held.values_list(*fields)) == Counter(tuple(getattr(r, f) for f in fields) for r in rows):
        return 0
    held.delete()
    Postcode.objects.bulk_create(rows)
    return len(rows)
