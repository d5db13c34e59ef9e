"""A party met for the first time matched to one already known by its official name and common short names."""

import pytest

from constituencies.rules.parties import matching_party, party_name_key

KNOWN = {
    "PBP": "People Before Profit",
    "NHA": "National Health Action",
    "APNI": "Alliance",
    "Ind": "Independent",
    "Lab": "Labour",
    "SDLP": "Social Democratic and Labour Party",
    "WEP": "Women's Equality Party",
}


@pytest.mark.parametrize(
    "code, name, expected",
    [
        ("PBPA", "People Before Profit Alliance", "PBP"),
        ("NHAP", "National Health Action Party", "NHA"),
        ("NHAP", "", "NHA"),  # a constituency file's code alone: initials and "P" for Party
        ("PBPA", "", "PBP"),  # ... and "A" for Alliance
        ("", "The National Health Action Party", "NHA"),
        ("National Health Action Party", "", "NHA"),  # a file's one party column holding names
        ("X", "Alliance Party", "APNI"),
        ("WE", "Women’s Equality", "WEP"),  # the typographic apostrophe, and "Party" left out
        ("lab", "", "Lab"),  # codes compared by their letters
        ("SDLP", "", "SDLP"),
        # Not the same party:
        ("IA", "Independent Alliance", None),  # one word before "Alliance": not dropped
        ("INet", "Independent Network", None),
        ("INet", "", None),
        ("LP", "", None),  # too short to be anyone's initials
        ("PBPX", "", None),
        ("SDPA", "Social Democratic Party Alliance", None),
    ],
)
def test_matching_party(code, name, expected):
    assert matching_party(code, name, KNOWN) == expected


def test_two_known_parties_with_one_reduced_name_match_neither():
    known = {"NHA": "National Health Action", "NHA2": "National Health Action Party"}
    assert matching_party("NHAP2", "The National Health Action", known) is None


def test_the_name_key_keeps_what_tells_parties_apart():
    assert party_name_key("People Before Profit Alliance") == party_name_key("People Before Profit")
    assert party_name_key("Alliance") == "alliance"
    assert party_name_key("Christian Peoples Alliance") == "christian peoples"
    assert party_name_key("Sinn Féin") == "sinn fein"
    assert party_name_key("Labour") != party_name_key("Social Democratic and Labour Party")
