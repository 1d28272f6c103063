"""Build the MapSpec of a spending map from a Dataset and a SpendingView."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from budgetmap import fmt, map_flags
from budgetmap.aggregate import district_frame
from budgetmap.classify import SCHEMES, Classes
from budgetmap.mapspec import FeatureStyle, LegendEntry, MapSpec, PointMark, class_fills, legend_entries, ranks, rows
from budgetmap.measures import MEASURES
from budgetmap.palettes import PALETTES
from budgetmap.reconcile import off_map_note
from budgetmap.view import SpendingView
from budgetmap.model import Dataset, DistrictTotals


def resolve_year(dataset: Dataset, view: SpendingView) -> int | None:
    """The year a view shows: its own if the data has it, else the latest."""
    years = dataset.fiscal_years
    if not years:
        return None
    return view.fiscal_year if view.fiscal_year in years else years[-1]


def resolve_years(dataset: Dataset, view: SpendingView) -> int | tuple[int, ...] | None:
    """One fiscal year, or the years a cumulative view adds up (those the data has)."""
    year = resolve_year(dataset, view)
    span = view.with_(fiscal_year=year).years
    if span is None:
        return year
    return tuple(y for y in span if y in dataset.fiscal_years) or year


def year_text(years: int | tuple[int, ...] | None) -> str:
    if isinstance(years, tuple):
        return f"FY{years[0]}–FY{years[-1]} added up ({fmt.count(len(years))} years)"
    return f"FY{years}" if years else "all years"


def subtitle(dataset: Dataset, view: SpendingView, year: int | tuple[int, ...] | None) -> str:
    parts = [year_text(year), "budget" if view.amount == "budget" else "actual spending"]
    for label, chosen in (("departments", view.departments), ("programs", view.programs),
                          ("funds", view.funds)):
        if chosen:
            parts.append(f"{label}: {', '.join(chosen)}")
    return " · ".join(parts)


def district_values(dataset: Dataset, view: SpendingView) -> tuple[pd.DataFrame, DistrictTotals]:
    """Per-district frame with the mapped ``value``, and the ledger's totals (with reconciliation) behind it."""
    frame, totals = district_frame(dataset, view, resolve_years(dataset, view))
    frame["value"] = MEASURES[view.measure].compute(frame).astype(float)
    return frame, totals


def _details(row: Mapping[str, Any], dataset: Dataset, label: str, value_text: str, rank: int | None,
             ranked: int) -> tuple[tuple[str, str], ...]:
    cur = dataset.currency
    total = fmt.money(row["dollars"], cur) if row["cents"] is not None else "no data"
    return ((label, value_text),
            ("Rank", fmt.of(rank, ranked) if rank else "—"),
            ("Total", total),
            ("Population", fmt.count(row["population"])),
            ("Area", f"{fmt.number(row['area_km2'], 1)} km²" if not fmt.missing(row["area_km2"]) else fmt.NO_DATA))


def _classes(dataset: Dataset, view: SpendingView, values: np.ndarray) -> tuple[Classes, np.ndarray]:
    """Class breaks of this view's values, or of the locked year's (flagging values outside)."""
    def nonzero(v: np.ndarray) -> np.ndarray:
        return np.where(v == 0, np.nan, v)  # zero has its own swatch, outside the classes
    scheme = SCHEMES[view.scheme]
    locked = view.classes_from
    if (locked is None or locked == resolve_year(dataset, view) or locked not in dataset.fiscal_years
            or view.years is not None):  # a sum of years is not comparable with one year
        return scheme.classify(nonzero(values), view.k, view.manual_breaks), np.zeros(values.shape, bool)
    reference, _ = district_values(dataset, view.with_(fiscal_year=locked, classes_from=None, since=None))
    ref = scheme.classify(nonzero(reference["value"].to_numpy(float)), view.k, view.manual_breaks)
    classes, outside = ref.apply(nonzero(values))
    return classes, outside & np.isfinite(nonzero(values))


