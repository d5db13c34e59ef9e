"""The map's 650 hexes as SVG elements, written here rather than by a template loop: a tenth of the time.

Each hex with a seat is a link named for the seat and what its colour says; the rest are drawn unlinked, dashed.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from constituencies.rules.map_colours import FADED_OPACITY


def hex_elements(hex_map, site: str = "") -> SafeString:
    """`site` ("https://host") makes the links absolute, for the SVG download."""
    parts = []
    for h in hex_map.hexes:
        label = escape(h.label)
        shape = (
            f'<polygon points="{h.points}" fill="{h.style.paint}" stroke="{h.style.ink}" stroke-width="0.6"'
            + ("" if h.url else ' stroke-dasharray="1.5 1" class="hex hex--empty"')
            + f"><title>{label}</title></polygon>"
        )
        if not h.url:
            parts.append(shape)
            continue
        css, opacity = ("hex", "") if h.matches else ("hex hex--faded", f' opacity="{FADED_OPACITY}"')
        parts.append(
            f'<a href="{escape(site + h.url)}" aria-label="{label}" class="{css}"{opacity}>{shape}</a>'
        )
    return mark_safe("\n".join(parts))  # every value from the data is escaped above
