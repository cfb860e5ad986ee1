"""End dates written in remarks and comments: ISO, slashed, compact, and the ROC calendar.

Only a date that reads as an *end* counts — after a word such as "expires", "until", "到期" or
"截止", or as the second date of a range ("2025/01/01~2025/06/30", "114/01/01至114/06/30") — so
the creation date or a ticket number (``CHG-2025-0718``) in a remark is never taken for an expiry.
"""

from __future__ import annotations

import re
from datetime import date

ROC_OFFSET = 1911

_BOUNDARY_BEFORE = r"(?<![\w\-/.])"
_BOUNDARY_AFTER = r"(?![\w\-/]|\.\d)"
_DATE = re.compile(
    _BOUNDARY_BEFORE
    + r"(?:"
    + r"(?P<iso>(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2}))"
    + r"|(?P<compact>(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2}))"
    + r"|(?P<roc>(?:民國\s*)?(?P<y3>1\d{2})[/.](?P<m3>\d{1,2})[/.](?P<d3>\d{1,2}))"
    + r"|(?P<rocword>民國\s*(?P<y4>\d{2,3})\s*年\s*(?P<m4>\d{1,2})\s*月\s*(?P<d4>\d{1,2})\s*日?)"
    + r")"
    + _BOUNDARY_AFTER
)
_END_WORDS = re.compile(
    r"(?i)(?:expir\w*|exp\.?|until|till|thru|through|valid\s+(?:to|until)|end(?:s|ing|\s+date)?|due|"
    r"remove(?:d)?\s+(?:by|after|on)|removal|deadline|到期日?|期限|截止日?|有效期限?|有效至|移除|至)\s*[:：=]?\s*$"
)
_RANGE_SEPARATOR = re.compile(r"^\s*(?:~|～|-|–|—|to|至|到)\s*$", re.I)


def _to_date(match: re.Match[str]) -> date | None:
    for suffix, offset in (("1", 0), ("2", 0), ("3", ROC_OFFSET), ("4", ROC_OFFSET)):
        year = match.group(f"y{suffix}")
        if year is not None:
            try:
                return date(int(year) + offset, int(match.group(f"m{suffix}")), int(match.group(f"d{suffix}")))
            except ValueError:
                return None
    return None  # pragma: no cover - one alternative always matches


def find_dates(text: str) -> list[tuple[date, re.Match[str]]]:
    """Every valid date in the text, in order."""
    found = []
    for match in _DATE.finditer(text):
        value = _to_date(match)
        if value is not None and 1990 <= value.year <= 2200:
            found.append((value, match))
    return found


def end_dates(text: str) -> list[tuple[date, str]]:
    """The dates that read as an end date, with the text that shows it."""
    dates = find_dates(text)
    ends = []
    for index, (value, match) in enumerate(dates):
        before = text[max(0, match.start() - 24) : match.start()]
        previous = dates[index - 1][1] if index else None
        is_range_end = previous is not None and _RANGE_SEPARATOR.match(text[previous.end() : match.start()])
        if _END_WORDS.search(before) or is_range_end:
            ends.append((value, match.group(0)))
    return ends
