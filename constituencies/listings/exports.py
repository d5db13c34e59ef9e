"""The seat list's downloads: the CSV table with headings people can read, and a file name that says what
the download holds (the election and the filters, e.g. seats-ge2024-tragedies-marginal.csv)."""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils.text import slugify

from constituencies.listings.records import CSV_COLUMNS, SeatRecord
from constituencies.rules.csv_cells import csv_cell

# The CSV's headings, by the key of SeatRecord.as_dict (the JSON download and the API keep the keys).
CSV_HEADINGS = {
    "ons_id": "ONS code",
    "name": "Constituency",
    "region": "Region",
    "country": "Country",
    "election": "Election",
    "winner": "Winner (party code)",
    "winner_candidate": "Winning candidate",
    "runner_up": "Runner-up (party code)",
    "majority": "Majority (votes)",
    "majority_pct": "Majority (% of valid votes)",
    "marginality": "Marginality",
    "is_tragedy": "Progressive tragedy",
    "progressive_total": "Progressive votes, all parties",
    "best_placed": "Best placed at the last result (party code)",
    "best_placed_votes": "Best placed: votes",
    "best_placed_lead_is_clear": "Best placed: lead is clear",
    "best_placed_source": "Best placed: from the results or the editors (override)",
    "override_reason": "Editors’ reason",
    "gap_to_win": "Gap to win (votes)",
    "valid_votes": "Valid votes",
    "electorate": "Electorate",
    "url": "Seat page",
    "gained_from": "Gained from (party code)",
    "previous_winner": "Previous winner (party code)",
    "previous_majority": "Previous majority (votes)",
    "supporters": "Confirmed supporters",
}
ADVICE_HEADINGS = ["Advice", "Advice: party code", "Advice: why"]

MAX_NAME_LENGTH = 120  # of a download's file name, before its extension


def csv_table(records: list[SeatRecord], site: str = "") -> tuple[list[str], list[list]]:
    """A header and rows: the fixed columns, the advice, then the votes of each party that stood, most first."""
    dicts = [record.as_dict(site) for record in records]
    totals: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for record, data in zip(records, dicts, strict=True):
        for code, votes in data["votes"].items():
            totals[code] += votes
        names.update((c.party.code, c.party.name) for c in record.candidacies)
    party_codes = sorted(totals, key=lambda code: (-totals[code], code))
    header = (
        [CSV_HEADINGS.get(column, column) for column in CSV_COLUMNS]
        + ADVICE_HEADINGS
        + [f"Votes: {names.get(code, code)} ({code})" for code in party_codes]
    )
    rows = []
    for record, data in zip(records, dicts, strict=True):
        votes = data["votes"]
        advice = record.advice
        rows.append(
            [csv_cell(_csv_value(data, column)) for column in CSV_COLUMNS]
            + [
                csv_cell(value)
                for value in (record.advice_label, advice and advice.party, advice and advice.reason)
            ]
            + [votes.get(c, 0) for c in party_codes]
        )
    return header, rows


def _csv_value(data: dict, column: str):
    if column == "supporters":  # the words, so a count below the threshold reads "fewer than 5"
        return data["supporters"]["display"] if data["supporters"] else None
    return data[column]


# The words a filter's value becomes in a file name; others are "<parameter>-<value>".
TRAGEDY_WORDS = {"true": "tragedies", "false": "not-tragedies"}
CHANGED_WORDS = {"true": "changed-hands", "false": "held"}
PREFIXES = {
    "winner": "won-by",
    "runner_up": "runner-up",
    "best_placed": "best-placed",
    "advice": "advice",
    "majority_pct_min": "majority-from",
    "majority_pct_max": "majority-up-to",
    "q": "named",
    "supporters": "supporters-from",
}
UNNAMED = {"election", "sort"}  # the election leads the name; the order changes no row
PERCENT = re.compile(r"^\d{1,3}(\.\d{1,2})?$")  # a valid majority_pct_min or _max, as query_params gives it


def export_filename(election_slug: str, params: list[tuple[str, str]], extension: str) -> str:
    """seats-<election>-<each filter in force>.<extension>, in lowercase letters, digits, hyphens and the
    decimal point of a percentage: e.g. seats-ge2024-tragedies-marginal-majority-up-to-7.5.csv."""
    parts = ["seats", slugify(election_slug) or "none"]
    for name, value in params:
        if name in UNNAMED:
            continue
        prefix = slugify(PREFIXES.get(name, name.replace("_", "-")))
        if name == "tragedy" and value in TRAGEDY_WORDS:
            parts.append(TRAGEDY_WORDS[value])
        elif name == "changed" and value in CHANGED_WORDS:
            parts.append(CHANGED_WORDS[value])
        elif name in ("marginality", "country", "region"):
            parts.append(slugify(value.replace("_", " ")))
        elif name.startswith("majority_pct") and PERCENT.match(value):
            parts.append(f"{prefix}-{value}")
        else:
            parts.append(f"{prefix}-{slugify(value.replace('_', ' '))}".strip("-"))
    stem = "-".join(part for part in parts if part)
    if len(stem) > MAX_NAME_LENGTH:  # cut at a word
        stem = stem[: MAX_NAME_LENGTH + 1].rsplit("-", 1)[0].strip("-.")
    return f"{stem}.{extension}"
