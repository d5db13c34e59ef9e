"""The public site's per-IP rate limits, written once: which URLs each limit covers, the environment variable
that sets it and its default, and how a rate such as "120/m" is read.

The defaults are generous on purpose: on election night a whole household sits behind one address, and a
newsroom or a university behind another. The web layer (seatfinder/throttling.py) applies them.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"(\d+)/(\d*)([smhd])")
OFF = "off"


class BadRate(ValueError):
    """A rate in the environment that cannot be read; the message names the variable and shows an example."""


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def ratelimit_notation(self) -> str:
        """django-ratelimit's notation: "120/60s"."""
        return f"{self.count}/{self.seconds}s"


@dataclass(frozen=True)
class LimitGroup:
    name: str
    variable: str
    default: str
    url_names: tuple[str, ...]  # names in the constituencies URLconf
    covers: str


GROUPS = (
    LimitGroup(
        "postcode",
        "SEATFINDER_RATE_POSTCODE",
        "300/m",
        ("postcode", "api-postcode"),
        "postcode look-ups, page and API",
    ),
    LimitGroup("search", "SEATFINDER_RATE_SEARCH", "300/m", ("search",), "search by name"),
    LimitGroup(
        "exports",
        "SEATFINDER_RATE_EXPORTS",
        "60/m",
        ("seat_list_csv", "seat_list_json", "map_svg", "map_png"),
        "the seat list's CSV and JSON, the map's SVG and PNG",
    ),
    LimitGroup(
        "api",
        "SEATFINDER_RATE_API",
        "600/m",
        ("api_seats", "api_seat", "api_elections", "api_advice"),
        "the JSON API (the postcode API counts as a postcode look-up)",
    ),
)
GROUP_BY_URL_NAME = {url_name: group for group in GROUPS for url_name in group.url_names}


def parse_rate(text: str, variable: str = "the rate") -> Rate | None:
    """A rate from "count/period" (period s, m, h or d, optionally with a number: "1000/5m"), or None for "off"."""
    text = text.strip().lower()
    if text == OFF:
        return None
    match = RATE_PATTERN.fullmatch(text)
    if not match:
        raise BadRate(
            f'{variable} must be a count per period, such as "120/m", "1000/5m" or "off", not {text!r}'
        )
    count, multiple, period = match.groups()
    seconds = PERIODS[period] * int(multiple or 1)
    if int(count) < 1 or seconds < 1:
        raise BadRate(
            f'{variable} must allow at least 1 request in at least 1 second (or be "off"), not {text!r}'
        )
    return Rate(int(count), seconds)


def rates_from_environment(environ: Mapping[str, str]) -> dict[str, Rate | None]:
    """Each group's rate, from its variable or its default; None where the variable says "off"."""
    return {
        group.name: parse_rate(environ.get(group.variable) or group.default, group.variable)
        for group in GROUPS
    }
