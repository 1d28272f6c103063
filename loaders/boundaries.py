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

from budgetmap.model import SHORT_NAME, TableReport
from loaders.files import MAX_WHOLE_READ_BYTES, quiet, regular_file
from loaders.georef import EQUAL_AREA, check_placed, set_crs
from loaders.gis import choose_layer, failure
from loaders.joins import clean_keys
from loaders.keyrules import FILE_COLUMN
from loaders.manifest import TableSpec
from loaders.problems import LoadError, RowProblem
from loaders.tables import require_columns
from loaders.values import MAX_MEASURE, parse_counts

POLYGONAL = {"Polygon", "MultiPolygon"}
#: Formats read as boundaries (GDAL reads more, but a CSV read as "boundaries" has no shapes).
BOUNDARY_SUFFIXES = (".geojson", ".json", ".topojson", ".gpkg", ".shp", ".zip", ".fgb", ".kml", ".gml")
#: No CRS has coordinates this far out: a number beyond it is a broken file, not a place.
MAX_COORDINATE = 1e10


def _read(spec: TableSpec, notes: list[str]) -> gpd.GeoDataFrame:
    if spec.url is not None:
        from loaders.postgis import read_sql_boundaries  # only database users pay for psycopg

        return read_sql_boundaries(spec)
    assert spec.path is not None
    name, section = spec.display_name, spec.section
    if spec.path.suffix.lower() not in BOUNDARY_SUFFIXES:
        raise LoadError(f"{name}: cannot read boundaries from '{spec.path.suffix}' files; point path under "
                        f"[{section}] at GeoJSON, a shapefile (.shp or .zip), a GeoPackage or TopoJSON")
    regular_file(spec.path, name, fix=f"point path under [{section}] at the boundary file "
                                      "(relative to the manifest's folder)",
                 limit=MAX_WHOLE_READ_BYTES, too_big="simplify the boundaries (fewer vertices) or split the file")
    with quiet(notes, name=name, path=spec.path):
        layer = choose_layer(spec.path, name, spec.options.get("layer"), "layer", section)
        try:
            return gpd.read_file(spec.path, layer=layer, engine="pyogrio")
        except Exception as exc:  # pyogrio raises several DataSource errors
            raise failure(exc, spec.path, name) from None


def _repair(frame: gpd.GeoDataFrame, ids: pd.Series, spec: TableSpec,
            report: TableReport) -> tuple[gpd.GeoDataFrame, list[RowProblem]]:
    """Make invalid shapes valid, keep only their polygon parts and say which were touched.

    A shape whose repair leaves no area (a ring along a line) is a problem, not a district.
    """
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return frame, []
    geoms = geoms.copy()
    geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    gone = invalid & shapely.is_empty(geoms)
    problems = [RowProblem(spec.display_name, int(frame.index[pos]) + 1, "geometry", "",
                           "feature has no area (its outline encloses nothing, so repairing it leaves nothing); "
                           "draw its boundary or remove the feature") for pos in np.flatnonzero(gone)]
    fixed = invalid & ~gone
    if fixed.any():
        listed = ", ".join(ids[fixed].astype(str).tolist()[:10])
        report.notes.append(f"{int(fixed.sum())} invalid geometr{'y' if fixed.sum() == 1 else 'ies'} "
                            f"repaired with shapely.make_valid (district {listed})")
    return frame, problems


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygon parts of a repaired shape (make_valid may add stray lines)."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _unusable(frame: gpd.GeoDataFrame, ids: pd.Series, spec: TableSpec) -> tuple[np.ndarray, list[RowProblem]]:
    """Rows with no key, or no polygon with finite coordinates: they cannot be drawn or joined."""
    geoms = frame.geometry.values
    kinds = frame.geometry.geom_type.fillna("none")
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    wild = np.zeros(len(frame), dtype=bool)
    np.logical_or.at(wild, owner, ~(np.isfinite(coords) & (np.abs(coords) < MAX_COORDINATE)).all(axis=1))
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    not_area = ~kinds.isin(POLYGONAL).to_numpy()
    bad_key = ids.eq("").to_numpy()
    problems = []
    name, id_column = spec.display_name, spec.column("id")
    for pos in np.flatnonzero(bad_key | missing | not_area | wild):
        row = int(pos) + 1
        if bad_key[pos]:
            problems.append(RowProblem(name, row, id_column, "", "feature has an empty district key; give it "
                                       "one or remove the feature"))
        elif missing[pos]:
            problems.append(RowProblem(name, row, "geometry", "", "feature has no polygon (its geometry is "
                                       "empty or null); draw its boundary or remove the feature"))
        elif not_area[pos]:
            problems.append(RowProblem(name, row, "geometry", str(kinds.iat[pos]), "is not an area; a district "
                                       "needs a Polygon or MultiPolygon"))
        else:
            problems.append(RowProblem(name, row, "geometry", "", "feature has coordinates that are not finite "
                                       "numbers (NaN, infinite or beyond any map); fix them or remove the feature"))
    return ~(bad_key | missing | not_area | wild), problems


