"""The ONS code of a Westminster constituency: E14 (England), W07 (Wales), S14 (Scotland) or N05/N06
(Northern Ireland), then six digits, e.g. E14000639."""

import re

ONS_CODE_PATTERN = r"^(E14|W07|S14|N05|N06)[0-9]{6}$"  # the database checks it too (Constituency.Meta)
ONS_CODE = re.compile(ONS_CODE_PATTERN)


def is_ons_code(text: str, *, any_case: bool = False) -> bool:
    return ONS_CODE.match(text.upper() if any_case else text) is not None
