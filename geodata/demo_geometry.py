"""Geometry of the Riverbend demo city: outline, river and districts.

Everything here is computed in metres (UTM zone 16N, EPSG:32616) so that buffers,
areas and distances mean what they say. Only the finished districts are moved to
longitude/latitude, by pyproj through geopandas, never by a hand-written formula.

The city is meant to look like a real one rather than a grid: an irregular outline
with an annexed lobe and one straight county line, districts that are small and
dense downtown and large at the edge (Voronoi cells of points whose spacing grows
with the distance from downtown), and a meandering river cut out of the land so
that some districts are split by water, as real districts often are.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon, box

CENTRE_LONLAT = (-89.40, 43.07)
METRIC_CRS = "EPSG:32616"
RIVER_HALF_WIDTH_M = 150.0       # a river about 300 m wide
SLIVER_M2 = 50_000.0             # pieces under 0.05 km2 left over by the river are dropped
ROTATION_DEG = 18.0              # the whole city is turned a little off the compass


@dataclass(frozen=True)
class CityShape:
    """The city drawn in metres: outline (land and water), river, downtown, districts."""

    outline: Polygon
    river: Polygon
    downtown: Point
    districts: list[Polygon | MultiPolygon]   # ordered outwards from downtown


def centre_xy() -> tuple[float, float]:
    """The city centre in EPSG:32616, rounded to whole metres.

    Rounding keeps the output stable even if a later pyproj moves the centre by a
    fraction of a millimetre.
    """
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    x, y = to_metric.transform(*CENTRE_LONLAT)
    return float(round(x)), float(round(y))


def _outline(rng: np.random.Generator) -> Polygon:
    """A noisy ellipse about 16 x 12 km, plus an annexed lobe, cut by a straight county line."""
    theta = np.linspace(0.0, 2.0 * np.pi, 240, endpoint=False)
    a, b = 7300.0, 5500.0
    r = a * b / np.sqrt((b * np.cos(theta)) ** 2 + (a * np.sin(theta)) ** 2)
    wobble = np.zeros_like(theta)
    for k in range(2, 10):   # low harmonics bend the shape, high ones roughen it
        wobble += rng.normal(0.0, 0.045 / k ** 0.7) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    blob = Polygon(np.column_stack([r * (1 + wobble) * np.cos(theta), r * (1 + wobble) * np.sin(theta)]))
    annex = affinity.scale(Point(0, 0).buffer(1.0, 32), 2800.0, 1700.0)
    annex = affinity.rotate(affinity.translate(annex, 5600.0, -3800.0), -30.0, origin=(5600.0, -3800.0))
    shape = blob.union(annex).intersection(box(-6500.0, -1e5, 1e5, 1e5))   # the county line
    return shape.buffer(300.0).buffer(-300.0)   # round off the seam where the annex joins


def _river_line(rng: np.random.Generator) -> tuple[LineString, Point]:
    """A meandering river crossing the whole city, and downtown on its north bank."""
    x = np.linspace(-15000.0, 15000.0, 601)
    phases = rng.uniform(0.0, 2.0 * np.pi, 3)
    y = (1100.0 * np.sin(2 * np.pi * x / 9000.0 + phases[0])
         + 380.0 * np.sin(2 * np.pi * x / 3300.0 + phases[1])
         + 140.0 * np.sin(2 * np.pi * x / 1400.0 + phases[2]))
    y -= np.interp(-600.0, x, y)          # the river passes just south of downtown
    line = affinity.rotate(LineString(np.column_stack([x, y])), -25.0, origin=(0, 0))
    downtown = affinity.rotate(Point(-600.0, 650.0), -25.0, origin=(0, 0))
    return line, downtown


def _seed_points(rng: np.random.Generator, outline: Polygon, downtown: Point) -> np.ndarray:
    """Dart-throwing with a spacing that grows outwards: dense downtown, sparse at the edge.

    Throwing darts until 4000 in a row miss gives an evenly filled, irregular
    pattern (unlike a jittered grid), and the growing spacing gives the small dense
    central districts and the large outer ones that real cities have.
    """
    inner = outline.buffer(-500.0)
    shapely.prepare(inner)
    minx, miny, maxx, maxy = inner.bounds
    origin = np.array([downtown.x, downtown.y])
    points = [origin]
    misses = 0
    while misses < 4000:
        p = rng.uniform((minx, miny), (maxx, maxy))
        if not shapely.contains_xy(inner, p[0], p[1]):
            continue
        spacing = 500.0 + 0.30 * float(np.hypot(*(p - origin)))
        if np.min(np.hypot(*(np.asarray(points) - p).T)) >= spacing:
            points.append(p)
            misses = 0
        else:
            misses += 1
    return np.asarray(points)


def _drop_slivers(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """Keep the pieces of a river-cut district that are worth drawing (>= 0.05 km2)."""
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and p.area >= SLIVER_M2]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(sorted(parts, key=lambda p: -p.area))


def build_shape(rng: np.random.Generator) -> CityShape:
    """Draw the whole city in metres, centred on CENTRE_LONLAT."""
    outline = _outline(rng)
    line, downtown = _river_line(rng)
    cx, cy = centre_xy()

    def place(g):  # turn the city off the compass and move it to its centre
        return affinity.translate(affinity.rotate(g, ROTATION_DEG, origin=(0, 0)), cx, cy)

    outline, line, downtown = place(outline), place(line), place(downtown)
    river = line.buffer(RIVER_HALF_WIDTH_M, cap_style="flat").intersection(outline.buffer(2000.0))
    seeds = _seed_points(rng, outline.difference(river), downtown)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline.buffer(5000.0), ordered=True)
    land = outline.difference(river)
    districts = [_drop_slivers(shapely.make_valid(cell.intersection(land))) for cell in cells.geoms]
    order = np.argsort([np.hypot(s[0] - downtown.x, s[1] - downtown.y) for s in seeds], kind="stable")
    districts = [districts[i] for i in order if not districts[i].is_empty]
    return CityShape(outline=outline, river=river, downtown=downtown, districts=districts)


def to_lonlat(geoms: list[Polygon | MultiPolygon]) -> list[Polygon | MultiPolygon]:
    """Project metric districts to EPSG:4326 on a 1e-6 degree grid (about 0.1 m).

    shapely.set_precision snaps and repairs in one step, so the rounded polygons are
    still valid; rings are then oriented as RFC 7946 asks (exterior counter-clockwise).
    """
    lonlat = gpd.GeoSeries(geoms, crs=METRIC_CRS).to_crs("EPSG:4326")
    snapped = shapely.set_precision(lonlat.values, grid_size=1e-6)
    return list(shapely.orient_polygons(snapped, exterior_cw=False))
