"""Static snapshots: the PNG shows the browser's colours where each district is; SVG/PDF are sound."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
import shapely
from PIL import Image
from shapely.geometry import MultiPolygon, Polygon, box

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.render.leaflet import drawn
from budgetmap.render.page import layout, text_width, wrap
from budgetmap.render.static import interior_points, pixels, render
from budgetmap.view import SpendingView
from conftest import HOSTILE_NAMES

LINK = "http://localhost:8501/Targets?dataset=demo&indicator=pavement_busy_good_fair&dept=A+%26+B"
DPI = 300


@pytest.fixture(scope="module")
def demo(demo_manifest):
    return open_dataset(demo_manifest)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _browser_fills(spec, districts) -> dict[str, str]:
    """The colours the browser map is sent, exactly as the app sends them."""
    return drawn(spec, districts)["styles"]


def _is_ink(window: np.ndarray) -> np.ndarray:
    """Pixels of the hatch's dark line (#1a1a1a), allowing for anti-aliasing at its core."""
    return (np.abs(window.astype(int) - 26) <= 12).all(axis=-1)


def _window_inside(spec, districts, geom, col: float, row: float, half: int) -> bool:
    """Whether the square of pixels around (col, row) lies inside the district's shape."""
    x0, y0, x1, y1 = districts.total_bounds
    (c0, c1), (r0, r1) = pixels(spec, districts, np.array([x0, x1]), np.array([y0, y1]), permalink=LINK, dpi=DPI)
    lon = lambda c: x0 + (c - c0) / (c1 - c0) * (x1 - x0)  # noqa: E731 - the inverse of a linear map
    lat = lambda r: y0 + (r - r0) / (r1 - r0) * (y1 - y0)  # noqa: E731
    square = box(lon(col - half - 1), lat(row + half + 1), lon(col + half + 1), lat(row - half - 1))
    return bool(geom.contains(square))


@pytest.mark.parametrize("kind", ["spending", "target"])
def test_png_colour_inside_each_district_is_the_browser_fill(demo, kind):
    spec = MAP_KINDS[kind](demo, SpendingView())
    districts = demo.districts
    fills = _browser_fills(spec, districts)
    image = np.asarray(Image.open(io.BytesIO(render(spec, districts, "png", permalink=LINK, dpi=DPI))).convert("RGB"))
    assert image.shape[:2] == (round(8.0 * DPI), round(11.0 * DPI))
    points = interior_points(districts)
    cols, rows = pixels(spec, districts, points.x.to_numpy(), points.y.to_numpy(), permalink=LINK, dpi=DPI)
    hatched = {f.district_id for f in spec.features if f.pattern == "hatch"}
    if kind == "target":
        assert hatched and len(hatched) < len(districts), "the demo target map hatches some districts, not all"
    for did, geom, col, row in zip(districts["district_id"], districts.geometry, cols, rows):
        assert _window_inside(spec, districts, geom, col, row, 25), f"{did}: sample square leaves the district"
        c, r = int(col), int(row)
        # 51 px at 300 dpi spans two periods of the hatch (12 lines per inch), so the share of
        # stripes in the square is the hatch's own share, whatever its phase
        square = image[r - 25:r + 26, c - 25:c + 26]
        pixels_ = square.reshape(-1, 3)
        colour, n = Counter(map(tuple, pixels_)).most_common(1)[0]
        assert colour == _rgb(fills[did]), f"{did}: drew {colour}, the browser fills {fills[did]}"
        assert n >= 0.7 * len(pixels_), f"{did}: the fill shows in only {n} of {len(pixels_)} pixels"
        if did not in hatched:
            assert image[r, c].tolist() == list(_rgb(fills[did])), f"{did}: the interior point's own pixel"
        assert _is_ink(square).any() == (did in hatched), f"{did}: hatching should be {did in hatched}"


def test_legend_swatches_show_their_entry_colours(demo):
    spec = MAP_KINDS["target"](demo, SpendingView())
    page = layout(spec, demo.districts, LINK)
    image = np.asarray(Image.open(io.BytesIO(render(spec, demo.districts, "png", permalink=LINK, dpi=DPI)))
                       .convert("RGB"))
    assert len(page.swatches) == len(spec.legend)
    for swatch in page.swatches:
        b, entry = swatch.box, swatch.entry
        col, row = int((b.x + b.w / 2) * DPI), int((page.size[1] - b.y - b.h / 2) * DPI)
        block = image[row - 25:row + 26, col - 40:col + 41]
        colour, _ = Counter(map(tuple, block.reshape(-1, 3))).most_common(1)[0]
        assert colour == _rgb(entry.fill), entry.label
        assert _is_ink(block).any() == (entry.pattern == "hatch"), entry.label


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return "\n".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))


