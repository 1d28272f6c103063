"""Which ledger holds a dataset's line items: pandas for ordinary files, DuckDB for millions of rows."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from loaders.manifest import TableSpec

from budgetmap.model import Ledger

#: ``engine = "auto"`` reads a spending file of at least this size with DuckDB (about a million
#: line items of CSV; Parquet at a tenth of that), and keeps any table of this many rows in DuckDB.
AUTO_DUCKDB_BYTES = 40_000_000
AUTO_DUCKDB_ROWS = 1_000_000


def choose_engine(requested: str, spec: TableSpec | None) -> str:
    """The manifest's ``engine`` ("pandas", "duckdb"), or by the spending file's size when it says "auto"."""
    if requested != "auto":
        return requested
    if spec is None or spec.path is None or not spec.path.is_file():
        return "pandas"
    size = spec.path.stat().st_size * (10 if spec.path.suffix.lower() in (".parquet", ".pq") else 1)
    return "duckdb" if size >= AUTO_DUCKDB_BYTES else "pandas"


def duckdb_ledger(frame: pd.DataFrame, layers: Sequence[str]) -> Ledger:
    """The line items of a loaded frame in a DuckDB table (budgetmap.sources.duckdb)."""
    from budgetmap.sources.duckdb import DuckDBLedger  # only DuckDB datasets pay for the import

    return DuckDBLedger.from_frame(frame, layers, layers[0])
