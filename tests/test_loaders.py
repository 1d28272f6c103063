"""Loaders: boundary formats, CRS checks, repair, spending locations, the report."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from budgetmap.model import SpendingQuery
from pyproj import Geod
from shapely.geometry import Polygon, box

from budgetmap.dataset import open_dataset
from loaders.problems import LoadError



def geodesic_km2(frame: gpd.GeoDataFrame) -> list[float]:
    """Areas on the ellipsoid, computed independently of the loader's equal-area CRS.

    The test city's squares are 1 km in UTM, whose scale factor at the central
    meridian (0.9996) makes them about 1.0008 km² on the ground.
    """
    geod = Geod(ellps="WGS84")
    return [abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in frame.geometry]


def _retarget(manifest: Path, geometry: str, extra: str = "") -> Path:
    text = manifest.read_text().replace('path = "districts.geojson"', f'path = "{geometry}"{extra}')
    manifest.write_text(text)
    return manifest


def _city_as(city, fmt: str) -> Path:
    manifest = city()
    folder = manifest.parent
    frame = gpd.read_file(folder / "districts.geojson")
    if fmt == "shp":
        frame.to_file(folder / "districts.shp")
        return _retarget(manifest, "districts.shp")
    if fmt == "zip":
        frame.to_file(folder / "districts.shp")
        with zipfile.ZipFile(folder / "districts.zip", "w") as zf:
            for part in folder.glob("districts.*"):
                if part.suffix in {".shp", ".shx", ".dbf", ".prj", ".cpg"}:
                    zf.write(part, part.name)
        return _retarget(manifest, "districts.zip")
    if fmt == "gpkg":
        frame.to_file(folder / "districts.gpkg", layer="wards", driver="GPKG")
        return _retarget(manifest, "districts.gpkg", '\nlayer = "wards"')
    if fmt == "topojson":
        arcs, geometries = [], []
        for i, row in frame.iterrows():
            arcs.append([list(c) for c in row.geometry.exterior.coords])
            geometries.append({"type": "Polygon", "arcs": [[i]],
                               "properties": {"code": row["code"], "label": row["label"], "pop": int(row["pop"])}})
        topo = {"type": "Topology", "objects": {"d": {"type": "GeometryCollection", "geometries": geometries}},
                "arcs": arcs}
        (folder / "districts.topojson").write_text(json.dumps(topo))
        return _retarget(manifest, "districts.topojson")
    return manifest


@pytest.mark.parametrize("fmt", ["geojson", "shp", "zip", "gpkg", "topojson"])
def test_every_boundary_format_gives_the_same_districts(city, fmt):
    dataset = open_dataset(_city_as(city, fmt))
    d = dataset.districts.sort_values("district_id")
    assert d["district_id"].tolist() == ["A", "B", "C", "D"]
    assert d.crs.to_epsg() == 4326
    assert d["area_km2"].tolist() == pytest.approx(geodesic_km2(d), rel=1e-4)
    assert d["area_km2"].tolist() == pytest.approx([1.0008] * 4, abs=5e-4)
    assert d["population"].tolist() == [1000, 2000, 0, 4000]


def _projected_geojson(folder: Path, with_crs: bool) -> None:
    features = [{"type": "Feature", "properties": {"code": c, "label": c, "pop": 10},
                 "geometry": json.loads(gpd.GeoSeries([box(500000 + i * 1000, 5e6, 501000 + i * 1000, 5001000)]).to_json())
                 ["features"][0]["geometry"]} for i, c in enumerate("ABCD")]
    data = {"type": "FeatureCollection", "features": features}
    (folder / "districts.geojson").write_text(json.dumps(data))


def test_projected_coordinates_without_a_crs_are_refused(city):
    manifest = city()
    _projected_geojson(manifest.parent, with_crs=False)
    with pytest.raises(LoadError) as err:
        open_dataset(manifest)
    assert "districts.geojson" in str(err.value) and "set crs" in str(err.value)


def test_manifest_crs_reprojects_to_lon_lat(city):
    manifest = _retarget(city(), "districts.geojson", '\ncrs = "EPSG:32633"')
    _projected_geojson(manifest.parent, with_crs=False)
    d = open_dataset(manifest).districts
    minx, miny, maxx, maxy = d.total_bounds
    assert 14 < minx < maxx < 16 and 45 < miny < maxy < 46  # UTM 33N, around 15°E 45°N
    assert d["area_km2"].tolist() == pytest.approx(geodesic_km2(d), rel=1e-4)


def test_invalid_geometry_is_repaired_and_reported(city):
    manifest = city()
    bowtie = Polygon([(15.0, 45.0), (15.01, 45.01), (15.01, 45.0), (15.0, 45.01), (15.0, 45.0)])
    frame = gpd.read_file(manifest.parent / "districts.geojson")
    frame.loc[0, "geometry"] = bowtie
    frame.to_file(manifest.parent / "districts.geojson")
    dataset = open_dataset(manifest)
    assert dataset.districts.is_valid.all()
    notes = dataset.report.table("districts").notes
    assert any("repaired" in n and "A" in n for n in notes)


def test_features_sharing_a_key_are_merged_and_reported(city):
    manifest = city()
    frame = gpd.read_file(manifest.parent / "districts.geojson")
    frame.loc[1, "code"] = "A"
    frame.to_file(manifest.parent / "districts.geojson")
    dataset = open_dataset(manifest)
    assert sorted(dataset.districts["district_id"]) == ["A", "C", "D"]
    merged = dataset.districts.set_index("district_id").loc["A"]
    assert merged["population"] == 3000 and merged["area_km2"] == pytest.approx(2.0016, abs=1e-3)
    assert any("A (2 pieces)" in n for n in dataset.report.table("districts").notes)


def test_spending_locations_and_negative_amounts(city):
    dataset = open_dataset(city())
    s = dataset.line_items(SpendingQuery(), limit=10**9)
    assert s.loc[s["raw_district"] == "Citywide", "location"].tolist() == ["citywide"]
    assert s.loc[s["raw_district"] == "", "location"].tolist() == ["no_location"]
    assert s.loc[s["raw_district"] == "Z9", "location"].tolist() == ["unmatched"]
    assert -50025 in s["actual_cents"].tolist(), "parenthesised negatives are kept"
    rec = dataset.report.reconciliation
    assert rec.balanced and rec.input_total == 100050 + 200000 - 50025 + 30000 + 4010 + 700 + 90000 + 0


def test_rejected_rows_are_listed_and_their_money_counted(city):
    spending = ("year,district,dept,program,fund,cost\n"
                "2024,A,Parks,Trees,General,100\n"
                "someday,B,Parks,Trees,General,250\n"
                "2024,B,Parks,Trees,General,12x\n")
    dataset = open_dataset(city(spending=spending))
    problems = dataset.report.table("spending").problems
    assert {(p.row, p.column) for p in problems} >= {(3, "year"), (4, "cost")}
    rec = dataset.report.reconciliation
    assert rec.rejected == 25000 and rec.input_total == 35000 and rec.balanced


def test_wide_table_one_column_per_year(city):
    spending = ("Bureau,ward,FY 2015-16,FY 2014-15\n"
                "Parks,A,\"1,000\",(20)\n"
                "Roads,B,0,300.10\n"
                "Water,C,,12x\n")
    manifest = city(spending=spending)
    text = manifest.read_text()
    text = text[:text.index("[spending]")] + ('[spending]\npath = "spending.csv"\ndistrict = "ward"\n'
                                              'years = ["FY 2015-16", "FY 2014-15"]\ndepartment = "Bureau"\n')
    manifest.write_text(text)
    dataset = open_dataset(manifest)
    s = dataset.line_items(SpendingQuery(), limit=10**9).sort_values(["raw_district", "fiscal_year"])
    assert s[["raw_district", "fiscal_year", "actual_cents"]].values.tolist() == [
        ["A", 2015, -2000], ["A", 2016, 100000], ["B", 2015, 30010], ["B", 2016, 0]]
    assert dataset.report.reconciliation.input_total == 100000 - 2000 + 30010
    problem = dataset.report.table("spending").problems[0]
    assert (problem.row, problem.column, problem.value) == (4, "FY 2014-15", "12x")


@pytest.mark.parametrize("text,message", [
    ('name = "x"\n', "needs a [districts] table"),
    ('[districts]\npath = "d.geojson"\nid = "code"\ncolour = "red"\n', "unknown key 'colour'"),
    ('[districts\n', "not valid TOML"),
    ('[districts]\npath = "missing.geojson"\nid = "code"\n', "file not found"),
])
def test_manifest_mistakes_are_named(tmp_path, text, message):
    manifest = tmp_path / "bad.toml"
    manifest.write_text(text)
    with pytest.raises(LoadError, match="bad.toml|missing.geojson") as err:
        open_dataset(manifest)
    assert message in str(err.value)


def test_missing_column_names_the_manifest_key(city):
    manifest = city()
    manifest.write_text(manifest.read_text().replace('amount = "cost"', 'amount = "Cost"'))
    with pytest.raises(LoadError) as err:
        open_dataset(manifest)
    assert "spending.csv" in str(err.value) and "'Cost'" in str(err.value) and "cost" in str(err.value)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_row_with_a_blank_year_is_listed_with_its_row_and_column(tmp_path, engine):
    from devtools.testcity import write_grid_city
    from loaders.dataset import load_dataset

    manifest = write_grid_city(tmp_path, ["A", "B"], ["a", "b"],
                               [("2024", "A", "100"), ("", "B", "50"), ("FY2x", "B", "9"), ("2024", "B", "7")])
    manifest.write_text(f'engine = "{engine}"\n' + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    dataset = load_dataset(manifest)
    spending = next(t for t in dataset.report.tables if t.table == "spending")
    listed = [(p.row, p.column, p.reason.split(";")[0]) for p in spending.problems]
    assert (3, "year", "row has no fiscal year") in listed
    assert [row for row, _, _ in listed] == [3, 4]
    assert dataset.report.reconciliation.rejected == 5900
    assert dataset.engine == engine
