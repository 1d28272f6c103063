"""The state of a map view: every selection a person can make, on any map page.

A frozen, hashable value with only simple fields, so Streamlit can cache on it,
the URL can carry it (permalinks) and the CLI can build it from flags. One value
serves every page, so a district or year chosen on one map is still chosen on
the next.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from budgetmap.classify import DEFAULT_SCHEME
from budgetmap.palettes import DEFAULT_PALETTE


@dataclass(frozen=True)
class SpendingView:
    measure: str = "per_capita"
    fiscal_year: int | None = None  # None: the latest year in the data
    amount: str = "actual"  # "actual" or "budget"
    departments: tuple[str, ...] = ()  # empty: all
    programs: tuple[str, ...] = ()
    funds: tuple[str, ...] = ()
    scheme: str = DEFAULT_SCHEME
    k: int = 5
    manual_breaks: tuple[float, ...] = ()
    palette: str = DEFAULT_PALETTE
    selected: str | None = None
    since: int | None = None  # add up fiscal years since..fiscal_year (None: one year)
    classes_from: int | None = None  # lock class breaks to this year's values
    indicator: str | None = None  # targets and money-vs-results pages
    base_year: int | None = None  # compare page: the earlier year
    compare: str = "change"  # change | side_years | side_measures
    change: str = "absolute"  # absolute | percent
    second_measure: str = "total"  # the right-hand map when comparing measures
    diverging: str = "RdBu"  # target and change maps
    layer: str | None = None  # boundary layer (None: the dataset's default)
    scatter_axis: str | None = None  # Money vs results: spending axis (None: chosen from the data)
    watch_period: str | None = None  # Monitoring: the as-of period, "2025Q2" (None: the latest)
    severities: tuple[str, ...] = ()  # Monitoring: red, amber (empty: both)
    behind: str = "share"  # Monitoring map: "share" of project budget behind plan, or "count" of projects
    stats_of: str = "measure"  # cluster map: the statistics of the spending measure or of the indicator
    statistic: str = "lisa"  # cluster map: local Moran (LISA) quadrants or Getis-Ord Gi* hot and cold spots
    weights: str = "queen"  # who neighbours whom (budgetmap.stats.weights.WEIGHTS)
    smoothing: str = "off"  # "on": per-resident rates also smoothed (empirical Bayes), shown beside the raw
    outlier_rule: str = "tukey"  # budgetmap.stats.outliers.OUTLIER_RULES: the rule every map flags outliers by
    control: str | None = None  # Money vs results: a district column the regression holds fixed

    @property
    def years(self) -> tuple[int, ...] | None:
        """The fiscal years the view adds up (None: fiscal_year alone)."""
        if self.since is None or self.fiscal_year is None or self.since >= self.fiscal_year:
            return None
        return tuple(range(self.since, self.fiscal_year + 1))

    def with_(self, **changes: Any) -> "SpendingView":
        return replace(self, **changes)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
