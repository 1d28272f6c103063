"""Read a big long spending table straight into a DuckDB ledger, with the pandas loader's exact semantics.

``loaders.spending.read_spending`` holds every cell in Python: fine for a city
office's files, minutes and gigabytes at ten million rows. Here DuckDB reads the
file (loaders.duckdb_read) and does the per-row work; the text that is plain
("2024", "-1234.56") is parsed in SQL, and every other distinct text goes through
the very parsers the pandas loader uses (loaders.values._cents/_fiscal_year,
loaders.joins.match_keys) and is joined back. The rows, problems, report and
rejected cents are therefore the pandas loader's by construction, which
tests/test_spending_duckdb.py checks row for row.

Wide tables, Excel and files DuckDB would read differently are handed to the
pandas loader and then copied into a DuckDB ledger.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd

from budgetmap.model import RowProblem, TableReport
from budgetmap.model.report import MAX_LISTED_PROBLEMS
from budgetmap.sources.duckdb import DuckDBLedger, quote
from budgetmap.sources.frame import key_columns
from loaders.duckdb_read import Unsupported, load_raw, rows_read
from loaders.duplicates import note, sql_repeats
from loaders.joins import match_keys
from loaders.keyrules import join_args
from loaders.manifest import DEFAULT_CITYWIDE, TableSpec
from loaders.points import has_points
from loaders.spending import _amount_columns, read_spending
from loaders.tables import require_columns
from loaders.values import _cents, _fiscal_year

Result = tuple[DuckDBLedger, TableReport, dict[str, int]]
#: Plain money SQL turns into cents itself: loaders.values._PLAIN in ASCII, up to 14 whole digits, since
#: DECIMAL(18, 2) * 100 stays DECIMAL(18) (overflow from 10**14 dollars) and DECIMAL(38) is 4x slower.
#: Longer amounts take the Python parser like any other text.
_MONEY = r"-?[0-9]{1,14}(\.[0-9]{1,2})?"
_YEAR = r"19[0-9]{2}|20[0-9]{2}|2100"  # a plain year in range
_TEXT_COLUMNS = ("department", "program", "fund", "project", "period")


def read_spending_duckdb(spec: TableSpec, layers: Mapping[str, gpd.GeoDataFrame], table_layer: str) -> Result:
    """Return (DuckDB ledger, table report, rejected cents per amount column) as read_spending would."""
    if spec.options.get("years") or spec.options.get("sheet") or spec.url is not None or has_points(spec) \
            or spec.options.get("duplicates") == "drop":
        return _by_pandas(spec, layers, table_layer)  # wide, Excel, a database table, points, dropped repeats
    con = duckdb.connect(":memory:")
    try:
        names = load_raw(con, spec.path)
        if spec.options.get("encoding") not in (None, "utf-8", "utf8", "UTF-8"):
            raise Unsupported("another encoding")
    except (Unsupported, duckdb.Error):
        con.close()
        return _by_pandas(spec, layers, table_layer)
    try:
        return _read(con, spec, names, layers, table_layer)
    except BaseException:
        con.close()
        raise


def _read(con: duckdb.DuckDBPyConnection, spec: TableSpec, names: list[str],
          layers: Mapping[str, gpd.GeoDataFrame], table_layer: str) -> Result:
    needed = {k: v for k, v in spec.columns.items() if k != "values"}
    require_columns(pd.DataFrame(columns=names), needed, file=spec.display_name, section=spec.section)
    col = {name: f"c{j}" for j, name in enumerate(names)}
    money = _amount_columns(spec)  # model column -> file column, actual first
    year_col = col[spec.columns["year"]]
    joins, select, params = [], [f"r.rn, {year_col} AS y_text"], []

    con.register("_years", _parsed(con, year_col, _YEAR, _fiscal_year, "year"))
    joins.append(f"LEFT JOIN _years yp ON yp.text = {year_col} AND NOT regexp_full_match({year_col}, '{_YEAR}')")
    select.append(f"CASE WHEN regexp_full_match({year_col}, '{_YEAR}') THEN CAST({year_col} AS BIGINT) "
                  "ELSE yp.value END AS fiscal_year, yp.reason AS y_reason")
    for model in ("actual_cents", "budget_cents"):
        short = model[0]
        if model not in money:
            select.append(f"CAST(NULL AS BIGINT) AS {short}, NULL AS {short}_text, NULL AS {short}_reason")
            continue
        c = col[money[model]]
        con.register(f"_{short}", _parsed(con, c, _MONEY, _cents, "amount"))
        joins.append(f"LEFT JOIN _{short} {short}p ON {short}p.text = {c} AND NOT regexp_full_match({c}, '{_MONEY}')")
        select.append(f"CASE WHEN regexp_full_match({c}, '{_MONEY}') THEN "
                      f"CAST(CAST({c} AS DECIMAL(18, 2)) * 100 AS BIGINT) ELSE {short}p.value END AS {short}, "
                      f"{c} AS {short}_text, {short}p.reason AS {short}_reason")
    for name in _TEXT_COLUMNS:
        source = col[spec.columns[name]] if spec.column(name) else "''"
        select.append(f"{source} AS {name}")
    district = col[spec.columns["district"]] if spec.column("district") else "''"
    con.register("_districts", _districts(con, district, spec, layers[table_layer]))
    joins.append(f"LEFT JOIN _districts dp ON dp.text = {district}")
    select.append(f"{district} AS raw_district, dp.district_id, dp.location")
    con.execute(f"CREATE TEMP TABLE parsed AS SELECT {', '.join(select)}, "
                "(fiscal_year IS NULL OR (a IS NULL AND b IS NULL)) AS rejected "
                f"FROM raw_rows r {' '.join(joins)}", params)
    read = rows_read(con)
    found = sql_repeats(con, len(names))  # rows repeating an earlier row cell for cell (loaders.duplicates)
    for view in ("_years", "_a", "_b", "_districts"):
        try:
            con.unregister(view)
        except duckdb.Error:
            pass
    con.execute("DROP VIEW raw_rows; DROP VIEW raw_numbered; DROP TABLE raw; DROP TABLE IF EXISTS raw_gaps")
    report = _report(con, spec, money, read)
    if found:
        con.execute("CREATE TEMP TABLE _repeats AS SELECT unnest(?) AS rn", [list(found)])
        sums = con.execute("SELECT CAST(sum(a) AS HUGEINT), CAST(sum(b) AS HUGEINT) FROM parsed "
                           "WHERE rn IN (SELECT rn FROM _repeats)").fetchall()[0]
        con.execute("DROP TABLE _repeats")
        report.notes.append(note(found, {m: int(v or 0) for m, v in zip(("actual_cents", "budget_cents"), sums)
                                         if m in money}))
    rejected = dict(zip(("actual_cents", "budget_cents"), (int(v or 0) for v in con.execute(
        "SELECT CAST(sum(a) FILTER (WHERE rejected) AS HUGEINT), "
        "CAST(sum(b) FILTER (WHERE rejected) AS HUGEINT) FROM parsed").fetchall()[0])))
    for column, cents in rejected.items():
        if cents:
            report.notes.append(f"rows rejected for their fiscal year carry {cents / 100:,.2f} "
                                f"({column.removesuffix('_cents')}) that cannot be placed on a year's map")
    keys = []
    for layer in layers:
        district_col, location_col = (quote(c) for c in key_columns(layer))
        if layer == table_layer:
            keys.append(f"district_id AS {district_col}, location AS {location_col}")
        else:
            keys.append(f"CAST(NULL AS VARCHAR) AS {district_col}, 'other_layer' AS {location_col}")
    ledger = DuckDBLedger.from_select(
        con, "SELECT rn AS _pos, fiscal_year, period, department, program, fund, project, raw_district, "
             f"b AS budget_cents, a AS actual_cents, rn AS source_row, {', '.join(keys)} "
             "FROM parsed WHERE NOT rejected", [], list(layers), next(iter(layers)))
    con.execute("DROP TABLE parsed")
    return ledger, report, rejected


def _parsed(con: duckdb.DuckDBPyConnection, column: str, plain: str, parse: Any, kind: str) -> pd.DataFrame:
    """The distinct texts SQL does not parse, through the pandas loader's own parser: text, value, reason."""
    texts = [t for (t,) in con.execute(
        f"SELECT DISTINCT {column} FROM raw_rows WHERE NOT regexp_full_match({column}, '{plain}')").fetchall()]
    results = [parse(t) for t in texts]
    return pd.DataFrame({"text": pd.Series(texts, dtype=object),
                         "value": pd.array([r[0] for r in results], dtype="Int64"),
                         "reason": pd.Series([r[1] for r in results], dtype=object)})


