"""Money against results: per-resident spending set against an indicator's gap to goal.

Each district gets a 3x3 class (spending tercile x result tercile) for the
bivariate map, and one of four plain-language groups (spends more or less than
the average of all districts; meets or misses the goal) for the reading under it.
"""
from __future__ import annotations

from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

from budgetmap import fmt
from budgetmap.mapspec import NO_DATA_CLASS, FeatureStyle, LegendEntry, MapSpec
from budgetmap.palettes import NO_DATA
from budgetmap.reconcile import off_map_note
from budgetmap.spending_map import district_values, resolve_year
from budgetmap.target_map import resolve_indicator, resolve_indicator_year
from budgetmap.targets import district_frame, format_gap, format_value, indicator_layer, meta_for
from budgetmap.view import SpendingView
from budgetmap.model import Dataset

#: Joshua Stevens' 3x3 pink-teal scheme: GRID[result class][spending class], low first.
GRID: tuple[tuple[str, ...], ...] = (
    ("#e8e8e8", "#ace4e4", "#5ac8c8"),
    ("#dfb0d6", "#a5add3", "#5698b9"),
    ("#be64ac", "#8c62aa", "#3b4994"),
)
LEVELS = ("low", "middle", "high")

#: The four readings: (spends more than average, meets goal) -> (title, what it may mean).
QUADRANTS: dict[tuple[bool, bool], tuple[str, str]] = {
    (True, False): ("Spend more than average and still miss the goal",
                    "the money has not (yet) bought the result here, or the need is greater"),
    (False, False): ("Spend less than average and miss the goal",
                     "candidates for more investment"),
    (True, True): ("Spend more than average and meet the goal", "the money and the result go together"),
    (False, True): ("Spend less than average and meet the goal", "results without extra money"),
}


def terciles(values: np.ndarray) -> np.ndarray:
    """0, 1, 2 per value by equal-count thirds (mapclassify); -1 where there is no value."""
    out = np.full(values.shape, -1, dtype=int)
    ok = np.isfinite(values)
    if ok.sum() >= 3 and np.unique(values[ok]).size >= 3:
        out[ok] = mapclassify.Quantiles(values[ok], k=3).yb
    elif ok.any():
        out[ok] = 1
    return out


@dataclass(frozen=True)
class Pairing:
    """Per-district spending and result, the years they come from and the city average."""

    frame: pd.DataFrame  # district_id, name, spending, gap, value, target, meets, more, x, y
    spending_year: int | None
    indicator_year: int
    indicator: str
    average: float  # per-resident spending of all districts together
    departments: tuple[str, ...]  # whose money is counted (empty: all)


def money_view(dataset: Dataset, view: SpendingView, key: str) -> SpendingView:
    """Per-resident spending of the indicator's own department (pavement: Transportation)
    when the data has it and no department filter is set; else the view's filters."""
    department = meta_for(dataset, key).department
    chosen = view.departments
    if not chosen and department and department in dataset.categories("department"):
        chosen = (department,)
    return view.with_(measure="per_capita", since=None, departments=chosen, layer=indicator_layer(dataset, view.layer))


def pair(dataset: Dataset, view: SpendingView) -> Pairing | None:
    """Join per-resident spending (the view's filters) with the indicator's gap, per district.

    None when the data cannot pair them: no indicator with a goal by district, no
    population, or no money located in districts.
    """
    layer = indicator_layer(dataset, view.layer)  # money and results on the same districts
    key = resolve_indicator(dataset, view)
    year = resolve_indicator_year(dataset, key, view.fiscal_year, layer) if key else None
    if key is None or year is None or not dataset.layer(layer).districts["population"].notna().any():
        return None
    money, _ = district_values(dataset, money_view(dataset, view, key))
    result = district_frame(dataset, key, year, layer)
    frame = result[["district_id", "name", "value", "target", "gap", "meets"]].copy()
    frame["spending"] = money["value"].to_numpy(float)
    if not np.isfinite(frame["spending"]).any() or not np.isfinite(frame["gap"]).any():
        return None  # no money located in districts (a citywide bureau budget), or no goal
    counted = money["population"] > 0
    located = sum(c for c in money.loc[counted, "cents"] if c is not None)
    average = float(located / 100 / money.loc[counted, "population"].sum())
    frame["more"] = frame["spending"] > average
    frame["x"] = terciles(frame["spending"].to_numpy(float))
    frame["y"] = terciles(frame["gap"].to_numpy(float))
    return Pairing(frame, resolve_year(dataset, view), year, key, average,
                   money_view(dataset, view, key).departments)


