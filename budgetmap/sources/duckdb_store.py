"""Where a DuckDB ledger keeps its rows: a database file of its own in a private temporary folder.

DuckDB compresses a table (dictionaries, bit-packing, constants) only when it
writes the table's blocks to storage. In an in-memory database ten million line
items stay plain vectors, 1.25 GB (and the loader's intermediate tables as
much again); in a database file the same rows take ~70 MB, written compressed
row group by row group while the table is created, so the plain rows are never
held at once. Blocks read back are cached in DuckDB's buffer pool, which stays
under ``memory_limit`` by dropping them (they are in the file) rather than
growing. Measured in bench/bench_ledger.py; see bench/README.md.

The folder is the ledger's alone: removed when the ledger is closed, collected
or the process exits (a killed process leaves a ``budgetmap-ledger-*`` folder in
the temporary directory, nothing else).
"""
from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

#: DuckDB's cap on its own memory (buffer pool, joins, group-bys; it spills to the folder
#: beyond it). The line items are in the file, so this bounds a dataset's RAM, not its size.
MEMORY_LIMIT = "1GB"


class Store:
    """A DuckDB connection on a database file in a temporary folder that goes when the store does."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="budgetmap-ledger-"))
        try:
            self.connection = duckdb.connect(str(self.folder / "ledger.duckdb"), config={
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": str(self.folder / "spill"),  # not DuckDB's default, ./.tmp of the working dir
            })
            # Loading takes seconds: no progress bars in a CLI's output (a setting of this connection only).
            self.connection.execute("SET enable_progress_bar = false")
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self._finalizer = weakref.finalize(self, _remove, self.connection, self.folder)

    @contextmanager
    def parquet_file(self, data: bytes) -> Iterator[str]:
        """``data`` written to a Parquet file in the store's folder for the block, then removed."""
        path = self.folder / "incoming.parquet"
        path.write_bytes(data)
        try:
            yield str(path)
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the connection and remove the folder (again is harmless)."""
        self._finalizer()


def _remove(connection: duckdb.DuckDBPyConnection, folder: Path) -> None:
    try:
        connection.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def parquet_bytes(cursor: duckdb.DuckDBPyConnection, table: str) -> bytes:
    """A table or view as Parquet bytes (BIGINT and text kept exactly, compressed): how rows cross a process."""
    with tempfile.TemporaryDirectory(prefix="budgetmap-ledger-") as folder:
        path = Path(folder) / "rows.parquet"
        cursor.execute(f"COPY {table} TO '{path}' (FORMAT parquet)")
        return path.read_bytes()
