"""What a fiscal year looks like in a file: "2016", "FY16", "2015/16", "FY 99-00".

The loaders parse year columns and year-named headers with it, and the domain
reads year labels of snapshots and books with the same rule, so "FY16" means
the same year everywhere. Owned by the model; it imports nothing of the app.
"""
from __future__ import annotations

import re

#: Cell texts read as "no value" by every parser.
MISSING = {"", "-", "–", "—", "n/a", "na", "#n/a", "null", "none", "nan"}
_FY_PREFIX = re.compile(r"(?:fy|fiscal\s+year)[\s\-_:.]*", re.IGNORECASE)
_FY_RANGE = re.compile(r"(\d{4}|\d{2})\s*[-/–—]\s*(\d{4}|\d{2})")


def fiscal_year_of_label(label: str) -> int | None:
    """The fiscal year a label or header names ("FY16", "2015/16", "2016.0"), else None."""
    return parse_fiscal_year(str(label).strip())[0]


def _two_digit(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy  # the POSIX %y pivot: FY69 = 2069, FY70 = 1970


def parse_fiscal_year(text: str) -> tuple[int | None, str | None]:
    """(year, None), (None, reason refused), or (None, None) for a missing value."""
    if text.casefold() in MISSING:
        return None, None
    prefix = _FY_PREFIX.match(text)
    core = text[prefix.end():] if prefix else text
    year: int | None = None
    if re.fullmatch(r"\d{4}(?:\.0+)?", core):
        year = int(core[:4])
    elif prefix and re.fullmatch(r"\d{2}", core):  # two digits only with "FY": "16" alone is too vague
        year = _two_digit(int(core))
    elif (m := _FY_RANGE.fullmatch(core)) and (prefix or len(m[1]) == 4):
        start = int(m[1]) if len(m[1]) == 4 else _two_digit(int(m[1]))
        year = int(m[2]) if len(m[2]) == 4 else start // 100 * 100 + int(m[2])
        year += 100 if len(m[2]) == 2 and year <= start else 0  # "1999-00"
        if year != start + 1:
            return None, "is not a fiscal year (the two years must follow each other)"
    if year is None:
        return None, "is not a fiscal year"
    if not 1900 <= year <= 2100:
        return None, "is not a fiscal year between 1900 and 2100"
    return year, None
