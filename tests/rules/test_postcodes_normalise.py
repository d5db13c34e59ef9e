import pytest

from constituencies.rules.postcodes import normalise_postcode, typo_corrections


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("sw1a0aa", "SW1A 0AA"),
        (" SW1A 0AA ", "SW1A 0AA"),
        ("Sw1a  0aa", "SW1A 0AA"),
        ("m1 1ad", "M1 1AD"),
        ("AB10-1AB", "AB10 1AB"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),  # Girobank: real, though outside the usual pattern
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_reasonable_typings_normalise_to_the_official_form(typed, normalised):
    assert normalise_postcode(typed) == normalised


@pytest.mark.parametrize(
    "typed", ["", "hello", "12345", "SW1A", "SW1A 0CA", "SW1A 0AAA", "1SW 0AA", "GIR 0AB", None]
)
def test_text_that_cannot_be_a_postcode(typed):
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize(("typed", "normalised"), [("bfpo57", "BFPO 57"), ("ascn 1zz", "ASCN 1ZZ")])
def test_forces_and_overseas_territories_are_postcodes_but_never_in_a_directory(typed, normalised):
    assert normalise_postcode(typed) == normalised
    assert normalise_postcode(typed, uk_pattern_only=True) is None


@pytest.mark.parametrize(
    ("typed", "corrections"),
    [
        ("SWIA OAA", ["SW1A 0AA"]),  # I for 1 and O for 0, in the outward and the inward code
        ("swia0aa", ["SW1A 0AA"]),
        ("M1 IAD", ["M1 1AD"]),
        ("MI 1AD", ["M1 1AD"]),
        ("AB1O IPE", ["AB10 1PE", "AB1O 1PE"]),  # both well-formed: the look-up prefers the one it holds
        ("0X4 1AA", ["OX4 1AA"]),  # a digit where the area needs a letter
        ("E1 6OE", []),  # the inward code never uses the letter O, and no swap makes it a digit there
        ("SW1A 0AA", []),  # already a postcode
        ("B1O 1AA", []),  # well-formed as it is (B1O could be a district with a sub-district letter)
        ("5W1A 0AA", []),  # 5 for S is not one of the swaps
        ("hello", []),
        ("", []),
        (None, []),
    ],
)
def test_typo_corrections_swap_look_alikes_and_give_only_well_formed_postcodes(typed, corrections):
    assert typo_corrections(typed) == corrections
    assert all(normalise_postcode(c, uk_pattern_only=True) == c for c in corrections)
