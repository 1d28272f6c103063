"""Boundaries and points that are broken or contradict their CRS."""
from __future__ import annotations

from pathlib import Path

from corpus import case
from corpus.city import (BASE_TOTAL, DISTRICTS, IDS, NAMES, POPS, cents, csv_text, districts_geojson,
                         feature, polygon, square, write_city)

CHICAGO = (-87.63, 41.88)


def _features(geometries: dict[int, dict | None] | None = None, ids: dict[int, str] | None = None,
              **square_at: float) -> list[dict]:
    geometries, ids = geometries or {}, ids or {}
    return [feature({"id": ids.get(k, i), "name": n, "pop": p},
                    geometries[k] if k in geometries else polygon(square(k, **square_at)))
            for k, (i, n, p) in enumerate(zip(IDS, NAMES, POPS))]


def _city(folder: Path, features: list[dict], **parts: str) -> Path:
    return write_city(folder, files={"districts.geojson": districts_geojson(features)}, **parts)


@case("geometry_all_null", 2, file="districts.geojson", says=("no feature", "geometry"))
def _all_null(folder: Path) -> Path:
    return _city(folder, _features({k: None for k in range(4)}))


@case("geometry_all_points", 2, file="districts.geojson", says=("no feature", "row 1", "Point"))
def _all_points(folder: Path) -> Path:
    return _city(folder, _features({k: {"type": "Point", "coordinates": [-122.6, 45.5]} for k in range(4)}))


@case("geometry_all_blank_ids", 2, file="districts.geojson", says=("no feature", "row 1", "'id'"))
def _all_blank(folder: Path) -> Path:
    return _city(folder, _features(ids={k: "  " for k in range(4)}))


# C has one spending row (0.00), D none: rejecting either keeps every dollar where it was.
@case("geometry_one_null", 0, total=BASE_TOTAL, says=("districts.geojson, row 4", "no polygon"))
def _one_null(folder: Path) -> Path:
    return _city(folder, _features({3: None}))


@case("geometry_one_point", 0, total=BASE_TOTAL, says=("row 4", "'Point'"))
def _one_point(folder: Path) -> Path:
    return _city(folder, _features({3: {"type": "Point", "coordinates": [-122.6, 45.5]}}))


@case("geometry_one_empty", 0, total=BASE_TOTAL, says=("row 4", "no polygon"))
def _one_empty(folder: Path) -> Path:
    return _city(folder, _features({3: polygon([])}))


@case("geometry_one_blank_id", 0, total=BASE_TOTAL, says=("row 4", "column 'id'", "empty district key"))
def _one_blank(folder: Path) -> Path:
    return _city(folder, _features(ids={3: ""}))


@case("geometry_nan_coordinate", 0, total=BASE_TOTAL, says=("row 4", "coordinates"))
def _nan(folder: Path) -> Path:
    ring = square(3)
    ring[0][2] = [float("nan"), 45.53]
    return _city(folder, _features({3: polygon(ring)}))


@case("geometry_huge_coordinate", 0, total=BASE_TOTAL, says=("row 4", "coordinates"))
def _huge(folder: Path) -> Path:
    ring = square(3)
    ring[0][2] = [1e308, 45.53]
    return _city(folder, _features({3: polygon(ring)}))


@case("geometry_bowtie_repaired", 0, total=BASE_TOTAL, says=("repaired",))
def _bowtie(folder: Path) -> Path:
    x, y, s = -122.67, 45.53, 0.01
    ring = [[[x, y], [x + s, y + s], [x + s, y], [x, y + s], [x, y]]]
    return _city(folder, _features({3: polygon(ring)}))


@case("geometry_zero_area", 0, total=BASE_TOTAL, says=("row 4", "no area"))
def _flat(folder: Path) -> Path:
    x, y = -122.67, 45.53
    return _city(folder, _features({3: polygon([[[x, y], [x + 0.01, y], [x + 0.02, y], [x, y]]])}))


@case("geometry_pieces_merged", 0, total=BASE_TOTAL, says=("merged", "2 pieces"))
def _pieces(folder: Path) -> Path:
    return _city(folder, _features(ids={3: "C"}))


