"""Exports of a map (CSV, Excel, GeoJSON): the map's own rows, exact money, no formulas."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import shapely
from shapely.geometry import shape

from budgetmap import exports
from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.mapspec import MapSpec
from budgetmap.reconcile import reconciliation_line
from budgetmap.view import SpendingView
from conftest import HOSTILE_NAMES
from budgetmap.model import Reconciliation

FORMULA_NAMES = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1",
                 "\n=1", '=1+2";=1+2', "-$5 & <b>x</b>"]
ALL_HOSTILE = HOSTILE_NAMES + FORMULA_NAMES
ROADS_2024 = SpendingView(measure="total", fiscal_year=2024, departments=("Roads",))


def dangerous(text: str) -> bool:
    return text.startswith(exports.FORMULA_STARTS)


def shown(text: str) -> str:
    """What a text cell must hold in a spreadsheet export."""
    return "'" + text if dangerous(text) else text


def read_csv(data: bytes) -> list[list]:
    """Rows as written: QUOTE_NONNUMERIC turns every unquoted field into a float, so a
    number written as text (or text written bare) shows up as the wrong type."""
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads accents"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), quoting=csv.QUOTE_NONNUMERIC))


def sections(rows: list[list]) -> list[list[list]]:
    out: list[list[list]] = [[]]
    for row in rows:
        if row:
            out[-1].append(row)
        else:
            out.append([])
    return out


def hostile_spec(spec: MapSpec, names: list[str]) -> MapSpec:
    """Every text a map carries replaced by hostile strings (names, details, title, notes, legend)."""
    features = tuple(replace(f, name=names[i % len(names)],
                             details=f.details + ((names[(i + 1) % len(names)], names[(i + 2) % len(names)]),))
                     for i, f in enumerate(spec.features))
    return replace(spec, features=features, title=names[0], subtitle=names[1], notes=tuple(names),
                   source=names[2], as_of=names[3], measure_label=names[4],
                   legend=tuple(replace(e, label=names[i % len(names)]) for i, e in enumerate(spec.legend)))


@pytest.fixture
def roads(city):
    """The test city's FY2024 Roads money: district B is -$500.25, $300 citywide."""
    dataset = open_dataset(city())
    spec = MAP_KINDS["spending"](dataset, ROADS_2024)
    return dataset, spec, exports.map_reconciliation(dataset, ROADS_2024, spec)


def test_csv_is_the_maps_rows_with_exact_reconciliation(city):
    dataset = open_dataset(city())
    view = SpendingView(measure="total", fiscal_year=2024)
    spec = MAP_KINDS["spending"](dataset, view)
    about, table, recon = sections(read_csv(exports.to_csv(spec, exports.map_reconciliation(dataset, view, spec))))
    assert about[0] == ["Title", spec.title] and ["As of", ""] in about
    assert ["Reconciliation", spec.reconciliation_text] in about
    assert table[0][:9] == ["district_id", "name", "value", "label", "class", "class_label", "fill", "rank",
                            "pattern"]
    assert table[0][9:] == ["Total spending", "Rank (detail)", "Total", "Population", "Area"]
    by_id = {row[0]: row for row in table[1:]}
    assert list(by_id) == [f.district_id for f in spec.features]
    assert by_id["A"][1:5] == ["Alpha", 1000.5, "$1,000", 0.0] and by_id["A"][7] == 2.0
    assert by_id["C"][2] == "" and by_id["C"][5] == "No data" and by_id["C"][7] == ""
    # hand-checked: $2,847.35 = $2,500.25 + $300.00 + $7.00 (Z9) + $40.10 (no district)
    assert recon == [["part", "amount", "cents"], ["Total", 2847.35, 284735.0], ["In districts", 2500.25, 250025.0],
                     ["Citywide", 300.0, 30000.0], ["With an unknown district", 7.0, 700.0],
                     ["With no location", 40.1, 4010.0]]


def test_every_export_reproduces_the_reconciliation_line_to_the_cent(roads):
    dataset, spec, rec = roads
    assert spec.reconciliation_text.startswith("Total -$200.25 = -$500.25 in districts + $300.00 citywide")
    *_, recon = sections(read_csv(exports.to_csv(spec, rec)))
    csv_cents = {row[0]: int(row[2]) for row in recon[1:]}
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(spec, rec)))
    xlsx_cents = {r[0]: r[2] for r in book["Reconciliation"].iter_rows(min_row=2, max_row=6, values_only=True)}
    parts = json.loads(exports.to_geojson(spec, dataset.districts, rec))["metadata"]["reconciliation"]["parts"]
    geo_cents = {p["part"]: p["cents"] for p in parts}
    for found in (csv_cents, xlsx_cents, geo_cents):
        rebuilt = Reconciliation("USD", found["Total"], found["In districts"], found["Citywide"],
                                 found["With an unknown district"], found["With no location"])
        assert rebuilt == spec.reconciliation and reconciliation_line(rebuilt) == spec.reconciliation_text
    assert {p["part"]: p["amount"] for p in parts}["In districts"] == -500.25


def test_a_reconciliation_that_is_not_the_maps_is_refused(roads, city):
    dataset, spec, rec = roads
    with pytest.raises(ValueError, match="pass its Reconciliation"):
        exports.to_csv(spec)
    with pytest.raises(ValueError, match="does not match"):
        exports.to_csv(spec, replace(rec, citywide=rec.citywide + 1, input_total=rec.input_total + 1))
    target = replace(spec, reconciliation=None)  # a map without a line exports without one
    assert len(sections(read_csv(exports.to_csv(target)))) == 2
    with pytest.raises(ValueError):
        exports.to_xlsx(target, rec)


