"""The DuckDB ledger: line items in a table of a DuckDB database of their own.

For millions of line items, where a pandas frame costs gigabytes and every
group-by copies it: DuckDB keeps the rows columnar and compressed and runs the
group-bys in SQL on both cores. Cents are BIGINT per row and every sum is taken
as HUGEINT (128 bits), so totals are exact like ``budgetmap.model.money``'s and
come back as Python ints. Results equal ``FrameLedger``'s to the cent and in
the same order (tests/test_ledger_contract.py runs one contract on both).

The table lives in a database file of its own (budgetmap.sources.duckdb_store:
stored compressed, ~70 MB for ten million rows instead of 1.25 GB in memory).
Its physical row order means nothing: every answer that has an order says so
(``ORDER BY _pos``, the rows' order in the source), so creating the table needs
no sort of all rows.

Streamlit calls a dataset's ledger from several threads at once: each query
opens its own cursor (a DuckDB connection to the same database), which DuckDB
makes safe. Values are always bound parameters; identifiers (layer keys come
from a manifest) are quoted.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from budgetmap.model.ledger import AMOUNTS, GROUPABLE, DistrictTotals, SpendingQuery
from budgetmap.model.money import Reconciliation
from budgetmap.sources.duckdb_store import Store, parquet_bytes
from budgetmap.sources.frame import LINE_COLUMNS, key_columns

TABLE = "line_items"  # the view every query reads: ROWS and the derived columns (from_select)
ROWS = "line_item_rows"
_TEXT = ("period", "department", "program", "fund", "project", "raw_district")
_INTEGERS = ("fiscal_year", "budget_cents", "actual_cents", "source_row")


def quote(identifier: str) -> str:
    """An SQL identifier, quoted so any layer key (spaces, quotes, '@') is a name, never SQL."""
    return '"' + str(identifier).replace('"', '""') + '"'


def table_columns(layers: Sequence[str]) -> list[str]:
    """The ledger table's columns: ``_pos`` (the rows' order), LINE_COLUMNS, then keys per layer."""
    return ["_pos", *LINE_COLUMNS, *(c for layer in layers for c in key_columns(layer))]


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """``column IN (?, ...)`` with bound values; an empty choice matches nothing, as ``isin(())``."""
    if not values:
        return "FALSE", []
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


class DuckDBLedger:
    """Line items in a DuckDB table with, per layer, a district key and a location column."""

    engine = "duckdb"

    def __init__(self, store: Store, layers: Sequence[str], default: str) -> None:
        """Wrap a store whose ``line_items`` table has ``table_columns(layers)``; it is owned from now on."""
        self._store = store
        self._con = store.connection
        self._layers = tuple(layers)
        self._default = default
        self._lock = threading.Lock()  # guards only cursor creation on the shared connection
        present = {r[0] for r in self._query(f"DESCRIBE {TABLE}")}
        missing = [c for c in table_columns(layers) if c not in present]
        if missing:
            raise ValueError(f"line item table lacks {missing}")
        self._columns = present
        years = self._query(f"SELECT DISTINCT fiscal_year FROM {TABLE} WHERE fiscal_year IS NOT NULL "
                            "ORDER BY fiscal_year")
        self._years = tuple(int(y) for (y,) in years)

    # -- constructors ------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, layers: Sequence[str], default: str) -> DuckDBLedger:
        """Copy a loaded line item frame (FrameLedger's columns) into a new database of its own."""
        missing = [c for c in LINE_COLUMNS if c not in frame.columns]
        missing += [c for layer in layers for c in key_columns(layer) if c not in frame.columns]
        if missing:
            raise ValueError(f"line item frame lacks {missing}")
        keys = [c for layer in layers for c in key_columns(layer)]
        source = pd.DataFrame({"_pos": np.arange(len(frame), dtype="int64")})
        for column in (*LINE_COLUMNS, *keys):
            values = frame[column].reset_index(drop=True)
            if column in _INTEGERS:
                source[column] = pd.array(values, dtype="Int64")
            else:  # text: None/NaN stay NULL, anything else is its str
                source[column] = pd.Series(values.astype(object).where(values.notna(), None), dtype=object)
        store = Store()
        try:
            con = store.connection
            con.register("_frame", source)
            casts = ", ".join(f"CAST({quote(c)} AS {'BIGINT' if c in _INTEGERS or c == '_pos' else 'VARCHAR'}) "
                              f"AS {quote(c)}" for c in source.columns)
            ledger = cls.from_select(store, f"SELECT {casts} FROM _frame", [], layers, default)
            con.unregister("_frame")
            return ledger
        except BaseException:
            store.close()
            raise

    @classmethod
    def from_select(cls, store: Store, select: str, params: Sequence[Any], layers: Sequence[str], default: str,
                    derived: Mapping[str, str] | None = None) -> DuckDBLedger:
        """Materialise ``select`` (yielding ``table_columns(layers)``, any order) as the ledger's rows:
        the fast loader's way in.

        ``derived`` maps columns that need no storing (a constant such as an unmapped
        ``period``, another layer's keys, or a copy of a stored column) to their SQL over
        the stored ones: they are computed by the view ``line_items`` over the stored
        table ``line_item_rows``. Writing a compressed column costs about a second per
        ten million rows even when it holds one value.
        """
        derived = dict(derived or {})
        columns = table_columns(layers)
        stored = ", ".join(quote(c) for c in columns if c not in derived)
        view = ", ".join(f"{derived[c]} AS {quote(c)}" if c in derived else quote(c) for c in columns)
        store.connection.execute(f"CREATE TABLE {ROWS} AS SELECT {stored} FROM ({select})", list(params))
        store.connection.execute(f"CREATE VIEW {TABLE} AS SELECT {view} FROM {ROWS}")
        return cls(store, layers, default)

    @classmethod
    def from_parquet(cls, data: bytes, layers: Sequence[str], default: str) -> DuckDBLedger:
        """A ledger from ``to_parquet``'s bytes, in a new store of its own: how it crosses a process."""
        store = Store()
        try:
            with store.parquet_file(data) as path:   # no ORDER BY: every query orders by _pos itself
                return cls.from_select(store, "SELECT * FROM read_parquet(?)", [path], layers, default)
        except BaseException:
            store.close()
            raise

    def to_parquet(self) -> bytes:
        """The table as Parquet: BIGINT cents and text kept exactly, compressed for the trip."""
        cursor = self._cursor()
        try:
            return parquet_bytes(cursor, TABLE)
        finally:
            cursor.close()

    def __reduce__(self) -> tuple:
        """Pickle as Parquet bytes (a connection cannot cross a process; loaders.sandbox sends datasets)."""
        return type(self).from_parquet, (self.to_parquet(), self._layers, self._default)

    # -- plumbing ----------------------------------------------------------------------
    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, list(params)).fetchall()
        finally:
            cursor.close()

    def _selection(self, query: SpendingQuery) -> tuple[str, list[Any]]:
        """A subquery of the query's rows with ``amount``, ``district_id`` and ``location`` of its layer."""
        if query.amount not in AMOUNTS:
            raise ValueError(f"unknown amount {query.amount!r}; one of {AMOUNTS}")
        where, params = [f"{quote(query.amount)} IS NOT NULL"], []
        if query.years is not None:
            clause, values = _in("fiscal_year", query.years)
            where.append(clause)
            params += values
        for column, chosen in query.filters().items():
            clause, values = _in(quote(column), chosen)
            where.append(clause)
            params += values
        layer = query.layer or self._default
        if layer in self._layers:
            district, location = (quote(c) for c in key_columns(layer))
        else:
            district, location = "CAST(NULL AS VARCHAR)", "'other_layer'"
        own = ", ".join(quote(c) for c in ("_pos", *LINE_COLUMNS))
        sql = (f"SELECT {own}, {quote(query.amount)} AS amount, {district} AS district_id, "
               f"{location} AS location FROM {TABLE} WHERE {' AND '.join(where)}")
        return sql, params

    # -- the Ledger protocol -----------------------------------------------------------
    def layers(self) -> tuple[str, ...]:
        return self._layers

    def fiscal_years(self) -> tuple[int, ...]:
        return self._years

    def has(self, amount: str) -> bool:
        if amount not in AMOUNTS:
            raise ValueError(f"unknown amount {amount!r}; one of {AMOUNTS}")
        return bool(self._query(f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE {quote(amount)} IS NOT NULL)")[0][0])

    def categories(self, column: str, within: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        for name in (column, *(within or {})):
            if name not in self._columns or name == "_pos":
                raise KeyError(name)
        where, params = [f"{quote(column)} IS NOT NULL", f"{quote(column)} <> ''"], []
        for other, chosen in (within or {}).items():
            if chosen:
                clause, values = _in(quote(other), list(chosen))
                where.append(clause)
                params += values
        rows = self._query(f"SELECT DISTINCT {quote(column)} FROM {TABLE} WHERE {' AND '.join(where)}", params)
        return sorted(str(v) for (v,) in rows)

    def totals(self, query: SpendingQuery, currency: str) -> DistrictTotals:
        selection, params = self._selection(query)
        # The () grouping set sums all rows on its own: the reconciliation's input_total
        # is then independent of the parts, as FrameLedger's is.
        rows = self._query(
            f"SELECT GROUPING(location, district_id) AS g, location, district_id, "
            f"CAST(sum(amount) AS HUGEINT), count(*), min(_pos) FROM ({selection}) "
            f"GROUP BY GROUPING SETS ((location, district_id), ()) ORDER BY g, min(_pos)", params)
        total, matched = 0, 0
        by_place: dict[str, int] = {}
        per_district: dict[str, int] = {}
        for grouping, location, district, cents, count, _ in rows:
            cents = int(cents or 0)
            if grouping:
                total, matched = cents, int(count)
                continue
            by_place[location] = by_place.get(location, 0) + cents
            if location == "district":
                per_district[district] = per_district.get(district, 0) + cents
        rec = Reconciliation(currency=currency, input_total=total,
                             districts=by_place.get("district", 0), citywide=by_place.get("citywide", 0),
                             unmatched=by_place.get("unmatched", 0), no_location=by_place.get("no_location", 0),
                             other_layer=by_place.get("other_layer", 0))
        return DistrictTotals(per_district, rec, rows=matched, layer=query.layer or self._default)

    def sums(self, query: SpendingQuery, by: Sequence[str]) -> pd.DataFrame:
        unknown = [c for c in by if c not in GROUPABLE]
        if unknown:
            raise ValueError(f"cannot group by {unknown}")
        selection, params = self._selection(query)
        if not by:
            (cents, count), = self._query(f"SELECT CAST(sum(amount) AS HUGEINT), count(*) FROM ({selection})",
                                          params)
            return pd.DataFrame({"cents": [int(cents or 0)], "rows": [int(count)]}, dtype=object)
        keys = ", ".join(quote(c) for c in by)
        rows = self._query(f"SELECT {keys}, CAST(sum(amount) AS HUGEINT), count(*) FROM ({selection}) "
                           f"GROUP BY {keys} ORDER BY {keys}", params)
        # Built and sorted exactly as FrameLedger builds its result, so dtypes and order agree.
        out = (pd.DataFrame([r[:-2] for r in rows], columns=list(by)) if rows
               else pd.DataFrame(columns=list(by)))
        out["cents"] = pd.Series([int(r[-2]) for r in rows], dtype=object)
        out["rows"] = [int(r[-1]) for r in rows]
        return out.sort_values(list(by)).reset_index(drop=True)

    def line_items(self, query: SpendingQuery, district_id: str | None = None, limit: int = 1000) -> pd.DataFrame:
        selection, params = self._selection(query)
        where = ""
        if district_id is not None:
            where, params = "WHERE district_id = ?", [*params, district_id]
        columns = ", ".join(quote(c) for c in (*LINE_COLUMNS, "district_id", "location"))
        cursor = self._cursor()
        try:
            frame = cursor.execute(f"SELECT {columns} FROM ({selection}) {where} ORDER BY _pos LIMIT ?",
                                   [*params, int(limit)]).df()
        finally:
            cursor.close()
        return _typed(frame)

    # -- beyond the protocol -----------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Every line item as FrameLedger's frame (LINE_COLUMNS and key columns per layer), in order.

        For tests and for handing a small DuckDB dataset to code that wants a frame;
        never called by pages (it copies all rows).
        """
        columns = ", ".join(quote(c) for c in table_columns(self._layers)[1:])
        cursor = self._cursor()
        try:
            return _typed(cursor.execute(f"SELECT {columns} FROM {TABLE} ORDER BY _pos").df())
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the database and remove its file (also done when the ledger is collected, or at exit)."""
        self._store.close()


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's frame typed like the loaders' frames: int64 years and rows, Int64 cents, text as object."""
    out = frame.copy()
    for column in out.columns:
        if column in ("fiscal_year", "source_row"):
            out[column] = out[column].astype("int64")
        elif column in ("budget_cents", "actual_cents"):
            out[column] = pd.array(out[column].astype(object).where(out[column].notna(), None), dtype="Int64")
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out
