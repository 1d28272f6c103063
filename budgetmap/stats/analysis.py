"""Every statistic of one map at once: what the cluster map, the table, the summary and the CLI read.

``analyse(dataset, values)`` takes the district values a map shows
(``budgetmap.stats.values``) and returns an ``Analysis``: outliers, small
numbers and smoothed rates over every district with a value; Moran's I, LISA
and Gi* over those with a neighbour. ``Analysis.table()`` is one row per
district of the layer; ``budgetmap.stats.report.to_dict`` the JSON of
``python -m budgetmap stats``, ``budgetmap.stats.words.summary`` the words.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap.model import Dataset
from budgetmap.stats.outliers import DEFAULT_OUTLIER_RULE, OUTLIER_RULES, Outliers, outliers
from budgetmap.stats.rates import empirical_bayes, small_numbers
from budgetmap.stats.spatial import ALPHA, GlobalMoran, LocalResult, getis_ord, global_moran, local_moran
from budgetmap.stats.values import DistrictValues
from budgetmap.stats.weights import DEFAULT_WEIGHTS, WEIGHTS, neighbours


@dataclass(frozen=True)
class Analysis:
    """The statistics of one set of district values; district lists are ids, in the layer's order."""

    values: DistrictValues
    weights: str  # a key of WEIGHTS
    alpha: float
    smoothed_used: bool  # the spatial statistics ran on the smoothed rates
    moran: GlobalMoran | None  # None: fewer than three districts with neighbours, or no variation
    lisa: tuple[LocalResult, ...]
    gi: tuple[LocalResult, ...]
    islands: tuple[str, ...]
    outliers: Outliers
    small: np.ndarray  # True: population below the dataset's min_population
    smoothed: np.ndarray | None  # empirical Bayes rates, for per-resident values only

    @property
    def no_data(self) -> tuple[str, ...]:
        return tuple(i for i, ok in zip(self.values.ids, self.values.with_data) if not ok)

    @property
    def outlier_ids(self) -> tuple[str, ...]:
        return tuple(i for i, flag in zip(self.values.ids, self.outliers.mask) if flag)

    @property
    def small_ids(self) -> tuple[str, ...]:
        return tuple(i for i, flag in zip(self.values.ids, self.small) if flag)

    @property
    def n(self) -> int:
        """Districts the spatial statistics are computed over (a value and a neighbour)."""
        return len(self.lisa) if self.lisa else (self.moran.n if self.moran else 0)

    def name(self, district_id: str) -> str:
        return self.names.get(district_id, district_id)

    @property
    def names(self) -> dict[str, str]:
        """District id -> name, for every district of the layer."""
        return dict(zip(self.values.ids, self.values.frame["name"]))

    def clusters(self, code: str) -> list[str]:
        """Ids of districts in a significant LISA quadrant ("HH", "LL", "HL", "LH"), in the layer's order."""
        return [r.district_id for r in self.lisa if r.significant and r.code == code]

    def table(self) -> pd.DataFrame:
        """One row per district: value, smoothed rate, flags, LISA quadrant and p, Gi* class and p."""
        frame = self.values.frame[["district_id", "name", "population", "value"]].copy()
        frame["smoothed"] = self.smoothed if self.smoothed is not None else np.nan
        frame["outlier"] = self.outliers.mask
        frame["small_numbers"] = self.small
        frame["island"] = frame["district_id"].isin(self.islands)
        lisa = {r.district_id: r for r in self.lisa}
        gi = {r.district_id: r for r in self.gi}
        frame["quadrant"] = [lisa[i].code if i in lisa else None for i in frame["district_id"]]
        frame["lisa_p"] = [lisa[i].p_sim if i in lisa else np.nan for i in frame["district_id"]]
        frame["cluster"] = [(lisa[i].code if lisa[i].significant else "ns") if i in lisa else None
                            for i in frame["district_id"]]
        frame["gi"] = [gi[i].code if i in gi else None for i in frame["district_id"]]
        frame["gi_p"] = [gi[i].p_sim if i in gi else np.nan for i in frame["district_id"]]
        return frame


def analyse(dataset: Dataset, values: DistrictValues, *, weights: str = DEFAULT_WEIGHTS, alpha: float = ALPHA,
            outlier_rule: str = DEFAULT_OUTLIER_RULE, smooth: bool = False) -> Analysis:
    """All statistics of ``values``; ``smooth`` runs the spatial ones and the outlier rule on the
    empirical Bayes rates instead of the raw ones (small numbers always read the population).

    Raises KeyError for an unknown weights or outlier rule key (callers check
    against ``WEIGHTS`` and ``OUTLIER_RULES``), ValueError for ``smooth`` on values
    that are not per-resident rates.
    """
    if weights not in WEIGHTS or outlier_rule not in OUTLIER_RULES:
        raise KeyError(f"unknown weights {weights!r} or outlier rule {outlier_rule!r}")
    if smooth and not values.per_resident:
        raise ValueError(f"{values.label} is not a per-resident rate: there is nothing to smooth")
    frame = values.frame
    smoothed = (empirical_bayes(frame["numerator"].to_numpy(float), frame["population"].to_numpy(float))
                if values.per_resident else None)
    shown = smoothed if smooth and smoothed is not None else values.values
    ok = np.isfinite(shown)
    ids = [i for i, has in zip(values.ids, ok) if has]
    near = neighbours(dataset.layer(values.layer).districts, ids, weights)
    position = {i: k for k, i in enumerate(values.ids)}
    y = shown[[position[i] for i in near.ids]] if near.n else np.array([])
    return Analysis(values=values, weights=weights, alpha=alpha, smoothed_used=bool(smooth),
                    moran=global_moran(y, near), lisa=local_moran(y, near, alpha), gi=getis_ord(y, near, alpha),
                    islands=near.islands, outliers=outliers(shown, outlier_rule),
                    small=small_numbers(frame["population"].to_numpy(float), values.min_population),
                    smoothed=smoothed)
