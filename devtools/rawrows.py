"""The same raw line items written as every source a finance office brings them in.

tests/test_source_contract.py holds each loader (pandas and DuckDB, CSV, Parquet,
PostGIS) to one set of expectations; for that every source must hold exactly the
same cells. A row is a dict of column -> cell as the office typed it: text, or a
number (int, float, Decimal), or None (blank / NULL). Text formats write numbers
as their text; typed formats (Parquet, PostgreSQL) give a column a number type
when all its cells are numbers of one kind, else text, as an export would.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
from shapely.geometry import box

#: Manifest key -> the file's column name (spaces, capitals and "$" on purpose: they must be quoted).
COLUMNS: dict[str, str] = {"year": "Fiscal Year", "department": "Dept", "program": "Program", "fund": "Fund",
                           "actual": "Actual $", "budget": "Budget $", "district": "Council District"}
DISTRICT_IDS: tuple[str, ...] = ("A", "B", "C", "D")
ALIASES: dict[str, str] = {"District 1": "A", "Bravo ward": "B"}

Cell = str | int | float | Decimal | None
Row = Mapping[str, Cell]  # manifest key (COLUMNS) -> cell


def text_of(cell: Cell) -> str:
    """A cell as a CSV holds it: numbers as Python writes them, blank as ""."""
    if cell is None:
        return ""
    return repr(cell) if isinstance(cell, float) else str(cell)


def column_kind(cells: Sequence[Cell]) -> type:
    """The type a typed format gives a column: int, float or Decimal when every cell is one, else str."""
    kinds = {type(c) for c in cells if c is not None}
    return kinds.pop() if len(kinds) == 1 and kinds <= {int, float, Decimal} else str


def _column(rows: Sequence[Row], key: str) -> list[Cell]:
    return [r.get(key) for r in rows]


def write_csv(rows: Sequence[Row], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS.values())
        out.writerows([text_of(r.get(k)) for k in COLUMNS] for r in rows)
    return path


_ARROW = {int: pa.int64(), float: pa.float64(), Decimal: pa.decimal128(38, 2), str: pa.string()}


def write_parquet(rows: Sequence[Row], path: Path) -> Path:
    arrays = {}
    for key, name in COLUMNS.items():
        cells = _column(rows, key)
        kind = column_kind(cells)
        values = cells if kind is not str else [None if c is None else text_of(c) for c in cells]
        arrays[name] = pa.array(values, type=_ARROW[kind])
    pq.write_table(pa.table(arrays), path)
    return path


_SQL = {int: "bigint", float: "double precision", Decimal: "numeric", str: "text"}


def write_postgis(conn: Any, schema: str, rows: Sequence[Row], table: str = "spending") -> str:
    """CREATE SCHEMA and a table of the rows (COPY, in order); return "schema.table" for a manifest."""
    from psycopg import sql

    kinds = {key: column_kind(_column(rows, key)) for key in COLUMNS}
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    columns = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(COLUMNS[k]), sql.SQL(_SQL[kinds[k]]))
                                 for k in COLUMNS)
    name = sql.Identifier(schema, table)
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(name, columns))
    with conn.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(name)) as copy:
        for r in rows:
            copy.write_row([None if r.get(k) is None else (r.get(k) if kinds[k] is not str else text_of(r.get(k)))
                            for k in COLUMNS])
    return f"{schema}.{table}"


def boundaries() -> gpd.GeoDataFrame:
    """Four 0.01-degree squares in a row: districts A..D (code, label, pop), EPSG:4326."""
    squares = [box(-122.70 + 0.01 * i, 45.50, -122.69 + 0.01 * i, 45.51) for i in range(len(DISTRICT_IDS))]
    return gpd.GeoDataFrame({"code": list(DISTRICT_IDS), "label": [f"Ward {d}" for d in DISTRICT_IDS],
                             "pop": [1000, 2000, 3000, 4000]}, geometry=squares, crs="EPSG:4326")


def boundaries_to_postgis(conn: Any, table: tuple[str, str] = ("gis", "districts")) -> str:
    """The boundaries as a PostGIS table with a geometry column (SRID 4326); return "schema.name"."""
    import shapely
    from psycopg import sql

    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(table[0])))
    conn.execute(sql.SQL("CREATE TABLE {} (code text PRIMARY KEY, label text, pop integer, "
                         "geom geometry(Polygon, 4326))").format(sql.Identifier(*table)))
    insert = sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, ST_SetSRID(ST_GeomFromWKB(%s), 4326))")
    with conn.cursor() as cur:
        cur.executemany(insert.format(sql.Identifier(*table)),
                        [(r.code, r.label, int(r.pop), shapely.to_wkb(r.geometry)) for r in boundaries().itertuples()])
    return ".".join(table)


def manifest(folder: Path, engine: str, districts: Mapping[str, str], spending: Mapping[str, str]) -> Path:
    """Write manifest.toml: ``districts``/``spending`` give the source keys (path, or url and table)."""
    def source(keys: Mapping[str, str]) -> str:
        return "".join(f"{k} = {json.dumps(v)}\n" for k, v in keys.items())
    columns = "".join(f"{k} = {json.dumps(v)}\n" for k, v in COLUMNS.items())
    aliases = "".join(f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in ALIASES.items())
    text = (f'name = "Contract town"\ncurrency = "USD"\nengine = "{engine}"\n\n'
            f'[districts]\n{source(districts)}id = "code"\nname = "label"\npopulation = "pop"\n\n'
            f"[spending]\n{source(spending)}{columns}\n[spending.aliases]\n{aliases}")
    path = folder / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path
