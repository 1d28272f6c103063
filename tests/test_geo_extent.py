"""Counties-size correctness: layers across the antimeridian, far-flung groups as insets, thin outlines."""
from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PIL import Image
from shapely.geometry import MultiPolygon, box

from budgetmap import geo_extent
from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.render.page import layout
from budgetmap.render.static import interior_points, render
from budgetmap.view import SpendingView
from devtools.testcity import simple_manifest

DPI = 150


def _grid(x0: float, y0: float, nx: int, ny: int, d: float) -> list:
    return [box(x0 + i * d, y0 + j * d, x0 + (i + 1) * d, y0 + (j + 1) * d) for i in range(nx) for j in range(ny)]


def _counties() -> tuple[gpd.GeoDataFrame, dict[str, slice]]:
    """A counties-like layer: 48 states, Alaska with an Aleutian chain across 180°, Hawaii, Puerto Rico."""
    main = _grid(-125, 25, 29, 12, 2.0)
    alaska = _grid(-165, 54, 12, 5, 2.0)
    west = [box(x, 52, x + 0.6, 52.6) for x in np.arange(172.0, 179.0, 1.0)]  # Near and Rat Islands, 172..179°E
    straddle = MultiPolygon([box(179.2, 51.8, 179.9, 52.4), box(-179.9, 51.8, -179.2, 52.4)])  # one district
    east = [box(x, 52, x + 0.6, 52.6) for x in np.arange(-179.0, -165.0, 1.0)]
    hawaii = _grid(-160, 19, 3, 1, 1.5)
    puerto_rico = [box(-67.5, 18.0, -66.5, 18.5), box(-66.5, 18.0, -65.5, 18.5)]
    shapes = main + alaska + west + [straddle] + east + hawaii + puerto_rico
    n_main, n_ak = len(main), len(alaska) + len(west) + 1 + len(east)
    parts = {"main": slice(0, n_main), "alaska": slice(n_main, n_main + n_ak),
             "hawaii": slice(n_main + n_ak, n_main + n_ak + 3), "puerto_rico": slice(len(shapes) - 2, len(shapes))}
    codes = [f"C{i:04d}" for i in range(len(shapes))]
    frame = gpd.GeoDataFrame({"code": codes, "label": [f"County {c}" for c in codes], "pop": 1000},
                             geometry=shapes, crs="EPSG:4326")
    return frame, parts


