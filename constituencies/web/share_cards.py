"""Share cards: the 1200x630 PNG a link preview shows (og:image), drawn with Pillow.

`card_response(request, key, make_card)` serves any page's card: the seat page's (`seat_card` below) and the
map's. A card is drawn at most once per seat data version in each process (seats/data_version.py): the PNG is
kept under (key, version), and a change to the data gives a new version and so a new drawing. The page links
the card with ?v=<version>, so that URL always means one drawing and a CDN may keep it for a year; asked for
without it (or with an old one) the card is kept for five minutes. Either way the ETag is the key and the
version, so a revalidation that still matches is answered 304 without drawing or reading the seat.
Inside a transaction nothing is kept, as with the cached listings.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseNotModified
from PIL import Image, ImageDraw, ImageFont

from constituencies.models import Election
from constituencies.seats.data_version import KeptPerVersion, seat_data_version
from constituencies.web.seat_page import SeatPage

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
SITE_NAME = "Seat Finder"
KEPT_CARDS = 200  # about 40 kB each
VERSIONED_MAX_AGE = 365 * 24 * 3600
UNVERSIONED_MAX_AGE = 300

INK, MUTED, PAPER, RULE = "#1a1a1a", "#505a5f", "#ffffff", "#b1b4b6"
STATUS_COLOURS = {"tragedy": "#8a1c4a", "very_marginal": "#b35c00", "marginal": "#7a5b00", "safe": "#3d4a52"}


@dataclass(frozen=True)
class ShareCard:
    title: str  # the seat, or the map
    subtitle: str = ""  # the election
    facts: tuple[str, ...] = ()  # a line each, e.g. the winner and majority
    statuses: tuple[tuple[str, str], ...] = ()  # (css slug, label): tragedy, marginal...
    headline: str = ""  # the advice
    colour: str = "#3d4a52"  # the stripe down the left: the winner's colour


_kept = KeptPerVersion(size=KEPT_CARDS)


def clear_kept_cards() -> None:
    _kept.clear()


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def render_png(card: ShareCard) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, HEIGHT), fill=card.colour)
    left, width = MARGIN + 24, WIDTH - 2 * MARGIN - 24
    y = MARGIN - 8
    for line in _wrapped(draw, card.title, _font(64), width, 2):
        draw.text((left, y), line, font=_font(64), fill=INK)
        y += 76
    if card.subtitle:
        draw.text((left, y), card.subtitle, font=_font(32), fill=MUTED)
        y += 52
    for fact in card.facts:
        draw.text((left, y), fact, font=_font(34), fill=INK)
        y += 48
    x = left
    for slug, label in card.statuses:
        font = _font(28)
        box = (x, y + 8, x + draw.textlength(label, font=font) + 32, y + 56)
        draw.rounded_rectangle(box, radius=8, fill=STATUS_COLOURS.get(slug, MUTED))
        draw.text((x + 16, y + 16), label, font=font, fill=PAPER)
        x = box[2] + 16
    if card.statuses:
        y += 76
    if card.headline:
        draw.line((left, y, left + width, y), fill=RULE, width=2)
        y += 20
        for line in _wrapped(draw, card.headline, _font(38), width, 3):
            draw.text((left, y), line, font=_font(38), fill=INK)
            y += 50
    draw.text((left, HEIGHT - MARGIN - 28), SITE_NAME, font=_font(32), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True makes it 2 kB smaller and takes twice as long
    return out.getvalue()


def card_response(request, key: tuple, make_card: Callable[[], ShareCard | HttpResponse]) -> HttpResponse:
    """The PNG of `make_card()` (or the response it returns instead, e.g. a 404), drawn once per version."""
    version = seat_data_version()
    etag = f'"card-{version}-{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}"'
    max_age = VERSIONED_MAX_AGE if request.GET.get("v") == str(version) else UNVERSIONED_MAX_AGE
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        png = _png(key, version, make_card)
        if isinstance(png, HttpResponse):
            return png
        response = HttpResponse(png, content_type="image/png")
    for header, value in headers.items():
        response[header] = value
    return response


def _png(key: tuple, version: int, make_card) -> bytes | HttpResponse:
    def draw():
        card = make_card()
        return card if isinstance(card, HttpResponse) else render_png(card)

    return _kept.get(key, draw, version=version, keep=lambda answer: not isinstance(answer, HttpResponse))


def seat_card(page: SeatPage) -> ShareCard:
    """The seat page's card: the seat, the election shown, its winner and majority, status and advice."""
    a = page.assessment
    facts: tuple[str, ...] = ()
    if a is not None:
        winner = f"{a.winner.name} ({a.winner_name})" if a.winner_name else a.winner.name
        won = "Notional winner" if page.election.kind == Election.Kind.NOTIONAL else "Won by"
        facts = (f"{won}: {winner}", f"Majority {a.majority:,} ({float(a.majority_pct):.1f}% of the votes)")
    elif page.result is not None:
        facts = ("The published figures do not say who won",)
    if page.advice is not None and page.advice.shows:
        headline = f"Advice: {page.advice.headline}"
    else:
        headline = page.recommendation.headline if page.recommendation else ""
    return ShareCard(
        title=page.constituency.name,
        subtitle=page.election.name if page.election else "No result yet",
        facts=facts,
        statuses=tuple((b.slug, b.label) for b in page.badges),
        headline=headline,
        colour=a.winner.colour if a is not None else "#3d4a52",
    )
