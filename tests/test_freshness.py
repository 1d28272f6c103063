"""Freshness (budgetmap/freshness.py, manifest ``refresh_months``): when is a newer edition overdue?"""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.freshness import due_date, every, overdue
from conftest import write_city
from loaders.problems import LoadError

D = datetime.date


@pytest.mark.parametrize("as_of, months, due", [
    (D(2025, 6, 30), 12, D(2026, 6, 30)),
    (D(2025, 8, 31), 6, D(2026, 2, 28)),   # no 31 February: the month's last day
    (D(2023, 8, 31), 6, D(2024, 2, 29)),   # a leap year
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2025, 11, 15), 3, D(2026, 2, 15)),  # across the year
    (D(2025, 6, 30), 6, D(2025, 12, 31)),  # a month's end stays one
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
])
def test_the_due_date_is_calendar_months_later(as_of, months, due):
    assert due_date(as_of, months) == due


def test_overdue_only_after_the_due_day():
    assert overdue("2025-06-30", 12, D(2026, 6, 30)) is None, "on the due day it is not late yet"
    late = overdue("2025-06-30", 12, D(2026, 7, 1))
    assert late is not None and late.due == D(2026, 6, 30)
    assert "due by 30 June 2026" in late.text() and "as of 30 June 2025" in late.text()


def test_a_month_as_of_counts_from_its_last_day_and_no_date_means_no_note():
    assert overdue("June 2025", 6, D(2025, 12, 31)) is None
    assert overdue("June 2025", 6, D(2026, 1, 1)).due == D(2025, 12, 31)
    assert overdue("spring", 6, D(2030, 1, 1)) is None
    assert overdue("2020-01-01", None, D(2030, 1, 1)) is None, "no refresh_months: no note"


def test_every_names_the_usual_schedules():
    assert every(1) == "every month"
    assert every(12) == "every 12 months (yearly)"
    assert every(5) == "every 5 months"


def _town(tmp_path: Path, top: str) -> Path:
    return write_city(tmp_path / "town", manifest_extra=top)


def test_refresh_without_a_readable_date_loads_and_the_report_says_why(tmp_path):
    dataset = open_dataset(_town(tmp_path, 'as_of = "spring"\nrefresh_months = 6\n'))
    (warning,) = [w for w in dataset.report.warnings if "refresh_months" in w]
    assert warning.startswith("manifest.toml: refresh_months = 6 counts from the as_of date")
    assert 'as_of = "spring" is not a date' in warning and 'add as_of = "2025-06-30"' in warning
    assert dataset.refresh_months == 6 and len(dataset.districts) == 4, "nothing else is lost"
    missing = open_dataset(_town(tmp_path / "b", "refresh_months = 6\n"))
    assert any("there is no as_of date" in w for w in missing.report.warnings)


def test_a_dated_refresh_has_no_warning(tmp_path):
    dataset = open_dataset(_town(tmp_path, 'as_of = "2025-06-30"\nrefresh_months = 12\n'))
    assert not [w for w in dataset.report.warnings if "refresh_months" in w]
    assert dataset.refresh_months == 12


@pytest.mark.parametrize("value", ["0", "121", "1.5", '"yearly"', "true"])
def test_a_refresh_that_is_not_whole_months_is_refused_naming_the_manifest(tmp_path, value):
    with pytest.raises(LoadError) as err:
        open_dataset(_town(tmp_path, f"refresh_months = {value}\n"))
    assert str(err.value).startswith("manifest.toml: top level: 'refresh_months' must be a whole number of "
                                     "months from 1 to 120, like 12; found ")
