"""Periods inside a fiscal year: quarters and months, how files write them, and when they end.

Plans, in-year indicator values and spending lines name a period beside their
fiscal year, written many ways ("Q2", "q2", "2", "M05", "P05", "Nov"). One
parser reads them all, so a plan's "Q2" and a spending line's "q2" are the same
period. Months are *fiscal* months (M01 is the first month of the fiscal year);
a month name ("Nov") is a calendar month, turned into a fiscal month by the
month the fiscal year starts in (``year_start``, 7 = July, the default: FY2025
runs from July 2024 to June 2025). Owned by the model; it imports nothing of
the app.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from budgetmap.model.years import MISSING

QUARTER, MONTH = "quarter", "month"
#: Periods per fiscal year, by kind.
PER_YEAR: dict[str, int] = {QUARTER: 4, MONTH: 12}
#: The default first calendar month of a fiscal year (July: a US city's year, named by the year it ends).
DEFAULT_YEAR_START = 7

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_QUARTER = re.compile(r"(?:q|qtr|quarter)\s*[-_.]?\s*0?([1-4])|0?([1-4])", re.IGNORECASE)
_FISCAL_MONTH = re.compile(r"(?:m|p|month|period)\s*[-_.]?\s*(\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """A quarter or fiscal month of a fiscal year; orders by year, then position in the year."""

    year: int
    index: int  # 1..4 for a quarter, 1..12 for a fiscal month
    kind: str = QUARTER

    def __post_init__(self) -> None:
        if self.kind not in PER_YEAR or not 1 <= self.index <= PER_YEAR[self.kind]:
            raise ValueError(f"no {self.kind} {self.index} in a fiscal year")

    @property
    def label(self) -> str:
        """How the app writes it: "Q2" or "M05"."""
        return f"Q{self.index}" if self.kind == QUARTER else f"M{self.index:02d}"

    @property
    def name(self) -> str:
        """The period in a sentence: "FY2025 Q2"."""
        return f"FY{self.year} {self.label}"

    @property
    def ordinal(self) -> int:
        """Position on one running count of periods of this kind, so runs and gaps are subtraction."""
        return self.year * PER_YEAR[self.kind] + self.index - 1

    @classmethod
    def from_ordinal(cls, ordinal: int, kind: str) -> "Period":
        year, rest = divmod(ordinal, PER_YEAR[kind])
        return cls(year, rest + 1, kind)

    @property
    def end_month(self) -> int:
        """The fiscal month (1..12) the period ends in: Q2 ends in month 6."""
        return self.index * 3 if self.kind == QUARTER else self.index

    def ends(self, year_start: int = DEFAULT_YEAR_START) -> datetime.date:
        """The last day of the period, given the calendar month the fiscal year starts in."""
        months = (self.year - (1 if year_start > 1 else 0)) * 12 + (year_start - 1) + (self.end_month - 1)
        year, month = divmod(months, 12)
        return datetime.date(year, month + 1, calendar.monthrange(year, month + 1)[1])

    def within(self, kind: str) -> "Period | None":
        """This period as one of another kind that holds it (a month's quarter); None when it cannot."""
        if kind == self.kind:
            return self
        if self.kind == MONTH and kind == QUARTER:
            return Period(self.year, (self.index - 1) // 3 + 1, QUARTER)
        return None  # a quarter is not inside one month


def parse_period(text: str, year_start: int = DEFAULT_YEAR_START) -> tuple[tuple[str, int] | None, str | None]:
    """``((kind, index), None)``, ``(None, reason refused)``, or ``(None, None)`` for a missing value.

    Quarters: Q1..Q4 in any case, "Q 1", "Qtr 1", "Quarter 1", or a bare 1..4.
    Months: M01..M12 or P01..P12 ("Month 5", "Period 5"): fiscal months; a month's
    name or abbreviation ("November", "Nov", "Sept"): the calendar month.
    """
    text = str(text).strip()
    if text.casefold() in MISSING:
        return None, None
    if m := _QUARTER.fullmatch(text):
        return (QUARTER, int(m[1] or m[2])), None
    if m := _FISCAL_MONTH.fullmatch(text):
        month = int(m[1])
        if 1 <= month <= 12:
            return (MONTH, month), None
        return None, "is not a month of the fiscal year (M01 to M12)"
    if text.casefold() in _MONTHS:
        return (MONTH, (_MONTHS[text.casefold()] - year_start) % 12 + 1), None
    if re.fullmatch(r"0?[5-9]|1[0-2]", text):
        return None, "is not a period: bare numbers are quarters (1 to 4); write months as M05 or a month name"
    return None, "is not a period (a quarter like Q2, or a month like M05 or Nov)"


def period_of(year: int, text: str, year_start: int = DEFAULT_YEAR_START) -> Period | None:
    """The period a (fiscal year, period text) pair names, or None when the text is not one."""
    parsed, _ = parse_period(text, year_start)
    return Period(year, parsed[1], parsed[0]) if parsed else None


_AS_OF_FORMATS = ("%B %Y", "%b %Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y")


def as_of_date(text: str) -> datetime.date | None:
    """The date an ``as_of`` text names ("2025-06-30", "2025-06", "June 2025"); a month means its last day.

    None when the text is no date ("spring", empty): the monitor then takes the
    last period with actuals as the latest.
    """
    text = str(text).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", text):
        try:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        return datetime.date(year, month, calendar.monthrange(year, month)[1]) if 1 <= month <= 12 else None
    for form in _AS_OF_FORMATS:
        try:
            found = datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
        if "%d" in form:
            return found
        return found.replace(day=calendar.monthrange(found.year, found.month)[1])
    return None
