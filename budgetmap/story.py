"""A district's story: its money by department over the years, against the city, and its results.

Everything here is a plain table, so the page only draws it and the tests can
check each number by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap import fmt
from budgetmap.aggregate import spending_query
from budgetmap.targets import district_gaps, format_gap, format_value, mapped_indicators, meta_for
from budgetmap.view import SpendingView
from budgetmap.model import Dataset

#: the column of money with no department: the manifest names no department column (an
#: optional key) or the cell is blank. A chart cannot draw a series named "".
NO_DEPARTMENT = "(no department)"


def _located(dataset: Dataset, view: SpendingView, by: tuple[str, ...]) -> pd.DataFrame:
    """Exact sums of money located in districts (all years, the view's filters), grouped ``by``."""
    sums = dataset.sums(spending_query(view, None), by=("location", "district_id", *by))
    sums = sums[sums["location"] == "district"]
    return sums.assign(dollars=[c / 100 for c in sums["cents"]])


def spending_by_department(dataset: Dataset, district: str, view: SpendingView) -> pd.DataFrame:
    """Dollars per fiscal year (rows) and department (columns) in one district, with the filters."""
    rows = _located(dataset, view, ("fiscal_year", "department"))
    rows = rows[rows["district_id"] == district].replace({"department": {"": NO_DEPARTMENT}})
    table = rows.pivot_table(index="fiscal_year", columns="department", values="dollars", aggfunc="sum")
    return table.astype(float).reindex(dataset.fiscal_years).fillna(0.0).rename_axis(index="Fiscal year")


def per_resident_vs_city(dataset: Dataset, district: str, view: SpendingView) -> pd.DataFrame:
    """Per-resident spending of the district and of all districts together, per fiscal year.

    The city figure divides all money located in districts by the population of
    districts, so citywide and unlocated money does not inflate it.
    """
    rows = _located(dataset, view, ("fiscal_year",))
    population = dataset.layer(view.layer).districts.set_index("district_id")["population"].astype(float)
    counted = population[population > 0]
    dollars = rows.pivot_table(index="fiscal_year", columns="district_id", values="dollars",
                               aggfunc="sum").astype(float).reindex(dataset.fiscal_years).fillna(0.0)
    own = dollars[district] if district in dollars else pd.Series(0.0, index=dollars.index)
    city = dollars[[d for d in dollars.columns if d in counted.index]].sum(axis=1)
    out = pd.DataFrame(index=pd.Index(dataset.fiscal_years, name="Fiscal year"))
    out["This district"] = (own / population[district]).to_numpy() if counted.get(district) else np.nan
    out["All districts"] = (city / counted.sum()).to_numpy() if counted.sum() > 0 else np.nan
    return out


def indicator_history(dataset: Dataset, district: str, layer: str | None = None) -> pd.DataFrame:
    """Every indicator of the district (of the layer) in every year: value, goal, gap, met, rank."""
    rows = district_gaps(dataset, layer)
    rows = rows[rows["district_id"] == district]
    order = {k: i for i, k in enumerate(mapped_indicators(dataset, layer))}
    rows = rows.sort_values(["indicator", "fiscal_year"], key=lambda c: c.map(order) if c.name == "indicator" else c)
    records = []
    for row in rows.itertuples():
        meta = meta_for(dataset, row.indicator)
        known = np.isfinite(row.gap)
        records.append({"indicator": row.indicator, "Indicator": meta.label, "Fiscal year": int(row.fiscal_year),
                        "value": float(row.value), "target": float(row.target),
                        "Value": format_value(row.value, meta) + (" (estimate)" if row.estimated else ""),
                        "Goal": format_value(row.target, meta), "Gap": format_gap(row.gap, meta),
                        "Meets goal": ("yes" if row.meets else "no") if known else "—",
                        "Rank": fmt.of(int(row.rank), int(row.ranked)) if known else "—"})
    return pd.DataFrame.from_records(records, columns=["indicator", "Indicator", "Fiscal year", "value", "target",
                                                       "Value", "Goal", "Gap", "Meets goal", "Rank"])


@dataclass(frozen=True)
class Headline:
    """One sentence a council member can read out."""

    text: str
    goals_met: int
    goals_known: int


def headline(dataset: Dataset, district: str, view: SpendingView, year: int | None,
             money: pd.DataFrame | None = None, history: pd.DataFrame | None = None) -> Headline:
    """'Harbor Point: $1,820 per resident in FY2025, 4% above the average of all districts; meets 3 of 7 goals.'

    ``money`` and ``history`` take the story's own tables when the caller has them already.
    """
    parts = [dataset.layer(view.layer).names.label(district)]
    money = per_resident_vs_city(dataset, district, view) if money is None else money
    if year in money.index and np.isfinite(money.loc[year, "This district"]):
        own, city = money.loc[year, "This district"], money.loc[year, "All districts"]
        diff = f", {fmt.percent(abs(own / city - 1) * 100, 0)} {'above' if own >= city else 'below'} the average of " \
            "all districts" \
            if city and np.isfinite(city) else ""
        parts.append(f"{fmt.money(own, dataset.currency)} per resident in FY{year}{diff}")
    history = indicator_history(dataset, district, view.layer) if history is None else history
    latest = history.sort_values("Fiscal year").groupby("indicator").tail(1)
    known = latest[latest["Meets goal"] != "—"]
    met = int((known["Meets goal"] == "yes").sum())
    if len(known):
        parts.append(f"meets {fmt.of(met, len(known))} goals in their latest year")
    return Headline(": ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else ""), met, len(known))
