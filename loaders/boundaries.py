"""Read district boundaries from any GDAL vector format and make them safe to map.

Reprojection happens here, at the boundary: everything past this module is
EPSG:4326. Invalid rings are repaired with shapely and reported; a file whose
coordinates are plainly projected but that declares no CRS is refused, because
guessing a CRS puts the city in the ocean without telling anyone.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from loaders.joins import clean_keys
from loaders.manifest import TableSpec
from loaders.problems import LoadError, RowProblem
from budgetmap.model import TableReport
from loaders.tables import require_columns

EQUAL_AREA = "EPSG:6933"
POLYGONAL = {"Polygon", "MultiPolygon"}


def _read(spec: TableSpec) -> gpd.GeoDataFrame:
    if spec.url is not None:
        from loaders.postgis import read_sql_boundaries  # only database users pay for psycopg

        return read_sql_boundaries(spec)
    assert spec.path is not None
    if not spec.path.exists():
        raise LoadError(f"{spec.display_name}: file not found ({spec.path})")
    layer = spec.options.get("layer")
    try:
        return gpd.read_file(spec.path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several DataSource errors
        raise LoadError(f"{spec.display_name}: cannot be read as boundaries ({exc})") from None


def _looks_geographic(frame: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = frame.total_bounds
    return bool(-180.5 <= minx and maxx <= 180.5 and -90.5 <= miny and maxy <= 90.5)


def _set_crs(frame: gpd.GeoDataFrame, spec: TableSpec, report: TableReport) -> gpd.GeoDataFrame:
    """Apply the manifest's CRS, or check the file's own one against its coordinates."""
    name = spec.display_name
    wanted = spec.options.get("crs")
    if wanted:
        try:
            crs = CRS.from_user_input(wanted)
        except CRSError:
            raise LoadError(f"{name}: crs '{wanted}' in the manifest is not a known CRS") from None
        return frame.set_crs(crs, allow_override=True)
    if frame.crs is None or frame.crs.is_geographic:
        if not _looks_geographic(frame):
            minx, miny, maxx, maxy = frame.total_bounds
            raise LoadError(
                f"{name}: coordinates look projected (x {minx:,.0f} to {maxx:,.0f}, "
                f"y {miny:,.0f} to {maxy:,.0f}) but the file declares "
                f"{'no CRS' if frame.crs is None else frame.crs.to_string()}; "
                f"set crs = \"EPSG:....\" under [districts] in the manifest")
        if frame.crs is None:
            report.notes.append("no CRS declared; coordinates are longitude/latitude, read as EPSG:4326")
            return frame.set_crs("EPSG:4326")
    return frame


def _repair(frame: gpd.GeoDataFrame, ids: pd.Series, report: TableReport) -> gpd.GeoDataFrame:
    """Make invalid shapes valid, keep only their polygon parts and say which were touched."""
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        geoms = geoms.copy()
        geoms[invalid] = [_polygonal(g) for g in fixed]
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
        listed = ", ".join(ids[invalid].astype(str).tolist()[:10])
        report.notes.append(f"{int(invalid.sum())} invalid geometr{'y' if invalid.sum() == 1 else 'ies'} "
                            f"repaired with shapely.make_valid (district {listed})")
    return frame


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygon parts of a repaired shape (make_valid may add stray lines)."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _reject_unusable(frame: gpd.GeoDataFrame, ids: pd.Series, spec: TableSpec,
                     report: TableReport) -> np.ndarray:
    """Flag rows with no key or no polygon; they cannot be drawn or joined."""
    kinds = frame.geometry.geom_type.fillna("none")
    empty = frame.geometry.isna() | frame.geometry.is_empty
    bad_key = ids.eq("")
    bad_shape = empty | ~kinds.isin(POLYGONAL)
    problems = []
    for pos in np.flatnonzero(bad_key | bad_shape):
        if bad_key.iloc[pos]:
            problems.append(RowProblem(spec.display_name, pos + 1, spec.column("id"), "",
                                       "feature has an empty district key"))
        else:
            problems.append(RowProblem(spec.display_name, pos + 1, "geometry", kinds.iloc[pos],
                                       "feature has no polygon (empty or not an area)"))
    report.add_problems(problems)
    return ~(bad_key | bad_shape).to_numpy()


def _numeric(frame: pd.DataFrame, column: str | None, spec: TableSpec) -> pd.Series:
    if column is None:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    text = frame[column].astype("string").str.replace(",", "", regex=False).str.strip()
    return pd.to_numeric(text, errors="coerce").astype(float)


def read_boundaries(spec: TableSpec) -> tuple[gpd.GeoDataFrame, TableReport]:
    """Return districts (district_id, name, population, area_km2, kept columns, geometry)."""
    frame = _read(spec)
    report = TableReport("districts", spec.display_name, rows_read=len(frame))
    keep = list(spec.options.get("keep", []))
    wanted = {k: v for k, v in spec.columns.items() if k in ("id", "name", "population", "area_km2")}
    require_columns(frame, wanted | {f"keep[{c}]": c for c in keep}, file=spec.display_name,
                    section=spec.section)
    if len(frame) == 0:
        raise LoadError(f"{spec.display_name}: has no features")
    frame = _set_crs(frame, spec, report)
    ids = clean_keys(frame[spec.columns["id"]])
    ok = _reject_unusable(frame, ids, spec, report)
    frame = _repair(frame.loc[ok], ids[ok], report)
    out = gpd.GeoDataFrame({
        "district_id": ids[ok],
        "name": frame[spec.column("name") or spec.columns["id"]].astype("string").fillna("").str.strip(),
        "population": _numeric(frame, spec.column("population"), spec),
        "area_km2": _numeric(frame, spec.column("area_km2"), spec),
        **{c: _numeric(frame, c, spec) for c in keep},
    }, geometry=shapely.force_2d(frame.geometry.values), crs=frame.crs)
    out = _merge_duplicates(out, keep, report).to_crs("EPSG:4326")
    missing_area = out["area_km2"].isna()
    out.loc[missing_area, "area_km2"] = out.loc[missing_area].to_crs(EQUAL_AREA).area / 1e6
    out["name"] = out["name"].where(out["name"] != "", out["district_id"])
    report.rows_used = int(ok.sum())
    return out.reset_index(drop=True), report


def _merge_duplicates(frame: gpd.GeoDataFrame, keep: list[str], report: TableReport) -> gpd.GeoDataFrame:
    """Several features with one key are one district in several pieces: dissolve them."""
    dup = frame["district_id"].duplicated(keep=False)
    if not dup.any():
        return frame
    counts = frame.loc[dup, "district_id"].value_counts()
    sums = {c: "sum" for c in ["population", "area_km2", *keep]}
    merged = frame.dissolve(by="district_id", aggfunc={"name": "first", **sums}, as_index=False)
    for col in sums:  # a sum of all-missing values is unknown, not zero
        known = frame.groupby("district_id")[col].count()
        merged.loc[merged["district_id"].map(known).eq(0).to_numpy(), col] = np.nan
    listed = ", ".join(f"{k} ({v} pieces)" for k, v in counts.items())
    report.notes.append(f"features sharing a key were merged into one district: {listed}")
    return merged
