"""UK postcodes: one normaliser used everywhere (forms, API, importers)."""

import re

# Outward code (area, district, optional sub-district letter) then inward code (sector digit, unit letters).
OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
POSTCODE_PATTERN = re.compile(rf"^({OUTWARD})([0-9][A-Z]{{2}})$")
OUTWARD_PATTERN = re.compile(rf"^{OUTWARD}$")
# The letters the inward code never uses (Royal Mail): C I K M O V.
INWARD_LETTERS = set("ABDEFGHJLNPQRSTUWXYZ")
# Real postcodes that do not follow the pattern: Girobank's, in Bootle.
IRREGULAR_POSTCODES = {"GIR0AA": "GIR 0AA"}


def normalise_postcode(text: str) -> str | None:
    """ "sw1a0aa", " SW1A 0AA ", "Sw1a  0aa" -> "SW1A 0AA"; None if it cannot be a UK postcode."""
    compact = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    if compact in IRREGULAR_POSTCODES:
        return IRREGULAR_POSTCODES[compact]
    match = POSTCODE_PATTERN.match(compact)
    if not match or not set(match.group(2)[1:]) <= INWARD_LETTERS:
        return None
    return f"{match.group(1)} {match.group(2)}"


def looks_like_outward_code(text: str) -> bool:
    """ "SW1A", "m1", "AB10" -> True: the first half of a postcode."""
    return bool(OUTWARD_PATTERN.match(re.sub(r"[^A-Za-z0-9]", "", text or "").upper()))
