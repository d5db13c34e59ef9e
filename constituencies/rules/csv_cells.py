"""One cell of a CSV download, safe to open in a spreadsheet. Used by the seat list's and the organisers'
exports."""


def csv_cell(value):
    """Booleans as true/false, nothing as empty, and text that a spreadsheet would run as a formula defused."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