@pytest.fixture(scope="module")
def counties_city(tmp_path_factory) -> tuple[Path, dict[str, slice]]:
    folder = tmp_path_factory.mktemp("counties")
    frame, parts = _counties()
    frame.to_file(folder / "districts.geojson")
    rows = ["year,district,dept,program,fund,cost"]
    rows += [f"2024,{code},Parks,Trees,General,{1000 + (i * 7919) % 5000}" for i, code in enumerate(frame["code"])]
    (folder / "spending.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(simple_manifest("Counties", "Synthetic counties"), encoding="utf-8")
    return manifest, parts


def test_unwrap_moves_eastern_parts_and_keeps_every_shape():
    frame, parts = _counties()
    assert frame.total_bounds[2] - frame.total_bounds[0] > 350, "as read, the layer spans the globe"
    out = geo_extent.unwrap(frame)
    x0, y0, x1, y1 = out.total_bounds
    assert (x0, x1) == pytest.approx((-188.0, -65.5)) and (y0, y1) == pytest.approx((18.0, 64.0))
    assert geo_extent.bounds(frame) == pytest.approx((x0, y0, x1, y1))
    straddle = out.geometry.iloc[parts["alaska"].start + 60 + 7]
    assert straddle.geom_type == "MultiPolygon" and len(straddle.geoms) == 2
    assert straddle.bounds == pytest.approx((-180.8, 51.8, -179.2, 52.4)), "both islands side by side at 180°"
    assert out.geometry.geom_type.tolist() == frame.geometry.geom_type.tolist()
    assert np.allclose(shapely.area(out.geometry.values), shapely.area(frame.geometry.values))
    moved = out.geometry.bounds["minx"].to_numpy() != frame.geometry.bounds["minx"].to_numpy()
    assert moved.sum() == 8, "the seven Near/Rat islands east of 172° and the straddling district"
    assert frame.total_bounds[2] == pytest.approx(179.9), "the input is not changed"


def test_layers_that_do_not_straddle_are_left_alone(demo_manifest):
    demo = open_dataset(demo_manifest).districts
    assert geo_extent.unwrap(demo) is demo
    assert geo_extent.bounds(demo) == pytest.approx(tuple(demo.total_bounds))
    world = gpd.GeoDataFrame(geometry=_grid(-180, -60, 36, 12, 10.0), crs="EPSG:4326")
    assert geo_extent.unwrap(world) is world, "a world layer is no narrower moved"
    assert geo_extent.far_groups(demo).insets == ()


def test_outline_width_thins_for_small_districts(demo_manifest):
    demo = open_dataset(demo_manifest).districts
    assert geo_extent.outline_width(demo, 800) == 1.0
    cells = gpd.GeoDataFrame(geometry=_grid(-125, 25, 60, 50, 0.5), crs="EPSG:4326")  # 3,000 counties' size
    thin = geo_extent.outline_width(cells, 800)
    assert 0.2 <= thin < 0.4
    assert geo_extent.outline_width(cells, 200) == 0.2
    assert thin < geo_extent.outline_width(cells, 1200) < 1.0
    frame, _ = _counties()
    assert geo_extent.outline_width(frame, 900) < 0.6, "measured on the unwrapped layer, not the globe"


def test_far_groups_are_alaska_hawaii_and_puerto_rico():
    frame, parts = _counties()
    groups = geo_extent.far_groups(frame)
    expected = [np.arange(len(frame))[parts[name]] for name in ("alaska", "hawaii", "puerto_rico")]
    assert [sorted(g.tolist()) for g in groups.insets] == [e.tolist() for e in expected]
    assert groups.main.tolist() == list(range(parts["main"].stop))


def test_a_nearby_island_is_no_inset():
    city = _grid(0.0, 45.0, 6, 5, 0.02)
    island = box(0.16, 45.0 - 0.03, 0.17, 45.0 - 0.025)
    frame = gpd.GeoDataFrame(geometry=city + [island], crs="EPSG:4326")
    assert geo_extent.far_groups(frame).insets == ()


def test_page_draws_insets_and_maps_every_district_to_its_pixel(counties_city):
    manifest, parts = counties_city
    dataset = open_dataset(manifest)
    districts = dataset.districts
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total"))
    page = layout(spec, districts)
    assert [i.letter for i in page.insets] == ["A", "B", "C"]
    assert page.extent[0] > -128, "the main map is fitted to the 48 states, not to Alaska"
    whole = _counties()[0].total_bounds
    assert page.map_box.w / (page.extent[2] - page.extent[0]) > 1.5 * (page.map_box.w / (whole[2] - whole[0]))
    footer = " ".join(line.text for line in page.lines)
    assert "Insets not to scale" in footer and "A: 82 districts" in footer
    assert "B: 3 districts" in footer and "C: 2 districts" in footer
    image = np.asarray(Image.open(io.BytesIO(render(spec, districts, "png", dpi=DPI))).convert("RGB"))
    points = interior_points(districts)
    cols, rows = page.to_pixels(points.x.to_numpy(), points.y.to_numpy(), DPI)
    fills = {f.district_id: f.fill for f in spec.features}
    for inset, name in zip(page.insets, ("alaska", "hawaii", "puerto_rico")):
        b = inset.box
        ids = set(districts["district_id"].iloc[parts[name]])
        for did, col, row in zip(districts["district_id"], cols, rows):
            inside = b.x * DPI <= col <= (b.x + b.w) * DPI and (page.size[1] - b.y - b.h) * DPI <= row
            assert (did in ids) == (inside and row <= (page.size[1] - b.y) * DPI), did
    wrong = []
    for did, col, row in zip(districts["district_id"], cols, rows):
        want = tuple(int(fills[did][i:i + 2], 16) for i in (1, 3, 5))
        square = image[int(row) - 1:int(row) + 2, int(col) - 1:int(col) + 2].reshape(-1, 3)
        if not (square == want).all(axis=1).any():
            wrong.append(did)
    assert not wrong, f"districts whose pixel is not their fill: {wrong[:10]}"


def test_a_county_map_says_its_natural_breaks_come_from_a_sample(counties_city):
    manifest, _ = counties_city
    dataset = open_dataset(manifest)
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", scheme="natural_breaks", k=5))
    note = [n for n in spec.notes if n.startswith("Natural breaks from a sample")]
    assert note == ["Natural breaks from a sample of 160 of the 435 values (evenly spaced in rank, smallest and "
                    "largest included), so they are found in a fraction of a second."]
    assert sum(e.count for e in spec.legend if e.kind == "class") == 435
    footer = " ".join(line.text for line in layout(spec, dataset.districts).lines)
    assert "Natural breaks from a sample of 160" in footer
    quantiles = MAP_KINDS["spending"](dataset, SpendingView(measure="total"))
    assert not [n for n in quantiles.notes if "sample" in n]
