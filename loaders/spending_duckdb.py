"""Read a big long spending table straight into a DuckDB ledger, with the pandas loader's exact semantics.

``loaders.spending.read_spending`` holds every cell in Python: fine for a city
office's files, minutes and gigabytes at ten million rows. Here DuckDB reads the
file (loaders.duckdb_read) and does the per-row work; the text that is plain
("2024", "-1234.56") is parsed in SQL, and every other distinct text goes through
the very parsers the pandas loader uses (loaders.values._cents/_fiscal_year,
loaders.joins.match_keys) and is joined back. The rows, problems, report and
rejected cents are therefore the pandas loader's by construction, which
tests/test_spending_duckdb.py checks row for row.

Memory stays flat however long the file: the parsed rows are a view, read twice
(the few rows with a problem into ``problems``, the good ones into the ledger's
table), never a table of their own; both tables are written compressed to the
ledger's database file (budgetmap.sources.duckdb_store), and the problem list,
counts and rejected cents are SQL over ``problems``.

Wide tables, Excel and files DuckDB would read differently are handed to the
pandas loader and then copied into a DuckDB ledger.
"""
from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd

from budgetmap import fmt
from budgetmap.model import RowProblem, TableReport
from budgetmap.model.ledger import primary_amount
from budgetmap.model.report import MAX_LISTED_PROBLEMS
from budgetmap.sources.duckdb import DuckDBLedger, quote
from budgetmap.sources.duckdb_store import Store
from budgetmap.sources.frame import key_columns
from loaders.duckdb_read import (INTEGER_TYPES, PLAIN_MONEY, Unsupported, drop_raw, literal, load_raw, rows_read,
                                 typed_columns)
from loaders.duplicates import note, sql_repeats
from loaders.joins import clean_keys, compose, match_keys
from loaders import keypairs
from loaders.keyrules import MATCH_ALSO, active, join_args
from loaders.manifest import DEFAULT_CITYWIDE, TableSpec
from loaders.points import has_points
from loaders.spending import MAX_ROW_PROBLEMS, NO_AMOUNT, NO_YEAR, _amount_columns, read_spending
from loaders.tables import require_columns
from loaders.values import _cents, _fiscal_year

Result = tuple[DuckDBLedger, TableReport, dict[str, int]]
_MAX_PLAIN = 10**16  # money of fewer digits before the point is plain (PLAIN_MONEY)
_INTEGER_DIGITS = {"TINYINT": 3, "SMALLINT": 5, "INTEGER": 10, "UTINYINT": 3, "USMALLINT": 5, "UINTEGER": 10}
_TEXT_COLUMNS = ("department", "program", "fund", "project", "period")


def read_spending_duckdb(spec: TableSpec, layers: Mapping[str, gpd.GeoDataFrame], table_layer: str) -> Result:
    """Return (DuckDB ledger, table report, rejected cents per amount column) as read_spending would."""
    if spec.options.get("years") or spec.options.get("sheet") or spec.url is not None or has_points(spec) \
            or spec.options.get("duplicates") == "drop":
        return _by_pandas(spec, layers, table_layer)  # wide, Excel, a database table, points, dropped repeats
    if spec.options.get("encoding") not in (None, "utf-8", "utf8", "UTF-8"):
        return _by_pandas(spec, layers, table_layer)
    store = Store()
    try:
        mapped = list(spec.columns.values())
        names = load_raw(store.connection, spec.path,  # amount columns that are nothing else
                         [c for c in _amount_columns(spec).values() if mapped.count(c) == 1])
    except (Unsupported, duckdb.Error):
        store.close()
        return _by_pandas(spec, layers, table_layer)
    try:
        return _read(store, spec, names, layers, table_layer)
    except BaseException:
        store.close()
        raise


