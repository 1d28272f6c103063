"""The Dataset: one city's boundary layers, line items (behind a Ledger), indicators and load report.

Loaded once and shared by every session, so it is frozen and hands out no
mutable storage of its line items: every read of money goes through
``Dataset.totals`` / ``sums`` / ``line_items`` (the Ledger), which every source
(files via pandas, DuckDB, PostGIS) implements alike.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from budgetmap.model.ledger import DistrictTotals, Ledger, SpendingQuery
from budgetmap.model.names import DistrictNames
from budgetmap.model.plans import Plans
from budgetmap.model.report import LoadReport

#: ``district_id`` None = a citywide row. ``estimate`` stands in where no actual is
#: reported yet. ``weight`` is what a "weighted" roll-up weighs this row by (street
#: miles, corners counted); NaN when the indicator rolls up another way.
INDICATOR_COLUMNS: tuple[str, ...] = (
    "indicator", "fiscal_year", "district_id", "actual", "target", "standard", "estimate",
    "weight", "layer",
)
#: In-year indicator values (a table with a ``period`` column): ``period`` is the
#: period's label ("Q2", "M05"); ``actual`` is the value so far in the fiscal year.
INDICATOR_PERIOD_COLUMNS: tuple[str, ...] = (
    "indicator", "fiscal_year", "period", "district_id", "actual", "target", "layer",
)


@dataclass(frozen=True)
class Direction:
    """Which way an indicator improves; ``sign`` turns actual - target into "ahead of goal" > 0."""

    key: str
    label: str
    sign: float


#: The registry of directions: the manifest checker, the targets maths and the docs read it.
DIRECTIONS: dict[str, Direction] = {d.key: d for d in (
    Direction("higher", "higher is better", 1.0),
    Direction("lower", "lower is better", -1.0),
)}


@dataclass(frozen=True)
class IndicatorMeta:
    """How to read and roll up one indicator (used by the targets views)."""

    key: str
    label: str
    unit: str = ""
    department: str = ""
    direction: str = "higher"  # a key of DIRECTIONS
    rollup: str = "mean"  # a key of budgetmap.rollups.ROLLUPS
    weight: str | None = None  # district or table column a "weighted" roll-up weighs by
    target: float | None = None  # the city's goal, every year (rows may override)
    targets: tuple[tuple[int, float], ...] = ()  # the city's goal for particular years
    source: str = ""
    note: str = ""
    path: tuple[float, ...] = ()  # in-year values: share of the way from baseline to target by each period's end

    def city_target(self, year: int | None) -> float | None:
        """The city's goal for a year: a year-specific one first, else the standing one."""
        return dict(self.targets).get(year, self.target) if year is not None else self.target


#: A districts column holding the first of several label columns ("Washington" of "Washington, Oregon"),
#: so the name people type still finds its district, or its candidates.
SHORT_NAME = "short_name"


@dataclass(frozen=True)
class Layer:
    """One set of district boundaries (council districts, neighbourhoods, wards...)."""

    key: str
    label: str
    districts: gpd.GeoDataFrame  # district_id, name, population, area_km2, kept columns, geometry (EPSG:4326)
    population_year: int | None = None
    boundaries_from: int | None = None  # first fiscal year the boundaries apply to
    min_population: int | None = None  # fewer residents than this: a figure too small to trust (none: no flag)
    vintage: str | None = None  # which edition of the boundaries ("2023 council districts"), printed on pages

    @cached_property
    def names(self) -> DistrictNames:
        """Display labels and name lookup, worked out once per layer (every map, picker and summary reads them)."""
        frame = self.districts
        return DistrictNames.of(frame["district_id"], frame["name"],
                                frame[SHORT_NAME] if SHORT_NAME in frame.columns else None)

    @property
    def labels(self) -> Mapping[str, str]:
        """District id -> the label shown: the name, with the id where the layer repeats the name."""
        return self.names.labels

    def __getstate__(self) -> dict:
        """The fields without the worked-out names (read-only mappings do not pickle; rebuilt on demand)."""
        return {name: value for name, value in self.__dict__.items() if name != "names"}


