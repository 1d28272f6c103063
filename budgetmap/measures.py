"""The measures a spending map can show: one declarative table.

Widgets, legends, the docs and the tests all read MEASURES; adding a measure is
adding one row here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap import fmt


@dataclass(frozen=True)
class Measure:
    """How to turn a district's money into the number that is mapped."""

    key: str
    label: str
    description: str
    needs: str | None  # "population", "area" or None
    compute: Callable[[pd.DataFrame], pd.Series]
    format: Callable[[float, str], str]
    short_format: Callable[[float, str], str]
    legend_kind: str = "money"  # how fmt.legend_ranges writes this measure's class breaks


def _per(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    def compute(frame: pd.DataFrame) -> pd.Series:
        denominator = frame[column].where(frame[column] > 0)
        return frame["dollars"] / denominator
    return compute


def _share(frame: pd.DataFrame) -> pd.Series:
    located = frame["dollars"].sum(skipna=True)
    return frame["dollars"] * 100 / located if located else pd.Series(np.nan, index=frame.index)


def _pct(value: float, currency: str) -> str:
    return fmt.percent(value, 2)


MEASURES: dict[str, Measure] = {m.key: m for m in (
    Measure("total", "Total spending", "All money located in the district.", None,
            lambda f: f["dollars"], fmt.money, fmt.compact_money),
    Measure("per_capita", "Spending per resident", "District total divided by its population.",
            "population", _per("population"), lambda v, c: fmt.money(v, c, cents=True), fmt.fine_money),
    Measure("per_km2", "Spending per km²", "District total divided by the area of its boundary polygons in km².",
            "area", _per("area_km2"), fmt.money, fmt.compact_money),
    Measure("share", "Share of located spending",
            "District total as a percentage of all spending located in a district "
            "(money for the whole place and unlocated money are not in the denominator).",
            None, _share, _pct, lambda v, c: fmt.percent(v, 1), "percent"),
)}


def available(has_population: bool) -> list[Measure]:
    """Measures the dataset can support (per resident needs population)."""
    return [m for m in MEASURES.values() if m.needs != "population" or has_population]
