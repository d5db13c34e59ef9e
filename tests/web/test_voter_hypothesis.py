"""Arbitrary text into the postcode form and the search: an error on the form, or a redirect for a postcode.

Every public URL, these two included, is also fuzzed for 500s with junk in every parameter, method and Host by
tests/test_fuzz_public_urls.py; these tests check what the forms do with what they are sent. Django's test
client re-raises any exception a view lets escape, so a crash fails the test as well as a 5xx status would.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constituencies.rules.postcodes import normalise_postcode
from tests.builders import ABERDEEN_NORTH, GODALMING, add_postcode, small_ge2024

# Any text a browser could send (lone surrogates cannot be encoded, so no browser sends them).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
postcode_like = st.from_regex(r"\A\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?[\s\-.]{0,3}[0-9][A-Za-z]{2}\s*\Z")
typed = st.one_of(
    any_text, postcode_like, st.sampled_from(["AB10 1PE", "ab9 9zz", "JE2 4WD", "\x00", "%", "<b>"])
)

EXAMPLES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def seats(default_parties):
    small_ge2024()
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])
    add_postcode("AB9 9ZZ", ABERDEEN_NORTH[0])
    add_postcode("AB9 9ZZ", GODALMING[0])


@EXAMPLES
@given(text=typed)
def test_the_postcode_form_never_fails(seats, client, text):
    response = client.get("/postcode/", {"postcode": text})
    assert response.status_code in (200, 302)
    if response.status_code == 200 and response.context.get("form") is not None:
        assert response.context["form"].errors or "split between" in response.content.decode()


@EXAMPLES
@given(text=typed)
def test_the_search_never_fails(seats, client, text):
    response = client.get("/search", {"q": text})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert normalise_postcode(text) is not None