def _numeric(frame: pd.DataFrame, column: str | None, spec: TableSpec,
             problems: list[RowProblem]) -> pd.Series:
    """A number column (area, kept weights): not a finite number, or beyond any measure, is NaN and a problem."""
    if column is None:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    text = frame[column].astype("string").fillna("").str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(text, errors="coerce").astype(float)
    wild = numbers.notna() & ~(np.isfinite(numbers) & (numbers.abs() <= MAX_MEASURE))
    problems += [RowProblem(spec.display_name, int(r) + 1, column, t, "is not a finite number; it is left blank")
                 for r, t in zip(frame.index[wild.to_numpy()], text[wild])]
    return numbers.where(~wild)


def _population(frame: pd.DataFrame, spec: TableSpec, problems: list[RowProblem]) -> pd.Series:
    column = spec.column("population")
    if column is None:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    counts, found = parse_counts(frame[column], file=spec.display_name, column=column,
                                 rows=np.asarray(frame.index) + 1)
    problems += found
    return counts


def _no_feature(spec: TableSpec, problems: list[RowProblem]) -> LoadError:
    shown = "; ".join(str(p).removeprefix(f"{spec.display_name}, ") for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return LoadError(f"{spec.display_name}: no feature can be used as a district: {shown}{more}; each feature "
                     f"needs a polygon and a key in column '{spec.column('id')}'",
                     problems[0] if problems else None)


def read_boundaries(spec: TableSpec) -> tuple[gpd.GeoDataFrame, TableReport]:
    """Return districts (district_id, name, population, area_km2, kept columns, geometry)."""
    notes: list[str] = []
    frame = _read(spec, notes).reset_index(drop=True)
    report = TableReport("districts", spec.display_name, rows_read=len(frame))
    report.notes.extend(notes)
    keep = list(spec.options.get("keep", []))
    wanted = {k: v for k, v in spec.columns.items() if k in ("id", "name", "population", "area_km2")}
    if len(frame) == 0:
        raise LoadError(f"{spec.display_name}: has no features; point path under [{spec.section}] at the file "
                        "that holds the district boundaries")
    require_columns(frame, wanted | spec.listed_columns() | {f"keep[{c}]": c for c in keep},
                    file=spec.display_name, section=spec.section)
    ids = clean_keys(frame[spec.columns["id"]])
    ok, problems = _unusable(frame, ids, spec)
    if not ok.any():
        raise _no_feature(spec, problems)
    cells: list[RowProblem] = []
    with quiet(report.notes, name=spec.display_name):
        kept = frame.loc[ok]
        used = set_crs(kept, spec, report)
        used, repaired_away = _repair(used, ids[ok], spec, report)
        problems += repaired_away
        out = gpd.GeoDataFrame({
            "district_id": ids[ok],
            **_names(kept, spec),
            "population": _population(kept, spec, cells),
            "area_km2": _numeric(kept, spec.column("area_km2"), spec, cells),
            **{c: _numeric(kept, c, spec, cells) for c in keep},
            **_file_columns(kept, [spec.column("population"), spec.column("area_km2"), *keep]),
        }, geometry=shapely.force_2d(used.geometry.values), crs=used.crs)
        out = out[~out.geometry.is_empty]
        if out.empty:
            raise _no_feature(spec, problems)
        placed = _merge_duplicates(out, keep, report).to_crs("EPSG:4326")
        check_placed(out, placed, spec)
        missing_area = placed["area_km2"].isna()
        placed.loc[missing_area, "area_km2"] = placed.loc[missing_area].to_crs(EQUAL_AREA).area / 1e6
    placed["name"] = placed["name"].where(placed["name"] != "", placed["district_id"])
    report.add_problems(sorted(problems + cells, key=lambda p: p.row or 0))
    report.rows_used = int(ok.sum()) - len(repaired_away)
    return placed.reset_index(drop=True), report


def _names(frame: pd.DataFrame, spec: TableSpec) -> dict[str, pd.Series]:
    """The label column, or several joined by ", " with blank parts skipped ("Washington, Oregon").

    With several, the first one is kept too (``SHORT_NAME``): "Washington" is what
    people type, and it must find its district or list the candidates.
    """
    columns = spec.columns_of("name") or (spec.columns["id"],)
    parts = [frame[c].astype("string").fillna("").str.strip() for c in columns]
    if len(parts) == 1:
        return {"name": parts[0]}
    joined = pd.Series([", ".join(p for p in row if p) for row in zip(*parts)], index=frame.index, dtype="string")
    return {"name": joined, SHORT_NAME: parts[0]}


def _file_columns(frame: pd.DataFrame, measures: list[str | None]) -> dict[str, pd.Series]:
    """The file's text and whole-number columns as trimmed text, for join rules (``match_on``, ``match_also``).

    Kept under ``FILE_COLUMN`` + their name, so a file column called "name" never
    stands in for the model's; measures (floats, and the columns the manifest reads
    as population, area or kept weights) are left out: a key is never a head count.
    """
    out = {}
    for column in frame.columns:
        if column == frame.geometry.name or not isinstance(column, str) or column in measures:
            continue
        values = frame[column]
        if pd.api.types.is_float_dtype(values) or pd.api.types.is_bool_dtype(values) or \
                pd.api.types.is_datetime64_any_dtype(values):
            continue
        out[f"{FILE_COLUMN}{column}"] = clean_keys(values)
    return out


def _merge_duplicates(frame: gpd.GeoDataFrame, keep: list[str], report: TableReport) -> gpd.GeoDataFrame:
    """Several features with one key are one district in several pieces: dissolve them."""
    dup = frame["district_id"].duplicated(keep=False)
    if not dup.any():
        return frame
    counts = frame.loc[dup, "district_id"].value_counts()
    sums = {c: "sum" for c in ["population", "area_km2", *keep]}
    texts = {c: "first" for c in ("name", SHORT_NAME) if c in frame.columns}
    firsts = {c: "first" for c in frame.columns if isinstance(c, str) and c.startswith(FILE_COLUMN)}
    merged = frame.dissolve(by="district_id", aggfunc={**texts, **firsts, **sums}, as_index=False)
    for col in sums:  # a sum of all-missing values is unknown, not zero
        known = frame.groupby("district_id")[col].count()
        merged.loc[merged["district_id"].map(known).eq(0).to_numpy(), col] = np.nan
    listed = ", ".join(f"{k} ({v} pieces)" for k, v in counts.items())
    report.notes.append(f"features sharing a key were merged into one district: {listed}")
    return merged
