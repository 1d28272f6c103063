"""Let DuckDB read a CSV or Parquet table as loaders.tables.read_table would: trimmed text, spreadsheet rows.

``read_table`` reads every cell into Python, which costs minutes and gigabytes at
ten million rows; here DuckDB reads the file itself, as text, as
``raw`` with columns ``c0``.. and a view ``raw_rows`` adding ``rn``, the
spreadsheet row (header = row 1), holding the rows read_table would keep. A CSV
file is parsed once into a table ``raw`` (in the caller's database file, so it is
stored compressed); a Parquet file is only a view, ``raw``, read again by each
query (reading a Parquet column costs less than storing it again), which also
keeps each typed (non-text) column j as ``t{j}`` so that numbers need not be
parsed back from their text (see ``typed_columns``). A CSV column named in
``load_raw``'s ``money`` gets the same: where its text is a plain amount
(``PLAIN_MONEY``) it is stored as ``t{j}``, DECIMAL(18, 2), and its text
``c{j}`` is NULL; storing ten million distinct amount texts would cost more
than reading the file.

Only the plain cases are taken: whatever could make the two readers disagree
(another encoding, old-Mac line endings, a ragged or repeated header, blank lines
between quoted fields, typed Parquet columns we do not render like pandas)
raises ``Unsupported`` and the caller uses the reference reader instead.
"""
from __future__ import annotations

import codecs
import csv
import functools
import io
import mmap
import re
from collections.abc import Collection
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from loaders.tables import _sniff

#: loaders.values._PLAIN in ASCII: an amount SQL reads exactly, as cents without Decimal
PLAIN_MONEY = r"-?[0-9]{1,16}(\.[0-9]{1,2})?"
_PREFIX = 65537 * 4  # bytes that surely hold the 65,536 characters the delimiter sniff reads, and one more
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT", "UHUGEINT"}
_PANDAS_INDEX = re.compile(r"__index_level_\d+__")


class Unsupported(Exception):
    """The file needs the reference reader (the message says why)."""


@functools.cache
def strip_chars() -> str:
    """The characters pandas' ``str.strip()`` removes, which is what read_table trims cells with."""
    candidates = [chr(i) for i in range(0x3001) if chr(i).isspace() or chr(i) in "\u200b\ufeff\u180e"]
    stripped = pd.Series([f"{c}a{c}" for c in candidates]).astype(str).str.strip()
    return "".join(c for c, s in zip(candidates, stripped) if s == "a")


def header_names(cells: list[str]) -> list[str]:
    """read_table's column names for a header row; Unsupported where it would refuse or drop one."""
    names = [str(h).strip().removeprefix("\ufeff").strip() for h in cells]
    if not any(names):
        raise Unsupported("row 1 is empty")
    names = [n or f"column {j + 1}" for j, n in enumerate(names)]
    if len(set(names)) != len(names):
        raise Unsupported("the header repeats a name")
    return names


def load_raw(con: duckdb.DuckDBPyConnection, path: Path, money: Collection[str] = (),
             unnamed: list[int] | None = None) -> list[str]:
    """Read ``path`` into ``raw``/``raw_rows`` on ``con``; return the column names (``c{j}`` is column j).

    ``money``: columns holding nothing but amounts, whose plain ones a CSV stores as numbers.
    ``unnamed``, if given, hears which columns of a CSV header are blank (named "column j").
    """
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        names = _parquet(con, path)
    elif suffix in (".csv", ".txt", ".tsv"):
        names = _csv(con, path, suffix == ".tsv", money, [] if unnamed is None else unnamed)
    else:
        raise Unsupported(f"'{suffix}' files")
    blank = " AND ".join(f"coalesce(c{j} = '', false)" for j in range(len(names)))
    (last,), = con.execute(f"SELECT coalesce(max(rn), 1) FROM raw_numbered WHERE NOT ({blank})").fetchall()
    con.execute(f"CREATE TEMP VIEW raw_rows AS SELECT * FROM raw_numbered WHERE rn <= {int(last)}")
    return names


