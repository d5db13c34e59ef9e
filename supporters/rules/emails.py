"""Email addresses: the one normal form they are stored and compared in."""


def normalise_email(text: str) -> str:
    """Trimmed and lower-cased: "Ann@Example.org " and "ann@example.org" are one supporter."""
    return (text or "").strip().lower()
