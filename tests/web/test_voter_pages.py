"""The voter's pages through Django's test client: home form, postcode results, seat page, search."""

import re
from datetime import date
from html import unescape
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from constituencies.models import Election
from constituencies.postcodes.lookup import POSTCODES_TO_TRY_UP_TO
from constituencies.postcodes.messages import EXAMPLE
from supporters.templatetags.supporters import SEAT_PANEL_QUERIES
from tests.builders import (
    ABERDEEN_NORTH,
    GE2019_DAY,
    GODALMING,
    add_postcode,
    contest,
    cover_area,
    load_election,
    notional_godalming_2019,
    small_ge2024,
)
from tests.query_counts import HELP_COUNTS_QUERIES

# the seat with its versions, the election asked for, results, candidacies, the data version (the share card's
# URL), the neighbours on the hex map; then the advice panel's 9: the election advised on, the evidence store's 7
# (seats/evidence.py) and the seat's override.
ADVICE_PANEL_QUERIES = 9
# The supporters panel: the counts (when not cached) and the local group, however many supporters.
PREVIOUS_RESULT_QUERIES = 2  # the earlier elections, the previous contest's votes (seats/previous.py)
SEAT_PAGE_MAX_QUERIES = 6 + PREVIOUS_RESULT_QUERIES + ADVICE_PANEL_QUERIES + SEAT_PANEL_QUERIES
# A safe seat with a centre adds "Where your help counts" (tests/web/test_help_counts_section.py).
SAFE_SEAT_PAGE_MAX_QUERIES = SEAT_PAGE_MAX_QUERIES + HELP_COUNTS_QUERIES


@pytest.fixture
def seats(default_parties):
    small_ge2024()  # first: it creates the 2024 constituencies the notional result refers to
    notional_godalming_2019()
    add_postcode("GU7 9ZZ", GODALMING[0])  # made-up postcodes for the test directory
    add_postcode("AB10 1PE", ABERDEEN_NORTH[0])  # real (ONSPD Aug 2024)
    add_postcode("AB9 9ZZ", ABERDEEN_NORTH[0])
    add_postcode("AB9 9ZZ", GODALMING[0])
    add_postcode("AB1 1LD", ABERDEEN_NORTH[0], terminated_on=date(1996, 6, 1))


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"(?s)<head>.*?</head>", "", html)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def seat(client, slug, **params):
    return client.get(reverse("constituencies:seat", args=[slug]), params)


# Home page and postcode look-up


def test_home_has_one_labelled_postcode_field_and_the_elections(seats, client):
    response = client.get("/")
    html = response.content.decode()
    assert '<label class="field-label" for="id_postcode">Your postcode</label>' in html
    assert 'action="/postcode/"' in html and 'method="get"' in html
    assert 'autocomplete="postal-code"' in html
    names = [e.name for e in response.context["elections"]]
    assert names == ["2024 general election", "2019 notional result on 2024 boundaries"]  # newest first


