"""The corpus's base city, written as text: four square districts near Portland and a spending table.

Every case starts from this city and breaks one thing. Files are written as text
(GeoJSON with ``json``, CSV by hand) rather than through the loaders' libraries,
so a case's bytes are exactly what it says, and the expected totals are summed
here with ``Decimal`` from the amount texts written, never by the loader.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

LON, LAT, STEP = -122.68, 45.52, 0.01
IDS = ("A", "B", "C", "D")
NAMES = ("Alder", "Birch", "Cedar", "Dogwood")
POPS = ("1000", "2000", "3000", "4000")

SPENDING_HEADER = ("year", "district", "dept", "amount")
SPENDING_ROWS: tuple[tuple[str, ...], ...] = (
    ("2024", "A", "Parks", "1000.50"),
    ("2024", "B", "Parks", "2000"),
    ("2024", "B", "Roads", "(500.25)"),
    ("2024", "Citywide", "Roads", "300"),
    ("2024", "", "Parks", "40.10"),
    ("2024", "Z9", "Parks", "7"),
    ("2023", "A", "Parks", "900"),
    ("2023", "C", "Roads", "0"),
)

DISTRICTS = """[districts]
path = "districts.geojson"
id = "id"
name = "name"
population = "pop"
"""
SPENDING = """[spending]
path = "spending.csv"
district = "district"
year = "year"
amount = "amount"
department = "dept"
"""


def square(i: int, lon: float = LON, lat: float = LAT, step: float = STEP) -> list[list[list[float]]]:
    """The i-th square of a 2x2 grid as a GeoJSON polygon's rings (counter-clockwise, closed)."""
    x, y = lon + step * (i % 2), lat + step * (i // 2)
    return [[[x, y], [x + step, y], [x + step, y + step], [x, y + step], [x, y]]]


def feature(props: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def polygon(rings: Any) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": rings}


def districts_geojson(features: Iterable[dict[str, Any]] | None = None, **top: Any) -> str:
    """A FeatureCollection; by default the four squares A..D with names and population."""
    if features is None:
        features = [feature({"id": i, "name": n, "pop": p}, polygon(square(k)))
                    for k, (i, n, p) in enumerate(zip(IDS, NAMES, POPS))]
    return json.dumps({"type": "FeatureCollection", **top, "features": list(features)})


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV with every cell quoted (so "(500.25)" and "1,000" stay one cell)."""
    def line(cells: Sequence[str]) -> str:
        return ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    return "\n".join([line(header), *(line(r) for r in rows)]) + "\n"


def cents(amounts: Iterable[str]) -> int:
    """The exact total of amount texts as a spreadsheet reads them: "(500.25)" is negative, blanks skip."""
    total = Decimal(0)
    for text in amounts:
        t = text.strip().replace("$", "").replace(",", "")
        if not t:
            continue
        negative = t.startswith("(") and t.endswith(")")
        value = Decimal(t.strip("()"))
        total += -value if negative else value
    return int(total * 100)


BASE_TOTAL = cents(r[3] for r in SPENDING_ROWS)


def manifest(*, top: str = "", districts: str = DISTRICTS, spending: str | None = SPENDING,
             extra: str = "") -> str:
    """The base manifest with parts replaced or added (``spending=None`` leaves it out)."""
    return "\n".join(p for p in (f'name = "Corpus city"\ncurrency = "USD"\n{top}', districts,
                                 spending or "", extra) if p)


def write_city(folder: Path, *, manifest_text: str | None = None, files: dict[str, str | bytes] | None = None,
               rows: Sequence[Sequence[str]] | None = None, **manifest_parts: Any) -> Path:
    """Write the base city (with replacements) into ``folder``; return the manifest's path."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, str | bytes] = {
        "districts.geojson": districts_geojson(),
        "spending.csv": csv_text(SPENDING_HEADER, SPENDING_ROWS if rows is None else rows),
        "manifest.toml": manifest_text if manifest_text is not None else manifest(**manifest_parts),
        **(files or {}),
    }
    for name, content in written.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder / "manifest.toml"
