"""A DuckDB ledger keeps its rows compressed in a database file of its own, which goes with it."""
from __future__ import annotations

import gc
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from budgetmap.model import SpendingQuery
from budgetmap.sources.duckdb import ROWS, DuckDBLedger
from budgetmap.sources.duckdb_store import Store


def frame(rows: int) -> pd.DataFrame:
    """Line items like a city's: a few departments and districts repeated over many rows."""
    return pd.DataFrame({
        "fiscal_year": pd.array([2020 + i % 5 for i in range(rows)], dtype="int64"),
        "period": "", "department": [f"Department {i % 12}" for i in range(rows)], "program": "", "fund": "",
        "project": "", "raw_district": [str(i % 50) for i in range(rows)],
        "budget_cents": pd.array([None] * rows, dtype="Int64"),
        "actual_cents": pd.array([(i * 7919) % 1_000_000 for i in range(rows)], dtype="Int64"),
        "source_row": pd.array(range(2, rows + 2), dtype="int64"),
        "district_id@wards": [str(i % 50) for i in range(rows)], "location@wards": "district",
    })


def test_the_folder_goes_with_the_ledger() -> None:
    ledger = DuckDBLedger.from_frame(frame(10), ["wards"], "wards")
    folder = ledger._store.folder
    assert (folder / "ledger.duckdb").is_file()
    ledger.close()
    assert not folder.exists()
    ledger.close()  # twice is harmless

    ledger = DuckDBLedger.from_frame(frame(10), ["wards"], "wards")
    folder = ledger._store.folder
    del ledger
    gc.collect()
    assert not folder.exists()


def test_rows_are_stored_compressed() -> None:
    """200,000 rows would be ~35 MB as plain vectors; compressed in the file they take a few."""
    ledger = DuckDBLedger.from_frame(frame(200_000), ["wards"], "wards")
    con = ledger._store.connection
    methods = {c: m for c, m in con.execute(f"SELECT column_name, compression FROM pragma_storage_info('{ROWS}') "
                                            "WHERE segment_type <> 'VALIDITY'").fetchall()}
    assert methods["department"] != "Uncompressed" and methods["fiscal_year"] != "Uncompressed"
    (blocks, block_size), = con.execute("SELECT used_blocks, block_size FROM pragma_database_size()").fetchall()
    assert blocks * block_size < 8 * 2**20
    assert ledger.totals(SpendingQuery(years=(2021,)), "USD").rows == 40_000
    ledger.close()


def test_a_store_that_cannot_open_leaves_no_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(duckdb.IOException):
        Store()
    assert list(tmp_path.iterdir()) == []