def _read(store: Store, spec: TableSpec, names: list[str],
          layers: Mapping[str, gpd.GeoDataFrame], table_layer: str) -> Result:
    con = store.connection
    needed = {k: v for k, v in spec.columns.items() if k != "values"}
    require_columns(pd.DataFrame(columns=names), needed, file=spec.display_name, section=spec.section)
    index = {name: j for j, name in enumerate(names)}
    col = {name: f"c{j}" for j, name in enumerate(names)}
    typed = typed_columns(con)
    money = _amount_columns(spec)  # model column -> file column, actual first
    year = index[spec.columns["year"]]
    joins, select, params = [], [f"r.rn, c{year} AS y_text"], []
    value, reason, join = _parsed(con, "y", year, typed.get(year), _fiscal_year)
    select.append(f"{value} AS fiscal_year, {reason} AS y_reason")
    joins += join
    for model in ("actual_cents", "budget_cents"):
        short = model[0]
        if model not in money:
            select.append(f"CAST(NULL AS BIGINT) AS {short}, NULL AS {short}_text, NULL AS {short}_reason")
            continue
        j = index[money[model]]
        value, reason, join = _parsed(con, short, j, typed.get(j), _cents)
        select.append(f"{value} AS {short}, c{j} AS {short}_text, {reason} AS {short}_reason")
        joins += join
    for name in _TEXT_COLUMNS:
        source = col[spec.columns[name]] if spec.column(name) else "''"
        select.append(f"{source} AS {name}")
    district = col[spec.columns["district"]] if spec.column("district") else "''"
    also = list(spec.options.get(MATCH_ALSO) or {}) if spec.column("district") else []
    require_columns(pd.DataFrame(columns=names), {f"{MATCH_ALSO}.{c}": c for c in also}, file=spec.display_name,
                    section=spec.section)
    parts = [district, *(col[c] for c in also)]
    matched = _districts(con, parts, spec, layers[table_layer])
    con.register("_districts", matched)
    on = " AND ".join(f"dp.k{i} IS NOT DISTINCT FROM {p}" for i, p in enumerate(parts)) if also else \
        f"dp.k0 = {district}"
    joins.append(f"LEFT JOIN _districts dp ON {on}")
    select.append(f"{'dp.raw' if also else district} AS raw_district, dp.district_id, dp.location")
    con.execute(f"CREATE TEMP VIEW parsed AS SELECT {', '.join(select)}, "
                "(fiscal_year IS NULL OR (a IS NULL AND b IS NULL)) AS rejected "
                f"FROM raw_rows r {' '.join(joins)}", params)
    con.execute("CREATE TABLE problems AS SELECT * FROM parsed WHERE rejected OR y_reason IS NOT NULL "
                "OR a_reason IS NOT NULL OR b_reason IS NOT NULL")
    kept, derived = _ledger_rows(spec, money, layers, table_layer)
    ledger = DuckDBLedger.from_select(store, kept, [], list(layers), next(iter(layers)), derived)
    read = rows_read(con)
    found = sql_repeats(con, _cell_texts(con, len(names)))  # rows repeating an earlier row cell for cell
    repeated = {}
    if found:
        con.execute("CREATE TEMP TABLE _repeats AS SELECT unnest(?) AS rn", [list(found)])
        sums = con.execute("SELECT CAST(sum(a) AS HUGEINT), CAST(sum(b) AS HUGEINT) FROM parsed "
                           "WHERE rn IN (SELECT rn FROM _repeats)").fetchall()[0]
        con.execute("DROP TABLE _repeats")
        repeated = {m: int(v or 0) for m, v in zip(("actual_cents", "budget_cents"), sums) if m in money}
    pairs = None
    if keypairs.wanted(spec.options, spec.column("district")) and matched["location"].eq("unmatched").any():
        pairs = keypairs.from_duckdb(con, keypairs.candidate_columns(names, spec.columns.values()), names,
                                     "a" if primary_amount(ledger) == "actual_cents" else "b",
                                     layers[table_layer], active(spec.options))
    for view in ("_y", "_a", "_b", "_districts"):
        try:
            con.unregister(view)
        except duckdb.Error:
            pass
    con.execute("DROP VIEW parsed")
    drop_raw(con)
    report = _report(con, spec, money, read)
    report.key_pairs = pairs
    if found:
        report.notes.append(note(found, repeated))
    rejected = dict(zip(("actual_cents", "budget_cents"), (int(v or 0) for v in con.execute(
        "SELECT CAST(sum(a) FILTER (WHERE rejected) AS HUGEINT), "
        "CAST(sum(b) FILTER (WHERE rejected) AS HUGEINT) FROM problems").fetchall()[0])))
    for column, cents in rejected.items():
        if cents:
            report.notes.append(f"rows rejected for their fiscal year carry {fmt.cents_text(cents)} "
                                f"({column.removesuffix('_cents')}) that cannot be placed on a year's map")
    con.execute("DROP TABLE problems")
    return ledger, report, rejected


