"""Recognising a postcode file from its header: which columns hold the postcode, the constituency code,
the termination month and the coordinates. Columns are found by name, never by position.

- ONSPD (ONS Postcode Directory): pcd, pcd2, pcds, dointr, doterm, oslaua, ..., pcon or pcon24cd, lat, long
- NSPL (National Statistics Postcode Lookup): the same keys with laua, ward, ... instead of oslaua, osward
- mySociety's uk_parliament_2025_postcode_lookup: postcode, short_code (UKPARL.2025.ABC), resolved to ONS
  codes through a file that maps the two (mySociety's parl_constituencies_2025, or the notional 2019 file)
- any file with a postcode column (pcds, pcd, pcd7, pcd8, pcd2, postcode) and a constituency code column
  (pcon24cd, pcon, ons_id, gss_code, ...), such as pcds,dointr,doterm,pcon24cd,lat,long
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constituencies.rules.files import ImportFileError, Problem

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode")
CODE_COLUMNS = ("pcon", "ons_id", "gss_code", "constituency_code", "pcon_code")
SHORT_CODE_COLUMNS = ("short_code", "mysoc_short_code")
YEARLY_CODE_COLUMN = re.compile(r"^pcon(\d\d)cd$")
ONSPD_MARKERS = {"oslaua", "oscty", "osward", "oshlthau"}
NSPL_MARKERS = {"laua", "cty", "ward"}


@dataclass(frozen=True)
class PostcodeLayout:
    """Where the columns Seat Finder needs are in one file's header."""

    label: str
    header: tuple[str, ...]
    postcode: str
    constituency: str
    terminated: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    short_codes: bool = False  # the constituency column holds mySociety short codes, not ONS codes

    def index(self, column: str | None) -> int | None:
        return None if column is None else self.header.index(column)

    def describe(self) -> str:
        return f'{self.label}, postcodes in "{self.postcode}", constituencies in "{self.constituency}"'


def detect_postcode_layout(
    header: list[str], file_name: str, boundary_code: str = "", constituency_column: str | None = None
) -> PostcodeLayout:
    """Recognise a postcode file from its header row (names compared case-insensitively)."""
    names = tuple(clean_column(h) for h in header)
    present = set(names)
    postcode = next((c for c in POSTCODE_COLUMNS if c in present), None)
    short_code = next((c for c in SHORT_CODE_COLUMNS if c in present), None)
    if constituency_column:
        constituency = clean_column(constituency_column)
        if constituency not in present:
            raise ImportFileError(
                [
                    Problem(
                        file_name,
                        f'has no column "{constituency_column}"; its columns are {", ".join(names)}',
                        row=1,
                    )
                ]
            )
    else:
        constituency = constituency_column_for(names, boundary_code) or short_code
    if postcode is None or constituency is None:
        missing = []
        if postcode is None:
            missing.append(f"a postcode column ({', '.join(POSTCODE_COLUMNS)})")
        if constituency is None:
            missing.append(
                f"a constituency column (pcon, pcon24cd or another pconNNcd, {', '.join(CODE_COLUMNS[1:])}, "
                "or mySociety's short_code)"
            )
        as_written = [h.replace("\ufeff", "").strip() for h in header]
        shown = ", ".join(as_written[:12]) + (", ..." if len(names) > 12 else "")
        raise ImportFileError(
            [
                Problem(
                    file_name,
                    f"is not a postcode file Seat Finder knows: it needs {' and '.join(missing)}; "
                    f"its header is: {shown}",
                    row=1,
                )
            ]
        )
    if constituency in SHORT_CODE_COLUMNS:
        label = "mySociety uk_parliament_2025_postcode_lookup"
    elif present & ONSPD_MARKERS:
        label = "ONS Postcode Directory (ONSPD)"
    elif present & NSPL_MARKERS:
        label = "National Statistics Postcode Lookup (NSPL)"
    elif {"pcd7", "pcd8"} & present:
        label = "ONS postcode file"
    else:
        label = "postcode and constituency columns"
    has_coordinates = {"lat", "long"} <= present
    return PostcodeLayout(
        label=label,
        header=names,
        postcode=postcode,
        constituency=constituency,
        terminated="doterm" if "doterm" in present else None,
        latitude="lat" if has_coordinates else None,
        longitude="long" if has_coordinates else None,
        short_codes=constituency in SHORT_CODE_COLUMNS,
    )


def constituency_column_for(names: tuple[str, ...], boundary_code: str) -> str | None:
    """The column of constituency codes: the edition's own for the boundary set (pcon24cd for 2024),
    then plain pcon, then any single pconNNcd, then other common names."""
    yearly = [n for n in names if YEARLY_CODE_COLUMN.match(n)]
    wanted = f"pcon{boundary_code[-2:]}cd" if boundary_code else None
    if wanted in yearly:
        return wanted
    if "pcon" in names:
        return "pcon"
    if len(yearly) == 1:
        return yearly[0]
    return next((c for c in CODE_COLUMNS if c in names), None)


def clean_column(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').lower()
