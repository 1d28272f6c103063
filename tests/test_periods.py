"""Periods inside a fiscal year: the spellings files use, their order and when they end."""
from __future__ import annotations

import datetime

import pytest

from budgetmap.model.periods import MONTH, QUARTER, Period, as_of_date, parse_period


@pytest.mark.parametrize("text,expected", [
    ("Q1", (QUARTER, 1)), ("q2", (QUARTER, 2)), (" Q 3 ", (QUARTER, 3)), ("Qtr 4", (QUARTER, 4)),
    ("Quarter 2", (QUARTER, 2)), ("q-1", (QUARTER, 1)), ("3", (QUARTER, 3)), ("04", (QUARTER, 4)),
    ("M01", (MONTH, 1)), ("m5", (MONTH, 5)), ("P12", (MONTH, 12)), ("Period 7", (MONTH, 7)),
    ("Month 10", (MONTH, 10)),
])
def test_accepted_spellings(text, expected):
    assert parse_period(text) == (expected, None)


@pytest.mark.parametrize("name,fiscal", [("July", 1), ("Jul", 1), ("sept", 3), ("September", 3), ("Dec", 6),
                                         ("JANUARY", 7), ("jun", 12)])
def test_month_names_are_calendar_months_of_a_july_year(name, fiscal):
    assert parse_period(name) == ((MONTH, fiscal), None)


def test_month_names_follow_the_year_start():
    assert parse_period("Jan", year_start=1) == ((MONTH, 1), None)
    assert parse_period("Oct", year_start=10) == ((MONTH, 1), None)
    assert parse_period("Sep", year_start=10) == ((MONTH, 12), None)


@pytest.mark.parametrize("text,reason", [
    ("Q5", "is not a period"), ("5", "bare numbers are quarters"), ("12", "write months as M05"),
    ("M13", "is not a month of the fiscal year"), ("M00", "is not a month of the fiscal year"),
    ("H1", "is not a period"), ("2025Q1", "is not a period"),
])
def test_refusals_say_why(text, reason):
    found, why = parse_period(text)
    assert found is None and reason in why


@pytest.mark.parametrize("text", ["", " ", "-", "n/a"])
def test_missing_is_no_problem(text):
    assert parse_period(text) == (None, None)


def test_order_labels_and_running_count():
    periods = [Period(2025, 1), Period(2024, 4), Period(2025, 2), Period(2024, 1)]
    assert [p.name for p in sorted(periods)] == ["FY2024 Q1", "FY2024 Q4", "FY2025 Q1", "FY2025 Q2"]
    assert Period(2025, 1).ordinal - Period(2024, 4).ordinal == 1
    assert Period.from_ordinal(Period(2024, 4).ordinal + 1, QUARTER) == Period(2025, 1)
    assert Period(2025, 5, MONTH).label == "M05" and Period(2025, 5, MONTH).end_month == 5
    assert Period(2025, 2).end_month == 6
    with pytest.raises(ValueError):
        Period(2025, 5, QUARTER)


@pytest.mark.parametrize("period,start,end", [
    (Period(2025, 1), 7, datetime.date(2024, 9, 30)),     # FY2025 = July 2024 .. June 2025
    (Period(2025, 4), 7, datetime.date(2025, 6, 30)),
    (Period(2025, 1), 1, datetime.date(2025, 3, 31)),     # calendar-year fiscal years
    (Period(2025, 4), 10, datetime.date(2025, 9, 30)),    # the US federal year: October
    (Period(2025, 5, MONTH), 7, datetime.date(2024, 11, 30)),
    (Period(2024, 8, MONTH), 7, datetime.date(2024, 2, 29)),  # a leap February
])
def test_period_ends(period, start, end):
    assert period.ends(start) == end


def test_a_month_falls_in_its_quarter_but_not_the_reverse():
    assert Period(2025, 5, MONTH).within(QUARTER) == Period(2025, 2)
    assert Period(2025, 2).within(MONTH) is None


@pytest.mark.parametrize("text,expected", [
    ("2025-06-30", datetime.date(2025, 6, 30)), ("2025-06-30 12:00:00", datetime.date(2025, 6, 30)),
    ("2025-02", datetime.date(2025, 2, 28)), ("June 2025", datetime.date(2025, 6, 30)),
    ("Sep 2024", datetime.date(2024, 9, 30)), ("15 March 2025", datetime.date(2025, 3, 15)),
    ("spring", None), ("", None), ("2025-13-01", None),
])
def test_as_of_dates(text, expected):
    assert as_of_date(text) == expected
