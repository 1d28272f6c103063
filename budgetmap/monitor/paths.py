"""In-year indicator values against a path to the annual target.

The path runs from a baseline (last fiscal year's annual value in the same
district; 0 for an indicator whose roll-up is ``sum``, whose in-year values are
counts so far this year) to the year's target by the year's last period: a
straight line (period i of n is i/n of the way), or the shares the manifest
gives (``[indicators.meta.KEY] path``). At a monitored period each indicator is
judged by its latest value reported at or before that period in the same
fiscal year. Numbers are read as the exact decimals the file wrote.
"""
from __future__ import annotations

from fractions import Fraction

import pandas as pd

from budgetmap.model import Dataset, IndicatorMeta, Period, PlanSettings
from budgetmap.model.dataset import DIRECTIONS
from budgetmap.model.periods import PER_YEAR, parse_period
from budgetmap.monitor.findings import Unchecked
from budgetmap.monitor.states import IndicatorState


def exact(value: float) -> Fraction:
    """A float from a file as the decimal it was written as (82.5 is 165/2; 0.1 is 1/10, not its binary)."""
    return Fraction(repr(float(value)))


def share(meta: IndicatorMeta, period: Period) -> Fraction:
    """How far along the year's path a period is: the manifest's path when it fits, else i / n."""
    n = PER_YEAR[period.kind]
    if len(meta.path) == n:
        return exact(meta.path[period.index - 1])
    return Fraction(period.index, n)


def _period(year: int, label: str) -> Period:
    parsed, _ = parse_period(label)
    assert parsed is not None  # labels are the loaders' own ("Q2", "M05")
    return Period(year, parsed[1], parsed[0])


def _annual(dataset: Dataset, layer: str, indicator: str, year: int, district: str | None) -> pd.Series | None:
    """The annual row of an indicator for one year and district (None: none)."""
    rows = dataset.indicator_frame(layer)
    mine = rows["indicator"].eq(indicator) & rows["fiscal_year"].eq(year)
    mine &= rows["district_id"].isna() if district is None else rows["district_id"].eq(district)
    found = rows[mine]
    return found.iloc[0] if len(found) else None


def _baseline(dataset: Dataset, meta: IndicatorMeta, layer: str, year: int, district: str | None) -> Fraction | None:
    if meta.rollup == "sum":
        return Fraction(0)
    before = _annual(dataset, layer, meta.key, year - 1, district)
    return exact(before["actual"]) if before is not None and pd.notna(before["actual"]) else None


def _target(dataset: Dataset, meta: IndicatorMeta, layer: str, year: int, district: str | None,
            rows: pd.DataFrame) -> Fraction | None:
    """The year's target: the annual row's, else an in-year row's, else the manifest's goal for the year."""
    annual = _annual(dataset, layer, meta.key, year, district)
    if annual is not None and pd.notna(annual["target"]):
        return exact(annual["target"])
    given = rows["target"].dropna()
    if len(given):
        return exact(given.iloc[-1])
    goal = meta.city_target(year)
    return exact(goal) if goal is not None else None


def indicator_states(dataset: Dataset, period: Period) -> tuple[list[IndicatorState], list[Unchecked]]:
    """Each (indicator, district) with an in-year value in ``period``'s fiscal year by its end, and those unchecked."""
    rows = dataset.indicator_periods
    if not len(rows):
        return [], []
    settings = dataset.plans.settings if dataset.plans is not None else PlanSettings()
    year = rows[rows["fiscal_year"].eq(period.year) & rows["actual"].notna()]
    year = year.assign(_end=[_period(period.year, p).end_month for p in year["period"]],
                       _district=year["district_id"].fillna(""))
    year = year[year["_end"] <= period.end_month].sort_values("_end", kind="stable")
    states: list[IndicatorState] = []
    unchecked: list[Unchecked] = []
    for (indicator, layer, key), group in year.groupby(["indicator", "layer", "_district"], sort=True):
        meta = dataset.indicator_meta.get(indicator) or IndicatorMeta(key=indicator, label=indicator)
        district = key or None
        latest = group.iloc[-1]
        baseline = _baseline(dataset, meta, layer, period.year, district)
        target = _target(dataset, meta, layer, period.year, district, group)
        if baseline is None:
            unchecked.append(Unchecked(indicator, district, f"no annual value for FY{period.year - 1} to start "
                                                            "the path from"))
            continue
        if target is None:
            unchecked.append(Unchecked(indicator, district, f"no target for FY{period.year}"))
            continue
        names = dataset.layer(layer).districts
        name = (dict(zip(names["district_id"], names["name"].astype(str))).get(district, "") if district
                else dataset.citywide_label)
        at = _period(period.year, latest["period"])
        states.append(IndicatorState(
            meta=meta, layer=layer, district_id=district, district_name=name, period=at,
            value=exact(latest["actual"]), baseline=baseline, target=target, share=share(meta, at),
            sign=int(DIRECTIONS[meta.direction].sign), tolerance=settings.tolerance_for(meta.department),
            grace=settings.grace))
    return states, unchecked
