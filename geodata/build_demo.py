"""Build the bundled demo city, Riverbend, into geodata/demo/.

Run ``python -m geodata.build_demo`` (or ``python geodata/build_demo.py``) from the
repository root. The script is deterministic: every random draw comes from
numpy's default_rng with a fixed seed (one stream per part, so changing the
indicators does not reshuffle the map), nothing is fetched from the network, and
the files are written with fixed formatting, so the committed files can be checked
byte for byte by tests/test_demo_city.py.

All figures are invented; see the ``note`` in the manifest.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

if __package__ in (None, ""):   # run as a script: make the geodata package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.demo_geometry import build_shape, to_lonlat  # noqa: E402
from geodata.demo_indicators import MANIFEST_KEYS, META, indicator_rows  # noqa: E402
from geodata.demo_names import pick_names  # noqa: E402
from geodata.demo_spending import CITYWIDE, spending_rows  # noqa: E402

SEED = 1848   # the year Riverbend was (fictionally) founded
DEMO_DIR = Path(__file__).resolve().parent / "demo"
CITY_POPULATION = 480_000
FILES = ("districts.geojson", "spending.csv", "indicators.csv", "plans.csv", "manifest.toml")


def _rng(part: int) -> np.random.Generator:
    """An independent random stream per part of the build."""
    return np.random.default_rng([SEED, part])


def districts_frame() -> tuple[pd.DataFrame, list]:
    """Districts with their attributes (metric helpers included) and lon/lat geometries.

    Population density falls off exponentially from downtown (with district-level
    noise), as in most North American cities; street miles follow area, with a
    denser grid of streets in the older core.
    """
    shape = build_shape(_rng(1))
    rng = _rng(2)
    n = len(shape.districts)
    areas = np.array([g.area / 1e6 for g in shape.districts])
    dist = np.array([g.representative_point().distance(shape.downtown) / 1000 for g in shape.districts])
    dist[0] = 0.0
    near_river = [bool(g.distance(shape.river) < 50.0) for g in shape.districts]
    core = np.exp(-dist / 4.0)
    density = (600.0 + 9000.0 * core) * rng.lognormal(0.0, 0.25, n)   # residents per km2
    people = density * areas
    population = np.round(people * CITY_POPULATION / people.sum()).astype(int)
    local = areas * (5.0 + 8.0 * np.exp(-dist / 5.0)) * rng.lognormal(0.0, 0.12, n)
    busy = areas * (1.1 + 2.2 * np.exp(-dist / 5.0)) * rng.lognormal(0.0, 0.15, n)
    frame = pd.DataFrame({
        "district_id": [f"D{i + 1:02d}" for i in range(n)],
        "name": pick_names(near_river, dist.tolist()),
        "population": population,
        "street_miles_busy": np.round(busy, 1),
        "street_miles_local": np.round(local, 1),
        "area_km2": areas, "dist_km": dist,
    })
    return frame, to_lonlat(shape.districts)


def _round_coords(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, 6))


def geojson_text(d: pd.DataFrame, geoms: list) -> str:
    """A FeatureCollection, one feature per line so diffs of the demo stay readable."""
    lines = []
    for row, geom in zip(d.itertuples(), geoms):
        if geom.is_empty or not shapely.is_valid(geom) or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise AssertionError(f"{row.district_id}: bad geometry {shapely.is_valid_reason(geom)}")
        feature = {"type": "Feature",
                   "properties": {"district_id": row.district_id, "name": row.name,
                                  "population": int(row.population),
                                  "street_miles_busy": float(row.street_miles_busy),
                                  "street_miles_local": float(row.street_miles_local)},
                   "geometry": mapping(_round_coords(geom))}
        lines.append(json.dumps(feature, separators=(",", ":")))
    return ('{"type":"FeatureCollection","name":"districts","features":[\n'
            + ",\n".join(lines) + "\n]}\n")


def _money(cents: int) -> str:
    """Dollars with two decimals from integer cents, without going through a float."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _number(x: float | None, digits: int = 2) -> str:
    return "" if x is None else f"{x:.{digits}f}".rstrip("0").rstrip(".")


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """CSV with "\\n" line ends and minimal quoting, the same on every platform."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _toml(value: object) -> str:
    """A TOML value; JSON strings and arrays of strings are valid TOML."""
    return json.dumps(value) if isinstance(value, (str, list)) else str(value)


def manifest_text() -> str:
    """The manifest, written out by hand so key order and comments are stable."""
    lines = [
        "# Riverbend is an invented city bundled as a demo; rebuild with",
        "# python -m geodata.build_demo",
        f"name = {_toml('Riverbend (demo city)')}",
        'currency = "USD"',
        "note = " + _toml("Illustrative demo: Riverbend and all of its numbers are invented. "
                          "Pavement goals are modelled on Portland's 2016-17 targets."),
        "source = " + _toml("budgetmap demo generator (geodata/build_demo.py)"),
        'as_of = "2025-06-30"',
        "", "[districts]", 'path = "districts.geojson"', 'id = "district_id"', 'name = "name"',
        'population = "population"', 'population_year = 2025   # the invented city\'s own count',
        'vintage = "2024 council districts (invented)"',
        'keep = ["street_miles_busy", "street_miles_local"]',
        "", "[spending]", 'path = "spending.csv"', 'district = "district"',
        f"citywide = {_toml([CITYWIDE])}", 'year = "fiscal_year"', 'period = "quarter"',
        'budget = "budget"', 'actual = "actual"', 'department = "department"',
        'program = "program"', 'fund = "fund"', 'project = "project"',
        "", "[indicators]", 'path = "indicators.csv"', 'district = "district"',
        'year = "fiscal_year"', 'indicator = "indicator"', 'actual = "actual"',
        'target = "target"', 'standard = "standard"',
    ]
    for key, meta in META.items():
        lines += ["", f"[indicators.meta.{key}]"]
        lines += [f"{k} = {_toml(meta[k])}" for k in MANIFEST_KEYS if k in meta]
    lines += ["", "[plans]", 'path = "plans.csv"', 'project = "project"', 'year = "fiscal_year"',
              'period = "quarter"', 'planned = "planned_cumulative_rate"', "tolerance = 10",
              "# On-track projects run up to 4.5 points behind plan from ordinary noise; the six",
              "# lagging ones 6 to 75 points. A grace of 5 points keeps the noise off the watch list.",
              "grace = 5"]
    return "\n".join(lines) + "\n"


def build(out_dir: Path) -> None:
    """Write the five demo files into out_dir (created if missing)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    d, geoms = districts_frame()
    spending, plans = spending_rows(d, _rng(3))
    indicators = indicator_rows(d, _rng(4))
    texts = {
        "districts.geojson": geojson_text(d, geoms),
        "spending.csv": csv_text(
            ["fiscal_year", "quarter", "department", "program", "fund", "project", "district",
             "budget", "actual"],
            [[str(r[0]), *r[1:7], _money(r[7]), _money(r[8])] for r in spending]),
        "indicators.csv": csv_text(
            ["indicator", "fiscal_year", "district", "actual", "target", "standard"],
            [[k, str(y), dist, _number(a), _number(t), _number(s)] for k, y, dist, a, t, s in indicators]),
        "plans.csv": csv_text(
            ["project", "fiscal_year", "quarter", "planned_cumulative_rate"],
            [[p, str(y), q, f"{rate:.4f}"] for p, y, q, rate in plans]),
        "manifest.toml": manifest_text(),
    }
    for name in FILES:   # bytes, not text mode: no platform newline translation
        (out_dir / name).write_bytes(texts[name].encode("utf-8"))


if __name__ == "__main__":
    build(DEMO_DIR)
    print(f"wrote {', '.join(FILES)} to {DEMO_DIR}")
