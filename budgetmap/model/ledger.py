"""The one narrow interface every read of line items goes through.

A ``Ledger`` holds a dataset's spending line items, wherever they live: a pandas
frame (``budgetmap.sources.frame``), a DuckDB table (``budgetmap.sources.duckdb``)
or rows read from PostGIS into either. Pages, map builders, stories, exports,
the CLI and snapshots ask it questions (``SpendingQuery``) and get exact integer
cents back; none of them sees the rows' storage. Each implementation passes the
same contract tests (tests/test_ledger_contract.py).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pandas as pd

from budgetmap.model.money import Reconciliation

#: Columns a query may group or filter by ("district_id" and "location" are the
#: query's layer's; the others are the line item's own).
GROUPABLE: tuple[str, ...] = ("fiscal_year", "period", "department", "program", "fund", "project",
                              "district_id", "location", "raw_district")
CATEGORY_COLUMNS: tuple[str, ...] = ("department", "program", "fund", "project")
AMOUNTS: tuple[str, ...] = ("actual_cents", "budget_cents")


@dataclass(frozen=True)
class SpendingQuery:
    """Which line items: years (None = all), one amount, category filters, and the layer mapped.

    Hashable and made only of simple values, so caches can key on it.
    """

    amount: str = "actual_cents"
    years: tuple[int, ...] | None = None
    departments: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    funds: tuple[str, ...] = ()
    layer: str | None = None  # None: the dataset's default layer

    def filters(self) -> dict[str, tuple[str, ...]]:
        """Category column -> chosen values (only those with a choice)."""
        chosen = {"department": self.departments, "program": self.programs, "fund": self.funds}
        return {c: v for c, v in chosen.items() if v}


@dataclass(frozen=True)
class DistrictTotals:
    """Exact cents per district of one layer (districts with no line item are absent), and where all went."""

    cents: Mapping[str, int]
    reconciliation: Reconciliation
    rows: int = 0  # line items that matched the query
    layer: str | None = None

    def of(self, district_id: str) -> int | None:
        return self.cents.get(district_id)


def primary_amount(ledger: "Ledger") -> str:
    """Actual spending when the data has it, else budget: what maps and whole-file reports show by default."""
    return "actual_cents" if ledger.has("actual_cents") or not ledger.has("budget_cents") else "budget_cents"


@runtime_checkable
class Ledger(Protocol):
    """What the domain may ask of line items. Implementations keep their rows private."""

    engine: str  # "pandas" or "duckdb": said in the load report

    def fiscal_years(self) -> tuple[int, ...]:
        """Fiscal years with at least one line item, oldest first."""

    def has(self, amount: str) -> bool:
        """Whether any line item carries this amount ("actual_cents" or "budget_cents")."""

    def categories(self, column: str, within: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        """Distinct non-empty values of a category column, optionally within other filters."""

    def totals(self, query: SpendingQuery, currency: str) -> DistrictTotals:
        """Per-district cents of the query's layer, with the reconciliation of the same rows."""

    def sums(self, query: SpendingQuery, by: Sequence[str]) -> pd.DataFrame:
        """Exact sums grouped by columns of ``GROUPABLE``: the columns of ``by``, ``cents`` (Python ints)
        and ``rows`` (line items in the group)."""

    def line_items(self, query: SpendingQuery, district_id: str | None = None, limit: int = 1000) -> pd.DataFrame:
        """Line items (model columns plus ``source_row``) matching the query, of one district if given."""

    def layers(self) -> tuple[str, ...]:
        """Layers whose district keys the line items carry."""

