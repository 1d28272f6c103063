"""What the "Add your data" page shows before a manifest exists: layers, sheets, columns, a preview.

Everything is read through the same readers the manifest's loaders use (so a bad
file is refused with the same message), and only the attributes: a boundary file's
geometry is read later, when the draft dataset is loaded.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.boundaries import BOUNDARY_SUFFIXES
from loaders.files import MAX_WHOLE_READ_BYTES, quiet, regular_file
from loaders.gis import failure
from loaders.problems import LoadError
from loaders.progress import Progress
from loaders.tables import _typed_rows, _frame, read_table

#: The spending tables the page takes (the manifest also reads GIS layers' attributes as tables).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")


def layers(path: Path) -> list[str]:
    """The layers of a GIS file (one for GeoJSON and shapefiles; several in a GeoPackage)."""
    import pyogrio

    regular_file(path, path.name, fix="upload the boundary file again", limit=MAX_WHOLE_READ_BYTES)
    try:
        return [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # noqa: BLE001 - pyogrio raises several DataSource errors
        raise failure(exc, path, path.name) from None


def sheets(path: Path) -> list[str]:
    """The sheets of a workbook (an empty list for CSV and Parquet)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    return list(read_table(path, display_name=path.name).attrs.get("sheets", ()))


def boundary_attributes(path: Path, layer: str | None = None) -> pd.DataFrame:
    """A boundary file's attribute table as trimmed text (no geometry)."""
    import pyogrio

    if path.suffix.lower() not in BOUNDARY_SUFFIXES:
        raise LoadError(f"{path.name}: cannot read boundaries from '{path.suffix}' files; upload GeoJSON, a zipped "
                        "shapefile, a GeoPackage, TopoJSON or FlatGeobuf")
    regular_file(path, path.name, fix="upload the boundary file again", limit=MAX_WHOLE_READ_BYTES)
    try:
        with quiet([], name=path.name, path=path):
            frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    except Exception as exc:  # noqa: BLE001
        raise failure(exc, path, path.name) from None
    if len(frame) == 0:
        raise LoadError(f"{path.name}: has no features; upload the file that holds the district boundaries")
    return _frame(_typed_rows(frame, True), path.name)


def table(path: Path, sheet: str | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """A spending table as trimmed text, as the manifest's loader reads it (``progress``: the share read)."""
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise LoadError(f"{path.name}: cannot read '{path.suffix}' files as a table; upload CSV, Excel (.xlsx) "
                        "or Parquet")
    return read_table(path, display_name=path.name, sheet=sheet, progress=progress)