def test_csv_neutralises_text_but_keeps_negative_numbers(roads):
    dataset, spec, rec = roads
    spec = hostile_spec(spec, ALL_HOSTILE)
    rows = read_csv(exports.to_csv(spec, rec))
    texts = [c for row in rows for c in row if isinstance(c, str)]
    assert not [t for t in texts if dangerous(t)]
    for name in ALL_HOSTILE:
        assert shown(name) in texts, name
    about, table, recon = sections(rows)
    assert [row[1] for row in table[1:]] == [shown(f.name) for f in spec.features]
    by_id = {row[0]: row for row in table[1:]}
    assert by_id["B"][2] == -500.25 and by_id["B"][3] == "'-$500", "value a number, its text quoted"
    assert recon[1] == ["Total", -200.25, -20025.0]


def test_loaded_formula_names_are_neutralised_in_both_spreadsheets(city):
    names = ["=1+1", "-2", "@SUM(A1)", "+cmd|' /C calc'!A0"]
    dataset = open_dataset(city(names=names))
    view = SpendingView(measure="total", fiscal_year=2024)
    spec = MAP_KINDS["spending"](dataset, view)
    rec = exports.map_reconciliation(dataset, view, spec)
    _, table, _ = sections(read_csv(exports.to_csv(spec, rec)))
    assert [row[1] for row in table[1:]] == ["'" + n for n in names]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(spec, rec)))["Map"]
    cells = [r[1] for r in sheet.iter_rows() if r[0].value in set("ABCD")]
    assert [c.value for c in cells] == ["'" + n for n in names] and {c.data_type for c in cells} == {"s"}


def test_xlsx_has_no_formula_and_prefixes_text(roads):
    dataset, spec, rec = roads
    spec = hostile_spec(spec, ALL_HOSTILE + ["bell\x07"])
    data = exports.to_xlsx(spec, rec)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Map", "Reconciliation"]
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [t for t in texts if dangerous(t)]
    for name in ALL_HOSTILE:  # XML reads a CR as a line feed (XML 1.0, 2.11): the quote stays first
        assert shown(name).replace("\r", "\n") in texts, name
    assert "bell\ufffd" in texts, "control characters XML cannot hold are replaced, not fatal"
    sheet = book["Map"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "district_id")
    b_row = next(r for r in sheet.iter_rows(min_row=header[0].row) if r[0].value == "B")
    assert b_row[2].value == -500.25 and b_row[2].data_type == "n"
    assert sheet.freeze_panes == f"C{header[0].row + 1}"
    assert book["Reconciliation"]["B2"].value == -200.25 and book["Reconciliation"]["B2"].number_format == "#,##0.00"


def test_geojson_keeps_text_exact_with_district_shapes(roads):
    dataset, spec, rec = roads
    spec = hostile_spec(spec, ALL_HOSTILE)
    collection = json.loads(exports.to_geojson(spec, dataset.districts, rec))
    assert collection["type"] == "FeatureCollection" and collection["metadata"]["title"] == ALL_HOSTILE[0]
    assert collection["metadata"]["notes"] == ALL_HOSTILE, "GeoJSON text is exact: not a spreadsheet"
    shapes = dict(zip(dataset.districts["district_id"], dataset.districts.geometry))
    for feature, style in zip(collection["features"], spec.features, strict=True):
        props = feature["properties"]
        assert props["name"] == style.name and props["fill"] == style.fill and props["class"] == style.class_index
        assert props["value"] == style.value and isinstance(props["name"], str)
        assert shapely.equals_exact(shape(feature["geometry"]), shapes[style.district_id], 1e-12)
    assert {f["id"]: f["properties"]["value"] for f in collection["features"]}["B"] == -500.25


def test_geojson_of_a_projected_frame_is_wgs84(roads):
    dataset, spec, rec = roads
    projected = dataset.districts.to_crs("EPSG:32633")
    collection = json.loads(exports.to_geojson(spec, projected, rec))
    lon, lat = shape(collection["features"][0]["geometry"]).centroid.coords[0]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_demo_maps_export_one_row_per_district(demo_manifest: Path):
    dataset = open_dataset(demo_manifest)
    view = SpendingView(measure="per_capita", fiscal_year=2025, classes_from=2021)
    spending = MAP_KINDS["spending"](dataset, view)
    rec = exports.map_reconciliation(dataset, view, spending)
    target = MAP_KINDS["target"](dataset, SpendingView(indicator="pavement_busy_good_fair", fiscal_year=2025))
    for spec, r in ((spending, rec), (target, None)):
        _, table, *rest = sections(read_csv(exports.to_csv(spec, r)))
        assert [row[0] for row in table[1:]] == [f.district_id for f in spec.features]
        assert all(row[5] for row in table[1:]), "every district's legend entry is named"
        assert len(rest) == (1 if r else 0)
        book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(spec, r)))
        assert book.sheetnames == (["Map", "Reconciliation"] if r else ["Map"])
        geo = json.loads(exports.to_geojson(spec, dataset.districts, r))
        assert len(geo["features"]) == len(spec.features) == 31
        assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])


def test_file_names_are_plain():
    spec = MapSpec(title='<img src=x> ../../"Per résident" — =cmd|', subtitle="", measure_label="",
                   features=(), legend=())
    assert exports.export_name(spec, "xlsx") == "img-src-x-per-resident-cmd.xlsx"
    assert exports.export_name(replace(spec, title="—"), ".csv") == "budgetmap-map.csv"
