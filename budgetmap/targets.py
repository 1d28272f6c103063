"""Indicators against their targets: gap, direction, which districts meet the goal.

The gap is signed so that a positive gap is always "better than the goal",
whichever way the indicator runs: 83% of streets in good condition against a
goal of 80% is +3, and a 7-minute response against a 6-minute goal is -1. Every
view (map, story, scatter) reads these functions, so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap import fmt
from budgetmap.rollups import ROLLUPS
from budgetmap.model import Dataset, IndicatorMeta
from budgetmap.model.dataset import DIRECTIONS

SIGN = {key: d.sign for key, d in DIRECTIONS.items()}


def gap(actual: np.ndarray | float, target: np.ndarray | float, direction: str) -> np.ndarray | float:
    """Distance from the goal, positive when better than it (NaN when either is missing)."""
    return (np.asarray(actual, dtype=float) - np.asarray(target, dtype=float)) * SIGN[direction]


def meets(gaps: np.ndarray) -> np.ndarray:
    """True where the goal is met or beaten; False where missed or unknown."""
    gaps = np.asarray(gaps, dtype=float)
    return np.isfinite(gaps) & (gaps >= 0)


def meta_for(dataset: Dataset, key: str) -> IndicatorMeta:
    return dataset.indicator_meta.get(key) or IndicatorMeta(key=key, label=key)


def indicator_layers(dataset: Dataset) -> list[str]:
    """Keys of the boundary layers with at least one district indicator value, in the dataset's order."""
    rows = dataset.indicator_rows
    if "layer" not in rows.columns:
        return [dataset.default_layer] if rows["district_id"].notna().any() else []
    present = set(rows.loc[rows["district_id"].notna(), "layer"])
    return [key for key in dataset.layer_keys() if key in present]


def indicator_layer(dataset: Dataset, wanted: str | None) -> str | None:
    """The layer an indicator view draws on: the wanted one if it has indicators, else the first that has.

    None means the dataset's default layer (as in ``SpendingView.layer``).
    """
    layers = indicator_layers(dataset)
    chosen = wanted if wanted in layers else (dataset.default_layer if dataset.default_layer in layers or not layers
                                              else layers[0])
    return None if chosen == dataset.default_layer else chosen


def indicator_years(dataset: Dataset, key: str, layer: str | None = None) -> list[int]:
    """Years in which the indicator has any value on the layer, oldest first."""
    rows = dataset.indicator_frame(layer)
    rows = rows[rows["indicator"] == key]
    has = rows["actual"].notna() | rows["estimate"].notna()
    return sorted(int(y) for y in rows.loc[has, "fiscal_year"].unique())


def mapped_indicators(dataset: Dataset, layer: str | None = None) -> list[str]:
    """Indicators with at least one district value on the layer, in the manifest's order: those a map can show."""
    rows = dataset.indicator_frame(layer)
    present = set(rows.loc[rows["district_id"].notna(), "indicator"])
    ordered = [k for k in dataset.indicator_meta if k in present]
    return ordered + sorted(present - set(ordered))


