"""How a count of supporters is shown: below the threshold never as a number, so nobody can be identified."""

SHOWN_FROM = 5
FEWER = f"fewer than {SHOWN_FROM}"


def shown_count(count: int) -> int | None:
    """The number that may be shown, or None when it is below the threshold."""
    return count if count >= SHOWN_FROM else None


def count_display(count: int) -> str:
    """The words for a count: "fewer than 5", "5 supporters", "1,234 supporters"."""
    if count < SHOWN_FROM:
        return FEWER
    return f"{count:,} supporters"
