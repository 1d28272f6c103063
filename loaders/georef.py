"""Is a boundary file where its CRS says it is? Set the CRS, then check the result can be a city.

Coordinates that contradict their CRS load without an error and draw nonsense:
longitude and latitude swapped put a city at latitude -87; lon/lat numbers read
as metres (EPSG:3857, or a wrong ``crs`` in the manifest) shrink it to a dot of a
few square millimetres; state-plane feet read as degrees give no map at all. The
file's own numbers are checked against its CRS before reprojecting, and the
result after it (latitude within what a map can show, finite coordinates, an
area a city can have), and each failure is refused with what to set.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from budgetmap.model import TableReport
from loaders.manifest import TableSpec
from loaders.problems import LoadError

EQUAL_AREA = "EPSG:6933"
MAX_LATITUDE = 85.06  # Web Mercator's edge: no web map shows beyond it
MIN_CITY_M2 = 10_000.0  # all districts together smaller than a city block: the CRS is wrong


def _bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    return minx, miny, maxx, maxy


def _geographic(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180.5 <= minx and maxx <= 180.5 and -90.5 <= miny and maxy <= 90.5


def _swapped(bounds: tuple[float, float, float, float]) -> bool:
    """Whether the numbers read as (latitude, longitude) would be a place: x within ±90, y within ±180."""
    minx, miny, maxx, maxy = bounds
    return -90 <= minx and maxx <= 90 and -180 <= miny and maxy <= 180


def _span(bounds: tuple[float, float, float, float]) -> str:
    minx, miny, maxx, maxy = bounds
    return f"x {minx:,.6g} to {maxx:,.6g}, y {miny:,.6g} to {maxy:,.6g}"


def set_crs(frame: gpd.GeoDataFrame, spec: TableSpec, report: TableReport) -> gpd.GeoDataFrame:
    """Apply the manifest's CRS, or the file's; refuse numbers that cannot be in the CRS they are read in."""
    name, section = spec.display_name, spec.section
    wanted = spec.options.get("crs")
    bounds = _bounds(frame)
    if wanted:
        try:
            crs = CRS.from_user_input(wanted)
        except CRSError:
            raise LoadError(f"{name}: crs '{wanted}' under [{section}] is not a known CRS; write it like "
                            "\"EPSG:2913\" (the EPSG code of the projection the file is in)") from None
        frame = frame.set_crs(crs, allow_override=True)
    declared = (f"crs = \"{wanted}\" in the manifest says longitude/latitude" if wanted else
                "the file declares no CRS" if frame.crs is None else f"the file declares {frame.crs.to_string()}")
    if frame.crs is None or frame.crs.is_geographic:
        if not _geographic(bounds):
            hint = ("the numbers look like latitude, longitude (swapped): write longitude first (x, y), as "
                    "GeoJSON requires" if _swapped(bounds) else
                    f"set crs = \"EPSG:....\" under [{section}] to the projection they are in (a state plane "
                    "or UTM zone, such as EPSG:2913)")
            raise LoadError(f"{name}: coordinates look projected ({_span(bounds)}), not longitude/latitude, but "
                            f"{declared}; {hint}")
        if frame.crs is None:
            report.notes.append("no CRS declared; coordinates are longitude/latitude, read as EPSG:4326")
            return frame.set_crs("EPSG:4326")
    return frame


def check_placed(native: gpd.GeoDataFrame, placed: gpd.GeoDataFrame, spec: TableSpec) -> None:
    """Refuse districts that, in EPSG:4326, cannot be a real place: off any map, not finite, or a dot."""
    name, section = spec.display_name, spec.section
    crs = native.crs.to_string() if native.crs is not None else "EPSG:4326"
    coords = shapely.get_coordinates(placed.geometry.values)
    if not np.isfinite(coords).all():
        raise LoadError(f"{name}: the coordinates cannot be placed on the earth from {crs} ({_span(_bounds(native))})"
                        f"; set crs under [{section}] to the CRS the file is really in")
    bounds = _bounds(placed)
    if bounds[1] < -MAX_LATITUDE or bounds[3] > MAX_LATITUDE:
        hint = ("longitude and latitude look swapped: write longitude first (x, y), as GeoJSON requires"
                if _swapped(_bounds(native)) and native.crs is not None and native.crs.is_geographic
                else f"set crs under [{section}] to the CRS the file is really in")
        raise LoadError(f"{name}: the districts lie at latitude {bounds[1]:.1f} to {bounds[3]:.1f}, beyond "
                        f"±{MAX_LATITUDE:g}° where no map can show them; {hint}")
    area = float(placed.geometry.to_crs(EQUAL_AREA).area.sum())
    if not area >= MIN_CITY_M2:
        looks = _geographic(_bounds(native)) and native.crs is not None and not native.crs.is_geographic
        hint = (f"the numbers look like longitude/latitude: set crs = \"EPSG:4326\" under [{section}]" if looks
                else f"set crs under [{section}] to the CRS the file is really in")
        raise LoadError(f"{name}: read in {crs}, all {len(placed)} districts together cover {area:,.2f} m², "
                        f"less than a city block: the coordinates ({_span(_bounds(native))}) do not fit "
                        f"{crs}; {hint}")