def _reported(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The value to use (actual, else the estimate) and whether it is an estimate."""
    use_estimate = rows["actual"].isna() & rows["estimate"].notna()
    return rows["actual"].where(~use_estimate, rows["estimate"]), use_estimate


def district_frame(dataset: Dataset, key: str, year: int, layer: str | None = None) -> pd.DataFrame:
    """One row per district of the layer: its label as ``name`` (repeated names told apart), value,
    target, gap, meets, standard, weight (NaN where unknown)."""
    meta = meta_for(dataset, key)
    indicators = dataset.indicator_frame(layer)
    rows = indicators[(indicators["indicator"] == key) & (indicators["fiscal_year"] == year)
                      & indicators["district_id"].notna()]
    rows = rows.drop_duplicates("district_id", keep="last").set_index("district_id")
    value, estimated = _reported(rows)
    shapes = dataset.layer(layer)
    frame = pd.DataFrame(shapes.districts[["district_id", "population"]]).reset_index(drop=True)
    frame.insert(1, "name", frame["district_id"].map(shapes.labels).astype(shapes.districts["name"].dtype))
    ids = frame["district_id"]
    frame["value"] = ids.map(value).astype(float)
    frame["estimated"] = ids.map(estimated).fillna(False).astype(bool)
    target = ids.map(rows["target"]).astype(float)
    frame["target"] = target.fillna(np.nan if meta.city_target(year) is None else meta.city_target(year))
    frame["standard"] = ids.map(rows["standard"]).astype(float)
    frame["weight"] = ids.map(rows["weight"]).astype(float)
    frame["gap"] = gap(frame["value"], frame["target"], meta.direction)
    frame["meets"] = meets(frame["gap"].to_numpy())
    return frame


def district_gaps(dataset: Dataset, layer: str | None = None) -> pd.DataFrame:
    """Every district value of every indicator and year at once, with gap, met and rank.

    The vectorised twin of ``district_frame`` for views that need all years (a
    district's story): rank 1 is the best gap among districts with one that year.
    """
    rows = dataset.indicator_frame(layer)
    rows = rows[rows["district_id"].notna()]
    rows = rows.drop_duplicates(["indicator", "fiscal_year", "district_id"], keep="last").copy()
    rows["value"], rows["estimated"] = _reported(rows)
    rows = rows[rows["value"].notna()]
    sign = rows["indicator"].map(lambda k: SIGN[meta_for(dataset, k).direction])
    rows["gap"] = (rows["value"] - rows["target"]) * sign
    rows["meets"] = meets(rows["gap"].to_numpy())
    grouped = rows.groupby(["indicator", "fiscal_year"])["gap"]
    rows["rank"] = grouped.rank(ascending=False, method="min")
    rows["ranked"] = grouped.transform("count")
    return rows


@dataclass(frozen=True)
class CitySummary:
    """The citywide line above a target map: "50% vs goal 80% · 3 of 31 districts meet it"."""

    value: float  # the roll-up of district values per the indicator's rule
    goal: float | None
    meeting: int
    with_data: int
    districts: int
    reported: float | None  # the citywide figure the data itself reports, if any
    rule: str


def city_goal(dataset: Dataset, key: str, year: int, frame: pd.DataFrame) -> float | None:
    """The city's goal: the manifest's, else the citywide row's, else a target all districts share."""
    meta = meta_for(dataset, key)
    if meta.city_target(year) is not None:
        return float(meta.city_target(year))
    city = citywide_rows(dataset, key)
    city = city[city["fiscal_year"] == year]["target"].dropna()
    if not city.empty:
        return float(city.iloc[-1])
    targets = frame["target"].dropna().unique()
    return float(targets[0]) if len(targets) == 1 else None


def citywide_rows(dataset: Dataset, key: str) -> pd.DataFrame:
    """The indicator's rows that describe the whole city (from a table of any layer), by year."""
    rows = dataset.indicator_rows
    return rows[(rows["indicator"] == key) & rows["district_id"].isna()].sort_values("fiscal_year", kind="stable")


def city_summary(dataset: Dataset, key: str, year: int, frame: pd.DataFrame | None = None,
                 layer: str | None = None) -> CitySummary:
    """Roll the district values of the layer up per the indicator's rule and count districts at goal."""
    meta = meta_for(dataset, key)
    frame = district_frame(dataset, key, year, layer) if frame is None else frame
    rule = ROLLUPS[meta.rollup]
    value = rule.apply(frame["value"].to_numpy(float), frame["population"].to_numpy(float),
                       frame["weight"].to_numpy(float))
    city = citywide_rows(dataset, key)
    city = city[city["fiscal_year"] == year]
    reported = _reported(city)[0].dropna()
    return CitySummary(value=value, goal=city_goal(dataset, key, year, frame),
                       meeting=int(frame["meets"].sum()), with_data=int(frame["value"].notna().sum()),
                       districts=len(frame), reported=float(reported.iloc[-1]) if len(reported) else None,
                       rule=rule.label)


def format_value(value: float | None, meta: IndicatorMeta) -> str:
    """'71.4%', '6.2 min', '5.10 visits'; 'no data' for a missing value."""
    if value is None or not np.isfinite(value):
        return "no data"
    digits = 2 if abs(value) < 10 and meta.unit not in ("%",) else 1
    text = f"{value:,.{digits}f}"
    if meta.unit == "%":
        return text + "%"
    if meta.unit == "$":
        return "$" + text
    return f"{text} {meta.unit}".strip()


def plain_number(value: float) -> str:
    """Magnitude without trailing zeros: '40', '2.5', '0.87', '12.3'."""
    text = f"{abs(value):,.2f}" if abs(value) < 10 else f"{abs(value):,.1f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_gap(value: float | None, meta: IndicatorMeta, against: str = "the goal") -> str:
    """'9 points short of the goal' / '2.5 min better than the goal'."""
    if value is None or not np.isfinite(value):
        return "no target"
    unit = "points" if meta.unit == "%" else meta.unit
    size = plain_number(value)
    if value == 0:
        return f"exactly at {against}"
    where = "better than" if value > 0 else "short of"
    return f"{size} {unit} {where} {against}".replace("  ", " ")


def summary_line(summary: CitySummary, meta: IndicatorMeta, year: int, citywide: str = fmt.CITYWIDE) -> str:
    """The headline: 'Citywide 71.2% vs goal 80% (FY2025) · 8 of 31 districts meet it'."""
    goal = f" vs goal {format_value(summary.goal, meta)}" if summary.goal is not None else " (no goal set)"
    counted = f"{fmt.of(summary.meeting, summary.with_data)} districts with data meet it"
    if summary.goal is None:
        counted = f"{fmt.of(summary.with_data, summary.districts)} districts have data"
    return f"{citywide} {format_value(summary.value, meta)}{goal} (FY{year}) · {counted}"
