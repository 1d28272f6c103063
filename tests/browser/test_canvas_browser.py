"""The canvas renderer (used above 2,000 districts), driven on the demo by lowering the threshold.

Checked in Chromium: one drawn district per district (the renderer's hook), fills equal the
MapSpec's and really are on the canvas, hatching, tooltip, click, keyboard (the "Find a
district" box), and nothing asked of any other host.
"""
from __future__ import annotations

import time

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.target_map import build_target_map
from budgetmap.view import SpendingView
from .conftest import MAP_FRAME, ROOT, start_streamlit, stop_streamlit, visitor

pytestmark = pytest.mark.browser
DEMO = ROOT / "geodata" / "demo" / "manifest.toml"


@pytest.fixture(scope="module")
def canvas_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("canvas_server") / "streamlit.log"
    server = start_streamlit("app.py", log=log, env_extra={"BUDGETMAP_CANVAS_FROM": "5"})
    try:
        yield server
    finally:
        stop_streamlit(server)


@pytest.fixture
def visit(browser, canvas_server):
    open_page, close_all = visitor(browser, canvas_server)
    yield open_page
    close_all()


def wait_canvas(rec, n: int = 31):
    rec.page.wait_for_selector(MAP_FRAME, state="attached", timeout=120_000)  # a fresh server's first run
    frame = rec.map_frame()
    frame.wait_for_function("(n) => document.body.dataset.drawn === String(n) && document.body.dataset.paintSeq",
                            arg=n, timeout=60_000)
    assert frame.evaluate("() => window.budgetmapMap.renderer()") == "canvas"
    assert frame.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length") == 0
    return frame


def fills(frame) -> dict[str, str]:
    return frame.evaluate("() => Object.fromEntries(window.budgetmapMap.ids().map(id => [id, window.budgetmapMap.fill(id)]))")


def pixel(frame, district: str) -> tuple[list[int], list[float]]:
    """The canvas pixel's colour at a point inside the district (and that point)."""
    return frame.evaluate("""(id) => {
        const p = window.budgetmapMap.point(id), canvas = document.querySelector('.leaflet-overlay-pane canvas');
        const box = canvas.getBoundingClientRect(), mapBox = document.getElementById('map').getBoundingClientRect();
        const scale = canvas.width / box.width;
        const x = Math.round((p[0] + mapBox.left - box.left) * scale), y = Math.round((p[1] + mapBox.top - box.top) * scale);
        return [Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data), p];
    }""", district)


def _rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]


def test_canvas_fills_equal_the_mapspec_and_are_painted(visit):
    rec = visit("/Spending_map")
    frame = wait_canvas(rec)
    spec = MAP_KINDS["spending"](open_dataset(DEMO), SpendingView())
    expected = {f.district_id: f.fill for f in spec.features}
    assert fills(frame) == expected
    for district in list(expected)[:8]:
        rgba, _ = pixel(frame, district)
        # the canvas holds the fill itself at 0.85 opacity (the page's background shows through)
        want = _rgb(expected[district])
        assert max(abs(a - b) for a, b in zip(rgba[:3], want)) <= 2 and abs(rgba[3] - 217) <= 2, (district, rgba, want)
    assert rec.non_local_urls() == []
    assert rec.console_errors() == []


def test_canvas_hatches_the_misses_of_a_target(visit):
    rec = visit("/Targets?indicator=pavement_busy_good_fair")
    frame = wait_canvas(rec)
    dataset = open_dataset(DEMO)
    spec = build_target_map(dataset, SpendingView(indicator="pavement_busy_good_fair", fiscal_year=2025))
    hatched = {f.district_id for f in spec.features if f.pattern == "hatch"}
    assert 0 < len(hatched) < 31
    shown = set(frame.evaluate("() => window.budgetmapMap.ids().filter(id => window.budgetmapMap.pattern(id))"))
    assert shown == hatched
    # the hatch is on the canvas: a hatched district's pixels are not all one colour
    district = sorted(hatched)[0]
    colours = frame.evaluate("""(id) => {
        const p = window.budgetmapMap.point(id), canvas = document.querySelector('.leaflet-overlay-pane canvas');
        const box = canvas.getBoundingClientRect(), mapBox = document.getElementById('map').getBoundingClientRect();
        const s = canvas.width / box.width, x = Math.round((p[0] + mapBox.left - box.left) * s) - 4;
        const y = Math.round((p[1] + mapBox.top - box.top) * s) - 4;
        const d = canvas.getContext('2d').getImageData(x, y, 9, 9).data, seen = new Set();
        for (let i = 0; i < d.length; i += 4) { seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); }
        return seen.size;
    }""", district)
    assert colours >= 3, "dark line, light line and fill"


def test_canvas_tooltip_click_and_keyboard(visit):
    rec = visit("/Spending_map")
    frame = wait_canvas(rec)
    spec = MAP_KINDS["spending"](open_dataset(DEMO), SpendingView())
    ids = frame.evaluate("() => window.budgetmapMap.ids()")
    first = spec.feature(ids[0])
    box = rec.page.locator(MAP_FRAME).bounding_box()
    x, y = frame.evaluate("(id) => window.budgetmapMap.point(id)", ids[0])
    rec.page.mouse.move(box["x"] + x, box["y"] + y)
    tip = frame.locator(".leaflet-tooltip .bm-tip .bm-name")
    tip.wait_for(timeout=15_000)
    assert tip.text_content() == first.name
    rec.page.mouse.click(box["x"] + x, box["y"] + y)
    rec.page.get_by_role("heading", name=first.name).wait_for(timeout=30_000)

    # keyboard only: type into the finder, arrow down to the second match, Enter
    target = spec.feature(ids[5])
    finder = frame.locator("#bm-find")
    finder.focus()
    rec.page.keyboard.type(target.name[:4])
    frame.locator("#bm-find-list li").first.wait_for(timeout=15_000)
    options = frame.locator("#bm-find-list li").all_text_contents()
    assert all(target.name[:4].lower() in o.lower() for o in options)
    for _ in range(next(i for i, o in enumerate(options) if o.startswith(target.name + ":"))):
        rec.page.keyboard.press("ArrowDown")
    rec.page.keyboard.press("Enter")
    rec.page.get_by_role("heading", name=target.name).wait_for(timeout=30_000)
    deadline = time.time() + 30
    while time.time() < deadline and frame.evaluate("() => document.body.dataset.paintSeq") == "1":
        time.sleep(0.2)
    assert rec.non_local_urls() == []


def test_canvas_outlines_outliers_in_black_dashes_on_white(visit):
    """The demo's per-resident outliers are in the darkest class: their dashes are drawn on solid white."""
    rec = visit("/Spending_map")
    frame = wait_canvas(rec)
    marked = [f.district_id for f in MAP_KINDS["spending"](open_dataset(DEMO), SpendingView()).features if f.marks]
    assert len(marked) == 2
    white, black = frame.evaluate("""() => {
        const canvas = document.querySelector('.leaflet-overlay-pane canvas');
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let white = 0, black = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] !== 255) { continue; }  // fills are at 0.85 opacity, the hatch's light line at 0.7
            if (d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255) { white++; }
            if (d[i] === 0 && d[i + 1] === 0 && d[i + 2] === 0) { black++; }
        }
        return [white, black];
    }""")
    assert black > 100 and white > 100, (white, black)
