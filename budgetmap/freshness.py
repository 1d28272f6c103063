"""Is the data older than its publisher says it should be? The home page's freshness note.

A manifest may say how often its data is updated (``refresh_months = 12``); with its
``as_of`` date that gives the date a newer edition was due. The note is for the
reader of a screen or a printout: figures that look current but are a year past
their next edition mislead a budget hearing more than an empty map would.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

from budgetmap.model.periods import as_of_date

KEY = "refresh_months"
MONTHS = (1, 120)  # once a month to once a decade: wider is a typo, not a schedule


@dataclass(frozen=True)
class Overdue:
    """The data's date, how often it is updated, and when the next edition was due."""

    as_of: datetime.date
    months: int
    due: datetime.date

    def text(self) -> str:
        """The note as the home page shows it."""
        return (f"This data is as of {long_date(self.as_of)} and is updated {every(self.months)}: a newer "
                f"edition was due by {long_date(self.due)}. Check with the publisher before relying on it.")


def long_date(day: datetime.date) -> str:
    """'30 June 2025': unambiguous in every English-speaking city, unlike 6/30 or 30/6."""
    return f"{day.day} {day:%B %Y}"


def every(months: int) -> str:
    """'every 12 months (yearly)', 'every month'."""
    if months == 1:
        return "every month"
    named = {3: "quarterly", 6: "twice a year", 12: "yearly", 24: "every two years"}.get(months)
    return f"every {months} months" + (f" ({named})" if named else "")


def due_date(as_of: datetime.date, months: int) -> datetime.date:
    """``as_of`` plus ``months`` calendar months (31 August + 6 months is 28 or 29 February). A month's
    last day stays one (30 June + 6 months is 31 December): "as of June" means the month's end."""
    due = pd.Timestamp(as_of) + pd.DateOffset(months=months)
    if pd.Timestamp(as_of).is_month_end:
        due += pd.offsets.MonthEnd(0)
    return due.date()


def overdue(as_of: str, months: int | None, today: datetime.date) -> Overdue | None:
    """The note's facts when a newer edition was due before ``today``; None when fresh or unknown."""
    day = as_of_date(as_of) if months else None
    if day is None or months is None:
        return None
    due = due_date(day, months)
    return Overdue(day, months, due) if today > due else None


def refresh_problem(months: int | None, as_of: str, manifest: str) -> str | None:
    """The load report's warning when ``refresh_months`` cannot be counted from anything: the
    schema has already checked its type, but it needs a readable ``as_of`` date to count from."""
    if months is None or as_of_date(as_of) is not None:
        return None
    found = f'as_of = "{as_of}" is not a date it can read' if str(as_of).strip() else "there is no as_of date"
    return (f"{manifest}: {KEY} = {months} counts from the as_of date, but {found}, so no freshness note "
            f'can be shown; add as_of = "2025-06-30" (a date, or a month like "2025-06" or "June 2025")')
