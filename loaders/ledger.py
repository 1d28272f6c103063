"""Which ledger holds a dataset's line items: pandas for ordinary files, DuckDB for millions of rows."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from budgetmap.model import Ledger

#: ``engine = "auto"`` switches to DuckDB at this many line items.
AUTO_DUCKDB_ROWS = 1_000_000


def choose_engine(requested: str, rows: int) -> str:
    """The manifest's ``engine`` ("pandas", "duckdb"), or by size when it says "auto"."""
    if requested != "auto":
        return requested
    return "duckdb" if rows >= AUTO_DUCKDB_ROWS else "pandas"


def duckdb_ledger(frame: pd.DataFrame, layers: Sequence[str]) -> Ledger:
    """The line items of a loaded frame in a DuckDB table (budgetmap.sources.duckdb)."""
    from budgetmap.sources.duckdb import DuckDBLedger  # only DuckDB datasets pay for the import

    return DuckDBLedger.from_frame(frame, layers, layers[0])