def test_a_messy_postcode_goes_to_its_seat(seats, client):
    response = client.get("/postcode/", {"postcode": "  gu7 9zz "})
    assert response.status_code == 302
    assert response["Location"] == "/seats/godalming-and-ash/?postcode=GU7+9ZZ"
    page = client.get(response["Location"])
    assert "Your postcode, GU7 9ZZ, is in this constituency." in text_of(page)
    assert "The Liberal Democrats are best placed to beat the Conservatives here" in text_of(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("hello", "“hello” is not a UK postcode."),
        ("", f"Enter your postcode, for example {EXAMPLE}."),
        ("SWIA OAA", "“SWIA OAA” is not a UK postcode. Did you mean SW1A 0AA?"),
        ("AB1O IPE", "Did you mean AB10 1PE? It is in our postcode directory."),
        ("ZE1 0AA", "We cannot look up ZE1 0AA yet: our postcode directory does not cover ZE postcodes."),
        ("je2 4wd", "JE2 4WD is a postcode for Jersey"),
        ("x" * 101, "That is too long to be a postcode."),
    ],
)
def test_bad_postcodes_get_a_specific_message_beside_what_was_typed(seats, client, typed, message):
    response = client.get("/postcode/", {"postcode": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in text_of(response)
    assert f'value="{typed}"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="postcode-hint postcode-error"' in html
    assert response.context["view"].__class__.__name__ == "PostcodeView"
    assert unescape(re.search(r"<title>(.*?)</title>", html).group(1)).startswith("Error: ")


def test_a_retired_postcode_points_to_where_it_was(seats, client):
    response = client.get("/postcode/", {"postcode": "AB1 1LD"})
    text = text_of(response)
    assert "AB1 1LD is no longer in use: Royal Mail retired it in June 1996." in text
    assert "AB1 1LD used to be in Aberdeen North" in text
    assert 'href="/seats/aberdeen-north/"' in response.content.decode()


def test_a_split_postcode_shows_the_choice(seats, client):
    response = client.get("/postcode/", {"postcode": "ab99zz"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "AB9 9ZZ is split between 2 constituencies" in text_of(response)
    links = re.findall(r'<a class="choice" href="([^"]+)">', html)
    assert [unescape(link) for link in links] == [
        "/seats/aberdeen-north/?postcode=AB9+9ZZ",
        "/seats/godalming-and-ash/?postcode=AB9+9ZZ",
    ]


# The seat page


def test_the_seat_page_shows_the_result_badges_and_recommendation(seats, client):
    response = seat(client, "godalming-and-ash")
    assert response.status_code == 200
    text = text_of(response)
    assert "Godalming and Ash South East" in text
    assert "Current MP Jeremy Hunt (Conservative)" in text
    assert "Majority 891 votes (1.6%) over Liberal Democrats" in text
    assert "Turnout 71.9% of 75,816 registered voters" in text
    badges = [b.label for b in response.context["page"].badges]
    assert badges == ["Progressive tragedy", "Very marginal"]
    assert (
        "The Liberal Democrats are best placed to beat the Conservatives here: they came second, 891 votes behind. "
        "The other progressive parties together won 3,991 votes. "
        "Together the progressive parties won 26,393 votes, more than the Conservatives' 23,293: a progressive tragedy."
    ) in text


def test_the_chart_and_table_give_every_candidate_with_numbers_as_text(seats, client):
    response = seat(client, "godalming-and-ash")
    html = response.content.decode()
    bars = re.findall(r'<rect class="bar" width="([0-9.]+)" height="10" fill="(#[0-9A-Fa-f]{6})"/>', html)
    assert bars == [
        ("100.0", "#0087DC"),
        ("96.2", "#FAA61A"),
        ("20.7", "#12B6CF"),
        ("11.8", "#E4003B"),
        ("5.3", "#02A95B"),
    ]
    body = re.search(r"<tbody>(.*?)</tbody>", html.split('class="data result-table"')[1], re.S).group(1)
    assert body.count("<tr>") == 5
    text = text_of(response)
    assert "Liberal Democrats Paul Follows 22,402 41.1%" in text
    # No JavaScript needed: the only script enhances the copy-link button, which is a plain link without it.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/copy-link.js" defer>']


def test_history_is_newest_first_with_notional_and_by_elections(seats, client):
    load_election(
        "by-godalming-test",
        date(2025, 5, 1),
        [contest(*GODALMING[:2], {"LD": 15000, "Con": 14000, "Lab": 900}, region="South East")],
        kind=Election.Kind.BY_ELECTION,
        name="Made-up Godalming and Ash by-election (test)",
    )
    response = seat(client, "godalming-and-ash")
    history = [row.result.election.slug for row in response.context["page"].history]
    assert history == ["by-godalming-test", "ge2024", "notional-ge2019-2024"]
    assert response.context["page"].election.slug == "by-godalming-test"  # the latest result is shown
    assert "The Liberal Democrats are best placed to hold this seat: they won it by 1,000 votes" in text_of(
        response
    )
    assert 'href="/seats/godalming-and-ash/?election=ge2024"' in response.content.decode()


def test_title_description_canonical_and_share_links(seats, client):
    response = seat(client, "godalming-and-ash", postcode="GU7 9ZZ")
    html = response.content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html).group(1))
    assert title == "Godalming and Ash: 2024 general election result and who is best placed | Seat Finder"
    description = unescape(re.search(r'<meta name="description" content="([^"]*)"', html).group(1))
    assert description == (  # the advice (web/seat_advice.py), not the last result's own sentence
        "Godalming and Ash (South East). Back Liberal Democrats. The Liberal Democrats are best placed to beat "
        "the Conservatives here."
    )
    assert '<link rel="canonical" href="http://testserver/seats/godalming-and-ash/">' in html
    assert 'value="http://testserver/seats/godalming-and-ash/"' in html
    encoded = quote("http://testserver/seats/godalming-and-ash/", safe="")
    shares = re.findall(r'<li><a href="([^"]+)" rel="noopener">([^<]+)</a></li>', html)
    assert [label for _, label in shares] == ["Email", "WhatsApp", "Bluesky", "X (Twitter)", "Facebook"]
    assert all(encoded in unescape(href) or "http%3A//testserver" in unescape(href) for href, _ in shares)


def test_a_notional_result_is_not_called_a_result_result(seats, client):
    response = seat(client, "godalming-and-ash", election="notional-ge2019-2024")
    html = response.content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html).group(1))
    assert title == (
        "Godalming and Ash: 2019 notional result on 2024 boundaries and who is best placed | Seat Finder"
    )
    text = text_of(response)
    assert "2019 notional result on 2024 boundaries Notional winner" in text  # the heading, then the facts
    assert "Based on the 2019 notional result on 2024 boundaries. The progressive parties" in text
    assert "result result" not in text and "result result" not in title
    # An election named without the word still gets it.
    assert "Based on the 2024 general election result." in text_of(seat(client, "godalming-and-ash"))


