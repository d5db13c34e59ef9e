"""UK postcodes: the one normaliser (forms, API, look-up, importers), and where a postcode outside every
Westminster constituency is."""

import re

# The most characters of typed text a look-up or a search reads.
MAX_TYPED = 100
# Outward code (area, district, optional sub-district letter) then inward code (sector digit, unit letters).
OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
POSTCODE_PATTERN = re.compile(rf"^({OUTWARD})([0-9][A-Z]{{2}})$")
OUTWARD_PATTERN = re.compile(rf"^{OUTWARD}$")
# The letters the inward code never uses (Royal Mail): C I K M O V.
INWARD_LETTERS = set("ABDEFGHJLNPQRSTUWXYZ")
# Real postcodes that do not follow the pattern: Girobank's, in Bootle.
IRREGULAR_POSTCODES = {"GIR0AA": "GIR 0AA"}
NOT_LETTER_OR_DIGIT = re.compile(r"[^A-Za-z0-9]")

# Postcodes that are well formed but outside any Westminster constituency.
CROWN_DEPENDENCIES = {"JE": "Jersey", "GY": "Guernsey", "IM": "the Isle of Man"}
NORTHERN_IRELAND_AREA = "BT"
FORCES = "the British Forces Post Office"
FORCES_OUTWARD_CODES = {"BF1": FORCES}
FORCES_NUMBER = re.compile(r"^BFPO([0-9]{1,4})$")  # "BFPO 57", the address form service people also use
# The British Overseas Territories' single postcodes; most do not fit the UK pattern at all.
OVERSEAS_TERRITORIES = {
    "ASCN1ZZ": "Ascension Island",
    "STHL1ZZ": "St Helena",
    "TDCU1ZZ": "Tristan da Cunha",
    "BBND1ZZ": "the British Indian Ocean Territory",
    "BIQQ1ZZ": "the British Antarctic Territory",
    "FIQQ1ZZ": "the Falkland Islands",
    "PCRN1ZZ": "the Pitcairn Islands",
    "SIQQ1ZZ": "South Georgia and the South Sandwich Islands",
    "TKCA1ZZ": "the Turks and Caicos Islands",
    "GX111AA": "Gibraltar",
}


def compact(text: str | None) -> str:
    """Letters and digits only, in capitals: " sw1a 0aa" -> "SW1A0AA"."""
    return NOT_LETTER_OR_DIGIT.sub("", text or "").upper()


def normalise_postcode(text: str | None, *, uk_pattern_only: bool = False) -> str | None:
    """The official form of whatever was typed, or None if it cannot be a postcode.

    "sw1a0aa", " SW1A 0AA ", "Sw1a  0aa" -> "SW1A 0AA"; "gir0aa" -> "GIR 0AA"; also the Overseas
    Territories' postcodes ("ascn1zz" -> "ASCN 1ZZ") and forces addresses ("bfpo57" -> "BFPO 57"), unless
    `uk_pattern_only` (what a postcode directory holds, as its files and importers expect)."""
    letters = compact(text)
    if letters in IRREGULAR_POSTCODES:
        return IRREGULAR_POSTCODES[letters]
    match = POSTCODE_PATTERN.match(letters)
    if match and set(match.group(2)[1:]) <= INWARD_LETTERS:
        return f"{match.group(1)} {match.group(2)}"
    if uk_pattern_only:
        return None
    if letters in OVERSEAS_TERRITORIES:
        return f"{letters[:-3]} {letters[-3:]}"
    if forces := FORCES_NUMBER.match(letters):
        return f"BFPO {forces.group(1)}"
    return None


# Typing slips between look-alike characters: the letters I and O where the postcode needs the digits 1 and 0,
# and the digits where it needs the letters.
DIGIT_LOOKALIKES = {"I": "1", "O": "0"}
LETTER_LOOKALIKES = {"1": "I", "0": "O"}
# Every shape of a postcode, A a letter and 9 a digit: the outward code's six, then the inward code.
POSTCODE_SHAPES = tuple(f"{outward}9AA" for outward in ("A9", "A99", "AA9", "AA99", "A9A", "AA9A"))


def typo_corrections(text: str | None) -> list[str]:
    """The well-formed postcodes that text which is not a postcode becomes when its look-alike characters are
    swapped to fit a postcode's shape: "SWIA OAA" -> ["SW1A 0AA"], "M1 IAD" -> ["M1 1AD"]. Empty for a
    postcode, or for text no swap makes one."""
    letters = compact(text)
    if normalise_postcode(letters, uk_pattern_only=True) is not None:
        return []
    corrections = []
    for shape in POSTCODE_SHAPES:
        if len(shape) != len(letters):
            continue
        swapped = "".join(
            (DIGIT_LOOKALIKES if kind == "9" else LETTER_LOOKALIKES).get(ch, ch)
            for kind, ch in zip(shape, letters, strict=True)
        )
        postcode = normalise_postcode(swapped, uk_pattern_only=True)
        if postcode is not None and postcode not in corrections:
            corrections.append(postcode)
    return corrections


def looks_like_outward_code(text: str) -> bool:
    """ "SW1A", "m1", "AB10" -> True: the first half of a postcode."""
    return bool(OUTWARD_PATTERN.match(compact(text)))


def postcode_area(postcode: str) -> str:
    """The letters at the start: "SW1A 0AA" -> "SW", "B1 1AA" -> "B"."""
    match = re.match(r"[A-Z]+", postcode)
    return match.group(0) if match else ""


def outside_place(postcode: str) -> str | None:
    """Where a normalised postcode is, if that is outside every Westminster constituency."""
    letters = postcode.replace(" ", "")
    if letters in OVERSEAS_TERRITORIES:
        return OVERSEAS_TERRITORIES[letters]
    outward = postcode.split(" ")[0]
    if outward in FORCES_OUTWARD_CODES:
        return FORCES_OUTWARD_CODES[outward]
    if outward == "BFPO":
        return FORCES
    return CROWN_DEPENDENCIES.get(postcode_area(postcode))
