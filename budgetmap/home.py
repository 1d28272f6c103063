"""What the home page says of a dataset at a glance: the main target and the citywide roll-ups.

The home page is the product's front door: it shows one map of money and one of
results side by side, and every measure's citywide figure against its goal. The
choices of what is "main" live here, without Streamlit, so they are tested as
plain functions and the page only lays them out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap.citywide import citywide_table, latest_reported
from budgetmap.model import Dataset
from budgetmap.targets import (city_summary, district_frame, format_gap, format_value, gap, indicator_layer,
                               indicator_years, mapped_indicators, meta_for)

COLUMNS = ["Measure", "Fiscal year", "Citywide", "Goal", "Gap", "Districts at goal", "Meets goal"]


@dataclass(frozen=True)
class Rollup:
    """One district indicator rolled up to the city in its latest year, against the city's goal."""

    indicator: str
    measure: str
    year: int
    city: str
    goal: str
    gap: str
    meeting: int
    with_data: int
    meets: bool | None  # None: no citywide goal to judge by

    def row(self) -> dict[str, object]:
        met = "—" if self.meets is None else ("yes" if self.meets else "no")
        return {"Measure": self.measure, "Fiscal year": f"FY{self.year}", "Citywide": self.city, "Goal": self.goal,
                "Gap": self.gap, "Districts at goal": f"{self.meeting:,} of {self.with_data:,}", "Meets goal": met}


def _rollup(dataset: Dataset, key: str, layer: str | None) -> Rollup | None:
    years = indicator_years(dataset, key, layer)
    if not years:
        return None
    frame = district_frame(dataset, key, years[-1], layer)
    if not frame["target"].notna().any():
        return None  # no goal anywhere: the target map compares with the citywide figure, no roll-up vs goal
    meta = meta_for(dataset, key)
    summary = city_summary(dataset, key, years[-1], frame, layer)
    city_gap = float(gap(summary.value, summary.goal, meta.direction)) if summary.goal is not None else np.nan
    judged = bool(np.isfinite(city_gap))
    return Rollup(key, meta.label, years[-1], format_value(summary.value, meta),
                  format_value(summary.goal, meta) if summary.goal is not None else "—",
                  format_gap(city_gap, meta) if judged else "—", summary.meeting, summary.with_data,
                  bool(city_gap >= 0) if judged else None)


def rollups(dataset: Dataset) -> list[Rollup]:
    """Every district indicator that has a goal, rolled up in its latest year, in the manifest's order."""
    layer = indicator_layer(dataset, None)
    found = (_rollup(dataset, key, layer) for key in mapped_indicators(dataset, layer))
    return [r for r in found if r is not None]


def main_indicator(dataset: Dataset) -> str | None:
    """The indicator of the home page's target map: the first with district values and a goal."""
    found = rollups(dataset)
    return found[0].indicator if found else None


def rollup_table(dataset: Dataset) -> pd.DataFrame:
    """District indicators' roll-ups, then the measures reported only for the whole city, one row each."""
    rows = [r.row() for r in rollups(dataset)]
    city = latest_reported(citywide_table(dataset))
    for record in city.to_dict("records"):
        rows.append({"Measure": record["Measure"], "Fiscal year": f"FY{record['Fiscal year']}",
                     "Citywide": record["Value"],
                     "Goal": record["Goal"], "Gap": record["Gap"], "Districts at goal": "citywide only",
                     "Meets goal": record["Meets goal"]})
    return pd.DataFrame(rows, columns=COLUMNS)
