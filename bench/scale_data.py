"""Datasets for bench_scale.py: the demo, bench_map's Voronoi city, and a counties-like layer.

The counties-like layer stands in for the ~3,200 US counties, which the machine does not
have: what makes counties hard for a map is not their number alone but that some of them
are islands that touch nobody, some are several parts (a coast and its islets), their sizes
differ by orders of magnitude, the borders wiggle (tens of vertices per county, shared
exactly with the neighbour), and a far-flung group crosses the 180th meridian the way the
Aleutians do (parts at +179.x and at -179.x in one MultiPolygon, split at the meridian as
RFC 7946 asks). ``make_counties`` builds all of that from a seed; the spending and the
indicator come from bench_map's generator, so every size has the same kind of numbers.
"""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_map import SYNTHETIC_INDICATOR, Dataset, make_synthetic_city  # noqa: E402

DEMO = ROOT / "geodata" / "demo" / "manifest.toml"
COUNTIES = 3221
#: a coarse outline of a continent (lon, lat), roughly the lower 48 states
MAINLAND = [(-124.5, 48.5), (-124, 42), (-120.5, 34.5), (-117, 32.5), (-111, 31.3), (-106.5, 31.8),
            (-103, 29), (-97.2, 26), (-97.5, 28), (-94, 29.6), (-89.5, 29.2), (-84, 30), (-82.7, 27.5),
            (-81, 25.2), (-80, 26.8), (-81.2, 31), (-76, 35), (-75.5, 38.5), (-74, 40.6), (-70, 41.7),
            (-70.7, 43), (-67, 44.8), (-69, 47.4), (-75, 45), (-79, 43.3), (-83, 42), (-84.8, 46.5),
            (-89, 48), (-95, 49)]
FAR_FLUNG = 12  # the Aleutian-like chain, 2-3 islands each, some across the 180th meridian
ISLANDS = 36  # single-part districts offshore (30 along the coasts, 6 in a Hawaii-like group)


def dataset_for(size: int, work: Path) -> Dataset:
    """The dataset a size stands for: 31 = the demo, 3,221 = counties-like, else a Voronoi city."""
    if size == 31:
        return Dataset("demo", "Riverbend demo", DEMO, 31, "pavement_busy_good_fair")
    if size == COUNTIES:
        return Dataset(f"counties_{size}", "Counties-like synthetic layer", make_counties(work / "counties", size),
                       size, SYNTHETIC_INDICATOR)
    manifest = make_synthetic_city(work / f"synthetic_{size}", size)
    return Dataset(manifest.stem, "Synthetic Voronoi city", manifest, size, SYNTHETIC_INDICATOR)


def _blob(rng, x: float, y: float, radius: float):
    """An irregular island: a wobbly ellipse of ~24 vertices around (x, y)."""
    import numpy as np
    from shapely.geometry import Polygon
    angle = np.linspace(0, 2 * np.pi, 25)[:-1]
    r = radius * (1 + 0.25 * np.sin(3 * angle + rng.uniform(0, 6)) + rng.uniform(-0.1, 0.1, angle.size))
    stretch = rng.uniform(0.5, 1.0)
    return Polygon(np.c_[x + r * np.cos(angle), y + stretch * r * np.sin(angle)])


def _wiggle(coords):
    """A smooth, small displacement field (a bijection: amplitude x wavenumber < 1), so straight
    Voronoi edges become county-like borders and a border shared by two cells stays shared."""
    import numpy as np
    x, y = coords[:, 0], coords[:, 1]
    dx = 0.05 * np.sin(2.1 * y + 0.7) + 0.008 * np.sin(15.7 * y + 3.1 * x)
    dy = 0.05 * np.sin(2.1 * x + 1.3) + 0.008 * np.sin(15.7 * x - 2.3 * y)
    return np.c_[x + dx, y + dy]