def test_canonical_and_share_links_use_the_public_site_url(seats, client, settings):
    settings.SEATFINDER_SITE_URL = "https://seatfinder.example.org"
    response = seat(client, "godalming-and-ash", postcode="GU7 9ZZ")
    html = response.content.decode()
    assert '<link rel="canonical" href="https://seatfinder.example.org/seats/godalming-and-ash/">' in html
    assert 'value="https://seatfinder.example.org/seats/godalming-and-ash/"' in html
    shares = [unescape(href) for href in re.findall(r'<li><a href="([^"]+)" rel="noopener">', html)]
    assert all("seatfinder.example.org" in href and "testserver" not in href for href in shares)


def test_behind_an_https_proxy_the_canonical_url_is_https(seats, client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # SEATFINDER_BEHIND_HTTPS_PROXY
    settings.ALLOWED_HOSTS = ["seatfinder.example.org"]
    headers = {"host": "seatfinder.example.org", "x-forwarded-proto": "https"}
    html = client.get("/seats/godalming-and-ash/", headers=headers).content.decode()
    assert '<link rel="canonical" href="https://seatfinder.example.org/seats/godalming-and-ash/">' in html


def test_choosing_an_earlier_election(seats, client):
    response = seat(client, "godalming-and-ash", election="notional-ge2019-2024")
    page = response.context["page"]
    assert page.election.slug == "notional-ge2019-2024"
    html = response.content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/seats/godalming-and-ash/?election=notional-ge2019-2024">'
        in html
    )
    text = text_of(response)
    assert "Notional winner Conservative" in text
    assert "is an estimate of how votes cast in 2019 would have fallen on these boundaries" in text
    # Asking for the default election explicitly is the canonical page itself.
    again = seat(client, "godalming-and-ash", election="ge2024").content.decode()
    assert '<link rel="canonical" href="http://testserver/seats/godalming-and-ash/">' in again


