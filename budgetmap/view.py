"""The state of a spending-map view: every selection a person can make.

A frozen, hashable value with only simple fields, so Streamlit can cache on it,
the URL can carry it (issue: permalinks) and the CLI can build it from flags.
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

    def with_(self, **changes: Any) -> "SpendingView":
        return replace(self, **changes)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
