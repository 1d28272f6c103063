"""Small square-grid cities for the statistics tests: every number chosen by hand.

Each district is a square 0.01 degrees wide at (col, row) of a grid near 10°E
50°N, so neighbours are plain to see: cells sharing an edge are rook
neighbours, cells sharing an edge or a corner queen neighbours, and a cell far
from the others is an island.
"""
from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

SIZE = 0.01
YEAR = 2024
INDICATOR = "score"
DEPARTMENT = "Parks"


def square(col: float, row: float) -> object:
    return box(10 + col * SIZE, 50 + row * SIZE, 10 + (col + 1) * SIZE, 50 + (row + 1) * SIZE)


def grid(cols: int, rows: int) -> dict[str, tuple[int, int]]:
    """Cells named D00, D01... row by row from the bottom left."""
    return {f"D{r * cols + c:02d}": (c, r) for r in range(rows) for c in range(cols)}


def write_grid_city(folder: Path, cells: Mapping[str, tuple[float, float]], *,
                    indicator: Mapping[str, float | None] | None = None,
                    population: Mapping[str, int] | None = None,
                    spending: Mapping[str, float] | None = None,
                    keep: Mapping[str, Mapping[str, float]] | None = None,
                    target: float | None = None, direction: str = "higher", districts_extra: str = "") -> Path:
    """Write the city and return its manifest.

    ``indicator``: the "score" indicator's actual value per district (None or
    absent: no row); ``spending``: dollars of the "Parks" department per district
    in FY2024; ``keep``: extra district columns (column -> id -> number), kept in
    the manifest; ``target``: the score's goal; ``districts_extra``: lines added to
    ``[districts]`` (``min_population = 1000``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    ids = list(cells)
    population = population or {i: 10_000 for i in ids}
    frame = gpd.GeoDataFrame({"id": ids, "name": [f"Cell {i}" for i in ids],
                              "pop": [population.get(i) for i in ids]},
                             geometry=[square(*cells[i]) for i in ids], crs="EPSG:4326")
    for column, by_id in (keep or {}).items():
        frame[column] = [by_id.get(i) for i in ids]
    frame.to_file(folder / "districts.geojson", driver="GeoJSON")
    lines = ['name = "Grid city"', 'currency = "USD"', "", "[districts]", 'path = "districts.geojson"',
             'id = "id"', 'name = "name"', 'population = "pop"']
    if keep:
        lines.append(f"keep = {list(keep)!r}".replace("'", '"'))
    lines += [districts_extra, ""]
    rows = [(i, v) for i, v in (indicator or {}).items() if v is not None]
    if rows:
        _indicators(folder, rows, lines, target, direction)
    with open(folder / "spending.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["district", "year", "department", "amount"])
        out.writerows([i, YEAR, DEPARTMENT, f"{v:.2f}"] for i, v in (spending or {ids[0]: 0.0}).items())
    lines += ["[spending]", 'path = "spending.csv"', 'district = "district"', 'year = "year"',
              'amount = "amount"', 'department = "department"', ""]
    manifest = folder / "manifest.toml"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    return manifest


def _indicators(folder: Path, rows: list[tuple[str, float]], lines: list[str], target: float | None,
                direction: str) -> None:
    with open(folder / "indicators.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["district", "year", "indicator", "actual"])
        out.writerows([i, YEAR, INDICATOR, repr(float(v))] for i, v in rows)
    lines += ["[indicators]", 'path = "indicators.csv"', 'district = "district"', 'year = "year"',
              'indicator = "indicator"', 'actual = "actual"', "", f"[indicators.meta.{INDICATOR}]",
              'label = "Score"', 'unit = "%"', f'department = "{DEPARTMENT}"', f'direction = "{direction}"']
    if target is not None:
        lines.append(f"target = {float(target)!r}")
    lines.append("")
