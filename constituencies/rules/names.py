"""How names are compared: files, typed text and our own rows rarely agree on case, accents or punctuation.

Plain functions with no Django, like arithmetic.py.
"""

from __future__ import annotations

import re
import unicodedata


def name_key(name: str) -> str:
    """Compare constituency names ignoring case, accents, punctuation and "&" vs "and".

    "Ynys Môn" -> "ynys mon"; "Bermondsey & Old Southwark" -> "bermondsey and old southwark".
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_only).split())


def compact_key(text: str) -> str:
    """Compare short labels by their letters and digits alone: "Lib Dem" finds "LibDem", "north-west" "North West"."""
    return re.sub(r"[^a-z0-9]", "", str(text).casefold())
