"""The hex map as a PNG, drawn with Pillow from the same hexes, styles and legend as the SVG; and the cache
that renders it at most once per query and seat data version in each process."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from constituencies.listings.maps import HexMap
from constituencies.rules.map_colours import COLOUR_BY, FADED_OPACITY
from constituencies.seats.data_version import KeptPerVersion

SCALE = 1.5  # pixels per SVG unit
LEGEND_ROW = 24
PAD = 16


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _faded(colour: str) -> tuple[int, int, int]:
    return tuple(round(255 - (255 - c) * FADED_OPACITY) for c in _rgb(colour))


def render_png(hex_map: HexMap) -> bytes:
    font = ImageFont.load_default(size=15)
    title = f"{hex_map.election.name}, coloured by {COLOUR_BY[hex_map.colour_by].lower()}"
    summary = f"{hex_map.matching} of {hex_map.seats} seats match"
    map_w, map_h = round(hex_map.width * SCALE), round(hex_map.height * SCALE)
    legend_h = LEGEND_ROW * len(hex_map.legend) + PAD
    width, height = max(map_w, 480) + 2 * PAD, map_h + 3 * LEGEND_ROW + legend_h + 2 * PAD
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((PAD, PAD), title, fill="#1b1b1b", font=font)
    draw.text((PAD, PAD + LEGEND_ROW), summary, fill="#1b1b1b", font=font)
    top = PAD + 2 * LEGEND_ROW

    hatched = Image.new("L", (width, height), 0)  # where stripes go
    hatch_mask = ImageDraw.Draw(hatched)
    for h in hex_map.hexes:
        points = [(PAD + x * SCALE, top + y * SCALE) for x, y in h.corners]
        fill = _rgb(h.style.fill) if h.matches or not h.url else _faded(h.style.fill)
        draw.polygon(points, fill=fill, outline=_rgb(h.style.ink) if h.matches else _faded(h.style.ink))
        if h.style.hatch:
            hatch_mask.polygon(points, fill=255 if h.matches else 90)
    legend_top = top + map_h + LEGEND_ROW
    for i, entry in enumerate(hex_map.legend):
        y = legend_top + i * LEGEND_ROW
        box = [(PAD, y), (PAD + 16, y + 16)]
        draw.rectangle(box, fill=_rgb(entry.style.fill), outline=_rgb(entry.style.ink))
        if entry.style.hatch:
            hatch_mask.rectangle(box, fill=255)
        count = f"{entry.seats}" + (f" ({entry.matching} match)" if hex_map.filtered else "")
        draw.text((PAD + 24, y), f"{entry.label}: {count}", fill="#1b1b1b", font=font)
    _hatch(image, hatched, hex_map)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _hatch(image: Image.Image, mask: Image.Image, hex_map: HexMap) -> None:
    """Diagonal stripes wherever the mask is set, in the hatch colour of the map's hatched style."""
    colour = next((h.style.hatch for h in hex_map.hexes if h.style.hatch), "")
    if not colour:
        return
    stripes = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(stripes)
    width, height = image.size
    for start in range(-height, width, 6):
        draw.line([(start, height), (start + height, 0)], fill=255, width=2)
    solid = Image.new("RGB", image.size, _rgb(colour))
    image.paste(solid, (0, 0), Image.composite(mask, Image.new("L", image.size, 0), stripes))


pngs = KeptPerVersion(size=16)  # the last few PNGs, by (query, colouring) and seat data version
