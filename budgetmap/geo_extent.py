"""Where a layer's districts are: across the 180th meridian, far-flung groups, and how thin to draw outlines.

A layer that crosses the antimeridian (Alaska's Aleutians reach 172°E) has
longitudes near +180 and near -180, so its plain bounds span the whole globe and
a map fitted to them shows the districts as a sliver. ``unwrap`` moves the
eastern-hemisphere parts by -360° so the layer is one contiguous run of
longitudes (Leaflet and matplotlib both draw longitudes below -180 where they
belong); ``bounds`` is where the districts then are. Parts, not districts, are
moved, because one MultiPolygon (the Aleutians West census area) can have
islands on both sides.

``far_groups`` finds groups of districts far from the main mass (US counties:
Alaska, Hawaii, Puerto Rico) that a printed page shows as insets, and
``outline_width`` keeps fills visible when thousands of small districts would
otherwise be all outline. Pure shapely and numpy, vectorised over parts: a
70,000-district layer takes a fraction of a second.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

#: Longitudes within this many degrees of ±180 count as "near the antimeridian".
NEAR = 20.0


@dataclass(frozen=True)
class _Plan:
    parts: np.ndarray  # every part of every district
    owner: np.ndarray  # the district (position) each part belongs to
    bounds: np.ndarray  # (parts, 4) part bounds after the shift
    shift: np.ndarray  # bool per part: moved by -360


def _plan(districts: gpd.GeoDataFrame) -> _Plan | None:
    """The parts to move, or None when the layer does not straddle the antimeridian."""
    geoms = np.asarray(districts.geometry.values, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    if not len(parts):
        return None
    box = shapely.bounds(parts)
    if not (np.nanmax(box[:, 2]) > 180 - NEAR and np.nanmin(box[:, 0]) < -180 + NEAR):
        return None
    shift = (box[:, 0] + box[:, 2]) / 2 > 0
    moved = box.copy()
    moved[shift, 0] -= 360
    moved[shift, 2] -= 360
    if np.nanmax(moved[:, 2]) - np.nanmin(moved[:, 0]) >= np.nanmax(box[:, 2]) - np.nanmin(box[:, 0]):
        return None  # a world layer: moving the east makes it no narrower
    return _Plan(parts, owner, moved, shift)


def unwrap(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer with its eastern-hemisphere parts moved by -360° when it straddles the antimeridian;
    otherwise the same frame, unchanged."""
    plan = _plan(districts)
    if plan is None:
        return districts
    parts = plan.parts.copy()
    parts[plan.shift] = shapely.transform(parts[plan.shift], lambda xy: xy - np.array([360.0, 0.0]))
    geoms = np.asarray(districts.geometry.values, dtype=object).copy()
    touched = np.unique(plan.owner[plan.shift])
    keep = np.isin(plan.owner, touched)
    single = shapely.get_type_id(geoms[touched]) == shapely.GeometryType.POLYGON
    polygons = shapely.get_type_id(parts[keep]) == shapely.GeometryType.POLYGON
    if polygons.all():
        rebuilt = shapely.multipolygons(parts[keep], indices=np.searchsorted(touched, plan.owner[keep]))
    else:
        rebuilt = shapely.geometrycollections(parts[keep], indices=np.searchsorted(touched, plan.owner[keep]))
    rebuilt[single] = shapely.get_geometry(rebuilt[single], 0)  # a Polygon stays a Polygon
    geoms[touched] = rebuilt
    out = districts.copy()
    out[districts.geometry.name] = gpd.GeoSeries(geoms, index=districts.index, crs=districts.crs)
    return out