def _far_flung(rng, count: int) -> list:
    """An island chain from 172°E across the 180th meridian to 165°W; parts east of 180 are
    shifted by -360°, so a district there holds parts at +179.x and at -179.x."""
    import numpy as np
    import shapely
    from shapely.geometry import MultiPolygon, box
    east, west = box(0, -90, 180, 90), box(180, -90, 360, 90)
    out = []
    for i in range(count):
        lon = 172 + 23 * (i + 0.5) / count
        parts = []
        for j in range(int(rng.integers(2, 4))):
            island = _blob(rng, lon + 0.55 * j, 52 + 1.2 * np.sin(np.pi * i / count) - 0.15 * j,
                           rng.uniform(0.08, 0.2))
            parts += [p for p in (island.intersection(east), shapely.transform(island.intersection(west),
                                                                              lambda c: c - [360, 0]))
                      if not p.is_empty]
        if i == count // 2:  # one island straddles the meridian itself, as Amchitka's neighbours do
            straddle = _blob(rng, 180.0, 51.5, 0.25)
            parts += [straddle.intersection(east), shapely.transform(straddle.intersection(west),
                                                                     lambda c: c - [360, 0])]
        out.append(MultiPolygon([g for p in parts for g in shapely.get_parts(p)]))
    return out


def make_counties(folder: Path, n: int = COUNTIES, seed: int = 3221) -> Path:
    """A counties-like layer of ``n`` districts (EPSG:4326) with bench_map's 5 years of spending
    and one indicator; returns the manifest (key = its stem, ``counties_<n>``)."""
    import geopandas as gpd
    import numpy as np
    import shapely
    from shapely.geometry import MultiPolygon, Point, Polygon

    if n < 200:
        raise ValueError("a counties-like layer needs at least 200 districts")
    city = make_synthetic_city(folder, n, seed)  # ids S0001.., labels, pop, spending, indicator
    frame = gpd.read_file(folder / "districts.geojson")
    rng = np.random.default_rng(seed)
    land = Polygon(MAINLAND).segmentize(0.06)
    # seeds: dense in the east, sparse in the west, plus clusters (cities): sizes vary ~1000x
    mainland_n = n - FAR_FLUNG - ISLANDS
    centres = rng.uniform([-122, 28], [-70, 47], (15, 2))
    minx, miny, maxx, maxy = land.bounds
    pts: list[tuple[float, float]] = []
    while len(pts) < mainland_n:
        if rng.random() < 0.25:
            x, y = centres[rng.integers(15)] + rng.normal(0, 0.5, 2)
        else:
            x, y = minx + (maxx - minx) * rng.beta(2.2, 1.0), rng.uniform(miny, maxy)
        if land.contains(Point(x, y)):
            pts.append((x, y))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=land, ordered=True))
    cells = shapely.intersection(shapely.segmentize(cells, 0.06), land)
    cells = shapely.set_precision(shapely.transform(cells, _wiggle), 1e-6)  # shared vertices stay equal
    coast = shapely.transform(land, _wiggle).exterior
    placed = [shapely.transform(land, _wiggle).buffer(0.05)]
    tree_ok = lambda g: not any(g.intersects(p) for p in placed)  # noqa: E731
    geoms = list(cells)
    # multi-part districts: about one coastal cell in three gets 1-2 islets just offshore
    coastal = [i for i, c in enumerate(geoms) if c.intersects(coast.buffer(1e-4))]
    for i in rng.choice(coastal, size=len(coastal) // 3, replace=False):
        parts = list(shapely.get_parts(geoms[i]))
        anchor = coast.interpolate(coast.project(geoms[i].representative_point()))
        for _ in range(int(rng.integers(1, 3))):
            out = np.array([anchor.x, anchor.y]) - np.array(land.centroid.coords[0])
            off = out / np.hypot(*out) * rng.uniform(0.15, 0.45) + rng.normal(0, 0.08, 2)
            islet = _blob(rng, anchor.x + off[0], anchor.y + off[1], rng.uniform(0.02, 0.06))
            if tree_ok(islet.buffer(0.01)):
                parts.append(islet)
                placed.append(islet.buffer(0.01))
        geoms[i] = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    # islands that touch nobody: along the coasts, and a Hawaii-like group far to the south-west
    islands = [_blob(rng, -157.5 + 1.1 * k - 0.3 * k * k / 5, 21.8 - 0.5 * k, rng.uniform(0.12, 0.4))
               for k in range(6)]
    while len(islands) < ISLANDS:
        at = coast.interpolate(rng.uniform(0, coast.length))
        out = np.array([at.x, at.y]) - np.array(land.centroid.coords[0])
        off = out / np.hypot(*out) * rng.uniform(0.6, 1.5)
        island = _blob(rng, at.x + off[0], at.y + off[1], rng.uniform(0.05, 0.3))
        if tree_ok(island.buffer(0.02)):
            islands.append(island)
            placed.append(island.buffer(0.02))
    geoms += islands + _far_flung(rng, FAR_FLUNG)
    frame = frame.set_geometry(gpd.GeoSeries(shapely.make_valid(np.array(geoms, dtype=object)), crs="EPSG:4326"))
    frame.to_file(folder / "districts.geojson")
    manifest = folder / f"counties_{n}.toml"
    city.rename(manifest)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        f"Synthetic city ({n} districts)", f"Counties-like synthetic layer ({n} districts)"), encoding="utf-8")
    return manifest


