"""The as-of period of the monitoring page, as a URL carries it ("2025Q2") and as the monitor reads it.

A view keeps the period as text so it stays a simple, hashable value; the
spellings people write (``?period=FY2025 Q2``, or ``?year=2025&period=Q2``) are
resolved to that one canonical text by ``budgetmap.fields`` through
``spellings``. Anything else, or a period the data cannot be monitored at, means
the latest monitored period: a shared link falls back, with a note.
"""
from __future__ import annotations

import re

from budgetmap import monitor
from budgetmap.model import Dataset, Period
from budgetmap.view import SpendingView

_CANONICAL = re.compile(r"(\d{4})(Q[1-4]|M(?:0[1-9]|1[0-2]))")


def canonical(period: Period) -> str:
    """The text a view and the URL hold: "2025Q2", "2025M05"."""
    return f"{period.year}{period.label}"


def spellings(dataset: Dataset, view: SpendingView) -> dict[str, str]:
    """Every accepted way to write a monitored period -> its canonical text.

    "2025Q2", "FY2025 Q2", "2025 Q2" (any case); a bare "Q2" when the view names its fiscal
    year (``?year=2025&period=Q2``). Empty when the dataset has nothing to monitor.
    """
    out: dict[str, str] = {}
    for period in monitor.monitored_periods(dataset):
        text = canonical(period)
        for spelling in (text, period.name, f"FY{period.year}{period.label}", f"{period.year} {period.label}"):
            out[spelling] = out[spelling.lower()] = text
        if view.fiscal_year == period.year:
            out[period.label] = out[period.label.lower()] = text
    return out


def resolve(dataset: Dataset, view: SpendingView) -> Period | None:
    """The period the view asks for when the data can be monitored at it, else the latest (None: no plans)."""
    periods = monitor.monitored_periods(dataset)
    if not periods:
        return None
    match = _CANONICAL.fullmatch(view.watch_period or "")
    if match:
        try:
            return monitor.find_period(dataset, int(match[1]), match[2])
        except monitor.PeriodError:
            pass
    return periods[-1]
