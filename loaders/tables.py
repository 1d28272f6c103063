"""Read a city's tables as text, whatever the format, encoding or line endings.

Readers return strings only: real files mix integer and text keys (ward ``1`` in
one file, ``"1"`` in another) and Excel stores both as floats, so keys only match
if nothing is typed until a parser decides what a column means. Money becomes
integer cents through ``decimal.Decimal`` (never float) so totals reconcile
exactly. Rows are numbered as a spreadsheet shows them (header = row 1).
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from loaders.columns import listing as _listing, require_columns  # noqa: F401  (re-exported for the readers)
from loaders.files import quiet, regular_file, unreadable
from loaders.gis import choose_layer
from loaders.problems import LoadError, RowProblem
from loaders.parquet import read_parquet
from loaders.progress import Progress, nothing
from loaders.values import fiscal_year_of_label

if TYPE_CHECKING:
    from loaders.manifest import TableSpec

csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))  # long text cells (WKT, notes) are data
DELIMITERS = (",", ";", "\t", "|")  # preference order when the sniff is a tie
#: GIS formats read for their attributes (geometry dropped): some indicators come as map layers.
VECTOR_SUFFIXES = (".geojson", ".topojson", ".gpkg", ".shp", ".zip", ".fgb")
#: CSV files of this size or more are parsed by DuckDB when it reads them exactly as Python's csv does
DUCKDB_CSV_BYTES = 2_000_000
_PROGRESS_ROWS = 20_000  # a CSV reader reports its progress every so many rows


def read_table(path: Path, *, display_name: str, sheet: str | None = None,
               encoding: str | None = None, text_columns: Sequence[str] = (),
               layer: str | None = None, section: str | None = None,
               progress: Progress | None = None) -> pd.DataFrame:
    """Read CSV/TSV/TXT, Excel, Parquet or a GIS layer's attributes into trimmed strings ("" = missing).

    Every line under the header stays a row (only trailing blank lines are dropped),
    so position + 2 is the spreadsheet row (for GIS files, position + 1 is the
    feature number: see ``first_row``). ``text_columns`` names code columns whose
    Excel zero-padding format ("00000") is kept: ZIP 02134, not 2134. Anything but a
    regular file of a bounded size is refused before it is opened; library warnings
    land in ``frame.attrs["notes"]``, and a workbook's sheet names in ``attrs["sheets"]``
    (for the message when the first sheet is not the table). ``progress`` hears the
    share read: of the text parsed for CSV, of the row groups for Parquet.
    """
    path = Path(path)
    progress = progress or nothing
    under = f" under [{section}]" if section else ""
    regular_file(path, display_name, fix=f"point path{under} at the data file (relative to the manifest's folder)",
                 too_big="engine = \"duckdb\" reads CSV and Parquet files of any size; or split the file")
    suffix = path.suffix.lower()
    notes: list[str] = []
    sheets: tuple[str, ...] = ()
    frame = None  # a big CSV file's frame, when DuckDB parsed it
    try:
        with quiet(notes, name=display_name, path=path):
            if suffix in (".csv", ".txt", ".tsv"):
                if path.stat().st_size >= DUCKDB_CSV_BYTES:
                    from loaders.duckdb_read import utf8_frame  # only big files pay for DuckDB's import

                    frame = utf8_frame(path, encoding)
                if frame is None:
                    rows = _csv_rows(path.read_bytes(), display_name, encoding, suffix == ".tsv", progress)
            elif suffix in (".xlsx", ".xlsm"):
                rows, sheets = _xlsx_rows(path, display_name, sheet, set(text_columns), under)
            elif suffix == ".xls":  # openpyxl cannot read the old format; pandas needs xlrd
                rows = _typed_rows(pd.read_excel(path, sheet_name=sheet or 0, header=None, dtype=object), False)
            elif suffix in (".parquet", ".pq"):
                # nullable dtypes: an int64 column with a null would otherwise become float64 and lose
                # digits beyond 2**53 (90,000,000,000,000,001 read as ...000); DuckDB reads them exactly
                rows = _typed_rows(read_parquet(path, progress), True)
            elif suffix in VECTOR_SUFFIXES:
                import pyogrio  # only GIS tables pay for the import

                layer = choose_layer(path, display_name, layer, "gis_layer", section or "the table")
                rows = _typed_rows(pyogrio.read_dataframe(path, layer=layer, read_geometry=False), True)
            else:
                raise LoadError(f"{display_name}: cannot read '{suffix}' files; use CSV, Excel (.xlsx), Parquet "
                                "or a GIS file (.geojson, .gpkg, .shp)")
    except LoadError:
        raise
    except Exception as exc:  # corrupt zip, bad parquet footer, permissions, missing xlrd...
        raise unreadable(exc, path, display_name) from None
    frame = _frame(rows, display_name) if frame is None else frame
    frame.attrs.update(notes=notes, sheets=sheets if sheet is None else (), name=display_name)
    progress(1.0, f"read {display_name}: {len(frame):,} rows")
    return frame


def read_source(spec: TableSpec, *, text_columns: Sequence[str] = (),
                progress: Progress | None = None) -> pd.DataFrame:
    """The table a manifest section names, from its file or (``url``) its PostgreSQL database.

    Both give the same frame of trimmed strings, so parsers and the load report
    cannot tell a database table from the CSV it was loaded from.
    """
    if spec.url is not None:
        from loaders.postgis import read_sql_table  # only database users pay for psycopg

        return read_sql_table(spec)
    assert spec.path is not None
    return read_table(spec.path, display_name=spec.display_name, sheet=spec.options.get("sheet"),
                      encoding=spec.options.get("encoding"), text_columns=text_columns,
                      layer=spec.options.get("gis_layer"), section=spec.section, progress=progress)


def _csv_rows(raw: bytes, name: str, encoding: str | None, tab: bool,
              progress: Progress = nothing) -> list[Sequence[str]]:
    text = _decode(raw, name, encoding)
    if not text.strip():
        raise LoadError(f"{name}: the file is empty; export the table again, with its column names on row 1")
    # newline="" lets csv see \n, \r\n and old-Mac \r itself, and keeps quoted line breaks.
    try:
        source = io.StringIO(text, newline="")
        rows = []
        for row in csv.reader(source, delimiter="\t" if tab else _sniff(text)):
            rows.append(row)
            if len(rows) % _PROGRESS_ROWS == 0:  # the share of the text parsed so far
                progress(source.tell() / len(text) * 0.9, f"reading {name}: {len(rows):,} rows")
        return rows
    except csv.Error as exc:
        raise LoadError(f"{name}: is not a readable CSV file ({exc}); check its quotes (a cell that opens a "
                        "quote and never closes it swallows the rest of the file) and export it again") from None


def _decode(raw: bytes, name: str, encoding: str | None) -> str:
    """UTF-8 (BOM or not), then cp1252, then Latin-1: real files come in all of them."""
    if encoding:
        try:
            return raw.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise LoadError(f"{name}: unknown encoding {encoding!r} in the manifest; use one such as \"utf-8\", "
                            "\"latin-1\" or \"cp1252\", or remove it to let the loader guess") from None
        except UnicodeDecodeError as exc:
            raise LoadError(f"{name}: is not {encoding} text (byte {exc.start}: {exc.reason}); "
                            "fix the manifest's encoding or remove it to let the loader guess") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel "Unicode text" exports
        return raw.decode("utf-16", errors="replace").removeprefix("\ufeff")
    for codec in ("utf-8-sig", "cp1252"):  # cp1252 leaves five bytes undefined: then Latin-1
        try:
            return raw.decode(codec).removeprefix("ï»¿")  # a UTF-8 BOM seen through cp1252
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1").removeprefix("ï»¿")


def _sniff(text: str) -> str:
    """The delimiter that splits the first records into the most, equally wide, columns."""
    sample = text[:65536]
    best, best_score = ",", (False, 1)
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if len(sample) < len(text) and len(records) > 2:
            records.pop()  # the sample may cut the last record short
        records = records[:20]
        score = (len({len(r) for r in records}) == 1, len(records[0]) if records else 0)
        if score[1] > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _xlsx_rows(path: Path, name: str, sheet: str | None, text_columns: set[str],
               under: str) -> tuple[list[Sequence[str]], tuple[str, ...]]:
    import openpyxl  # only Excel users pay for the import

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise LoadError(f"{name}: has no sheet {sheet!r}; its sheets are {', '.join(map(repr, book.sheetnames))}: "
                            f"set sheet = \"...\"{under} to one of them")
        rows: list[Sequence[str]] = []
        padded: list[int] = []  # text_columns positions, known once the header is read
        for cells in (book[sheet] if sheet is not None else book.worksheets[0]).iter_rows():
            row = [_cell_text(c.value) for c in cells]
            for j in padded:
                fmt = str(getattr(cells[j], "number_format", "")) if j < len(cells) else ""
                if re.fullmatch(r"0+", fmt) and re.fullmatch(r"\d+", row[j]):
                    row[j] = row[j].zfill(len(fmt))
            padded = padded if rows else [j for j, h in enumerate(row) if h.strip() in text_columns]
            rows.append(row)
        return rows, tuple(book.sheetnames)
    finally:
        book.close()


def _typed_rows(frame: pd.DataFrame, header_in_columns: bool) -> list[Sequence[str]]:
    if header_in_columns and any(n is not None for n in frame.index.names):
        frame = frame.reset_index()  # a stored, named parquet index is data
    columns = [[_cell_text(v) for v in frame.iloc[:, j].to_numpy(dtype=object)] for j in range(frame.shape[1])]
    body = list(zip(*columns)) if columns else []
    return [[_cell_text(c) for c in frame.columns], *body] if header_in_columns else body


def _cell_text(value: Any) -> str:
    """Text of a typed cell; integral floats lose ".0" so an Excel key 1.0 matches "1"."""
    if type(value) is str:  # the common case first: this runs once per cell
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    return value.isoformat() if isinstance(value, date) else str(value)


def _frame(rows: list[Sequence[str]], name: str) -> pd.DataFrame:
    """Header checks, ragged rows and trimming: the one place every format ends up."""
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise LoadError(f"{name}: the file is empty; export the table again, with its column names on row 1")
    header = [str(h).strip().removeprefix("\ufeff").strip() for h in rows[0]]
    if not any(header):
        raise LoadError(f"{name}: row 1 is empty; the column names must be on row 1: delete the rows above them",
                        RowProblem(name, 1, None, None, "is empty"))
    width = max(len(r) for r in rows)
    padded = [r if len(r) == width else [*r, *[""] * (width - len(r))] for r in rows[1:]]
    body = pd.DataFrame(padded, columns=range(width), dtype=object).fillna("")
    body = body.apply(lambda column: column.astype(str).str.strip())
    width = len(header)
    extra = body.iloc[:, width:].ne("").any(axis=1).to_numpy()
    if extra.any():  # a longer row is fine only if its extra cells are blank (trailing delimiters)
        i = int(np.flatnonzero(extra)[0])
        raise LoadError(f"{name}: row {i + 2} has {len(rows[i + 1])} cells but the header has {width}: remove "
                        "the stray delimiter, or put the cell that holds it in double quotes",
                        RowProblem(name, i + 2, None, None, "has more cells than the header"))
    body = body.reindex(columns=range(width), fill_value="")
    keep = [j for j, h in enumerate(header) if h or body[j].ne("").any()]  # drop blank unnamed columns
    header = [header[j] or f"column {j + 1}" for j in keep]
    dupes = [h for h, n in Counter(header).items() if n > 1]
    if dupes:
        raise LoadError(f"{name}: row 1 (the header) repeats column name(s) {', '.join(map(repr, dupes))}; "
                        "rename them: each column needs a unique name",
                        RowProblem(name, 1, dupes[0], None, "is repeated"))
    return body[keep].set_axis(header, axis=1).astype(str)


def first_row(path: Path | None) -> int:
    """Number of the first record as messages count it: row 2 under a header, feature 1 in a GIS file.

    A database table (no path) counts like a CSV file: its first row is row 2.
    """
    return 1 if path is not None and Path(path).suffix.lower() in VECTOR_SUFFIXES else 2


def with_source_rows(frame: pd.DataFrame, *, first_row: int = 2) -> pd.DataFrame:
    """Copy with ``source_row`` = spreadsheet row, so filters and melts keep the file's line."""
    if "source_row" in frame.columns:
        raise LoadError(f"{frame.attrs.get('name', 'the table')}: has a column named 'source_row', the name the "
                        "loader gives the row numbers; rename that column")
    return frame.assign(source_row=np.arange(len(frame), dtype="int64") + first_row)


