"""The parties Seat Finder knows out of the box, and how source files name them.

Plain data: the importers use it to turn "Conservative Party", "Conservative"
or "Con" into one party, and `load_demo` creates these rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from constituencies.rules.names import compact_key

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