def _cell_texts(con: duckdb.DuckDBPyConnection, width: int) -> list[str]:
    """Each raw column as the text the file holds: a plain amount stored as a number (``t{j}``) is read back."""
    present = {r[0] for r in con.execute("DESCRIBE raw_rows").fetchall()}
    return [f"coalesce(c{j}, CAST(t{j} AS VARCHAR))" if f"t{j}" in present else f"c{j}" for j in range(width)]


def _ledger_rows(spec: TableSpec, money: dict[str, str], layers: Mapping[str, gpd.GeoDataFrame],
                 table_layer: str) -> tuple[str, dict[str, str]]:
    """The rows kept, as the ledger's columns over ``parsed``; and the columns the ledger's view
    derives instead of storing (constants, and ``source_row``, which is ``_pos`` here)."""
    district_col, location_col = (quote(c) for c in key_columns(table_layer))
    kept = ("SELECT rn AS _pos, fiscal_year, period, department, program, fund, project, raw_district, "
            f"b AS budget_cents, a AS actual_cents, district_id AS {district_col}, location AS {location_col} "
            "FROM parsed WHERE NOT rejected")
    derived = {"source_row": "_pos"}
    for name in _TEXT_COLUMNS:
        if not spec.column(name):
            derived[name] = "''"
    for model in ("actual_cents", "budget_cents"):
        if model not in money:
            derived[model] = "CAST(NULL AS BIGINT)"
    for layer in layers:
        if layer != table_layer:
            other_district, other_location = key_columns(layer)
            derived[other_district], derived[other_location] = "CAST(NULL AS VARCHAR)", "'other_layer'"
    return kept, derived


def _plain(j: int, kind: str | None, parse: Callable[[str], Any]) -> tuple[str, str]:
    """(condition, value): SQL turning the cells it accepts into exactly what ``parse`` makes of their text.

    Text is tested as the parsers' own plain forms are (no Python per row): a year
    whose integer casts back to the same text, money by loaders.values' plain
    pattern. A typed Parquet column is tested on its numbers: integers, and
    decimals of at most 2 places, whose text (``CAST AS VARCHAR``) has that plain form.
    """
    if parse is _fiscal_year:
        if kind in INTEGER_TYPES:
            return f"coalesce(TRY_CAST(t{j} AS BIGINT) BETWEEN 1900 AND 2100, false)", f"CAST(t{j} AS BIGINT)"
        number = f"TRY_CAST(c{j} AS SMALLINT)"
        return (f"coalesce({number} BETWEEN 1900 AND 2100 AND CAST({number} AS VARCHAR) = c{j}, false)",
                f"CAST({number} AS BIGINT)")
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", kind or "")
    if kind in INTEGER_TYPES or (decimal and int(decimal[2]) <= 2):
        digits = int(decimal[1]) - int(decimal[2]) if decimal else _INTEGER_DIGITS.get(kind, 39)
        in_range = "TRUE" if digits <= 16 else f"abs(TRY_CAST(t{j} AS DECIMAL(38, 2))) < {_MAX_PLAIN}"
        return (f"coalesce(t{j} IS NOT NULL AND {in_range}, false)",
                f"CAST(CAST(t{j} AS DECIMAL(38, 2)) * 100 AS BIGINT)")
    return (f"coalesce(regexp_full_match(c{j}, '{PLAIN_MONEY}'), false)",
            f"CAST(CAST(c{j} AS DECIMAL(38, 2)) * 100 AS BIGINT)")