def melt_years(frame: pd.DataFrame, year_columns: Sequence[str], *, file: str,
               value_name: str = "amount") -> pd.DataFrame:
    """Wide table (a column per fiscal year) to long: other columns, fiscal_year, value.

    One row per original row and year, in row order then the order given, with
    ``source_row`` (added if absent) so problems still name the file's line. Values
    stay text, blanks included: parse them with ``parse_amounts(rows=source_row)``.
    """
    year_columns = list(year_columns)
    missing = [c for c in year_columns if c not in frame.columns]
    if missing:
        raise LoadError(f"{file}: year column(s) {', '.join(map(repr, missing))} not in the file; "
                        f"columns are: {_listing(frame.columns)}",
                        RowProblem(file, None, missing[0], None, "is not in the file"))
    years: dict[int, str] = {}
    for label in year_columns:
        year = fiscal_year_of_label(label)
        if year is None or year in years:
            why = "is not a fiscal year (like 'FY 2015-16')" if year is None else \
                f"is fiscal year {year} again (as {years[year]!r})"
            raise LoadError(f"{file}: column {label!r} {why}", RowProblem(file, 1, label, label, why))
        years[year] = label
    frame = frame if "source_row" in frame.columns else with_source_rows(frame)
    ids = [c for c in frame.columns if c not in set(year_columns)]
    if clash := [c for c in ("fiscal_year", value_name) if c in ids]:
        raise LoadError(f"{file}: already has column(s) {', '.join(map(repr, clash))}, "
                        "which the melted years would overwrite")
    n, k = len(frame), len(year_columns)
    long = frame[ids].iloc[np.repeat(np.arange(n), k)].reset_index(drop=True)
    long["fiscal_year"] = pd.array(np.tile(np.array(list(years), dtype="int64"), n), dtype="Int64")
    values = pd.Series(frame[year_columns].to_numpy(dtype=object).ravel(), dtype=object)
    long[value_name] = values.where(values.notna(), "").astype(str)
    return long
