"""A small city with capital projects and plans, written to disk for the early-warning tests.

Districts A..D come from ``conftest.write_city``; the spending table has one
line per project and quarter (``year,quarter,dept,project,district,budget,actual``)
and the plan table is the text the test gives.
"""
from __future__ import annotations

from pathlib import Path

from conftest import write_city

SPENDING_HEADER = "year,quarter,dept,project,district,budget,actual\n"


def plan_city(folder: Path, *, spending: str, plans: str, plans_keys: str = "", as_of: str = "2024-12-31",
              indicators: str | None = None, indicator_keys: str = "", extra: str = "",
              names: list[str] | None = None) -> Path:
    """Write the city; ``spending`` and ``plans`` are CSV text (spending without its header)."""
    manifest = write_city(folder, names=names)
    (folder / "spending.csv").write_text(SPENDING_HEADER + spending, encoding="utf-8")
    (folder / "plans.csv").write_text(plans, encoding="utf-8")
    text = f'''name = "Plan town"
currency = "USD"
{f'as_of = "{as_of}"' if as_of else ""}
{extra}
[districts]
path = "districts.geojson"
id = "code"
name = "label"
population = "pop"

[spending]
path = "spending.csv"
district = "district"
year = "year"
period = "quarter"
department = "dept"
project = "project"
budget = "budget"
actual = "actual"

[plans]
path = "plans.csv"
{plans_keys}
'''
    if indicators is not None:
        (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
        text += f'''
[indicators]
path = "indicators.csv"
indicator = "indicator"
year = "year"
period = "period"
district = "district"
actual = "actual"
{indicator_keys}
'''
    manifest.write_text(text, encoding="utf-8")
    return manifest


#: The issue's example: budget 1,000,000; planned 10% by FY2025 Q1 and 40% by Q2; 250,000 spent by Q2.
BRIDGE_SPENDING = ("2025,Q1,Roads,Bridge,A,400000,100000\n"
                   "2025,Q2,Roads,Bridge,A,600000,150000\n")
BRIDGE_PLAN = ("project,fiscal_year,quarter,planned_cumulative_rate\n"
               "Bridge,2025,Q1,0.10\n"
               "Bridge,2025,Q2,0.40\n")
