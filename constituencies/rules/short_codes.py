"""mySociety's constituency short codes (UKPARL.2025.ABC) and the ONS codes they stand for.

mySociety's parl_constituencies_2025.csv (short_code, gss_code; CC BY 4.0) maps one to the other, as does
the notional 2019 results file (mysoc_short_code, ons_id). Plain Python: the importers pass the text in.
"""

from __future__ import annotations

from dataclasses import dataclass

from constituencies.rules.files import ImportFileError, Problem, parse_table

SHORT_CODE_COLUMNS = ("short_code", "mysoc_short_code")
ONS_CODE_COLUMNS = ("gss_code", "ons_id")
NAME_COLUMNS = ("name", "constituency")
DEFAULT_SHORT_CODES_FILE = "mysociety-parl-constituencies-2025.csv"


@dataclass(frozen=True)
class ShortCode:
    ons_id: str
    name: str  # the constituency's name, where the file gives it


def read_short_code_map(text: str, file_name: str) -> dict[str, ShortCode]:
    """{short code: ShortCode}, from any CSV with a short code column and an ONS code column."""
    table = parse_table(text, file_name)
    short = next((c for c in SHORT_CODE_COLUMNS if c in table.header), None)
    ons = next((c for c in ONS_CODE_COLUMNS if c in table.header), None)
    if short is None or ons is None:
        raise ImportFileError(
            [
                Problem(
                    file_name,
                    "needs a short code column (short_code or mysoc_short_code) and an ONS code column "
                    "(gss_code or ons_id) to turn mySociety short codes into ONS codes",
                    row=1,
                )
            ]
        )
    name_column = next((c for c in NAME_COLUMNS if c in table.header), None)
    mapping: dict[str, ShortCode] = {}
    problems = []
    for row, values in table.rows:
        code, ons_id = values.get(short, "").upper(), values.get(ons, "").upper()
        if not code:
            continue
        if code in mapping and mapping[code].ons_id != ons_id:
            message = f"{code} is given two ONS codes, {mapping[code].ons_id} and {ons_id}"
            problems.append(Problem(file_name, message, row, short))
        mapping[code] = ShortCode(ons_id, values.get(name_column, "") if name_column else "")
    if problems:
        raise ImportFileError(problems)
    return mapping
