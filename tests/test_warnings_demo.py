"""The demo city's six lagging projects appear, and only they, at the right periods.

The expected watch list is worked out here from the raw CSV files with plain
Python (csv, Fraction), not through the loaders or the monitor.
"""
from __future__ import annotations

import csv
import tomllib
from collections import defaultdict
from fractions import Fraction

import pytest
from conftest import DEMO

from budgetmap import monitor
from budgetmap.dataset import open_dataset
from budgetmap.model import Period

LAGGING = {"Riverside Water Main Replacement", "Heron Bend Playfields Renovation", "Sandbar Community Center",
           "Northgate Precinct Renovation", "Timber Ridge Affordable Housing Site",
           "Mill & Quarry Affordable Housing Site"}


def _rows(name: str) -> list[dict[str, str]]:
    with open(DEMO.parent / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _expected() -> dict[tuple[int, int], dict[str, tuple[str, int]]]:
    """(year, quarter) -> project -> (severity, shortfall cents), from the files alone."""
    settings = tomllib.loads(DEMO.read_text(encoding="utf-8"))["plans"]
    tolerance, grace = Fraction(settings["tolerance"]), Fraction(settings["grace"])
    budget: dict[str, Fraction] = defaultdict(Fraction)
    spent: dict[tuple[str, int, int], Fraction] = defaultdict(Fraction)
    for row in _rows("spending.csv"):
        if row["project"]:
            budget[row["project"]] += Fraction(row["budget"])
            spent[row["project"], int(row["fiscal_year"]), int(row["quarter"][1])] += Fraction(row["actual"])
    plans: dict[str, list[tuple[int, int, Fraction]]] = defaultdict(list)
    for row in _rows("plans.csv"):
        plans[row["project"]].append((int(row["fiscal_year"]), int(row["quarter"][1]),
                                      Fraction(row["planned_cumulative_rate"])))
    out: dict[tuple[int, int], dict[str, tuple[str, int]]] = defaultdict(dict)
    for project, steps in plans.items():
        total = Fraction(0)
        for year, quarter, planned in sorted(steps):
            total += spent[project, year, quarter]
            points = (planned - total / budget[project]) * 100
            if points > grace:
                short = (planned * budget[project] - total) * 100  # cents
                out[year, quarter][project] = ("amber" if points <= tolerance else "red", int(short + Fraction(1, 2)))
    return out


@pytest.fixture(scope="module")
def demo():
    return open_dataset(DEMO)


def test_every_quarter_lists_exactly_the_lagging_projects_that_are_behind(demo):
    expected = _expected()
    periods = monitor.monitored_periods(demo)
    assert periods[0] == Period(2021, 1) and periods[-1] == Period(2025, 4) and len(periods) == 20
    seen = set()
    for period in periods:
        found = {w.project: (w.severity, w.shortfall_cents) for w in monitor.watch(demo, period).warnings}
        assert found == expected.get((period.year, period.index), {}), period.name
        seen |= set(found)
    assert seen == LAGGING


def test_fy2025_q2_is_northgate_alone_and_red(demo):
    found = monitor.watch(demo, monitor.find_period(demo, 2025, "Q2"))
    assert [(w.project, w.severity, w.department) for w in found.warnings] == [
        ("Northgate Precinct Renovation", "red", "Police")]
    assert found.indicators == () and found.stale == ()  # the demo has no in-year indicators, every period reports


def test_the_latest_period_is_the_one_ending_on_the_as_of_date(demo):
    assert demo.as_of == "2025-06-30"
    assert monitor.latest_period(demo) == Period(2025, 4)


def test_a_duckdb_ledger_gives_the_same_watch_lists(demo, tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace('as_of = "2025-06-30"', 'as_of = "2025-06-30"\nengine = "duckdb"')
    for name in ("districts.geojson", "spending.csv", "indicators.csv", "plans.csv"):
        text = text.replace(f'path = "{name}"', f'path = "{(DEMO.parent / name).as_posix()}"')
    (tmp_path / "manifest.toml").write_text(text, encoding="utf-8")
    duck = open_dataset(tmp_path / "manifest.toml")
    assert duck.engine == "duckdb"
    for period in monitor.monitored_periods(demo):
        assert monitor.watch(duck, period).to_dict() == monitor.watch(demo, period).to_dict(), period.name