def layer_facts(manifest: Path) -> dict:
    """What the layer holds: parts, islands, the meridian, the spread of sizes, the GeoJSON's bytes."""
    import geopandas as gpd
    import numpy as np
    import shapely
    import tomllib
    spec = tomllib.loads(manifest.read_text(encoding="utf-8"))["districts"]
    path = manifest.parent / spec["path"]
    frame = gpd.read_file(path)
    geoms = frame.geometry.values
    parts = shapely.get_num_geometries(geoms)
    touching = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    neighbours = np.bincount(touching[0], minlength=len(geoms)) - 1  # minus itself
    xs = [shapely.get_coordinates(g)[:, 0] for g in geoms]
    area = frame.to_crs("EPSG:6933").area.to_numpy() / 1e6
    return {"districts": len(frame), "vertices": int(shapely.get_num_coordinates(geoms).sum()),
            "multi_part": int((parts > 1).sum()), "parts_max": int(parts.max()),
            "touching_nobody": int((neighbours == 0).sum()),
            "across_180": int(sum(1 for x in xs if x.max() > 179 and x.min() < -179)),
            "area_km2_min": float(area.min()), "area_km2_median": float(np.median(area)),
            "area_km2_max": float(area.max()), "geojson_file_bytes": path.stat().st_size}


_TOPO = """
import gzip, json, sys
import geopandas as gpd, topojson
frame = gpd.read_file(sys.argv[1])[[sys.argv[2], "geometry"]]
text = topojson.Topology(frame, prequantize=1e5).to_json().encode()
print(json.dumps({"raw": len(text), "gzip": len(gzip.compress(text, 6))}))
"""


def topojson_reference(manifest: Path, cap_s: float) -> dict:
    """Bytes of a TopoJSON (``topojson`` package, prequantize=1e5: shared arcs, delta-encoded
    integers) of the layer's shapes and ids, raw and gzip (level 6), and the same for the layer
    as GeoJSON with coordinates rounded to 1e-5 degrees. In a subprocess with a time cap."""
    import tomllib
    spec = tomllib.loads(manifest.read_text(encoding="utf-8"))["districts"]
    path = manifest.parent / spec["path"]
    out: dict = {}
    try:
        done = subprocess.run([sys.executable, "-c", _TOPO, str(path), spec["id"]], capture_output=True,
                              text=True, timeout=cap_s, cwd=ROOT)
        if done.returncode == 0:
            out["topojson"] = json.loads(done.stdout.strip().splitlines()[-1])
        else:
            out["topojson_error"] = (done.stderr.strip().splitlines() or ["?"])[-1]
    except subprocess.TimeoutExpired:
        out["topojson"] = None
        out["topojson_error"] = f"> {cap_s:.0f} s"
    import geopandas as gpd
    frame = gpd.read_file(path)[[spec["id"], "geometry"]]
    text = frame.to_json(drop_id=True, to_wgs84=True).encode()
    rounded = json.dumps(_round(json.loads(text)), separators=(",", ":")).encode()
    out["geojson_1e5"] = {"raw": len(rounded), "gzip": len(gzip.compress(rounded, 6))}
    return out


def _round(node):
    """Coordinates rounded to 5 decimals (1e-5 degrees, about a metre)."""
    if isinstance(node, float):
        return round(node, 5)
    if isinstance(node, list):
        return [_round(v) for v in node]
    if isinstance(node, dict):
        return {k: _round(v) for k, v in node.items()}
    return node
