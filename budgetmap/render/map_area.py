"""Where the map and its insets go inside the page's map area, and where a lon/lat lands there.

The main map is fitted to where its districts are (``budgetmap.geo_extent``:
across the antimeridian too). Far-flung groups (US counties: Alaska, Hawaii,
Puerto Rico) would shrink it to a fraction of the page, so each gets an inset at
its own scale, in a strip under the main map or a column beside it, whichever
leaves the main map larger. ``MapArea.to_inches`` sends every point to the
panel its district is drawn in, so tests find any district's pixel.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from budgetmap import geo_extent

STRIP = 0.28  # share of the map area's height (or width) an inset strip (or column) takes at least
GAP = 0.12  # inches between panels
PAD = 0.02  # share of an extent left blank around its districts


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Inset:
    """One far-flung group: its panel, the lon/lat drawn edge to edge in it, its letter and districts."""

    box: Box
    extent: tuple[float, float, float, float]
    letter: str
    positions: tuple[int, ...]  # ``iloc`` of its districts in the layer


@dataclass(frozen=True)
class MapArea:
    box: Box
    extent: tuple[float, float, float, float]
    insets: tuple[Inset, ...] = ()
    wrap: bool = False  # the layer straddles the antimeridian: longitudes east of 0 are drawn at lon - 360

    def to_inches(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Page inches of lon/lat points, each in the panel whose extent holds it (else the main map)."""
        lon, lat = np.asarray(lon, float), np.asarray(lat, float)
        if self.wrap:
            lon = np.where(lon > 0, lon - 360, lon)
        x, y = _map(lon, lat, self.box, self.extent)
        for inset in self.insets:
            x0, y0, x1, y1 = inset.extent
            inside = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
            ix, iy = _map(lon, lat, inset.box, inset.extent)
            x, y = np.where(inside, ix, x), np.where(inside, iy, y)
        return x, y


def _map(lon: np.ndarray, lat: np.ndarray, box: Box, extent: tuple[float, float, float, float]
         ) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = extent
    return box.x + (lon - x0) / (x1 - x0) * box.w, box.y + (lat - y0) / (y1 - y0) * box.h


def place(districts: gpd.GeoDataFrame, area: Box, groups: geo_extent.Groups | None = None) -> MapArea:
    """The main map fitted into ``area`` (top-aligned, centred), with insets when the layer has far
    groups (``geo_extent.far_groups``, found here unless given)."""
    layer = geo_extent.unwrap(districts)  # every panel's extent in the same, unwrapped, longitudes
    wrap = layer is not districts
    groups = groups if groups is not None else geo_extent.far_groups(layer)
    if not groups.insets:
        box, extent = fit(layer, area)
        return MapArea(box, extent, (), wrap)
    main = layer.iloc[groups.main]
    layouts = [_with_insets(layer, main, groups, area, beside) for beside in (False, True)]
    best = max(layouts, key=lambda a: a.box.w / (a.extent[2] - a.extent[0]))
    return MapArea(best.box, best.extent, best.insets, wrap)


def _with_insets(districts: gpd.GeoDataFrame, main: gpd.GeoDataFrame, groups: geo_extent.Groups, area: Box,
                 beside: bool) -> MapArea:
    """Insets in a row under the main map, or (``beside``) in a column to its right."""
    n = len(groups.insets)
    if beside:
        box, extent = fit(main, Box(area.x, area.y, area.w * (1 - STRIP), area.h), centre=False)
        left = box.x + box.w + GAP
        cell_h = (area.h - GAP * (n - 1)) / n
        cells = [Box(left, area.y + area.h - (i + 1) * cell_h - i * GAP, area.x + area.w - left, cell_h)
                 for i in range(n)]
    else:
        box, extent = fit(main, Box(area.x, area.y + area.h * STRIP, area.w, area.h * (1 - STRIP)))
        top = box.y - GAP
        cell_w = (area.w - GAP * (n - 1)) / n
        cells = [Box(area.x + i * (cell_w + GAP), area.y, cell_w, top - area.y) for i in range(n)]
    insets = []
    for i, (cell, positions) in enumerate(zip(cells, groups.insets)):
        inner, inner_extent = fit(districts.iloc[positions], cell, centre=True, middle=True)
        insets.append(Inset(inner, inner_extent, chr(ord("A") + i), tuple(int(p) for p in positions)))
    return MapArea(box, extent, tuple(insets))


def fit(districts: gpd.GeoDataFrame, box: Box, *, centre: bool = True, middle: bool = False
        ) -> tuple[Box, tuple[float, float, float, float]]:
    """The largest box of the districts' shape that fits, top-aligned (or ``middle``), centred (or left).

    Lon/lat are drawn as a plate carrée stretched by 1/cos(latitude) at the
    middle of the districts, which at a city's size is within a fraction of a
    percent of a conformal projection, and keeps the pixel mapping linear.
    """
    x0, y0, x1, y1 = geo_extent.bounds(districts)
    pad_x, pad_y = max((x1 - x0) * PAD, 1e-6), max((y1 - y0) * PAD, 1e-6)
    x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
    shape = (x1 - x0) * math.cos(math.radians((y0 + y1) / 2)) / (y1 - y0)
    w, h = (box.w, box.w / shape) if shape > box.w / box.h else (box.h * shape, box.h)
    x = box.x + (box.w - w) / 2 if centre else box.x
    y = box.y + (box.h - h) / 2 if middle else box.y + box.h - h
    return Box(x, y, w, h), (x0, y0, x1, y1)


def inset_note(districts: gpd.GeoDataFrame, groups: geo_extent.Groups) -> str:
    """The page's line saying which districts are in which inset ("" without insets)."""
    if not groups.insets:
        return ""
    names = districts["name"] if "name" in districts else districts["district_id"]
    parts = []
    for i, positions in enumerate(groups.insets):
        shown = sorted(str(v) for v in names.iloc[positions])
        listed = ", ".join(shown[:3]) + (", …" if len(shown) > 3 else "")
        count = f"{len(shown):,} district{'s' if len(shown) != 1 else ''}"
        parts.append(f"{chr(ord('A') + i)}: {count} ({listed})")
    return ("Insets not to scale (the scale bar measures the main map): each is at its own scale and away "
            "from its true place, for districts far from the rest: "
            + "; ".join(parts) + ".")
