"""The home page counts marginal seats as the seat list's filter does: one meaning, one set of words."""

import re

from django.urls import reverse

from constituencies.rules.arithmetic import MARGINAL, VERY_MARGINAL
from tests.builders import import_seats, numbered_seats
from tests.web.test_seat_list import text


def test_each_band_is_counted_and_linked_as_the_seat_list_filters_it(default_parties, client):
    import_seats("ge2024", numbered_seats(30))
    home = client.get(reverse("constituencies:home"))
    page = text(home)
    assert "Seats Progressive tragedies Very marginal Marginal" in page
    assert (
        "Very marginal: a majority under 5% of the votes cast; Marginal: a majority 5% to under 10% of"
        in page
    )
    assert "Marginal seats" not in page  # the old column counted both bands under the name of one
    html = home.content.decode()
    for band in (VERY_MARGINAL, MARGINAL):
        link = re.search(rf'<a href="(/seats/\?election=ge2024&amp;marginality={band})">([\d,]+)</a>', html)
        assert link, band
        listed = client.get(link.group(1).replace("&amp;", "&")).context["summary"].seats
        assert int(link.group(2)) == listed > 0, band