@dataclass(frozen=True)
class Dataset:
    """Validated data of one city plus the report of how it was loaded."""

    name: str
    currency: str
    layers: tuple[Layer, ...]  # the first is the default
    ledger: Ledger
    report: LoadReport
    indicator_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(INDICATOR_COLUMNS)))
    indicator_meta: Mapping[str, IndicatorMeta] = field(default_factory=dict)
    plans: Plans | None = None  # the [plans] table (early warning), when the manifest has one
    indicator_periods: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(INDICATOR_PERIOD_COLUMNS)))
    points: gpd.GeoDataFrame | None = None  # located line items (project points), when the table had coordinates
    note: str = ""
    source: str = ""
    as_of: str = ""  # the manifest's as_of: the date the publisher says the data describes
    citywide_label: str = "Citywide"  # what the whole place is called on screen ("Statewide", "Nationwide")
    refresh_months: int | None = None  # the manifest's refresh_months: how often the data is updated

    def __post_init__(self) -> None:
        if not self.layers:
            raise ValueError("a dataset needs at least one boundary layer")
        object.__setattr__(self, "indicator_meta", MappingProxyType(dict(self.indicator_meta)))

    # -- pickling (a dataset loaded in another process crosses as a pickle: loaders.sandbox) --
    def __getstate__(self) -> dict:
        """The fields, with the read-only mapping as a plain dict and no caches (rebuilt on demand)."""
        state = {name: value for name, value in self.__dict__.items() if name not in _CACHES}
        state["indicator_meta"] = dict(self.indicator_meta)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "indicator_meta", MappingProxyType(dict(state["indicator_meta"])))

    # -- boundary layers ---------------------------------------------------------------
    @property
    def default_layer(self) -> str:
        return self.layers[0].key

    def layer(self, key: str | None = None) -> Layer:
        """A layer by key; None or an unknown key gives the default one."""
        return next((layer for layer in self.layers if layer.key == key), self.layers[0])

    def layer_keys(self) -> list[str]:
        return [layer.key for layer in self.layers]

    @property
    def districts(self) -> gpd.GeoDataFrame:
        """The default layer's districts."""
        return self.layers[0].districts

    @property
    def population_year(self) -> int | None:
        return self.layers[0].population_year

    @property
    def boundaries_from(self) -> int | None:
        return self.layers[0].boundaries_from

    # -- indicators ----------------------------------------------------------------------
    def indicator_frame(self, layer: str | None = None) -> pd.DataFrame:
        """Indicator rows whose districts belong to one layer (None: the default), citywide rows included.

        Split once per dataset (every target map and story asks, several times per
        repaint); callers must not modify the frame they get.
        """
        return self._indicators_by_layer.get(self.layer(layer).key, self.indicator_rows.iloc[0:0])

    @cached_property
    def _indicators_by_layer(self) -> Mapping[str, pd.DataFrame]:
        rows = self.indicator_rows
        if "layer" not in rows.columns or not len(rows):
            return MappingProxyType({key: rows for key in self.layer_keys()})
        return MappingProxyType({key: rows[rows["layer"].eq(key).to_numpy()] for key in self.layer_keys()})

    @property
    def indicators(self) -> pd.DataFrame:
        """The default layer's indicator rows."""
        return self.indicator_frame(None)

    # -- line items, through the ledger -------------------------------------------------
    @property
    def fiscal_years(self) -> list[int]:
        """Fiscal years with spending, oldest first."""
        return list(self.ledger.fiscal_years())

    @property
    def has_budget(self) -> bool:
        return self.ledger.has("budget_cents")

    @property
    def has_actual(self) -> bool:
        return self.ledger.has("actual_cents")

    @property
    def has_spending(self) -> bool:
        return bool(self.fiscal_years)

    def categories(self, column: str, within: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        chosen = tuple(sorted((k, tuple(v)) for k, v in (within or {}).items()))
        return list(self._answers.categories(column, chosen))

    def totals(self, query: SpendingQuery) -> DistrictTotals:
        return self._answers.totals(query)

    @cached_property
    def _answers(self) -> _Answers:
        return _Answers(self.ledger, self.currency)

    def sums(self, query: SpendingQuery, by: Sequence[str]) -> pd.DataFrame:
        return self.ledger.sums(query, by)

    def line_items(self, query: SpendingQuery, district_id: str | None = None, limit: int = 1000) -> pd.DataFrame:
        return self.ledger.line_items(query, district_id, limit)

    @property
    def engine(self) -> str:
        return self.ledger.engine


class _Answers:
    """The ledger's answers already given, per dataset: the line items never change once loaded, and
    every session asks the same few questions on every rerun (the sidebar's categories, a year's
    totals behind each measure, palette and class choice), so each is computed once.

    Bounded (a totals answer holds a number per district); answers are read-only.
    """

    def __init__(self, ledger: Ledger, currency: str) -> None:
        self._ledger, self._currency = ledger, currency
        self.totals = functools.lru_cache(maxsize=256)(self._totals)
        self.categories = functools.lru_cache(maxsize=256)(self._categories)

    def _totals(self, query: SpendingQuery) -> DistrictTotals:
        found = self._ledger.totals(query, self._currency)
        return replace(found, cents=MappingProxyType(dict(found.cents)))

    def _categories(self, column: str, within: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
        return tuple(self._ledger.categories(column, dict(within) or None))


#: Values a Dataset computes once and keeps in its ``__dict__``; never pickled.
_CACHES = frozenset({"_indicators_by_layer", "_answers"})
