"""Line items located by coordinates: each point joined to the district of every boundary layer.

Capital projects often carry an address point instead of a district key. A point
is assigned by point-in-polygon (geopandas ``sjoin``); points in no district are
"no location", listed with their rows, so their money is accounted for. A point
exactly on a border shared by two districts touches both: it goes to the one
with the smallest district id (sorted as text), so every point lands once and
the same input always gives the same map.
"""
from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from budgetmap.model import RowProblem
from loaders.manifest import TableSpec
from loaders.problems import LoadError

Placed = dict[str, tuple[pd.Series, pd.Series]]
MAX_COORDINATE = 1e10  # no CRS has coordinates this far out (loaders.boundaries says the same of shapes)


def has_points(spec: TableSpec) -> bool:
    """Whether the table locates its rows by coordinates rather than by a district key."""
    return bool(spec.column("geometry") or (spec.column("lon") and spec.column("lat")))


def _numbers(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.astype(str).str.strip().replace("", np.nan), errors="coerce").astype(float)


def read_points(frame: pd.DataFrame, spec: TableSpec) -> tuple[gpd.GeoSeries, list[RowProblem]]:
    """The rows' points in EPSG:4326 (None where a row has none), and the rows whose coordinates are unreadable."""
    name = spec.display_name
    wanted = spec.options.get("crs", "EPSG:4326")
    try:
        crs = CRS.from_user_input(wanted)
    except CRSError:
        raise LoadError(f"{name}: crs '{wanted}' under [{spec.section}] is not a known CRS") from None
    problems: list[RowProblem] = []
    rows = frame["source_row"].to_numpy()
    if spec.column("geometry"):
        column = spec.columns["geometry"]
        text = frame[column].astype(str).str.strip()
        geoms = shapely.from_wkt(text.where(text != "").to_numpy(dtype=object), on_invalid="ignore")
        not_point = np.array([g is not None and g.geom_type != "Point" for g in geoms], dtype=bool)
        unreadable = (text != "").to_numpy() & (pd.isna(geoms) | not_point | ~_finite(geoms))
        geoms = np.where(unreadable, None, geoms)
        problems += [RowProblem(name, int(rows[i]), column, text.iat[i],
                                "is not a WKT point with finite coordinates such as 'POINT (-122.67 45.52)'; "
                                "the row has no location")
                     for i in np.flatnonzero(unreadable)]
    else:
        lon_col, lat_col = spec.columns["lon"], spec.columns["lat"]
        lon, lat = _numbers(frame[lon_col]), _numbers(frame[lat_col])
        given = frame[lon_col].astype(str).str.strip().ne("") | frame[lat_col].astype(str).str.strip().ne("")
        bad = given & ~(np.isfinite(lon) & np.isfinite(lat) & (lon.abs() < MAX_COORDINATE) & (lat.abs() < MAX_COORDINATE))
        if crs.is_geographic:
            bad |= given & ((lon.abs() > 180) | (lat.abs() > 90))
        problems += [RowProblem(name, int(rows[i]), f"{lon_col}, {lat_col}",
                                f"{frame[lon_col].iat[i]}, {frame[lat_col].iat[i]}",
                                "are not coordinates; the row has no location")
                     for i in np.flatnonzero(bad.to_numpy())]
        ok = (~bad & lon.notna() & lat.notna()).to_numpy()
        geoms = np.array([None] * len(frame), dtype=object)
        geoms[ok] = shapely.points(lon.to_numpy()[ok], lat.to_numpy()[ok])
    points = gpd.GeoSeries(list(geoms), index=frame.index, crs=crs)
    if crs.equals(CRS("EPSG:4326")):
        return points, problems
    placed = points.to_crs("EPSG:4326")
    lost = ~_finite(placed.to_numpy()) & ~shapely.is_missing(placed.to_numpy())  # outside the CRS's domain
    if lost.any():
        column = spec.column("geometry") or f"{spec.columns['lon']}, {spec.columns['lat']}"
        problems += [RowProblem(name, int(rows[i]), column, points.iat[i].wkt, f"cannot be placed on the earth "
                                f"from {crs.to_string()}; the row has no location (check crs under [{spec.section}])")
                     for i in np.flatnonzero(lost)]
        placed[lost] = None
    return placed, sorted(problems, key=lambda p: p.row or 0)


def _finite(geoms: np.ndarray) -> np.ndarray:
    """Per geometry: every coordinate finite and within any map (None and empty count as finite)."""
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    wild = np.zeros(len(geoms), dtype=bool)
    np.logical_or.at(wild, owner, ~(np.isfinite(coords) & (np.abs(coords) < MAX_COORDINATE)).all(axis=1))
    return ~wild


def assign(points: gpd.GeoSeries, districts: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """(district_id or None, location) per point for one layer; on a shared border the smallest id wins."""
    district = pd.Series([None] * len(points), index=points.index, dtype=object)
    location = pd.Series("no_location", index=points.index, dtype=object)
    values = points.to_numpy()
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    if present.any():
        left = gpd.GeoDataFrame({"__row": np.flatnonzero(present)}, geometry=points[present].to_numpy(),
                                crs=points.crs)
        joined = gpd.sjoin(left, districts[["district_id", "geometry"]], how="inner", predicate="intersects")
        first = joined.sort_values(["__row", "district_id"]).drop_duplicates("__row")
        district.iloc[first["__row"].to_numpy()] = first["district_id"].to_numpy()
        location.iloc[first["__row"].to_numpy()] = "district"
    return district, location


def locate_points(frame: pd.DataFrame, spec: TableSpec,
                  layers: Mapping[str, gpd.GeoDataFrame]) -> tuple[Placed, list[RowProblem], gpd.GeoSeries]:
    """Each row's district and location in every layer, the problems, and the points themselves."""
    points, problems = read_points(frame, spec)
    placed = {layer: assign(points, districts) for layer, districts in layers.items()}
    inside_any = np.zeros(len(frame), dtype=bool)
    for _, location in placed.values():
        inside_any |= location.eq("district").to_numpy()
    values = points.to_numpy()
    outside = ~(shapely.is_missing(values) | shapely.is_empty(values)) & ~inside_any
    column = spec.column("geometry") or f"{spec.column('lon')}, {spec.column('lat')}"
    rows = frame["source_row"].to_numpy()
    problems += [RowProblem(spec.display_name, int(rows[i]), column, points.iat[i].wkt,
                            "lies outside every district; its money is counted as 'no location'")
                 for i in np.flatnonzero(outside)]
    return placed, problems, points
