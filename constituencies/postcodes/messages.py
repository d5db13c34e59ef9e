"""What to tell a person about their postcode look-up, in plain words, for each outcome."""

from __future__ import annotations

from datetime import date

from constituencies.postcodes.lookup import LookupResult, Outcome
from constituencies.rules.postcodes import FORCES, postcode_area

EXAMPLE = "M1 1AD"  # Manchester Central: a real postcode the demo holds (fixtures/demo-postcodes-2024.csv)


def month_year(day: date | None) -> str:
    return day.strftime("%B %Y") if day else ""


def message_for(result: LookupResult) -> str:
    """What to tell the person, in plain words; empty when the postcode was found."""
    pc = result.postcode
    if result.outcome is Outcome.NOT_A_POSTCODE:
        if not result.text.strip():
            return f"Enter your postcode, for example {EXAMPLE}."
        if result.suggestion:
            held = " It is in our postcode directory." if result.suggestion_in_directory else ""
            return f"“{_shown(result.text)}” is not a UK postcode. Did you mean {result.suggestion}?{held}"
        outward, inward = EXAMPLE.split(" ")
        return (
            f"“{_shown(result.text)}” is not a UK postcode. A postcode has two parts, like {EXAMPLE}: "
            f"an area and district such as {outward}, then a number and two letters such as {inward}."
        )
    if result.outcome is Outcome.UNKNOWN and not result.directory_covers_area:
        coverage = "covers only a few" if result.postcodes_held_in_area else "does not cover"
        return (
            f"We cannot look up {pc} yet: our postcode directory {coverage} {postcode_area(pc)} postcodes. "
            "Search for your constituency by name instead."
        )
    if result.outcome is Outcome.UNKNOWN:
        return (
            f"We could not find the postcode {pc}. Check it against a letter or your poll card: "
            "new postcodes can take a few months to reach our directory. "
            "You can also search for your constituency by name."
        )
    if result.outcome is Outcome.TERMINATED:
        when = f" in {month_year(result.terminated_on)}" if result.terminated_on else ""
        return (
            f"{pc} is no longer in use: Royal Mail retired it{when}. "
            "Try your current postcode, or search for your constituency by name."
        )
    if result.outcome is Outcome.OUTSIDE:
        if result.place == "Northern Ireland":
            return (
                f"{pc} is a Northern Ireland postcode, and our postcode directory covers Great Britain only. "
                "Search for your constituency by name instead."
            )
        if result.place == FORCES:
            return (
                f"{pc} is an address of {FORCES}, which is outside the UK Parliament's constituencies, "
                "so there is no Westminster seat to show. Service voters are registered at a UK address: "
                "enter the postcode of the UK home where you are registered to vote."
            )
        if result.place:
            return (
                f"{pc} is a postcode for {result.place}, which is outside the UK Parliament's constituencies "
                "in Great Britain, so there is no Westminster seat to show."
            )
        return f"{pc} is not in any Westminster constituency in Great Britain, so there is no seat to show."
    if result.outcome is Outcome.NO_DATA:
        if result.place:
            return (
                f"{pc} is in {result.place}, but we have no election results for that constituency yet. "
                "Search for it by name to see what we do have."
            )
        return f"We have no election results loaded yet, so we cannot look up {pc}. Please try again later."
    if result.outcome is Outcome.UNAVAILABLE:
        return (
            f"We could not check {pc} just now because the postcode service did not answer. "
            "Please try again in a minute, or search for your constituency by name."
        )
    return ""


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