def typed_columns(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Column j -> DuckDB type of ``t{j}``: the Parquet columns that were not text, and plain CSV amounts."""
    return {int(name[1:]): kind for name, kind, *_ in con.execute("DESCRIBE raw").fetchall()
            if re.fullmatch(r"t\d+", name)}


def drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Remove what load_raw made, table or view."""
    con.execute("DROP VIEW raw_rows; DROP VIEW raw_numbered; DROP TABLE IF EXISTS raw_gaps")
    (kind,), = con.execute("SELECT CASE WHEN EXISTS (SELECT 1 FROM duckdb_views() WHERE view_name = 'raw') "
                           "THEN 'VIEW' ELSE 'TABLE' END").fetchall()
    con.execute(f"DROP {kind} raw")


def literal(text: str) -> str:
    """A string as an SQL literal (a view cannot hold bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def rows_read(con: duckdb.DuckDBPyConnection) -> int:
    """Rows under the header, trailing blank rows left out (read_table's ``len(frame)``)."""
    return int(con.execute("SELECT coalesce(max(rn), 1) - 1 FROM raw_rows").fetchall()[0][0])


def trimmed(e: str) -> str:
    """A cell trimmed as read_table trims; the set trim is slow, so cells with plain ends skip it.

    ``{e}[-1]`` (not ``right({e}, 1)``, the same character) keeps the test cheap enough that
    DuckDB runs it once per distinct value of a dictionary-encoded Parquet column.
    """
    return (f"CASE WHEN ascii({e}) BETWEEN 33 AND 126 AND ascii({e}[-1]) BETWEEN 33 AND 126 "
            f"THEN {e} ELSE coalesce(trim({e}, {literal(strip_chars())}), '') END")


def _csv(con: duckdb.DuckDBPyConnection, path: Path, tab: bool, money: Collection[str],
         unnamed: list[int]) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(_PREFIX)
        whole = len(head) < _PREFIX
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unsupported("UTF-16 text")
    if not whole:
        head = head[: head.rfind(b"\n") + 1]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unsupported("not UTF-8 text") from None
    if not text.strip():
        raise Unsupported("the file is empty")
    if re.search(r"\r(?!\n)", text):
        raise Unsupported("old-Mac (CR) line endings")
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise Unsupported("row 1 is empty")
    if '"' in first:
        raise Unsupported("a quoted header")  # could span lines; DuckDB skips exactly one
    if not whole and len(text) <= 65536:
        raise Unsupported("long lines")  # the sniff would see less of the file than read_table's does
    delimiter = "\t" if tab else _sniff(text if whole else text + "\0")
    _plain_bytes(path, delimiter)
    header = next(csv.reader(io.StringIO(first.rstrip("\r"), newline=""), delimiter=delimiter))
    names = header_names(header)
    unnamed.extend(j for j, cell in enumerate(header) if not cell.strip().removeprefix("\ufeff").strip())
    columns = ", ".join(f"'c{j}': 'VARCHAR'" for j in range(len(names)))
    cells = []
    for j, name in enumerate(names):
        if name in money:
            plain = f"coalesce(regexp_full_match(x{j}, '{PLAIN_MONEY}'), false)"
            cells.append(f"CASE WHEN {plain} THEN NULL ELSE x{j} END AS c{j}, "
                         f"CASE WHEN {plain} THEN CAST(x{j} AS DECIMAL(18, 2)) END AS t{j}")
        else:
            cells.append(f"x{j} AS c{j}")
    trimmed_cells = ", ".join(f"{trimmed(f'c{j}')} AS x{j}" for j in range(len(names)))
    gaps = _blank_lines(path)
    if gaps and len(names) == 1:  # a blank line is a record of one empty cell to DuckDB: gaps would miscount
        raise Unsupported("blank lines in a table of one column")
    for parallel in ("true", "false"):  # DuckDB's parallel scan cannot pad short rows across quoted line breaks
        try:
            con.execute(
                f"CREATE TABLE raw AS SELECT {', '.join(cells)} FROM (SELECT {trimmed_cells} "
                f"FROM read_csv($path, header=false, skip=1, delim=$delim, quote='\"', escape='\"', "
                f"null_padding=true, auto_detect=false, parallel={parallel}, columns={{{columns}}}))",
                {"path": str(path), "delim": delimiter})
            break
        except duckdb.Error as exc:
            if parallel == "false" or "parallel" not in str(exc):
                raise
    if not gaps:
        con.execute("CREATE TEMP VIEW raw_numbered AS SELECT rowid + 2 AS rn, * FROM raw")
        return names
    # DuckDB skips blank lines; read_table keeps each as a row. Record k is shifted by the
    # blank lines before it (lines are records: _blank_lines refused quoted line breaks).
    con.execute("CREATE TEMP TABLE raw_gaps (before BIGINT, shift BIGINT)")
    con.executemany("INSERT INTO raw_gaps VALUES (?, ?)", gaps)
    con.execute("CREATE TEMP VIEW raw_numbered AS SELECT r.rowid + 2 + coalesce(g.shift, 0) AS rn, r.* "
                "FROM raw r ASOF LEFT JOIN raw_gaps g ON r.rowid >= g.before")
    return names


def _plain_bytes(path: Path, delimiter: str) -> None:
    """Unsupported for a NUL byte (Python's csv refuses the file, DuckDB would read it), and unless
    every quote is part of a whole quoted field ("a ""b"", c"): DuckDB and Python's csv part ways
    on others (a space before a quote, text after a closing one)."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"\0") >= 0:
            raise Unsupported("a NUL byte")
        if data.find(b'"') < 0:
            return
        d = re.escape(delimiter.encode())
        field = rb'(?:^|(?<=' + d + rb'|\n))"(?:[^"]|"")*"(?=' + d + rb'|\r?\n|\Z)'
        if re.sub(field, b"", data, flags=re.M).find(b'"') >= 0:
            raise Unsupported("quotes inside a field")


def _blank_lines(path: Path) -> list[tuple[int, int]]:
    """(data records before, blank lines so far) for each run of blank lines; [] when there are none."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"\n\n") < 0 and data.find(b"\n\r\n") < 0:
            return []
        if data.find(b'"') >= 0 and any(line.count(b'"') % 2 for line in iter(data.readline, b"")):
            raise Unsupported("blank lines in a file with line breaks inside quotes")
        gaps: dict[int, int] = {}
        lines, position, blanks = 0, 0, 0  # lines ended so far, blank lines so far
        for match in re.finditer(rb"\n((?:\r?\n)+)", data):
            lines += data[position:match.start() + 1].count(b"\n")
            run = match.group(1).count(b"\n")
            blanks += run
            gaps[lines - 1 - (blanks - run)] = blanks  # data records before = lines ended - header - blanks before
            lines += run
            position = match.end()
        return sorted(gaps.items())


def _parquet(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}).fetchall()
    except duckdb.Error as exc:
        raise Unsupported(f"DuckDB cannot read it ({exc})") from None
    register_repr(con)
    columns = [(name, kind) for name, kind, *_ in described if not _PANDAS_INDEX.fullmatch(name)]
    names = header_names([name for name, _ in columns])
    cells = []
    for j, (name, kind) in enumerate(columns):
        column = f'"{name.replace(chr(34), chr(34) * 2)}"'
        if kind == "VARCHAR":
            cells.append(f"{trimmed(column)} AS c{j}")
        else:  # the text of a number, date or boolean has no spaces to trim
            cells.append(f"coalesce({_as_text(column, kind)}, '') AS c{j}, {column} AS t{j}")
    con.execute(f"CREATE TEMP VIEW raw AS SELECT file_row_number + 2 AS rn, {', '.join(cells)} "
                f"FROM read_parquet({literal(str(path))}, file_row_number=true)")
    con.execute("CREATE TEMP VIEW raw_numbered AS SELECT * FROM raw")
    return names


def _as_text(column: str, kind: str) -> str:
    """SQL giving a typed Parquet cell the text read_table gives it (loaders.tables._cell_text)."""
    if kind == "VARCHAR":
        return column
    if kind in INTEGER_TYPES or kind.startswith("DECIMAL") or kind == "DATE":
        return f"CAST({column} AS VARCHAR)"
    if kind == "BOOLEAN":
        return f"CASE WHEN {column} THEN 'TRUE' WHEN NOT {column} THEN 'FALSE' END"
    if kind in ("DOUBLE", "FLOAT"):  # integral floats lose ".0" (Excel keys); others as Python's repr
        return (f"CASE WHEN isnan({column}) THEN NULL WHEN isfinite({column}) AND {column} = trunc({column}) "
                f"AND abs({column}) < 1e38 THEN CAST(CAST({column} AS HUGEINT) AS VARCHAR) "
                f"ELSE py_repr(CAST({column} AS DOUBLE)) END")
    raise Unsupported(f"a {kind} column")


def register_repr(con: duckdb.DuckDBPyConnection) -> None:
    """``py_repr(DOUBLE)``: Python's repr of a float, for the rare non-integral floats in Parquet files."""
    def py_repr(values: pa.Array) -> pa.Array:
        seen: dict[float, str] = {}
        return pa.array([None if v is None else seen.get(v) or seen.setdefault(v, repr(v))
                         for v in values.to_pylist()], type=pa.string())

    con.create_function("py_repr", py_repr, ["DOUBLE"], "VARCHAR", type="arrow", side_effects=False)


def read_frame(path: Path) -> pd.DataFrame:
    """A CSV file as read_table's frame of trimmed strings, parsed by DuckDB: five times quicker
    than Python's ``csv`` on big tables (a 350,000-row indicator file: 0.2 s against 0.9 s).

    Raises Unsupported (or duckdb.Error) for whatever read_table must judge itself: the caller
    then reads the file the reference way, which gives the same frame or the right message.
    """
    con, unnamed = duckdb.connect(), []
    try:
        names = load_raw(con, path, unnamed=unnamed)
        cells = ", ".join(f"c{j}" for j in range(len(names)))
        table = con.sql(f"SELECT rn, {cells} FROM raw_rows ORDER BY rn").to_arrow_table()
    finally:
        con.close()
    body = table.to_pandas().set_index("rn")
    body.columns = names
    last = int(body.index.max()) if len(body) else 1
    if len(body) != last - 1:  # blank lines are rows to read_table: put them back, empty
        body = body.reindex(range(2, last + 1))
    body = body.fillna("").astype(str).reset_index(drop=True)
    blank = [names[j] for j in unnamed if body[names[j]].eq("").all()]  # read_table drops these
    return body.drop(columns=blank)


def utf8_frame(path: Path, encoding: str | None) -> pd.DataFrame | None:
    """read_frame for a UTF-8 file, else None; None too for whatever DuckDB would read otherwise:
    read_table then parses the file with Python's ``csv``, the reference."""
    try:
        if codecs.lookup(encoding or "utf-8").name not in ("utf-8", "utf-8-sig"):
            return None
    except LookupError:  # an unknown name: Python's reader says so
        return None
    try:
        return read_frame(path)
    except Exception:  # noqa: BLE001 - Unsupported, duckdb.Error or a case not foreseen: the reference decides
        return None
