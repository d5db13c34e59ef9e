import pytest

from constituencies.rules.postcodes import normalise_postcode


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