def test_svg_carries_every_part_of_the_page(demo):
    spec = MAP_KINDS["spending"](demo, SpendingView(measure="per_capita", departments=("Transportation",)))
    text = _svg_text(render(spec, demo.districts, "svg", permalink=LINK))
    for part in (spec.title, spec.measure_label, spec.source, spec.as_of, *spec.notes):
        assert part in text, part
    assert "Transportation" in spec.subtitle and spec.subtitle in text
    flowing = " ".join(text.split())  # a long legend label (an outlier rule's name) wraps onto two lines
    for entry in spec.legend:  # legend labels carry "$": they must not turn into maths
        assert entry.label in flowing
    counts = re.findall(r"^\d+$", text, re.M)
    assert sorted(map(int, counts)) == sorted(e.count for e in spec.legend)
    flat = text.replace("\n", "")
    assert "Per resident: divided by district population" in flat
    assert f"Reconciliation: {spec.reconciliation_text}".replace(" ", "") in flat.replace(" ", "")
    assert f"Link: {LINK}" in flat
    from budgetmap.summary import describe
    assert " ".join(describe(spec).split()) in " ".join(text.split()), "the written summary is on the page"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_appear_literally(city, name):
    names = ["Alpha", name, "Charlie", "Delta"]
    dataset = open_dataset(city(names=names))
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="per_capita", fiscal_year=2024, selected="B"))
    text = " ".join(_svg_text(render(spec, dataset.districts, "svg")).split())  # long names wrap
    assert f"Outlined: {name}" in text
    assert "Source: not stated · Data as of: not stated" in text


def test_zero_and_no_data_have_their_own_swatches(city):
    dataset = open_dataset(city())
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", fiscal_year=2023))
    kinds = {e.kind: e for e in spec.legend}
    assert kinds["zero"].count == 1 and kinds["no_data"].count == 2  # C spent 0; B and D nothing
    root = ET.fromstring(render(spec, dataset.districts, "svg"))
    styles = [el.get("style", "") for el in root.iter("{http://www.w3.org/2000/svg}path")]
    grey = [s for s in styles if "fill: #bdbdbd" in s]
    assert any("stroke-dasharray" in s for s in grey), "the no-data swatch has a dashed border"
    assert any("fill: #ffffff" in s and "stroke: #4d4d4d" in s for s in styles), "the zero swatch"


def test_pdf_is_one_page_with_its_link(demo):
    spec = MAP_KINDS["change"](demo, SpendingView())
    pdf = render(spec, demo.districts, "pdf", permalink=LINK)
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    assert b"/URI (" + LINK.encode() + b")" in pdf


def test_unknown_format_is_refused(demo):
    spec = MAP_KINDS["spending"](demo, SpendingView())
    with pytest.raises(ValueError, match="jpeg"):
        render(spec, demo.districts, "jpeg")


def test_interior_points_stay_inside_awkward_shapes():
    import geopandas as gpd
    c_shape = Polygon([(0, 0), (3, 0), (3, 1), (1, 1), (1, 2), (3, 2), (3, 3), (0, 3)])  # centroid outside
    islands = MultiPolygon([box(10, 0, 10.2, 0.2), box(11, 0, 13, 2)])
    ring = box(20, 0, 23, 3).difference(box(20.5, 0.5, 22.5, 2.5))
    frame = gpd.GeoDataFrame({"district_id": ["c", "i", "r"]}, geometry=[c_shape, islands, ring], crs="EPSG:4326")
    points = interior_points(frame)
    assert not c_shape.contains(c_shape.centroid)
    for geom, point in zip(frame.geometry, points):
        assert geom.contains(point)
        # at least as far from every edge as the usual point_on_surface
        assert shapely.distance(geom.boundary, point) >= shapely.distance(geom.boundary, geom.point_on_surface()) - 1e-9
    assert islands.geoms[1].contains(points.iloc[1]), "the big island, not the small one"


