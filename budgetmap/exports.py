"""Downloads of exactly what a map shows: CSV, Excel (.xlsx) and GeoJSON.

Each holds one row (or feature) per district with the mapped value, the text
shown, class, fill, rank and every detail the tooltip and side panel show; the
map's title, subtitle, source, as-of date, notes and legend; and, for spending
maps, the reconciliation parts, which must reproduce the map's line to the cent.

Layout (see docs/architecture.md, "Exports"):

* CSV: an about block (field, value), a blank line, the district table, a blank
  line, the reconciliation table (part, amount, cents). UTF-8 with a BOM, so
  Excel reads accents; every text cell quoted, numbers bare.
* Excel: sheet "Map" holds the about block and the district table (the CSV's
  first two sections, header frozen and filterable); sheet "Reconciliation".
* GeoJSON: one Feature per district with the district's geometry (WGS84) and the
  district table's columns as properties; the about block, legend and
  reconciliation sit in a top-level "metadata" member.

Spreadsheet formula injection: in CSV and Excel every *text* cell that a
spreadsheet could read as a formula (starting with =, +, -, @, tab, CR or LF)
gets a leading single quote (OWASP); numbers, negative ones included, stay
numbers. GeoJSON keeps text exact: it is data for GIS tools and code, where a
changed name would break joins, and JSON text is never evaluated.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from decimal import Decimal
from typing import Any

import geopandas as gpd
import shapely
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budgetmap.export_rows import (Cell, Row, about_rows, checked, district_rows, dollars, number,
                                   reconciliation_parts, reconciliation_rows)
from budgetmap.mapspec import MapSpec
from budgetmap.reconcile import reconciliation_line
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from budgetmap.model import Reconciliation

#: A text cell starting with one of these may run as a formula (OWASP CSV injection),
#: plus LF, which some spreadsheets also skip before reading a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MONEY_FORMAT = "#,##0.00"


def neutralise(value: Cell) -> Cell:
    """A text cell a spreadsheet would evaluate gets a leading quote; numbers pass untouched.

    "-2" as a *name* is text and is quoted; -2.0 as a value is a number and stays one,
    so sums and sorting in the spreadsheet still work.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def map_reconciliation(dataset: Dataset, view: SpendingView, spec: MapSpec) -> Reconciliation | None:
    """The Reconciliation a map carries (typed in its MapSpec); None for maps without a line.

    ``dataset`` and ``view`` are kept so callers need not know that the spec
    already holds it: the ledger computed it from the same rows as the map.
    """
    return spec.reconciliation


def export_name(spec: MapSpec, extension: str) -> str:
    """A download file name from the title: lower-case ASCII letters, digits and dashes only."""
    ascii_title = unicodedata.normalize("NFKD", spec.title).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].rstrip("-")
    return f"{stem or 'budgetmap-map'}.{extension.lstrip('.')}"


def _sections(spec: MapSpec, rec: Reconciliation | None) -> list[list[Row]]:
    rec = checked(spec, rec)
    return [s for s in (about_rows(spec), district_rows(spec), reconciliation_rows(rec)) if s]


def to_csv(spec: MapSpec, reconciliation: Reconciliation | None = None) -> bytes:
    """About block, district table and reconciliation table, separated by blank lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for i, section in enumerate(_sections(spec, reconciliation)):
        if i:
            writer.writerow([])
        writer.writerows([[neutralise(c) for c in row] for row in section])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(value: Cell) -> Cell:
    """Neutralised, and without the control characters XML (hence xlsx) cannot hold."""
    value = neutralise(value)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _write_rows(sheet: Any, rows: list[Row], start: int) -> None:
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=_xlsx_cell(value))
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT


def _bold_row(sheet: Any, row: int, width: int) -> None:
    for c in range(1, width + 1):
        sheet.cell(row=row, column=c).font = Font(bold=True)


def _widths(sheet: Any) -> None:
    for c, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((len(str(v)) for v in column if v is not None), default=8)
        sheet.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest + 2))


def to_xlsx(spec: MapSpec, reconciliation: Reconciliation | None = None) -> bytes:
    """Sheet "Map": about block, blank row, district table; sheet "Reconciliation" when the map has one."""
    rec = checked(spec, reconciliation)
    book = Workbook()
    sheet = book.active
    sheet.title = "Map"
    about, table = about_rows(spec), district_rows(spec)
    _write_rows(sheet, about, 1)
    head = len(about) + 2
    _write_rows(sheet, table, head)
    _bold_row(sheet, head, len(table[0]))
    for r in range(1, len(about) + 1):
        sheet.cell(row=r, column=1).font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=head + 1, column=3)  # header and district names stay in view
    sheet.auto_filter.ref = f"A{head}:{get_column_letter(len(table[0]))}{head + len(table) - 1}"
    _widths(sheet)
    if rec is not None:
        recon = book.create_sheet("Reconciliation")
        rows = reconciliation_rows(rec)
        _write_rows(recon, rows + [[], ["Reconciliation", spec.reconciliation_text]], 1)
        _bold_row(recon, 1, len(rows[0]))
        _widths(recon)
    book.properties.title = _xlsx_cell(spec.title)
    book.properties.creator = "budgetmap"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _geometries(districts: gpd.GeoDataFrame) -> dict[str, dict[str, Any] | None]:
    """District id -> GeoJSON geometry in WGS84 (RFC 7946 allows no other CRS)."""
    if districts.crs is not None and districts.crs.to_epsg() != 4326:
        districts = districts.to_crs(4326)
    return {str(did): (json.loads(shapely.to_geojson(g)) if g is not None and not g.is_empty else None)
            for did, g in zip(districts["district_id"], districts.geometry)}


def _plain(value: Any) -> Any:
    """JSON-safe: Decimal and numpy scalars as numbers, NaN as null, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, Decimal):
        return float(value)  # its shortest repr is the exact decimal for any realistic amount
    if isinstance(value, float):
        return number(value)
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


def metadata(spec: MapSpec, rec: Reconciliation | None) -> dict[str, Any]:
    """The about block as JSON: legend, notes, settings and the reconciliation in exact cents."""
    out: dict[str, Any] = {
        "title": spec.title, "subtitle": spec.subtitle, "value": spec.measure_label,
        "source": spec.source, "as_of": spec.as_of, "notes": list(spec.notes),
        "legend": [{"label": e.label, "fill": e.fill, "count": e.count, "kind": e.kind, "pattern": e.pattern}
                   for e in spec.legend],
        "meta": _plain(spec.meta),
    }
    if rec is not None:
        out["reconciliation"] = {
            "line": reconciliation_line(rec, spec.citywide_label), "currency": rec.currency, "balanced": rec.balanced,
            "parts": [{"part": name, "amount": _plain(dollars(cents)), "cents": int(cents)}
                      for name, cents in reconciliation_parts(rec)]}
    return out


def to_geojson(spec: MapSpec, districts: gpd.GeoDataFrame,
               reconciliation: Reconciliation | None = None) -> bytes:
    """A FeatureCollection: each district's shape with the map's columns as properties.

    Features follow the map's order; a district the map has but the frame lacks gets a
    null geometry (valid GeoJSON) rather than vanishing from the table.
    """
    rec = checked(spec, reconciliation)
    header, *rows = district_rows(spec)
    shapes = _geometries(districts)
    features = [{"type": "Feature", "id": row[0], "geometry": shapes.get(str(row[0])),
                 "properties": {k: _plain(v) for k, v in zip(header, row)}} for row in rows]
    collection = {"type": "FeatureCollection", "metadata": metadata(spec, rec), "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")
