"""The seat page's advice in words: the page description, the headline said once, and which evidence it used.

Batley and Spen on the 2010 boundaries: its 2017 and 2019 general election results (Labour's larger parties'
votes) and the 2021 by-election (fixtures/by-batley-and-spen-2021.csv, the real result).
"""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from constituencies.models import BoundarySet, Election
from constituencies.rules import advice as rules
from tests.builders import BATLEY_2021, contest, import_ge2019, import_results, load_election
from tests.web.test_voter_pages import text_of

BATLEY = ("E14000548", "Batley and Spen")


@pytest.fixture
def batley(default_parties, tmp_path):
    load_election(
        "ge2017", date(2017, 6, 8), [contest(*BATLEY, {"Lab": 29844, "Con": 20805, "LD": 1224, "Green": 695})],
        boundary_code="2010", check_names=False,
    )  # fmt: skip
    import_ge2019(tmp_path=tmp_path)
    import_results(
        BATLEY_2021, "--election", "by-batley-and-spen-2021", "--date", "2021-07-01", "--kind", "by",
        "--boundaries", "2010", "--name", "2021 Batley and Spen by-election",
    )  # fmt: skip


@pytest.fixture
def next_election(batley):
    """A general election still to come on the same boundaries: the advice is for it, from all the evidence."""
    return Election.objects.create(
        slug="ge-next",
        name="next general election",
        date=date.today() + timedelta(days=400),
        kind=Election.Kind.GENERAL,
        boundary_set=BoundarySet.objects.get(code="2010"),
    )


def seat_page(client):
    response = client.get(reverse("constituencies:seat", args=["batley-and-spen"]))
    assert response.status_code == 200
    return response


def by_id(response, element_id) -> str:
    html = response.content.decode()
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', html, re.S)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())) if match else ""


def meta(response, attribute, name) -> str:
    match = re.search(rf'<meta {attribute}="{name}" content="([^"]*)"', response.content.decode())
    return unescape(match.group(1))


BACK_LABOUR = (
    "Labour is best placed to beat the Conservatives here: the 2021 Batley and Spen by-election (1 July 2021) "
    "puts Labour 31.9 points ahead of the Liberal Democrats, at least the 10 points this kind of evidence can "
    "be off by."
)
NONE_NEEDED_REASON = (
    "Neither the Conservatives nor Reform UK has a realistic chance here: at their closest, the 2017 general "
    "election (8 June 2017) puts the Conservatives 17.2 points behind the leader."
)


def test_the_description_is_the_advice_not_the_last_results_sentence(next_election, client):
    response = seat_page(client)
    expected = "Batley and Spen (England). Back Labour. Labour is best placed to beat the Conservatives here."
    assert meta(response, "name", "description") == expected
    assert meta(response, "property", "og:description") == expected


def test_the_description_of_a_seat_needing_no_tactical_vote(batley, client):
    response = seat_page(client)
    assert meta(response, "name", "description") == (
        "Batley and Spen (England). No tactical vote needed: vote for the party you support. Neither the "
        "Conservatives nor Reform UK has a realistic chance here."
    )


def test_the_headline_is_not_repeated_as_the_reason(batley, client):
    response = seat_page(client)
    assert by_id(response, "advice-text") == "No tactical vote needed: vote for the party you support"
    assert by_id(response, "advice-reason") == NONE_NEEDED_REASON
    assert text_of(response).count("No tactical vote needed") == 1


def test_a_too_close_reason_loses_its_verdict_only():
    reason = "Too close to call: the sources disagree. The YouGov MRP (20 June 2024) points to Labour."
    assert rules.reason_after_verdict(rules.TOO_CLOSE, reason) == (
        "The sources disagree. The YouGov MRP (20 June 2024) points to Labour."
    )
    named = "Labour is best placed to beat the Conservatives here."
    assert rules.reason_after_verdict("Lab", named) == named


def test_a_later_by_election_is_said_to_be_left_out(batley, client):
    response = seat_page(client)
    text = text_of(response)
    assert "Our advice for the 2019 general election" in text
    assert by_id(response, "advice-basis") == (
        "From the evidence before polling day (12 December 2019): the 2017 general election (8 June 2017)."
    )
    assert by_id(response, "advice-not-counted") == (
        "Not part of this advice: the 2021 Batley and Spen by-election (1 July 2021) was held after the "
        "2019 general election."
    )
    assert "2021 Batley and Spen by-election result" in text  # the result the page shows beside it


def test_a_by_election_that_counted_is_shown_as_evidence(next_election, client):
    response = seat_page(client)
    assert by_id(response, "advice-text") == "Back Labour"
    assert by_id(response, "advice-reason") == BACK_LABOUR
    assert by_id(response, "advice-basis") == (
        "From the evidence so far: the 2021 Batley and Spen by-election (1 July 2021) and the 2019 general "
        "election (12 December 2019)."
    )
    assert 'id="advice-not-counted"' not in response.content.decode()
    html = response.content.decode()
    item = html[html.index("evidence__source--by_election") :]
    assert "<strong>2021 Batley and Spen by-election</strong>" in item[: item.index("</li>")]
