"""Import each constituency's centre point (mySociety's parl_constituencies_2025.csv: gss_code, center_lat,
center_lon), used to find the nearest seats where help counts (seats/help_counts.py).

`CentresImporter(file_name, data, boundaries="2024").run(dry_run=False)` is the one door: manage.py
import_constituency_centres and load_demo both call it. Every row is read and checked first; any problem
raises ImportFileError listing them all (file, row, column) and nothing is written. Then the centres that
changed are written in one transaction (a file already loaded writes nothing, so the seat data version and
every cached answer stay as they were). Constituencies the file does not list keep what they had.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from constituencies.imports.projection_checks import codes_matched_by_name
from constituencies.models import BoundarySet, Constituency
from constituencies.rules.files import ImportFileError, Problem, decode_text, parse_table
from constituencies.rules.ons import is_ons_code

CODE_COLUMNS = ("gss_code", "ons_id")
LATITUDE_COLUMNS = ("center_lat", "centre_lat", "latitude")
LONGITUDE_COLUMNS = ("center_lon", "centre_lon", "longitude")
NAME_COLUMNS = ("name", "constituency")
# A box around the United Kingdom's constituencies (Scilly to Shetland, Fermanagh to Lowestoft): a swapped or
# mistyped coordinate falls outside it.
UK_LATITUDES = (49.0, 61.0)
UK_LONGITUDES = (-9.0, 2.0)


@dataclass(frozen=True)
class CentreRow:
    row: int
    name: str  # as the file gives it, if it does
    lat: float | None  # None only while its problem is reported
    lon: float | None


@dataclass
class CentresSummary:
    file_name: str
    boundary_set: str
    rows_read: int = 0
    updated: int = 0
    unchanged: int = 0
    without_centre: int = 0  # constituencies on the boundaries that the file does not list
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)  # codes matched by name

    def __str__(self):
        verb = "would update" if self.dry_run else "updated"
        text = (
            f"{self.rows_read} centres read from {self.file_name} for the {self.boundary_set}: "
            f"{verb} {self.updated}, {self.unchanged} unchanged"
        )
        if self.without_centre:
            text += f"; {self.without_centre} constituencies on these boundaries are not in the file"
        return text


class CentresImporter:
    def __init__(
        self,
        file_name: str,
        data: bytes,
        boundaries: str = "2024",
        progress: Callable[[str], None] | None = None,
    ):
        self.file_name = file_name
        self.data = data
        self.boundaries = boundaries
        self.progress = progress or (lambda message: None)
        self.code_column = CODE_COLUMNS[0]  # as the file names it, once read

    def run(self, dry_run: bool = False) -> CentresSummary:
        boundary_set = self._boundary_set()
        centres = self._read()
        self.progress(f"Read {len(centres)} centres from {self.file_name}")
        with transaction.atomic():
            constituencies = {
                c.ons_id: c
                for c in Constituency.objects.select_for_update().filter(boundary_set=boundary_set)
            }
            changed, notes, listed = self._match(centres, constituencies, boundary_set)
            summary = CentresSummary(
                self.file_name,
                boundary_set.name,
                rows_read=len(centres),
                updated=len(changed),
                unchanged=len(centres) - len(changed),
                without_centre=len(constituencies.keys() - listed),
                dry_run=dry_run,
                notes=notes,
            )
            if changed and not dry_run:
                Constituency.objects.bulk_update(changed, ["centre_latitude", "centre_longitude"])
        return summary

    def _boundary_set(self) -> BoundarySet:
        found = BoundarySet.objects.filter(code=self.boundaries).first()
        if found is None or not found.constituencies.exists():
            raise ImportFileError(
                [
                    Problem(
                        self.file_name,
                        f'no constituencies are loaded on the boundary set "{self.boundaries}": import its '
                        "results first",
                    )
                ]
            )
        return found

    def _read(self) -> dict[str, CentreRow]:
        """{ONS code: its row}, every row checked."""
        table = parse_table(decode_text(self.data, self.file_name), self.file_name)
        table.check_row_lengths()
        columns = [
            next((c for c in names if c in table.header), None)
            for names in (CODE_COLUMNS, LATITUDE_COLUMNS, LONGITUDE_COLUMNS)
        ]
        if None in columns:
            raise ImportFileError(
                [
                    Problem(
                        self.file_name,
                        "needs an ONS code column (gss_code or ons_id) and the centre's center_lat and "
                        "center_lon (or latitude and longitude)",
                        row=1,
                    )
                ]
            )
        code_column, lat_column, lon_column = columns
        self.code_column = code_column
        name_column = next((c for c in NAME_COLUMNS if c in table.header), None)
        centres, problems = {}, []
        for row, values in table.rows:
            code = values[code_column].upper()
            if not is_ons_code(code):
                message = f'"{values[code_column]}" is not an ONS constituency code'
                problems.append(Problem(self.file_name, message, row, code_column))
                continue
            if code in centres:
                message = f"{code} is listed twice (first on row {centres[code].row})"
                problems.append(Problem(self.file_name, message, row, code_column))
                continue
            lat = self._coordinate(values[lat_column], UK_LATITUDES, "latitude", row, lat_column, problems)
            lon = self._coordinate(values[lon_column], UK_LONGITUDES, "longitude", row, lon_column, problems)
            centres[code] = CentreRow(row, values[name_column] if name_column else "", lat, lon)
        if problems:
            raise ImportFileError(problems)
        return centres

    def _coordinate(self, text, bounds, what, row, column, problems) -> float | None:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and bounds[0] <= value <= bounds[1]):
            message = f'"{text}" is not a {what} in the United Kingdom ({bounds[0]:g} to {bounds[1]:g})'
            problems.append(Problem(self.file_name, message, row, column))
            return None
        return value

    def _match(self, centres, constituencies, boundary_set):
        """(the constituencies whose centre changes, notes, the ONS codes given a centre). Every code in the
        file must be a constituency on the boundaries, or name exactly one the file does not list by code."""
        missing = {code: c.name for code, c in centres.items() if code not in constituencies}
        renamed = codes_matched_by_name(missing, boundary_set, centres.keys() & constituencies.keys())
        notes = [
            f"{missing[old]}: {old} in {self.file_name} is {new} on the {boundary_set.name}"
            for old, (new, _) in sorted(renamed.items())
        ]
        changed, problems, listed = [], [], set()
        for code, centre in centres.items():
            constituency = constituencies.get(renamed[code][0] if code in renamed else code)
            if constituency is None:
                message = f"{code} is not a constituency on the {boundary_set.name}"
                problems.append(Problem(self.file_name, message, centre.row, self.code_column))
                continue
            listed.add(constituency.ons_id)
            if (constituency.centre_latitude, constituency.centre_longitude) != (centre.lat, centre.lon):
                constituency.centre_latitude, constituency.centre_longitude = centre.lat, centre.lon
                changed.append(constituency)
        if problems:
            raise ImportFileError(problems)
        return changed, notes, listed
