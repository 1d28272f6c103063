"""The in-memory data model every view reads: one validated Dataset per manifest.

Kept in ``loaders`` (the bottom of the import graph) so the domain package, the
renderers and the UI can all share one definition without import cycles.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from loaders.report import LoadReport

#: Where a spending row's money lands on the map; the reconciliation sums by it.
LOCATIONS: tuple[str, ...] = ("district", "citywide", "unmatched", "no_location")

SPENDING_COLUMNS: tuple[str, ...] = (
    "fiscal_year", "period", "department", "program", "fund", "project",
    "raw_district", "district_id", "location", "budget_cents", "actual_cents",
    "source_row",
)
CATEGORY_COLUMNS: tuple[str, ...] = ("department", "program", "fund", "project")
#: ``district_id`` None = a citywide row. ``estimate`` stands in where no actual is
#: reported yet. ``weight`` is what a "weighted" roll-up weighs this row by (street
#: miles, corners counted); NaN when the indicator rolls up another way.
INDICATOR_COLUMNS: tuple[str, ...] = (
    "indicator", "fiscal_year", "district_id", "actual", "target", "standard", "estimate",
    "weight",
)


@dataclass(frozen=True)
class IndicatorMeta:
    """How to read and roll up one indicator (used by the targets views)."""

    key: str
    label: str
    unit: str = ""
    department: str = ""
    direction: str = "higher"  # "higher" or "lower" is better
    rollup: str = "mean"  # population | sum | mean | weighted
    weight: str | None = None  # district or table column a "weighted" roll-up weighs by
    target: float | None = None  # the city's goal, every year (rows may override)
    targets: tuple[tuple[int, float], ...] = ()  # the city's goal for particular years
    source: str = ""
    note: str = ""

    def city_target(self, year: int | None) -> float | None:
        """The city's goal for a year: a year-specific one first, else the standing one."""
        return dict(self.targets).get(year, self.target) if year is not None else self.target


@dataclass
class Dataset:
    """Validated frames of one city plus the report of how they were loaded."""

    name: str
    currency: str
    districts: gpd.GeoDataFrame
    spending: pd.DataFrame
    report: LoadReport
    indicators: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(INDICATOR_COLUMNS)))
    indicator_meta: dict[str, IndicatorMeta] = field(default_factory=dict)
    plans: pd.DataFrame | None = None
    note: str = ""
    source: str = ""
    as_of: str = ""  # the manifest's as_of: the date the publisher says the data describes
    population_year: int | None = None
    boundaries_from: int | None = None  # first fiscal year the boundaries apply to

    @property
    def fiscal_years(self) -> list[int]:
        """Fiscal years with spending, oldest first."""
        return sorted(int(y) for y in self.spending["fiscal_year"].dropna().unique())

    @property
    def has_budget(self) -> bool:
        return bool(self.spending["budget_cents"].notna().any())

    @property
    def has_actual(self) -> bool:
        return bool(self.spending["actual_cents"].notna().any())