@pytest.mark.parametrize(
    ("slug", "params", "message"),
    [
        ("nowhere", {}, "We have no constituency at this address (“nowhere”)."),
        ("godalming-and-ash", {"election": "ge1066"}, "We have no election called “ge1066”."),
        ("godalming-and-ash", {"election": "ge\x002024"}, "We have no election called"),
        (
            "godalming-and-ash",
            {"election": "ge2019"},
            "is not a constituency on the 2010 constituency boundaries",
        ),
    ],
)
def test_missing_seats_and_elections_are_404s_with_a_reason(seats, client, slug, params, message):
    load_election(
        "ge2019",
        GE2019_DAY,
        [contest("E14000548", "Batley and Spen", {"Lab": 22594, "Con": 19069})],
        boundary_code="2010",
    )
    response = seat(client, slug, **params)
    assert response.status_code == 404
    assert message in text_of(response)
    assert 'name="q"' in response.content.decode()  # a way on: the search form


def test_a_seat_not_contested_at_that_election(seats, client):
    load_election(
        "by-aberdeen-test",
        date(2025, 1, 1),
        [contest(*ABERDEEN_NORTH[:2], {"SNP": 100, "Lab": 90}, country="Scotland")],
        kind=Election.Kind.BY_ELECTION,
        name="Made-up Aberdeen North by-election",
    )
    response = seat(client, "godalming-and-ash", election="by-aberdeen-test")
    assert response.status_code == 404
    assert "There was no contest in Godalming and Ash at the Made-up Aberdeen North by-election." in text_of(
        response
    )


def test_the_newest_boundaries_are_the_default_and_older_ones_are_linked(seats, client):
    load_election(
        "ge2019",
        GE2019_DAY,
        [
            contest(
                "S14000001", "Aberdeen North", {"SNP": 20205, "Con": 7535, "Lab": 4939}, country="Scotland"
            )
        ],
        boundary_code="2010",
    )
    current = seat(client, "aberdeen-north")
    assert current.context["page"].constituency.boundary_set.code == "2024"
    assert 'href="/seats/aberdeen-north/?election=ge2019"' in current.content.decode()

    older = seat(client, "aberdeen-north", election="ge2019")
    assert older.context["page"].constituency.ons_id == "S14000001"
    assert not older.context["page"].is_current_boundaries
    text = text_of(older)
    assert "These are earlier boundaries" in text
    assert "Winning party Scottish National Party" in text  # no candidate names in this result
    assert 'href="/seats/aberdeen-north/"' in older.content.decode()


def test_a_postcode_on_the_current_boundaries_lands_on_that_seat_not_a_newer_notional_one(
    default_parties, client
):
    """The 2019 results (2010 boundaries) and the notional 2019 results on the 2024 boundaries are loaded,
    but no 2024 election: the 2010 boundaries are current, and /seats/aberdeen-north/ is their seat."""
    load_election(
        "ge2019",
        GE2019_DAY,
        [
            contest(
                "S14000001", "Aberdeen North", {"SNP": 20205, "Con": 7535, "Lab": 4939}, country="Scotland"
            )
        ],
        boundary_code="2010",
    )
    load_election(
        "notional-ge2019-2024",
        GE2019_DAY,
        [contest(*ABERDEEN_NORTH[:2], {"SNP": 19000, "Con": 8000, "Lab": 5000}, country="Scotland")],
        kind=Election.Kind.NOTIONAL,
        name="2019 notional result on 2024 boundaries",
    )
    add_postcode("AB10 1PE", "S14000001", boundary_code="2010")

    response = client.get("/postcode/", {"postcode": "ab10 1pe"}, follow=True)
    assert response.redirect_chain[0][0] == "/seats/aberdeen-north/?postcode=AB10+1PE"
    page = response.context["page"]
    assert (page.constituency.ons_id, page.election.slug) == ("S14000001", "ge2019")
    assert page.is_current_boundaries
    assert "Your postcode, AB10 1PE, is in this constituency." in text_of(response)
    html = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/seats/aberdeen-north/">' in html
    assert 'href="/seats/aberdeen-north/?election=notional-ge2019-2024"' in html  # the 2024 seat, linked
    notional = seat(client, "aberdeen-north", election="notional-ge2019-2024").context["page"]
    assert notional.constituency.ons_id == ABERDEEN_NORTH[0] and not notional.is_current_boundaries

    # Search links agree with the seat page.
    results = client.get("/search", {"q": "aberdeen north"}).context["results"]
    assert [hit.url for hit in results.current] == ["/seats/aberdeen-north/"]
    assert [hit.url for hit in results.earlier] == ["/seats/aberdeen-north/?election=notional-ge2019-2024"]


