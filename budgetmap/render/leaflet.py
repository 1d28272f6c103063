"""MapSpec -> the JSON the browser map component draws.

Geometry and styling travel separately: geometry is keyed by a content hash so
the browser keeps its layer when only a filter changes and merely restyles it,
which is what makes a repaint fast. All data text is sent as plain strings and
the front end inserts it with ``textContent``: names are never markup.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from budgetmap.map_flags import stroke
from budgetmap.mapspec import MapSpec
from budgetmap.palettes import OUTLINE

FRONTEND = Path(__file__).parent / "frontend"
PRECISION = 1e-5  # ~1 m: invisible on a city map, cuts the payload by about 40%


def geometry_payload(districts: gpd.GeoDataFrame) -> tuple[str, dict[str, Any]]:
    """(key, FeatureCollection) with only the district id as a property."""
    geoms = shapely.set_precision(districts.geometry.values, PRECISION)
    features = [
        {"type": "Feature", "properties": {"id": did}, "geometry": json.loads(shapely.to_geojson(g))}
        for did, g in zip(districts["district_id"], geoms)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:16], collection


def bounds(districts: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = districts.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def component_args(spec: MapSpec, geometry_key: str, geometry: dict[str, Any] | None,
                   map_bounds: list[list[float]], *, height: int = 560,
                   basemap: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the front end needs, as JSON-safe values.

    ``geometry`` may be None when the browser already holds the shapes of
    ``geometry_key``; a browser that does not will ask for them.
    """
    return {
        "geometry_key": geometry_key,
        "geometry": geometry,
        "styles": {f.district_id: f.fill for f in spec.features},
        "patterns": {f.district_id: f.pattern for f in spec.features if f.pattern},
        # outliers and small numbers: [dash pattern, width, the marks' names] of a distinct outline
        "marks": {f.district_id: [*stroke(f.marks), " ".join(f.marks)] for f in spec.features if f.marks},
        "tooltips": {f.district_id: spec.tooltip_rows(f) for f in spec.features},
        "labels": {f.district_id: f"{f.name}: {f.label}" for f in spec.features},
        "selected": spec.selected,
        "bounds": map_bounds,
        "outline": OUTLINE,
        "height": height,
        "basemap": basemap,
        "title": spec.title,
        "points": [[p.lat, p.lon, p.label] for p in spec.points],
    }
