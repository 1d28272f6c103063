"""How long do the antimeridian, inset and outline helpers take at county and tract sizes?

A grid layer of ``--districts`` cells (default 3,221 and 70,000) laid across the
180th meridian from 170°E, plus a far-flung group of 10 cells (an inset), timed
for ``budgetmap.geo_extent.unwrap``, ``bounds``, ``outline_width``, ``far_groups``
and the whole static page layout (``budgetmap.render.page.layout``, which uses
them all); median of ``--reps`` after one warm-up.

Run: ``.venv/bin/python bench/bench_geo_extent.py [--reps 3]``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from budgetmap import geo_extent  # noqa: E402
from budgetmap.mapspec import MapSpec  # noqa: E402
from budgetmap.render.page import layout  # noqa: E402
from timing import median_seconds  # noqa: E402


def layer(n: int) -> gpd.GeoDataFrame:
    rows = 100 if n < 20_000 else 200
    cols = n // rows
    d = 0.1 if n >= 20_000 else 0.5
    x = (170 + np.arange(cols) * d + 180) % 360 - 180
    xx, yy = np.meshgrid(x, 50 + np.arange(rows) * d * 0.5, indexing="ij")
    x0, y0 = xx.ravel(), yy.ravel()
    cells = shapely.box(x0, y0, np.minimum(x0 + d, 180), y0 + d * 0.5)
    far = shapely.box(-100 + np.arange(10) * d, 20, -100 + np.arange(10) * d + d, 20 + d)
    geoms = np.concatenate([cells, far])
    return gpd.GeoDataFrame({"district_id": [f"D{i}" for i in range(len(geoms))],
                             "name": [f"D{i}" for i in range(len(geoms))]}, geometry=geoms, crs="EPSG:4326")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--districts", type=int, nargs="*", default=[3_221, 70_000])
    args = parser.parse_args()
    spec = MapSpec(title="Bench", subtitle="", measure_label="Value", features=(), legend=(), breaks=(), notes=())
    print(f"{'districts':>10} {'unwrap':>8} {'bounds':>8} {'outline':>8} {'groups':>8} {'layout':>8}  (s)")
    for n in args.districts:
        frame = layer(n)
        times = [median_seconds(lambda f=f: f(frame), args.reps, warm_up=True) for f in
                 (geo_extent.unwrap, geo_extent.bounds, lambda fr: geo_extent.outline_width(fr, 900),
                  geo_extent.far_groups, lambda fr: layout(spec, fr))]
        print(f"{len(frame):>10,} " + " ".join(f"{t:>8.3f}" for t in times), flush=True)


if __name__ == "__main__":
    main()
