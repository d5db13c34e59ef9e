"""The parties Seat Finder knows out of the box, and how source files name them.

Plain data: the importers use it to turn "Conservative Party", "Conservative"
or "Con" into one party, and `load_demo` creates these rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from constituencies.rules.names import compact_key, name_key

PROGRESSIVE = "progressive"
TARGET = "target"
OTHER_CANDIDATES = "Oth"  # several minor candidates' votes combined as published: no one party


@dataclass(frozen=True)
class PartySpec:
    code: str
    name: str
    colour: str
    bloc: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)


DEFAULT_PARTIES: tuple[PartySpec, ...] = (
    PartySpec(
        "Lab",
        "Labour",
        "#E4003B",
        PROGRESSIVE,
        ("Labour Party", "Labour and Co-operative", "Labour Co-operative", "Lab Co-op"),
    ),
    PartySpec(
        "LD",
        "Liberal Democrats",
        "#FAA61A",
        PROGRESSIVE,
        ("Liberal Democrat", "Lib Dem", "Lib Dems", "Liberal Democrats"),
    ),
    PartySpec(
        "Green",
        "Green Party",
        "#02A95B",
        PROGRESSIVE,
        (
            "Green",
            "Grn",
            "Scottish Green Party",
            "Green Party Northern Ireland",
            "Green Party of England and Wales",
        ),
    ),
    PartySpec("SNP", "Scottish National Party", "#FDF38E", PROGRESSIVE, ("Scottish National Party",)),
    PartySpec("PC", "Plaid Cymru", "#005B54", PROGRESSIVE, ("Plaid Cymru", "Plaid")),
    PartySpec(
        "Con",
        "Conservative",
        "#0087DC",
        TARGET,
        ("Conservative Party", "Conservatives", "Conservative and Unionist Party", "Tory"),
    ),
    PartySpec("RUK", "Reform UK", "#12B6CF", TARGET, ("Reform", "Reform UK", "Ref")),
    PartySpec("Brexit", "Brexit Party", "#12B6CF", TARGET, ("The Brexit Party", "Brexit Party", "BXP")),
    PartySpec("UKIP", "UK Independence Party", "#6D3177", TARGET, ("UK Independence Party",)),
    PartySpec("DUP", "Democratic Unionist Party", "#D46A4C", "", ("Democratic Unionist Party",)),
    PartySpec("SF", "Sinn Féin", "#326760", "", ("Sinn Fein", "Sinn Féin")),
    PartySpec(
        "SDLP",
        "Social Democratic and Labour Party",
        "#2AA82C",
        "",
        ("Social Democratic and Labour Party",),
    ),
    PartySpec("UUP", "Ulster Unionist Party", "#48A5EE", "", ("Ulster Unionist Party", "UU")),
    PartySpec(
        "APNI",
        "Alliance",
        "#F6CB2F",
        "",
        ("Alliance", "Alliance Party", "Alliance Party of Northern Ireland"),
    ),
    PartySpec("TUV", "Traditional Unionist Voice", "#0C3A6A", "", ("Traditional Unionist Voice",)),
    PartySpec(
        "WPB",
        "Workers Party of Britain",
        "#9D1C20",
        "",
        ("Workers Party", "Workers Party of Britain", "Workers"),
    ),
    PartySpec("Alba", "Alba Party", "#005EB8", "", ("Alba Party",)),
    PartySpec("SDP", "Social Democratic Party", "#004785", "", ("Social Democratic Party", "Soc Dem")),
    PartySpec(
        "TUSC",
        "Trade Unionist and Socialist Coalition",
        "#EC008C",
        "",
        ("Trade Unionist and Socialist Coalition",),
    ),
    PartySpec("HPUK", "Heritage Party", "#0D0080", "", ("Heritage Party", "Heritage")),
    PartySpec("Yrks", "Yorkshire Party", "#00AEEF", "", ("Yorkshire Party", "The Yorkshire Party")),
    PartySpec("ED", "English Democrats", "#915F6D", "", ("English Democrats", "Eng Dem")),
    PartySpec(
        "MRLP",
        "Official Monster Raving Loony Party",
        "#FFF000",
        "",
        ("Monster Raving Loony Party", "Official Monster Raving Loony Party", "Loony"),
    ),
    PartySpec(
        "CPA",
        "Christian Peoples Alliance",
        "#813887",
        "",
        ("Christian Peoples Alliance", "Christian Peoples Alliance Party"),
    ),
    PartySpec("REU", "Rejoin EU", "#003399", "", ("Rejoin EU",)),
    PartySpec("Spk", "Speaker", "#909090", "", ("Speaker", "The Speaker")),
    PartySpec("Ind", "Independent", "#AAAAAA", "", ("Independent", "Ind.")),
    PartySpec("Oth", "Other candidates", "#C8C8C8", "", ("Other", "Others", "All other candidates")),
)


def default_alias_index() -> dict[str, str]:
    """Map each alias key (and each code and name) to a default party code."""
    index: dict[str, str] = {}
    for spec in DEFAULT_PARTIES:
        for label in (spec.code, spec.name, *spec.aliases):
            index[compact_key(label)] = spec.code
    return index


def code_for_new_party(name: str, taken: set[str]) -> str:
    """A short code for a party met for the first time: "For Britain Movement" -> "FBM"."""
    name = re.sub(r"['’]", "", name)  # "People's" is one word
    words = [
        w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in {"party", "the", "of", "and", "for"}
    ]
    words = words or re.findall(r"[A-Za-z0-9]+", name)
    base = ("".join(w[0].upper() for w in words)[:12] if len(words) > 1 else "".join(words)[:12]) or "Party"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


# -- matching a party met for the first time to one already known ----------------------------------------

# Words a party's name is written with or without: "National Health Action" is "National Health Action Party".
_FILLER_WORDS = {"the", "party"}
# A last word some files add to a party's name: "People Before Profit Alliance" is "People Before Profit".
# Dropped only when at least two words remain, so "Alliance" (Northern Ireland) and "Independent Alliance"
# stay themselves.
_TRAILING_WORDS = {"alliance"}


def party_name_key(name: str) -> str:
    """A party's name reduced to the words that tell it apart: case, accents, punctuation, "&", "the" and
    "party" ignored, and a trailing "Alliance" after two words or more.

    "National Health Action Party" and "National Health Action" -> "national health action";
    "People Before Profit Alliance" and "People Before Profit" -> "people before profit".
    """
    words = [w for w in name_key(name).split() if w not in _FILLER_WORDS]
    if len(words) > 2 and words[-1] in _TRAILING_WORDS:
        words = words[:-1]
    return " ".join(words)


def initials(name: str) -> str:
    """The short name a party's name is usually abbreviated to: "People Before Profit" -> "PBP"."""
    return "".join(word[0] for word in name_key(name).split()).upper()


def matching_party(code: str, name: str, known: dict[str, str]) -> str | None:
    """The code of the known party (`known`: code -> name) that a party a file calls `code` / `name` is,
    by its official name or its common short names, or None if it is none of them.

    Exact codes and names first; then the names reduced by party_name_key; then a code that is the known
    party's initials with a trailing "A"/"P" for Alliance or Party ("PBPA" for "People Before Profit",
    "NHAP" for "National Health Action") when the file gives no name.
    """
    if not name and " " in code.strip():  # a file with one party column may give names in it
        name = code
    by_code = {compact_key(c): c for c in known}
    if compact_key(code) in by_code:
        return by_code[compact_key(code)]
    by_name: dict[str, list[str]] = {}
    for known_code, known_name in known.items():
        by_name.setdefault(party_name_key(known_name), []).append(known_code)
    if name:
        candidates = by_name.get(party_name_key(name), [])
        return candidates[0] if len(candidates) == 1 else None
    short = compact_key(code).upper()
    if len(short) < 3 or short[-1] not in "AP":
        return None
    candidates = [c for c, n in known.items() if initials(party_name_key(n)) == short[:-1] and " " in n]
    return candidates[0] if len(candidates) == 1 else None