def test_wrap_keeps_every_character_and_fits():
    text = "Reconciliation: Total $985,681,026.67 = $954,762,128.87 in districts + $29,838,353.73 citywide"
    lines = wrap(text, 2.0, 9)
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(text_width(line, 9) <= 2.0 for line in lines)
    url = "http://localhost:8501/Spending_map?" + "&".join(f"dept=d{i}" for i in range(40))
    parts = wrap(url, 3.0, 8, family="DejaVu Sans Mono")
    assert len(parts) > 1 and "".join(parts) == url
    linked = wrap(f"Link: {url}", 3.0, 8, family="DejaVu Sans Mono")
    assert linked[0].startswith("Link: http"), "a long link starts on its label's line"
    assert "".join(linked) == f"Link: {url}"
    assert all(text_width(line, 8, family="DejaVu Sans Mono") <= 3.0 for line in linked)


def test_pixels_match_where_the_districts_are_drawn(demo):
    """The outermost vertices land on the outermost inked pixels of the map, to within a stroke."""
    spec = MAP_KINDS["spending"](demo, SpendingView())
    districts = demo.districts
    image = np.asarray(Image.open(io.BytesIO(render(spec, districts, "png", permalink=LINK, dpi=DPI))).convert("RGB"))
    page = layout(spec, districts, LINK)
    b = page.map_box
    top, left = int((page.size[1] - b.y - b.h) * DPI), int(b.x * DPI)
    region = image[top:int((page.size[1] - b.y) * DPI), left:int((b.x + b.w) * DPI)]
    rows, cols = np.nonzero((region < 250).any(axis=-1))
    x0, y0, x1, y1 = districts.total_bounds
    (c0, c1), (r0, r1) = pixels(spec, districts, np.array([x0, x1]), np.array([y0, y1]), permalink=LINK, dpi=DPI)
    stroke = 3  # half the outline width at 300 dpi, rounded up, plus anti-aliasing
    assert abs(cols.min() + left - c0) <= stroke and abs(cols.max() + left - c1) <= stroke
    assert abs(rows.min() + top - r1) <= stroke and abs(rows.max() + top - r0) <= stroke


def test_same_map_same_bytes_even_from_several_threads(demo):
    """Streamlit draws downloads on session threads: pages must not leak settings or mix up."""
    import threading

    import matplotlib
    spec = MAP_KINDS["target"](demo, SpendingView())
    before = dict(matplotlib.rcParams)
    outputs: list[bytes] = []
    threads = [threading.Thread(target=lambda f=fmt: outputs.append(render(spec, demo.districts, f)))
               for fmt in ("svg", "pdf", "svg", "pdf")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert dict(matplotlib.rcParams) == before
    assert {render(spec, demo.districts, "svg"), render(spec, demo.districts, "pdf")} == set(outputs)


def test_a_tall_legend_shrinks_to_stay_above_the_notes(demo):
    view = SpendingView(k=9, scheme="equal_interval", classes_from=2021, selected="D03")
    spec = MAP_KINDS["spending"](demo, view)
    # Downtown and Ferry Landing are the demo's per-resident outliers (Tukey's fences): their outline has an entry
    assert len(spec.legend) == 13, "nine classes, zero, no data, the locked-classes hatch and the outlier outline"
    assert [e.count for e in spec.legend if e.kind == "mark"] == [2]
    page = layout(spec, demo.districts, LINK)
    assert len(page.swatches) == 14
    legend_text = [ln for ln in page.lines if ln.x >= page.swatches[0].box.x and ln.y < page.map_box.y + page.map_box.h]
    assert min(sw.box.y for sw in page.swatches) > page.rule_y
    assert min(ln.y for ln in legend_text) > page.rule_y


def test_an_outliers_black_dashes_lie_on_solid_white(demo):
    """Tukey's outliers are in the darkest class: black dashes alone would vanish into the fill."""
    spec = MAP_KINDS["spending"](demo, SpendingView())
    assert len([f for f in spec.features if f.marks]) == 2
    root = ET.fromstring(render(spec, demo.districts, "svg"))
    paths = [(el.get("d"), el.get("style", "")) for el in root.iter("{http://www.w3.org/2000/svg}path")]
    dashed = [i for i, (_, style) in enumerate(paths)
              if "stroke: #000000" in style and "stroke-dasharray" in style and "fill: none" in style]
    assert len(dashed) == 3, "the two outlines and the legend's swatch"
    width = lambda style: re.search(r"stroke-width: ([\d.]+)", style).group(1)  # noqa: E731
    cased = [i for i in dashed if paths[i - 1][0] == paths[i][0] and "stroke: #ffffff" in paths[i - 1][1]
             and "stroke-dasharray" not in paths[i - 1][1] and width(paths[i - 1][1]) == width(paths[i][1])]
    assert len(cased) == 2, "each outline is drawn first in solid white, as wide"
