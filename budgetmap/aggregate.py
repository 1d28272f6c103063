"""Ask the dataset's ledger for a view's money, per district of the view's layer.

The one place where a view becomes a ``SpendingQuery``, so every map, story and
export asks for money the same way, whichever source holds the line items.
"""
from __future__ import annotations

import pandas as pd

from budgetmap.model import Dataset, DistrictTotals, SpendingQuery
from budgetmap.view import SpendingView


def amount_column(view: SpendingView) -> str:
    return "budget_cents" if view.amount == "budget" else "actual_cents"


def spending_query(view: SpendingView, year: int | tuple[int, ...] | None) -> SpendingQuery:
    """The line items of one fiscal year, or of several added up (None: all years), with the view's filters."""
    years = year if isinstance(year, tuple) else ((year,) if year is not None else None)
    return SpendingQuery(amount=amount_column(view), years=years, departments=view.departments,
                         programs=view.programs, funds=view.funds, layer=view.layer)


def district_frame(dataset: Dataset, view: SpendingView,
                   year: int | tuple[int, ...] | None) -> tuple[pd.DataFrame, DistrictTotals]:
    """One row per district of the view's layer: its label as ``name`` (the layer's display label, so
    repeated names are told apart), exact cents (None when no line item refers to it), dollars,
    population and area; and the totals with their reconciliation."""
    totals = dataset.totals(spending_query(view, year))
    layer = dataset.layer(view.layer)
    frame = pd.DataFrame(layer.districts[["district_id", "population", "area_km2"]]).reset_index(drop=True)
    frame.insert(1, "name", frame["district_id"].map(layer.labels).astype(layer.districts["name"].dtype))
    frame["cents"] = pd.Series([totals.of(d) for d in frame["district_id"]], dtype=object)
    frame["dollars"] = [c / 100 if c is not None else float("nan") for c in frame["cents"]]
    frame["dollars"] = frame["dollars"].astype(float)
    return frame, totals
