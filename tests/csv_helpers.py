"""Reading the seat list's CSV download back, by the keys of the JSON (listings/exports.py's headings undone)."""

import csv
import io
import re

from constituencies.listings.exports import ADVICE_HEADINGS, CSV_HEADINGS

KEYS = {heading: key for key, heading in CSV_HEADINGS.items()}
KEYS.update(zip(ADVICE_HEADINGS, ["advice", "advice_party", "advice_reason"], strict=True))
VOTES = re.compile(r"^Votes: .+ \((?P<code>[^()]+)\)$")


def key(heading: str) -> str:
    votes = VOTES.match(heading)
    return f"votes_{votes['code']}" if votes else KEYS[heading]


def csv_rows(content: bytes) -> list[dict]:
    """Each row as {key: text}: "name" for "Constituency", "votes_Lab" for "Votes: Labour (Lab)"."""
    reader = csv.reader(io.StringIO(content.decode("utf-8")))
    header = [key(heading) for heading in next(reader)]
    return [dict(zip(header, row, strict=True)) for row in reader]