def readings(pairing: Pairing) -> list[tuple[str, str, list[str]]]:
    """The four groups in plain language, with the districts in each (best-known first)."""
    frame = pairing.frame[pairing.frame["spending"].notna() & pairing.frame["gap"].notna()]
    out = []
    for (more, met), (title, meaning) in QUADRANTS.items():
        names = frame[(frame["more"] == more) & (frame["meets"] == met)].sort_values("gap")["name"].tolist()
        out.append((title, meaning, names))
    return out


def build_bivariate_map(dataset: Dataset, view: SpendingView) -> MapSpec | None:
    """The 3x3 map: teal for more spending per resident, pink for better results."""
    pairing = pair(dataset, view)
    if pairing is None:
        return None
    meta = meta_for(dataset, pairing.indicator)
    features = []
    for row in pairing.frame.itertuples():
        has = row.x >= 0 and row.y >= 0
        fill = GRID[row.y][row.x] if has else NO_DATA
        label = (f"{LEVELS[row.x]} spending, {LEVELS[row.y]} result" if has else "no data")
        details = (("Spending per resident", fmt.money(row.spending, dataset.currency, cents=True)),
                   (meta.label, format_value(row.value, meta)), ("Gap", format_gap(row.gap, meta)),
                   ("Class", label))
        features.append(FeatureStyle(row.district_id, row.name, None, label,
                                     row.y * 3 + row.x if has else NO_DATA_CLASS, fill, None, details,
                                     pattern="hatch" if has and not row.meets else ""))
    frame = pairing.frame
    legend = tuple(LegendEntry(f"{LEVELS[x]} spending, {LEVELS[y]} result", GRID[y][x],
                               int(((frame["x"] == x) & (frame["y"] == y)).sum()), "class")
                   for y in range(3) for x in range(3))
    hatched = sum(1 for f in features if f.pattern == "hatch")   # the legend counts what is drawn
    legend += (LegendEntry("Hatched: misses the goal", "#ffffff", hatched, "pattern", "hatch"),
               LegendEntry("No data", NO_DATA, int(((frame["x"] < 0) | (frame["y"] < 0)).sum()), "no_data"))
    whose = ", ".join(pairing.departments) if pairing.departments else "all departments"
    years = f"{whose} spending FY{pairing.spending_year}, results FY{pairing.indicator_year}"
    return MapSpec(
        source=dataset.source, as_of=dataset.as_of, citywide_label=dataset.citywide_label,
        title=f"Money against results: {meta.label} — {dataset.name}",
        subtitle=f"{years} · per-resident spending (thirds) × gap to goal (thirds)",
        measure_label="Spending × result", features=tuple(features), legend=legend,
        tooltip=("Spending per resident", meta.label, "Gap"), kind="bivariate",
        layer=dataset.layer(indicator_layer(dataset, view.layer)).key,
        value_label="Spending × result (no single number)",
        notes=tuple(n for n in (off_map_note(dataset.report.reconciliation), dataset.note,
                                _year_note(pairing)) if n),
        selected=view.selected if view.selected in set(frame["district_id"]) else None,
        meta={"indicator": pairing.indicator, "spending_year": pairing.spending_year,
              "indicator_year": pairing.indicator_year, "average": pairing.average, "grid": GRID},
    )


def _year_note(pairing: Pairing) -> str:
    if pairing.spending_year == pairing.indicator_year:
        return ""
    return (f"Spending is from FY{pairing.spending_year} and results from FY{pairing.indicator_year}: "
            "the indicator has no value for the spending year.")
