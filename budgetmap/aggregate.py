"""Filter spending and sum it per district.

The one place where line items become district totals, so a faster engine
(DuckDB, for millions of rows) can replace it without touching the views.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from budgetmap.view import SpendingView


def amount_column(view: SpendingView) -> str:
    return "budget_cents" if view.amount == "budget" else "actual_cents"


def filter_spending(spending: pd.DataFrame, view: SpendingView,
                    year: int | tuple[int, ...] | None) -> pd.DataFrame:
    """Rows of one fiscal year, or of several added up (None: all years), that pass the filters."""
    keep = pd.Series(True, index=spending.index)
    if isinstance(year, tuple):
        keep &= spending["fiscal_year"].isin(year)
    elif year is not None:
        keep &= spending["fiscal_year"].eq(year)
    for column, chosen in (("department", view.departments), ("program", view.programs),
                           ("fund", view.funds)):
        if chosen:
            keep &= spending[column].isin(chosen)
    amount = spending[amount_column(view)]
    return spending[keep & amount.notna()]


def district_frame(districts: gpd.GeoDataFrame, rows: pd.DataFrame, amount: str) -> pd.DataFrame:
    """One row per district: cents (NA when no row refers to it), dollars, population, area."""
    located = rows[rows["location"] == "district"]
    cents = located.groupby("district_id")[amount].sum(min_count=1)
    frame = pd.DataFrame(districts[["district_id", "name", "population", "area_km2"]])
    frame["cents"] = frame["district_id"].map(cents).astype("Int64")
    frame["dollars"] = frame["cents"].astype("Float64").astype(float) / 100
    return frame.reset_index(drop=True)


def category_values(spending: pd.DataFrame, column: str, within: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Distinct non-empty values of a category, optionally within other filters (for cascading widgets)."""
    rows = spending
    for other, chosen in (within or {}).items():
        if chosen:
            rows = rows[rows[other].isin(chosen)]
    return sorted(v for v in rows[column].unique() if v)