def _parsed(con: duckdb.DuckDBPyConnection, short: str, j: int, kind: str | None,
            parse: Callable[[str], Any]) -> tuple[str, str, list[str]]:
    """SQL for column j's (value, reason) and the join it needs, parsed as the pandas loader parses it.

    Plain cells are parsed in SQL (``_plain``), empty ones get ``parse("")``, and each
    other distinct text goes through ``parse`` itself, joined back as ``_{short}``;
    when there is none (the usual case) there is no join at all.
    """
    plain, value = _plain(j, kind, parse)
    empty = f"coalesce(c{j} = '', false)"  # the text of a plain CSV amount is NULL (loaders.duckdb_read)
    blank_value, blank_reason = parse("")
    texts = [t for (t,) in con.execute(  # CASE: no text is made of the plain cells
        f"SELECT DISTINCT c{j} FROM raw_rows WHERE CASE WHEN {plain} THEN false ELSE NOT {empty} END").fetchall()]
    sql_value = f"CASE WHEN {plain} THEN {value} WHEN {empty} THEN {_literal(blank_value, 'BIGINT')} "
    sql_reason = f"CASE WHEN {empty} THEN {_literal(blank_reason, 'VARCHAR')} "
    if not texts:
        return sql_value + "END", sql_reason + "END", []
    results = [parse(t) for t in texts]
    con.register(f"_{short}", pd.DataFrame({"text": pd.Series(texts, dtype=object),
                                            "value": pd.array([r[0] for r in results], dtype="Int64"),
                                            "reason": pd.Series([r[1] for r in results], dtype=object)}))
    return (sql_value + f"ELSE {short}p.value END", sql_reason + f"ELSE {short}p.reason END",
            [f"LEFT JOIN _{short} {short}p ON {short}p.text = c{j}"])


def _literal(value: int | str | None, kind: str) -> str:
    if value is None:
        return f"CAST(NULL AS {kind})"
    return str(int(value)) if kind == "BIGINT" else literal(str(value))


def _districts(con: duckdb.DuckDBPyConnection, parts: list[str], spec: TableSpec,
               districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each distinct district text (with ``match_also``: each distinct tuple of the key's columns,
    ``k0``.., and the key as the pandas loader writes it, ``raw``) matched as the pandas loader
    matches it (loaders.joins.match_keys)."""
    rows = con.execute(f"SELECT DISTINCT {', '.join(parts)} FROM raw_rows").fetchall()
    cells = pd.DataFrame(rows, columns=[f"k{i}" for i in range(len(parts))], dtype=object)
    texts = cells["k0"] if len(parts) == 1 else \
        compose(clean_keys(cells["k0"]), [clean_keys(cells[f"k{i}"]) for i in range(1, len(parts))])
    district, location = match_keys(texts, list(districts["district_id"]), spec.options.get("aliases", {}),
                                    spec.options.get("citywide", DEFAULT_CITYWIDE),
                                    **join_args(spec.options, districts, f"[{spec.section}] ({spec.display_name})"))
    return cells.assign(raw=texts.astype(object), district_id=district.astype(object),
                        location=location.astype(object))


def _report(con: duckdb.DuckDBPyConnection, spec: TableSpec, money: dict[str, str], read: int) -> TableReport:
    """Problems ordered and counted as read_spending lists them: by row; year, actual, budget, no amount."""
    file, year_col = spec.display_name, spec.columns["year"]
    no_amount = ", ".join(money.values())
    parts = ["SELECT rn, 0 AS k, ? AS col, y_text AS val, y_reason AS reason FROM problems "
             "WHERE y_reason IS NOT NULL"]
    params: list[Any] = [year_col]
    for k, (short, model) in enumerate((("a", "actual_cents"), ("b", "budget_cents")), start=1):
        if model in money:
            parts.append(f"SELECT rn, {k}, ?, {short}_text, {short}_reason FROM problems "
                         f"WHERE {short}_reason IS NOT NULL")
            params.append(money[model])
    # whole-row problems: read_spending lists the first MAX_ROW_PROBLEMS of each before counting
    for k, column, reason, where in (
            (3, no_amount, NO_AMOUNT, "a IS NULL AND b IS NULL AND fiscal_year IS NOT NULL"),
            (4, year_col, NO_YEAR, "fiscal_year IS NULL AND y_reason IS NULL AND (a IS NOT NULL OR b IS NOT NULL)")):
        parts.append(f"(SELECT rn, {k}, ?, '', ? FROM problems WHERE {where} ORDER BY rn LIMIT {MAX_ROW_PROBLEMS})")
        params += [column, reason]
    union = " UNION ALL ".join(parts)
    listed = con.execute(f"SELECT rn, col, val, reason FROM ({union}) ORDER BY rn, k LIMIT ?",
                         [*params, MAX_LISTED_PROBLEMS]).fetchall()
    (count,), = con.execute(f"SELECT count(*) FROM ({union})", params).fetchall()
    (used,), = con.execute("SELECT count(*) FROM line_items").fetchall()
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
