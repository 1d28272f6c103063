"""Years side by side: the change map, and the pairs of views the compare page draws.

A change map subtracts an earlier year from a later one with the same filters and
measure, so the only thing that differs between the two is time. Side-by-side
maps of two years share the earlier year's class breaks, so a colour means the
same amount on both.
"""
from __future__ import annotations

import numpy as np

from budgetmap import diverging, fmt
from budgetmap.mapspec import NO_DATA_CLASS, FeatureStyle, LegendEntry, MapSpec, ranks, rows
from budgetmap.measures import MEASURES
from budgetmap.palettes import NO_DATA
from budgetmap.reconcile import off_map_note
from budgetmap.spending_map import district_values, resolve_year
from budgetmap.view import SpendingView
from budgetmap.model import Dataset

#: The compare page's modes: key -> label. Widgets, URL and docs read this table.
COMPARE_MODES: dict[str, str] = {
    "change": "Change between two years",
    "side_years": "Two years side by side (same classes)",
    "side_measures": "Two measures side by side",
}


def base_year(dataset: Dataset, view: SpendingView) -> int | None:
    """The earlier year: the view's if the data has it and it is earlier, else the first year."""
    years = dataset.fiscal_years
    later = resolve_year(dataset, view)
    if not years or later is None:
        return None
    if view.base_year in years and view.base_year < later:
        return view.base_year
    return years[0] if years[0] < later else None


def side_by_side(dataset: Dataset, view: SpendingView) -> tuple[SpendingView, SpendingView]:
    """The two views of a side-by-side comparison (left, right)."""
    if view.compare == "side_measures":
        return view.with_(since=None, classes_from=None), view.with_(measure=view.second_measure, since=None,
                                                                     classes_from=None)
    earlier = base_year(dataset, view)
    left = view.with_(fiscal_year=earlier, since=None, classes_from=None)
    return left, view.with_(since=None, classes_from=earlier)


def change_values(dataset: Dataset, view: SpendingView) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(earlier, later, change) per district; percent change is NaN where the earlier is 0 or missing."""
    earlier_year = base_year(dataset, view)
    later, _ = district_values(dataset, view.with_(since=None))
    earlier, _ = district_values(dataset, view.with_(fiscal_year=earlier_year, since=None))
    a, b = earlier["value"].to_numpy(float), later["value"].to_numpy(float)
    a0, b0 = np.nan_to_num(a), np.nan_to_num(b)  # no spending in a year is zero spending
    both_missing = ~np.isfinite(a) & ~np.isfinite(b)
    if view.change == "percent":
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where(a0 > 0, (b0 - a0) * 100 / a0, np.nan)
    else:
        change = b0 - a0
    return a, b, np.where(both_missing, np.nan, change)


def _format_change(value: float, view: SpendingView, currency: str) -> str:
    if not np.isfinite(value):
        return "no comparison"
    if view.change == "percent":
        return f"{value:+,.1f}%"
    text = MEASURES[view.measure].format(abs(value), currency)
    return ("+" if value >= 0 else "−") + text


def build_change_map(dataset: Dataset, view: SpendingView) -> MapSpec | None:
    """Districts coloured by how much their measure rose or fell between two years."""
    earlier_year, later_year = base_year(dataset, view), resolve_year(dataset, view)
    if earlier_year is None:
        return None
    measure, currency = MEASURES[view.measure], dataset.currency
    frame, _ = district_values(dataset, view.with_(since=None))
    a, b, change = change_values(dataset, view)
    classes = diverging.classify(change)
    fills = diverging.colors(view.diverging, len(classes.low), len(classes.high))
    order = ranks(change)
    ranked = sum(r is not None for r in order)  # once: counted per district it was quadratic
    features = []
    for i, row in enumerate(rows(frame)):
        has = np.isfinite(change[i])
        text = _format_change(change[i], view, currency)
        details = ((f"Change in {measure.label.lower()}", text),
                   (f"FY{earlier_year}", measure.format(a[i], currency) if np.isfinite(a[i]) else "no spending"),
                   (f"FY{later_year}", measure.format(b[i], currency) if np.isfinite(b[i]) else "no spending"),
                   ("Rank", fmt.of(order[i], ranked) if order[i] else "—"))
        features.append(FeatureStyle(row["district_id"], row["name"], float(change[i]) if has else None, text,
                                     int(classes.index[i]) if has else NO_DATA_CLASS,
                                     fills[classes.index[i]] if has else NO_DATA, order[i], details))
    unit = "%" if view.change == "percent" else ""
    return MapSpec(
        source=dataset.source, as_of=dataset.as_of, citywide_label=dataset.citywide_label,
        title=f"Change in {measure.label.lower()}, FY{earlier_year} to FY{later_year} — {dataset.name}",
        subtitle=f"{'percent' if unit else 'absolute'} change · same filters in both years",
        measure_label=f"Change, FY{earlier_year}→FY{later_year}", features=tuple(features),
        legend=_legend(classes, fills, change, view, currency), breaks=classes.edges,
        tooltip=(f"Change in {measure.label.lower()}", f"FY{earlier_year}", f"FY{later_year}"),
        kind="change", layer=dataset.layer(view.layer).key, value_label=f"Change in {measure.label.lower()}",
        notes=tuple(n for n in (off_map_note(dataset.report.reconciliation), dataset.note,
                                _percent_note(view, a, b)) if n),
        selected=view.selected if view.selected in set(frame["district_id"]) else None,
        meta={"measure": view.measure, "fiscal_year": later_year, "base_year": earlier_year,
              "change": view.change},
    )


def _legend(classes: diverging.DivergingClasses, fills: list[str], change: np.ndarray,
            view: SpendingView, currency: str) -> tuple[LegendEntry, ...]:
    """'fell: −$500 to 0', 'rose: +12.5% to +40.0%': every end in one style (fmt.legend_style)."""
    edges = classes.edges
    kind = "percent" if view.change == "percent" else MEASURES[view.measure].legend_kind
    style = fmt.legend_style(edges, kind, currency)
    entries = []
    for i in range(classes.count):
        lo, hi = edges[i], edges[i + 1]
        word = "fell" if i < len(classes.low) else "rose"
        entries.append(LegendEntry(f"{word}: {style(lo, signed=True)} to {style(hi, signed=True)}",
                                   fills[i], int(((classes.index == i) & np.isfinite(change)).sum()), "class"))
    entries.append(LegendEntry("No comparison", NO_DATA, int((~np.isfinite(change)).sum()), "no_data"))
    return tuple(entries)


def _percent_note(view: SpendingView, a: np.ndarray, b: np.ndarray) -> str:
    if view.change != "percent":
        return ""
    new = int((~(np.nan_to_num(a) > 0) & (np.nan_to_num(b) > 0)).sum())
    return f"{new} district(s) had no spending in the earlier year, so no percent change (grey)." if new else ""

