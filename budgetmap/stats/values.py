"""The district values a statistic is computed on: exactly the numbers a map shows.

A spending view's values come from ``spending_map.district_values`` (the frame the
spending map is built from: its year or years added up, amount, filters and
layer); an indicator's from ``targets.district_frame`` (the target map's frame).
For an indicator the default is the reported value the map prints in each
district (the actual, else the estimate), as in the map's table and exports;
``on="gap"`` takes the gap to goal instead, signed so that positive is better,
which makes "low-low" mean a cluster of districts short of the goal whichever
way the indicator runs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap.measures import MEASURES
from budgetmap.model import Dataset
from budgetmap.spending_map import district_values, resolve_years
from budgetmap.target_map import resolve_indicator, resolve_indicator_year
from budgetmap.targets import indicator_layer, meta_for
from budgetmap.view import SpendingView

#: What an indicator's statistics are computed on: key -> what it means.
INDICATOR_BASES = {"value": "the reported value (actual, else the estimate), as the map prints it",
                   "gap": "the gap to goal, positive when better than the goal"}


@dataclass(frozen=True)
class DistrictValues:
    """One number per district of a layer (NaN: no data), and what it is."""

    subject: str  # "measure" or "indicator"
    key: str  # the measure's or the indicator's key
    label: str  # "Spending per resident", "Busy streets in good or fair condition"
    years: int | tuple[int, ...] | None
    layer: str
    frame: pd.DataFrame  # district_id, name, population, value, numerator (dollars of a per-resident rate)
    per_resident: bool  # value = numerator / population: a rate that can be smoothed
    min_population: int | None  # the dataset's small-number threshold for this layer
    basis: str = "value"  # for an indicator: a key of INDICATOR_BASES

    @property
    def values(self) -> np.ndarray:
        return self.frame["value"].to_numpy(float)

    @property
    def ids(self) -> list[str]:
        return [str(i) for i in self.frame["district_id"]]

    @property
    def with_data(self) -> np.ndarray:
        """True where the district has a (finite) value."""
        return np.isfinite(self.values)


def measure_values(dataset: Dataset, view: SpendingView) -> DistrictValues:
    """The spending map's values for ``view``: its measure, year(s), amount, filters and layer."""
    frame, _ = district_values(dataset, view)
    per_resident = MEASURES[view.measure].needs == "population"
    out = pd.DataFrame({"district_id": frame["district_id"].astype(str), "name": frame["name"].astype(str),
                        "population": frame["population"].astype(float), "value": frame["value"].astype(float),
                        "numerator": frame["dollars"].astype(float) if per_resident else np.nan})
    layer = dataset.layer(view.layer)
    return DistrictValues("measure", view.measure, MEASURES[view.measure].label, resolve_years(dataset, view),
                          layer.key, out, per_resident, layer.min_population)


def indicator_values(dataset: Dataset, view: SpendingView, on: str = "value") -> DistrictValues | None:
    """The target map's values for ``view``'s indicator and year (its latest if it has none then).

    None when the dataset has no indicator by district.
    """
    if on not in INDICATOR_BASES:
        raise ValueError(f"on={on!r}: choose from {', '.join(INDICATOR_BASES)}")
    from budgetmap.targets import district_frame

    layer = indicator_layer(dataset, view.layer)
    key = resolve_indicator(dataset, view)
    year = resolve_indicator_year(dataset, key, view.fiscal_year, layer) if key else None
    if key is None or year is None:
        return None
    frame = district_frame(dataset, key, year, layer)
    out = pd.DataFrame({"district_id": frame["district_id"].astype(str), "name": frame["name"].astype(str),
                        "population": frame["population"].astype(float), "value": frame[on].astype(float),
                        "numerator": np.nan})
    meta = meta_for(dataset, key)
    label = meta.label if on == "value" else f"{meta.label}: gap to goal"
    lay = dataset.layer(layer)
    return DistrictValues("indicator", key, label, year, lay.key, out, False, lay.min_population, on)