@case("geometry_swapped_lon_lat", 2, file="districts.geojson", says=("latitude -87.6", "swapped", "longitude first"))
def _swapped(folder: Path) -> Path:
    features = _features(lon=CHICAGO[0], lat=CHICAGO[1])
    for f in features:
        f["geometry"]["coordinates"] = [[[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]]
    return _city(folder, features)


@case("geometry_swapped_portland", 2, file="districts.geojson", says=("swapped",))
def _swapped_portland(folder: Path) -> Path:
    features = _features()
    for f in features:
        f["geometry"]["coordinates"] = [[[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]]
    return _city(folder, features)


@case("geometry_lonlat_declared_3857", 2, file="districts.geojson", says=("EPSG:3857", "crs", "m²"))
def _declared_3857(folder: Path) -> Path:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    return write_city(folder, files={"districts.geojson": districts_geojson(_features(), crs=crs)})


@case("geometry_manifest_crs_wrong", 2, file="districts.geojson", says=("EPSG:2913", "crs", "m²"))
def _wrong_crs(folder: Path) -> Path:
    return write_city(folder, districts=DISTRICTS + 'crs = "EPSG:2913"\n')


@case("geometry_feet_declared_4326", 2, file="districts.geojson", says=("EPSG:4326", "projected", "crs"))
def _feet(folder: Path) -> Path:
    features = _features(lon=7_640_000, lat=680_000, step=3000)
    return _city(folder, features, districts=DISTRICTS + 'crs = "EPSG:4326"\n')


@case("geometry_projected_without_crs", 2, file="districts.geojson", says=("projected", "crs = "))
def _projected(folder: Path) -> Path:
    return _city(folder, _features(lon=525_000, lat=5_040_000, step=1000))


@case("geometry_projected_with_crs", 0, total=BASE_TOTAL)
def _projected_ok(folder: Path) -> Path:
    return _city(folder, _features(lon=525_000, lat=5_040_000, step=1000), districts=DISTRICTS + 'crs = "EPSG:32610"\n')


@case("geometry_unknown_crs", 2, file="districts.geojson", says=("'EPSG:99999'", "crs"))
def _unknown_crs(folder: Path) -> Path:
    return write_city(folder, districts=DISTRICTS + 'crs = "EPSG:99999"\n')


@case("geometry_empty_collection", 2, file="districts.geojson", says=("no features",))
def _no_features(folder: Path) -> Path:
    return _city(folder, [])


@case("geometry_hostile_names", 0, total=BASE_TOTAL)
def _hostile(folder: Path) -> Path:
    features = _features()
    for f, name in zip(features, ["<img src=x onerror=alert(1)>", "`${alert(2)}`", "[x](javascript:y)", "$5 & $9"]):
        f["properties"]["name"] = name
    return _city(folder, features)


POINTS = """[spending]
path = "projects.csv"
lon = "x"
lat = "y"
year = "year"
amount = "amount"
"""
_POINT_ROWS = [("2024", "-122.675", "45.525", "100"), ("2024", "nan", "45.525", "20.5"),
               ("2024", "inf", "45.525", "3"), ("2024", "45.525", "-122.675", "4"),
               ("2024", "", "", "5.25"), ("2024", "-122.60", "45.60", "1e3")]


@case("points_bad_coordinates", 0, total=cents(a for *_, a in _POINT_ROWS),
      says=("projects.csv, row 3", "column 'x, y'", "row 5", "row 7", "outside every district"))
def _points(folder: Path) -> Path:
    return write_city(folder, spending=POINTS,
                      files={"projects.csv": csv_text(("year", "x", "y", "amount"), _POINT_ROWS)})


@case("points_projected_inf", 0, total=cents(a for *_, a in _POINT_ROWS[:5]) + 100000, says=("row 4", "coordinates"))
def _points_projected(folder: Path) -> Path:
    rows = [("2024", "525500", "5040500", "100"), ("2024", "nan", "5040500", "20.5"),
            ("2024", "inf", "5040500", "3"), ("2024", "-inf", "1e308", "4"), ("2024", "", "", "5.25"),
            ("2024", "526500", "5041500", "1e3")]
    return write_city(folder, spending=POINTS + 'crs = "EPSG:32610"\n',
                      files={"projects.csv": csv_text(("year", "x", "y", "amount"), rows)})


@case("points_wkt_odd", 0, total=100 * (1 + 2 + 3 + 4) + 500,
      says=("row 4, column 'wkt'", "row 5, column 'wkt'", "WKT point"))
def _wkt(folder: Path) -> Path:
    rows = [("2024", "POINT (-122.675 45.525)", "1"), ("2024", "POINT EMPTY", "2"), ("2024", "POINT (nan nan)", "3"),
            ("2024", "LINESTRING (0 0, 1 1)", "4"), ("2024", "POINT (-122.665 45.535)", "5")]
    spending = '[spending]\npath = "projects.csv"\ngeometry = "wkt"\nyear = "year"\namount = "amount"\n'
    return write_city(folder, spending=spending, files={"projects.csv": csv_text(("year", "wkt", "amount"), rows)})