def build_spending_map(dataset: Dataset, view: SpendingView) -> MapSpec:
    """Everything a spending map draws, with exact reconciliation of the filtered money."""
    measure = MEASURES[view.measure]
    frame, totals = district_values(dataset, view)
    values = frame["value"].to_numpy(dtype=float)
    classes, outside = _classes(dataset, view, values)
    colors = PALETTES[view.palette].colors(len(classes.bounds))
    final, fills = class_fills(classes.index, values, colors)
    order = ranks(values)
    ranked = sum(r is not None for r in order)
    flags = spending_flags(dataset, view, frame)
    features = []
    for i, row in enumerate(rows(frame)):
        value = None if not np.isfinite(values[i]) else float(values[i])
        text = measure.format(value, dataset.currency) if value is not None else "no data"
        details = _details(row, dataset, measure.label, text, order[i], ranked)
        if outside[i]:
            details += (("Locked classes", f"outside FY{view.classes_from}'s range"),)
        smooth = flags.smoothed[i] if flags.smoothed is not None else np.nan
        details += map_flags.details(flags, i, measure.format(float(smooth), dataset.currency)
                                     if np.isfinite(smooth) else None)
        features.append(FeatureStyle(row["district_id"], row["name"], value, text, int(final[i]),
                                     fills[i], order[i], details, pattern="hatch" if outside[i] else "",
                                     marks=flags.marks(i)))
    year = resolve_years(dataset, view)
    notes = tuple(n for n in (off_map_note(totals.reconciliation), dataset.note, _denominator_note(dataset, view),
                              _boundary_note(dataset, year), _lock_note(dataset, view, outside), classes.note) if n)
    legend = legend_entries(classes.bounds, classes.minimum, colors, final, measure.legend_kind, dataset.currency)
    if outside.any():
        legend += (LegendEntry(f"Hatched: outside FY{view.classes_from}'s classes", "#ffffff",
                               int(outside.sum()), "pattern", "hatch"),)
    legend += map_flags.legend(flags)
    return MapSpec(
        source=dataset.source, as_of=dataset.as_of, citywide_label=dataset.citywide_label,
        title=f"{measure.label} — {dataset.name}", subtitle=subtitle(dataset, view, year),
        measure_label=measure.label, features=tuple(features),
        legend=legend, breaks=classes.bounds, notes=notes, reconciliation=totals.reconciliation,
        selected=view.selected if view.selected in set(frame["district_id"]) else None,
        kind="spending", layer=dataset.layer(view.layer).key, points=point_marks(dataset, view, year),
        tooltip=(measure.label, "Rank", map_flags.SMOOTHED, map_flags.FLAGS) if flags.any else (),
        meta={"measure": view.measure, "fiscal_year": resolve_year(dataset, view), "years": year,
              "scheme": view.scheme, "palette": view.palette, "currency": dataset.currency,
              "classes_from": view.classes_from, "outside": int(outside.sum())},
    )


def spending_flags(dataset: Dataset, view: SpendingView, frame: pd.DataFrame) -> map_flags.Flags:
    """Outliers by the view's rule and small numbers of the mapped values; smoothed rates when asked
    and the measure is per resident."""
    per_resident = MEASURES[view.measure].needs == "population"
    return map_flags.flag(frame["value"].to_numpy(float), frame["population"].to_numpy(float),
                          dataset.layer(view.layer).min_population, view.outlier_rule,
                          numerator=frame["dollars"].to_numpy(float) if per_resident else None,
                          smooth=view.smoothing == "on" and per_resident)


def point_marks(dataset: Dataset, view: SpendingView, year: int | tuple[int, ...] | None) -> tuple[PointMark, ...]:
    """The located line items the view counts (its years, department filter, amount), one dot each."""
    points = dataset.points
    if points is None or not len(points):
        return ()
    years = year if isinstance(year, tuple) else (year,)
    amount = "budget_cents" if view.amount == "budget" else "actual_cents"
    keep = points["fiscal_year"].isin(years) & points[amount].notna()
    if view.departments:
        keep &= points["department"].isin(view.departments)
    marks = []
    for row in points[keep.to_numpy()].itertuples():
        what = " ".join(p for p in (str(row.project), f"({row.department})" if row.department else "") if p)
        money = fmt.money_cents(int(getattr(row, amount)), dataset.currency)
        marks.append(PointMark(float(row.geometry.x), float(row.geometry.y), f"{what or 'Line item'}: {money}"))
    return tuple(marks)


def _denominator_note(dataset: Dataset, view: SpendingView) -> str:
    if view.measure != "per_capita":
        return ""
    return f"Per resident: divided by district population ({fmt.year(dataset.population_year)})."


def _lock_note(dataset: Dataset, view: SpendingView, outside: np.ndarray) -> str:
    if (view.classes_from is None or view.years is not None or view.classes_from not in dataset.fiscal_years
            or view.classes_from == resolve_year(dataset, view)):
        return ""
    found = f"{int(outside.sum())} district(s) fall outside them (hatched)" if outside.any() else \
        "every district falls within them"
    return f"Classes are locked to FY{view.classes_from}'s breaks; {found}."


def _boundary_note(dataset: Dataset, year: int | tuple[int, ...] | None) -> str:
    start = dataset.boundaries_from
    year = year[0] if isinstance(year, tuple) else year
    if not start or year is None or year >= start:
        return ""
    return (f"FY{year} predates these boundaries (valid from FY{start}): money was spent under "
            "earlier district lines, so this map is approximate.")
