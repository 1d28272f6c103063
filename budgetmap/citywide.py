"""Citywide measures against target: indicators reported for the whole city only.

Budget documents such as Portland's Budget in Brief report one figure per measure
and year (actual, estimate, target). They cannot be mapped, but they belong
beside the map: the same gap and direction rules apply, so they are read here
with the functions the target map uses.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from budgetmap.targets import format_gap, format_value, gap, meta_for
from budgetmap.model import Dataset

COLUMNS = ["indicator", "Measure", "Department", "Fiscal year", "Value", "Goal", "Gap", "Meets goal",
           "value", "target", "estimated"]


def citywide_only(dataset: Dataset) -> list[str]:
    """Indicators with citywide rows and no district rows, in the manifest's order."""
    rows = dataset.indicator_rows  # every layer's: an indicator mapped on any layer is not citywide-only
    city = set(rows.loc[rows["district_id"].isna(), "indicator"])
    mapped = set(rows.loc[rows["district_id"].notna(), "indicator"])
    keys = [k for k in dataset.indicator_meta if k in city - mapped]
    return keys + sorted(city - mapped - set(keys))


def citywide_table(dataset: Dataset) -> pd.DataFrame:
    """One row per citywide-only measure and year: value (actual, else estimate), goal, gap, met."""
    rows = dataset.indicator_rows
    rows = rows[rows["district_id"].isna() & rows["indicator"].isin(citywide_only(dataset))]
    records = []
    for row in rows.sort_values(["indicator", "fiscal_year"]).itertuples():
        meta = meta_for(dataset, row.indicator)
        estimated = not np.isfinite(row.actual) and np.isfinite(row.estimate)
        value = row.estimate if estimated else row.actual
        target = row.target  # the loader has already filled it from the manifest's goal
        g = float(gap(value, target, meta.direction))
        records.append({
            "indicator": row.indicator, "Measure": meta.label, "Department": meta.department,
            "Fiscal year": int(row.fiscal_year),
            "Value": format_value(value, meta) + (" (estimate)" if estimated else ""),
            "Goal": format_value(target, meta) if np.isfinite(target) else "—",
            "Gap": format_gap(g, meta) if np.isfinite(g) else "—",
            "Meets goal": ("yes" if g >= 0 else "no") if np.isfinite(g) else "—",
            "value": value, "target": target, "estimated": estimated})
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def latest_reported(table: pd.DataFrame) -> pd.DataFrame:
    """Each measure's latest year that has both a value and a goal (else its latest value)."""
    if table.empty:
        return table
    table = table[np.isfinite(table["value"].astype(float))]
    both = table[np.isfinite(table["target"].astype(float))]
    best = both.groupby("indicator").tail(1)
    rest = table[~table["indicator"].isin(best["indicator"])].groupby("indicator").tail(1)
    order = {k: i for i, k in enumerate(dict.fromkeys(table["indicator"]))}
    return pd.concat([best, rest]).sort_values("indicator", key=lambda s: s.map(order))
