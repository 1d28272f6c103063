"""Printed pages: a scale bar true to the ground, a north arrow true to the projection, the
boundaries' vintage, and PDFs whose title and written summary a reader (or a screen reader) finds."""
from __future__ import annotations

import io
import math
import re

import geopandas as gpd
import pyproj
import pytest
from pypdf import PdfReader
from shapely.geometry import box

from budgetmap.book import make_book, read_book
from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.model.errors import LoadError
from budgetmap.render.furniture import PageContext, context_for, north_angle, page_north, scale_bar
from budgetmap.render.page import layout
from budgetmap.render.static import figure, render
from budgetmap.snapshot import parse_view, snapshot
from budgetmap.summary import describe
from budgetmap.view import SpendingView

GEOD = pyproj.Geod(ellps="WGS84")
METRES = {"km": 1000.0, "mi": 1609.344}


@pytest.fixture(scope="module")
def demo(demo_manifest):
    return open_dataset(demo_manifest)


@pytest.fixture
def arctic(city):
    """Testville moved to northern Norway: four 6° x 1.5° cells from 68° to 71° N, about 500 km wide."""
    manifest = city()
    cells = [box(18 + 6 * (i % 2), 68 + 1.5 * (i // 2), 24 + 6 * (i % 2), 69.5 + 1.5 * (i // 2)) for i in range(4)]
    gpd.GeoDataFrame({"code": list("ABCD"), "label": ["Alpha", "Bravo", "Charlie", "Delta"],
                      "pop": [1000, 2000, 0, 4000]}, geometry=cells, crs="EPSG:4326").to_file(
        manifest.parent / "districts.geojson")
    return open_dataset(manifest)


def _drawn_bar(spec, districts, context):
    """(bar ends in lon at the map's middle latitude, the distance its label states in metres)."""
    fig = figure(spec, districts, context=context)
    bars = [a for a in fig.artists if a.get_gid() == "scale-bar"]
    assert len(bars) == 1
    x, width = bars[0].get_x(), bars[0].get_width()  # inches: the bar is drawn in dpi_scale_trans
    page = layout(spec, districts, context=context)
    x0, y0, x1, y1 = page.extent
    lon = [x0 + (v - page.map_box.x) / page.map_box.w * (x1 - x0) for v in (x, x + width)]
    texts = [t.get_text() for t in fig.texts]
    label = next(t for t in texts if re.fullmatch(r"[\d,.]+ (km|mi)( at \d+° [NS])?", t))
    amount, unit = re.match(r"([\d,.]+) (km|mi)", label).groups()
    return lon, (y0 + y1) / 2, float(amount.replace(",", "")) * METRES[unit], label


def test_demo_scale_bar_measures_its_label_on_the_ground_in_miles(demo):
    spec = MAP_KINDS["spending"](demo, SpendingView())
    context = context_for(demo, spec.layer)
    assert context.units == "mi"  # a dataset in US dollars is measured in miles
    (lon0, lon1), lat, stated, label = _drawn_bar(spec, demo.districts, context)
    ground = GEOD.inv(lon0, lat, lon1, lat)[2]
    assert abs(ground - stated) / stated < 0.01, (label, ground)
    assert label in {"1 mi", "2 mi", "5 mi", "10 mi"}  # a round length for a city


def test_high_latitude_scale_bar_is_true_on_the_ellipsoid_and_says_where(arctic):
    spec = MAP_KINDS["spending"](arctic, SpendingView(measure="total"))
    context = PageContext(units="km")
    (lon0, lon1), lat, stated, label = _drawn_bar(spec, arctic.districts, context)
    ground = GEOD.inv(lon0, lat, lon1, lat)[2]
    assert abs(ground - stated) / stated < 0.01, (label, ground)
    # at 69.5° N a degree of longitude is a third of one at the equator: a bar drawn as if at the
    # equator would be three times too short
    assert (lon1 - lon0) * 111_320 * math.cos(math.radians(lat)) == pytest.approx(stated, rel=0.01)
    assert label.endswith("at 70° N")  # the scale changes across 68-71° N by more than 2%


@pytest.mark.parametrize("limit, expected", [(0.37, 0.2), (3.9, 2.0), (4.99, 2.0), (5.0, 5.0), (87.0, 50.0)])
def test_bar_lengths_are_round(limit, expected):
    from budgetmap.render.furniture import nice
    assert nice(limit) == pytest.approx(expected)


def test_scale_bar_of_a_continental_extent_is_still_the_geodesic():
    bar = scale_bar(6.0, (-125.0, 24.0, -66.0, 50.0), "km")
    span = bar.length * 59.0 / 6.0
    assert GEOD.inv(-95.5 - span / 2, 37.0, -95.5 + span / 2, 37.0)[2] / 1000 == pytest.approx(bar.distance, rel=1e-6)


def test_north_arrow_turns_with_a_rotating_projection():
    lcc = "+proj=lcc +lat_1=33 +lat_2=45 +lon_0=-96 +ellps=WGS84"
    to_map = pyproj.Transformer.from_crs("EPSG:4326", lcc, always_xy=True)
    (x0, x1), (y0, y1) = to_map.transform([-120.0, -120.0], [40.0, 40.001])
    expected = math.degrees(math.atan2(x1 - x0, y1 - y0))  # where a step north goes on the map
    assert north_angle(lcc, -120.0, 40.0) == pytest.approx(expected, abs=1e-3)
    assert expected > 10  # west of the central meridian, north leans right
    assert north_angle(lcc, -72.0, 40.0) < -10  # east of it, left
    assert north_angle(lcc, -96.0, 40.0) == pytest.approx(0.0, abs=1e-9)


def test_the_page_draws_north_straight_up_because_its_projection_keeps_it_there(demo):
    spec = MAP_KINDS["spending"](demo, SpendingView())
    page = layout(spec, demo.districts)
    assert page_north(page.extent) == pytest.approx(0.0, abs=1e-9)
    fig = figure(spec, demo.districts)
    arrow = next(a for a in fig.artists if a.get_gid() == "north-arrow").get_xy()
    tip, foot = arrow[0], page.north_at
    assert tip[0] == pytest.approx(foot[0]) and tip[1] > foot[1] + 0.2
    n = next(t for t in fig.texts if t.get_text() == "N")
    assert n.get_position()[1] > tip[1]  # the letter sits past the tip


def test_vintage_is_printed_and_an_unstated_one_says_so(demo, city):
    svg, _ = snapshot(demo, "spending", parse_view({}), "svg", key="demo", base_url="http://x")
    assert "Boundaries: 2024 council districts (invented)" in svg.decode("utf-8")
    plain = open_dataset(city())
    assert plain.layer(None).vintage is None
    text = render(MAP_KINDS["spending"](plain, SpendingView()), plain.districts, "svg",
                  context=context_for(plain, None)).decode("utf-8")
    assert "Boundaries: vintage not stated" in text


def test_a_vintage_that_is_not_text_is_refused_with_the_key(city):
    manifest = city()
    text = manifest.read_text(encoding="utf-8").replace("[districts]\n", "[districts]\nvintage = 2023\n", 1)
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=r"vintage.*text"):
        open_dataset(manifest)


def test_pdf_snapshot_has_title_summary_and_vintage_as_text(demo):
    pdf, _ = snapshot(demo, "target", parse_view({}), "pdf", key="demo", base_url="http://x")
    reader = PdfReader(io.BytesIO(pdf))
    spec = MAP_KINDS["target"](demo, SpendingView())
    summary = describe(spec)
    assert reader.metadata.title == spec.title
    assert reader.metadata.subject == summary
    words = " ".join(reader.pages[0].extract_text().split())  # the summary may wrap
    assert " ".join(summary.split()) in words
    assert "Boundaries: 2024 council districts (invented)" in words
    # extraction reads it in the order the docs promise: title, legend, then the summary and footer
    order = [words.index(spec.title), words.index(spec.legend[0].label), words.index(" ".join(summary.split())),
             words.index("Boundaries:")]
    assert order == sorted(order), order


def test_every_book_page_carries_its_vintage_summary_and_bar(tmp_path, demo_manifest, demo):
    book_file = tmp_path / "book.toml"
    book_file.write_text(f'title = "Budget book 2025"\nmanifest = "{demo_manifest.as_posix()}"\n'
                         '[[view]]\nmeasure = "total"\n[[view]]\nmap = "target"\n', encoding="utf-8")
    outcomes, pdf = make_book(read_book(book_file), tmp_path / "out", echo=lambda _: None)
    assert all(not o.error for o in outcomes) and pdf is not None
    reader = PdfReader(pdf)
    assert reader.metadata.title == "Budget book 2025"
    assert len(reader.pages) == 2
    for page, kind, view in zip(reader.pages, ("spending", "target"),
                                (SpendingView(measure="total"), SpendingView())):
        words = " ".join(page.extract_text().split())
        assert "Boundaries: 2024 council districts (invented)" in words
        assert " ".join(describe(MAP_KINDS[kind](demo, view)).split()) in words
        assert re.search(r"\b\d+ mi\b", words)  # the scale bar's label


def test_the_digest_map_page_carries_the_vintage_too(demo):
    from budgetmap import digest, monitor
    found = monitor.watch(demo, monitor.find_period(demo, 2025, "Q2"))
    spec = MAP_KINDS["warning"](demo, SpendingView())
    pdf = digest.digest_pdf(spec, demo.districts, found, context=context_for(demo, spec.layer))
    words = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Boundaries: 2024 council districts (invented)" in words and re.search(r"\b\d+ mi\b", words)