def test_your_postcode_is_only_confirmed_when_true(seats, client):
    assert seat(client, "aberdeen-north", postcode="ab101pe").context["your_postcode"] == "AB10 1PE"
    assert seat(client, "godalming-and-ash", postcode="AB10 1PE").context["your_postcode"] is None
    assert seat(client, "godalming-and-ash", postcode="<script>").context["your_postcode"] is None


def seat_with_candidates(n):
    votes = {"Con": 20000, "Lab": 15000, "LD": 5000}
    votes.update({f"Test Minor Party {i}": 100 + i for i in range(n - 3)})
    return contest(f"E1409{n:04d}", f"Test Seat {n}", votes)


def test_the_seat_page_costs_the_same_queries_however_many_parties_stood(default_parties, client):
    load_election("ge-test", date(2030, 1, 1), [seat_with_candidates(3), seat_with_candidates(25)])
    seat(client, "test-seat-3")  # the supporter counts, read once and then from Django's cache, for both
    counts = {}
    for n in (3, 25):
        with CaptureQueriesContext(connection) as queries:
            response = seat(client, f"test-seat-{n}", postcode="SW1A 0AA")
        assert response.status_code == 200
        assert len(response.context["page"].bars) == n
        counts[n] = len(queries)
    assert counts[3] == counts[25]


def test_seat_page_query_ceiling(seats, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEAT_PAGE_MAX_QUERIES - 1 + 1):  # no election asked; + the postcode
        assert seat(client, "godalming-and-ash", postcode="GU7 9ZZ").status_code == 200
    with django_assert_max_num_queries(SEAT_PAGE_MAX_QUERIES):
        assert seat(client, "godalming-and-ash", election="notional-ge2019-2024").status_code == 200


def test_other_pages_have_query_ceilings(seats, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the elections list, the postcodes to try
        client.get("/")
    with django_assert_max_num_queries(1):
        client.get("/postcode/", {"postcode": "GU7 9ZZ"})
    with django_assert_max_num_queries(4):  # look-up, directory coverage, elections list, postcodes to try
        client.get("/postcode/", {"postcode": "ZE1 0AA"})
    with django_assert_max_num_queries(1):  # the split choice: the look-up only
        assert client.get("/postcode/", {"postcode": "AB9 9ZZ"}).status_code == 200
    with django_assert_max_num_queries(3):  # retired: look-up, elections list, postcodes to try
        assert "no longer in use" in text_of(client.get("/postcode/", {"postcode": "AB1 1LD"}))
    with django_assert_max_num_queries(3):
        client.get("/search", {"q": "a"})


def test_the_home_page_lists_the_postcodes_a_demo_sized_directory_knows(seats, client):
    response = client.get("/")
    assert response.context["postcodes_to_try"] == ["AB10 1PE", "AB9 9ZZ", "GU7 9ZZ"]  # live ones, once each
    assert (
        "Our postcode directory holds only a few postcodes so far. "
        "Try AB10 1PE , AB9 9ZZ or GU7 9ZZ , or search for your constituency by name."  # text_of spaces tags
    ) in text_of(response)
    assert 'href="/postcode/?postcode=AB10%201PE"' in response.content.decode()
    # Shown beside a postcode it does not know, too.
    assert client.get("/postcode/", {"postcode": "ZE1 0AA"}).context["postcodes_to_try"]


def test_a_real_sized_directory_lists_no_postcodes_to_try(seats, client):
    cover_area("GU8", GODALMING[0], count=POSTCODES_TO_TRY_UP_TO)
    response = client.get("/")
    assert response.context["postcodes_to_try"] == []
    assert "holds only a few postcodes" not in text_of(response)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Find your seat"),
        ("/postcode/?postcode=ZE1+0AA", "Find your seat"),
        ("/search?q=godalming", "Search by name"),
        ("/seats/", "Seat list"),
        ("/api/", "API"),
        ("/seats/godalming-and-ash/", None),
    ],
)
def test_the_nav_marks_the_current_page(seats, client, path, current):
    html = client.get(path).content.decode()
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html).group(1)
    marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', nav)
    assert marked == ([current] if current else [])


