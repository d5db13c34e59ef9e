"""The seat page's share card: a 1200x630 PNG drawn at most once per seat data version, linked as og:image."""

import io
import re

import pytest
from django.test import Client
from PIL import Image

from constituencies.models import Party
from constituencies.web import share_cards
from tests.builders import notional_godalming_2019, small_ge2024

pytestmark = pytest.mark.django_db(transaction=True)  # the data version changes at commit


@pytest.fixture
def seats(default_parties, monkeypatch):
    small_ge2024()
    notional_godalming_2019()
    share_cards.clear_kept_cards()
    drawn = []
    render = share_cards.render_png

    def counted(card):
        drawn.append(card)
        return render(card)

    monkeypatch.setattr(share_cards, "render_png", counted)
    yield drawn
    share_cards.clear_kept_cards()


def og_image(client, path):
    page = client.get(path).content.decode()
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta property="og:title" content="Godalming and Ash | Seat Finder">' in page
    return re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)


def test_the_seat_page_links_its_card_by_absolute_url_and_the_card_is_a_1200_by_630_png(seats):
    client = Client()
    url = og_image(client, "/seats/godalming-and-ash/")
    assert re.fullmatch(r"http://testserver/seats/godalming-and-ash/card\.png\?v=\d+", url)
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000"  # the URL names the data version
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    card = seats[-1]
    assert card.title == "Godalming and Ash" and card.subtitle == "2024 general election"
    assert card.facts == ("Won by: Conservative (Jeremy Hunt)", "Majority 891 (1.6% of the votes)")
    assert card.statuses == (("tragedy", "Progressive tragedy"), ("very_marginal", "Very marginal"))
    assert card.headline.startswith("Advice: ")


def test_the_card_of_another_election_follows_the_page(seats):
    client = Client()
    url = og_image(client, "/seats/godalming-and-ash/?election=notional-ge2019-2024")
    assert "election=notional-ge2019-2024" in url
    client.get(url)
    assert seats[-1].subtitle == "2019 notional result on 2024 boundaries"
    assert seats[-1].facts[0] == "Notional winner: Conservative"


def test_a_second_request_is_not_drawn_again_and_a_data_change_is(seats):
    client = Client()
    first = client.get("/seats/godalming-and-ash/card.png")
    assert first["Cache-Control"] == "public, max-age=300"  # no version in the URL: revalidate soon
    again = client.get("/seats/godalming-and-ash/card.png")
    assert len(seats) == 1 and again.content == first.content and again["ETag"] == first["ETag"]
    assert (
        client.get("/seats/godalming-and-ash/card.png", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    assert len(seats) == 1

    Party.objects.filter(code="Con").update(name="Conservative and Unionist Party")
    changed = client.get("/seats/godalming-and-ash/card.png", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert len(seats) == 2 and seats[-1].facts[0] == "Won by: Conservative and Unionist Party (Jeremy Hunt)"


def test_an_unknown_seat_or_election_has_no_card(seats):
    client = Client()
    missing = client.get("/seats/nowhere-at-all/card.png")
    assert missing.status_code == 404 and "nowhere-at-all" in missing.content.decode()
    assert client.get("/seats/godalming-and-ash/card.png?election=ge1066").status_code == 404
    assert seats == []
