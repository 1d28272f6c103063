"""Build the MapSpec of a spending map from a Dataset and a SpendingView."""
from __future__ import annotations

import numpy as np
import pandas as pd

from budgetmap import fmt
from budgetmap.aggregate import amount_column, district_frame, filter_spending
from budgetmap.classify import SCHEMES
from budgetmap.mapspec import FeatureStyle, MapSpec, class_fills, legend_entries, ranks
from budgetmap.measures import MEASURES
from budgetmap.palettes import PALETTES
from budgetmap.reconcile import reconcile, reconciliation_line
from budgetmap.view import SpendingView
from loaders.model import Dataset


def resolve_year(dataset: Dataset, view: SpendingView) -> int | None:
    """The year a view shows: its own if the data has it, else the latest."""
    years = dataset.fiscal_years
    if not years:
        return None
    return view.fiscal_year if view.fiscal_year in years else years[-1]


def subtitle(dataset: Dataset, view: SpendingView, year: int | None) -> str:
    parts = [f"FY{year}" if year else "all years", "budget" if view.amount == "budget" else "actual spending"]
    for label, chosen in (("departments", view.departments), ("programs", view.programs),
                          ("funds", view.funds)):
        if chosen:
            parts.append(f"{label}: {', '.join(chosen)}")
    return " · ".join(parts)


def district_values(dataset: Dataset, view: SpendingView) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-district frame with the mapped ``value``, and the filtered rows behind it."""
    year = resolve_year(dataset, view)
    rows = filter_spending(dataset.spending, view, year)
    frame = district_frame(dataset.districts, rows, amount_column(view))
    frame["value"] = MEASURES[view.measure].compute(frame).astype(float)
    return frame, rows


def _details(row: pd.Series, dataset: Dataset, label: str, value_text: str, rank: int | None,
             ranked: int) -> tuple[tuple[str, str], ...]:
    cur = dataset.currency
    total = fmt.money(row["dollars"], cur) if pd.notna(row["cents"]) else "no data"
    return ((label, value_text),
            ("Rank", f"{rank} of {ranked}" if rank else "—"),
            ("Total", total),
            ("Population", fmt.count(row["population"])),
            ("Area", f"{row['area_km2']:,.1f} km²"))


def build_spending_map(dataset: Dataset, view: SpendingView) -> MapSpec:
    """Everything a spending map draws, with exact reconciliation of the filtered money."""
    measure = MEASURES[view.measure]
    frame, rows = district_values(dataset, view)
    values = frame["value"].to_numpy(dtype=float)
    nonzero = np.where(values == 0, np.nan, values)  # zero has its own swatch, outside the classes
    classes = SCHEMES[view.scheme].classify(nonzero, view.k, view.manual_breaks)
    colors = PALETTES[view.palette].colors(len(classes.bounds))
    final, fills = class_fills(classes.index, values, colors)
    order = ranks(values)
    ranked = sum(r is not None for r in order)
    features = []
    for i, row in frame.iterrows():
        value = None if not np.isfinite(values[i]) else float(values[i])
        text = measure.format(value, dataset.currency) if value is not None else "no data"
        features.append(FeatureStyle(row["district_id"], row["name"], value, text, int(final[i]),
                                     fills[i], order[i],
                                     _details(row, dataset, measure.label, text, order[i], ranked)))
    year = resolve_year(dataset, view)
    rec = reconcile(rows, amount_column(view), dataset.currency)
    notes = tuple(n for n in (dataset.note, _denominator_note(dataset, view), _boundary_note(dataset, year)) if n)
    return MapSpec(
        title=f"{measure.label} — {dataset.name}", subtitle=subtitle(dataset, view, year),
        measure_label=measure.label, features=tuple(features),
        legend=legend_entries(classes.bounds, classes.minimum, colors, final, measure.short_format,
                              dataset.currency),
        breaks=classes.bounds, notes=notes, reconciliation=reconciliation_line(rec),
        selected=view.selected if view.selected in set(frame["district_id"]) else None,
        meta={"measure": view.measure, "fiscal_year": year, "scheme": view.scheme,
              "palette": view.palette, "currency": dataset.currency},
    )


def _denominator_note(dataset: Dataset, view: SpendingView) -> str:
    if view.measure != "per_capita":
        return ""
    year = f" ({dataset.population_year})" if dataset.population_year else ""
    return f"Per resident: divided by district population{year}."


def _boundary_note(dataset: Dataset, year: int | None) -> str:
    start = dataset.boundaries_from
    if not start or year is None or year >= start:
        return ""
    return (f"FY{year} predates these boundaries (valid from FY{start}): money was spent under "
            "earlier district lines, so this map is approximate.")