def _districts(con: duckdb.DuckDBPyConnection, column: str, spec: TableSpec,
               districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each distinct district text matched as the pandas loader matches it (loaders.joins.match_keys)."""
    texts = pd.Series([t for (t,) in con.execute(f"SELECT DISTINCT {column} FROM raw_rows").fetchall()],
                      dtype=object)
    district, location = match_keys(texts, list(districts["district_id"]), spec.options.get("aliases", {}),
                                    spec.options.get("citywide", DEFAULT_CITYWIDE),
                                    **join_args(spec.options, districts, f"[{spec.section}] ({spec.display_name})"))
    return pd.DataFrame({"text": texts, "district_id": district.astype(object), "location": location.astype(object)})


def _report(con: duckdb.DuckDBPyConnection, spec: TableSpec, money: dict[str, str], read: int) -> TableReport:
    """Problems ordered and counted as read_spending lists them: by row; year, actual, budget, no amount."""
    file, year_col = spec.display_name, spec.columns["year"]
    no_amount = ", ".join(money.values())
    parts = ["SELECT rn, 0 AS k, ? AS col, y_text AS val, y_reason AS reason FROM parsed WHERE y_reason IS NOT NULL"]
    params: list[Any] = [year_col]
    for k, (short, model) in enumerate((("a", "actual_cents"), ("b", "budget_cents")), start=1):
        if model in money:
            parts.append(f"SELECT rn, {k}, ?, {short}_text, {short}_reason FROM parsed "
                         f"WHERE {short}_reason IS NOT NULL")
            params.append(money[model])
    # read_spending lists at most 200 "no amount" rows (the first ones) before counting
    parts.append("(SELECT rn, 3, ?, '', 'row has no amount' FROM parsed WHERE a IS NULL AND b IS NULL "
                 "AND fiscal_year IS NOT NULL ORDER BY rn LIMIT 200)")
    params.append(no_amount)
    union = " UNION ALL ".join(parts)
    listed = con.execute(f"SELECT rn, col, val, reason FROM ({union}) ORDER BY rn, k LIMIT ?",
                         [*params, MAX_LISTED_PROBLEMS]).fetchall()
    (count,), = con.execute(f"SELECT count(*) FROM ({union})", params).fetchall()
    (used,), = con.execute("SELECT count(*) FROM parsed WHERE NOT rejected").fetchall()
    report = TableReport("spending", file, rows_read=read, rows_used=int(used))
    report.add_problems([RowProblem(file, int(rn), c, v, r) for rn, c, v, r in listed])
    report.problem_count = int(count)
    return report


def _by_pandas(spec: TableSpec, layers: Mapping[str, gpd.GeoDataFrame], table_layer: str) -> Result:
    """The reference loader, its frame then copied into a DuckDB ledger (old or new read_spending alike)."""
    if "layers" in inspect.signature(read_spending).parameters:
        frame, old, rejected = read_spending(spec, layers, table_layer)
    else:  # this branch's loaders: one district_id/location pair, for the table's own layer
        frame, old, rejected = read_spending(spec, list(layers[table_layer]["district_id"]))
        for layer in layers:
            district, location = key_columns(layer)
            if layer == table_layer:
                frame[district], frame[location] = frame["district_id"], frame["location"]
            else:
                frame[district], frame[location] = None, "other_layer"
    report = old if isinstance(old, TableReport) else TableReport(
        old.table, old.file, rows_read=old.rows_read, rows_used=old.rows_used,
        problems=[RowProblem(p.file, p.row, p.column, p.value, p.reason) for p in old.problems],
        notes=list(old.notes), problem_count=old.problem_count)
    return DuckDBLedger.from_frame(frame, list(layers), next(iter(layers))), report, dict(rejected)