# Search by name


@pytest.fixture
def named_seats(default_parties):
    small_ge2024(
        contest("E14001507", "St Albans", {"LD": 29222, "Con": 9388, "Lab": 5189}, region="East of England"),
        contest(
            "E14001581", "Weston-super-Mare", {"Lab": 16310, "Con": 11901, "RUK": 7735}, region="South West"
        ),
    )
    load_election(
        "ge2019",
        GE2019_DAY,
        [
            contest(
                "E14000548",
                "Batley and Spen",
                {"Lab": 22594, "Con": 19069},
                region="Yorkshire and The Humber",
            ),
            contest("W07000041", "Ynys Mon", {"Con": 12959, "Lab": 10991, "PC": 10418}, country="Wales"),
        ],
        boundary_code="2010",
    )


def search(client, q):
    return client.get("/search", {"q": q})


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("ynys mon", "Ynys Môn"),
        ("YNYS MÔN", "Ynys Môn"),
        ("ynysmon", "Ynys Môn"),
        ("batley", "Batley and Spen"),
        ("Batley & Spen", "Batley and Spen"),
        ("spen", "Batley and Spen"),
        ("st. albans", "St Albans"),
        ("weston super mare", "Weston-super-Mare"),
        ("godalming", "Godalming and Ash"),
    ],
)
def test_search_is_case_accent_and_punctuation_insensitive(named_seats, client, q, first):
    results = search(client, q).context["results"]
    hits = results.current + results.earlier
    assert hits[0].constituency.name == first


def test_search_puts_current_boundaries_first_and_links_older_seats(named_seats, client):
    results = search(client, "ynys").context["results"]
    assert [h.constituency.name for h in results.current] == ["Ynys Môn"]
    assert [h.constituency.name for h in results.earlier] == ["Ynys Mon"]
    assert results.earlier[0].url == "/seats/ynys-mon/?election=ge2019"  # the 2024 seat has the same slug
    assert results.current[0].url == "/seats/ynys-mon/"
    assert results.current[0].latest.winner.code == "PC"


def test_search_by_region(named_seats, client):
    results = search(client, "scotland").context["results"]
    assert results.region == "Scotland"
    assert [h.constituency.name for h in results.in_region] == ["Aberdeen North"]


def test_search_with_a_whole_postcode_goes_to_the_look_up(named_seats, client):
    response = search(client, "gu7 9zz")
    assert response.status_code == 302
    assert response["Location"] == "/postcode/?postcode=gu7+9zz"


def test_search_with_half_a_postcode_explains(named_seats, client):
    text = text_of(search(client, "SW1A"))
    assert "No constituency name matches “SW1A”." in text
    assert "looks like the first half of a postcode" in text


def test_search_with_nothing_found(named_seats, client):
    text = text_of(search(client, "Atlantis"))
    assert "No constituency name matches “Atlantis”." in text
    assert "looks like the first half" not in text


def test_the_search_length_limit_says_what_it_accepts(named_seats, client):
    assert search(client, "a" * 100).context["form"].is_valid()  # 100 is accepted...
    response = search(client, "a" * 101)
    assert not response.context["form"].is_valid()
    assert "Please use 100 characters or fewer." in text_of(response)  # ...and the message says so


def test_empty_search_shows_just_the_form(named_seats, client):
    response = client.get("/search")
    assert response.status_code == 200
    assert response.context["results"] is None
    assert '<label class="field-label" for="id_q">' in response.content.decode()