def bounds(districts: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of the unwrapped layer: where the districts are."""
    plan = _plan(districts)
    if plan is None:
        return tuple(float(v) for v in districts.total_bounds)  # type: ignore[return-value]
    b = plan.bounds
    return (float(np.nanmin(b[:, 0])), float(np.nanmin(b[:, 1])), float(np.nanmax(b[:, 2])),
            float(np.nanmax(b[:, 3])))


def district_bounds(districts: gpd.GeoDataFrame) -> np.ndarray:
    """(districts, 4) bounds of each district as ``unwrap`` would leave it, without building the geometries."""
    geoms = np.asarray(districts.geometry.values, dtype=object)
    plan = _plan(districts)
    if plan is None:
        return shapely.bounds(geoms)
    out = np.full((len(geoms), 4), np.inf)
    out[:, 2:] = -np.inf
    for col, reduce in ((0, np.minimum), (1, np.minimum), (2, np.maximum), (3, np.maximum)):
        reduce.at(out[:, col], plan.owner, plan.bounds[:, col])
    out[~np.isfinite(out).all(axis=1)] = np.nan  # empty geometries, as shapely.bounds gives them
    return out


def outline_width(districts: gpd.GeoDataFrame, width_px: float) -> float:
    """Outline width in pixels for a map ``width_px`` wide fitted to the layer: 1.0 when the median
    district is 40 px or more across, thinner in proportion below that, never under 0.2.

    Size is the square root of a district's area, with longitude stretched by cos(latitude)
    as the map draws it, against the layer's stretched width.
    """
    if not len(districts):
        return 1.0
    box = district_bounds(districts)  # areas do not change with the shift; only the span does
    x0, y0, x1, y1 = np.nanmin(box[:, 0]), np.nanmin(box[:, 1]), np.nanmax(box[:, 2]), np.nanmax(box[:, 3])
    stretch = math.cos(math.radians((y0 + y1) / 2))
    span = (x1 - x0) * stretch
    if not span > 0:
        return 1.0
    own = np.cos(np.radians((box[:, 1] + box[:, 3]) / 2))
    size = np.sqrt(np.abs(shapely.area(np.asarray(districts.geometry.values, dtype=object))) * own)
    median = float(np.nanmedian(size)) if np.isfinite(size).any() else span
    return float(np.clip(median / span * width_px / 40.0, 0.2, 1.0))


#: Districts closer than this share of the layer's size belong to one group.
TOUCH = 0.02
#: A group is far-flung when its hull is at least this share of the main mass's size away from the main hull.
FAR = 0.08
#: Insets only when they let the main map be drawn this many times larger (square root of the area ratio).
GAIN = 1.5
MAX_INSETS = 4


@dataclass(frozen=True)
class Groups:
    """Positions (``iloc``) of the districts of the main map and of each inset, west to east."""

    main: np.ndarray
    insets: tuple[np.ndarray, ...]


def far_groups(districts: gpd.GeoDataFrame) -> Groups:
    """The main mass and the far-flung groups worth an inset each (none for a compact layer).

    Groups are districts whose (unwrapped) bounding boxes come within TOUCH of each other;
    the main mass is the group with the most districts. A group is an inset when its hull is
    FAR from the main one, its padded box holds no other district, and taking all such
    groups out lets the main map grow by GAIN; more than MAX_INSETS far groups get none.
    """
    n = len(districts)
    everything = Groups(np.arange(n), ())
    if n < 3:
        return everything
    box = district_bounds(districts)
    ok = np.isfinite(box).all(axis=1)
    if not ok.all():
        return everything
    stretch = math.cos(math.radians((box[:, 1].min() + box[:, 3].max()) / 2))
    box[:, [0, 2]] *= stretch
    label = _components(box, TOUCH * _size(_union(box)))
    if label.max() == 0:
        return everything
    main_label = np.bincount(label).argmax()
    main_hull = _hull(box[label == main_label])
    main_size = _size(_union(box[label == main_label]))
    far = []
    outside = np.flatnonzero(label != main_label)
    near = _components(box[outside], FAR * main_size) if outside.size else np.array([], dtype=int)
    for g in np.unique(near):  # groups near each other are one (an island chain is one inset, not ten)
        members = outside[near == g]
        if shapely.distance(_hull(box[members]), main_hull) < FAR * main_size:
            continue
        padded = _pad(_union(box[members]))
        others = np.flatnonzero(_overlaps(box, padded))
        if np.isin(others, members).all():
            far.append(members)
    if not far or len(far) > MAX_INSETS:
        return everything
    rest = np.setdiff1d(np.arange(n), np.concatenate(far))
    full, kept = _union(box), _union(box[rest])
    ratio = ((full[2] - full[0]) * (full[3] - full[1])) / max((kept[2] - kept[0]) * (kept[3] - kept[1]), 1e-12)
    if math.sqrt(ratio) < GAIN or any(_overlaps(box[f], _pad(kept)).any() for f in far):
        return everything
    far.sort(key=lambda members: box[members, 0].min())
    return Groups(rest, tuple(far))


def _components(box: np.ndarray, tol: float) -> np.ndarray:
    """Connected groups of boxes that come within ``tol`` of each other (a label per box).

    The boxes are painted onto a grid of ``tol``-sized cells and the painted cells
    labelled (8-connected): boxes closer than ``tol`` always share a group, boxes
    up to about 3 ``tol`` apart may. Linear in the boxes, where pairing them up with
    a tree would meet hundreds of neighbours each among 70,000 small districts.
    """
    from scipy import ndimage

    lo = box[:, :2].min(axis=0)
    cells = np.ceil((box[:, 2:].max(axis=0) - lo) / max(tol, 1e-12)) + 1
    tol = max(tol, float(np.prod(cells)) ** 0.5 * tol / 2000)  # at most about 2,000 x 2,000 cells
    i0, j0 = np.floor((box[:, :2] - lo) / tol).astype(int).T
    i1, j1 = np.floor((box[:, 2:] - lo) / tol).astype(int).T
    paint = np.zeros((i1.max() + 2, j1.max() + 2), dtype=np.int32)
    for di, dj, sign in ((i0, j0, 1), (i0, j1 + 1, -1), (i1 + 1, j0, -1), (i1 + 1, j1 + 1, 1)):
        np.add.at(paint, (di, dj), sign)
    covered = paint.cumsum(axis=0).cumsum(axis=1) > 0
    labels, _ = ndimage.label(covered, structure=np.ones((3, 3), dtype=int))
    return labels[i0, j0] - 1


def _union(box: np.ndarray) -> np.ndarray:
    return np.array([box[:, 0].min(), box[:, 1].min(), box[:, 2].max(), box[:, 3].max()])


def _size(b: np.ndarray) -> float:
    return float(max(b[2] - b[0], b[3] - b[1], 1e-9))


def _pad(b: np.ndarray, share: float = 0.05) -> np.ndarray:
    p = share * _size(b)
    return b + np.array([-p, -p, p, p])


def _overlaps(box: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (box[:, 0] <= b[2]) & (box[:, 2] >= b[0]) & (box[:, 1] <= b[3]) & (box[:, 3] >= b[1])


def _hull(box: np.ndarray) -> shapely.Geometry:
    corners = np.concatenate([box[:, [0, 1]], box[:, [2, 1]], box[:, [2, 3]], box[:, [0, 3]]])
    if len(corners) < 2:
        return shapely.points(corners[0])
    return shapely.convex_hull(shapely.linestrings(corners))  # one geometry from the array: no point objects
