"""Hearing mode on a 1280x720 projector: no sidebar, legend type of at least 24 px, keyboard steps, the map
and its legend on screen without scrolling, two-year slides and the high-contrast palette."""
from __future__ import annotations

import re

import pytest

from budgetmap.palettes import contrast

from .conftest import CHROMIUM, MAP_FRAME
from .test_map_browser import demo_districts, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
LEGEND_SIZES = """() => Array.from(document.querySelectorAll('.bm-legend span, .bm-legend b'))
    .filter(e => e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize))"""


def projector(visit, path):
    rec = visit(path, wait=False)
    rec.page.set_viewport_size({"width": 1280, "height": 720})
    rec.goto(path)
    rec.wait_for_map(len(demo_districts()))
    wait_for_script_done(rec.page)
    return rec


def check_projector_view(rec, tmp_path, name):
    page = rec.page
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    sizes = page.evaluate(LEGEND_SIZES)
    assert sizes and min(sizes) >= 24, f"legend type too small for the back of the room: {sizes}"
    legend = page.locator(".bm-legend").bounding_box()
    assert legend and legend["x"] + legend["width"] <= 1280 and legend["y"] < 720, "legend on screen"
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000  # a painted page, not a blank one


def test_hearing_page_at_1280x720_steps_with_page_down_and_up(visit, tmp_path):
    rec = projector(visit, "/Hearing?dataset=demo")
    check_projector_view(rec, tmp_path, "hearing")
    title = rec.page.locator(".bm-card h1")
    expect(title).to_have_text("Where the money goes")
    rec.page.keyboard.press("PageDown")
    expect(title).to_have_text("How it changed", timeout=45_000)
    rec.page.wait_for_function("() => new URL(location.href).searchParams.get('slide') === '2'")
    rec.page.keyboard.press("PageDown")
    expect(title).to_have_text("Against the goal: Busy streets in good or fair condition", timeout=45_000)
    rec.page.keyboard.press("PageUp")
    expect(title).to_have_text("How it changed", timeout=45_000)
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_hearing_flag_on_a_map_page(visit, tmp_path):
    rec = projector(visit, "/Targets?dataset=demo&hearing=1")
    check_projector_view(rec, tmp_path, "targets_hearing")
    expect(rec.page.get_by_role("button", name="Exit hearing mode")).to_be_visible()
    rec.page.keyboard.press("Escape")
    expect(rec.page.get_by_test_id("stSidebar")).to_be_visible(timeout=45_000)
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_a_saved_list_loads_from_a_file(visit, tmp_path):
    from budgetmap.hearing import slide, to_json
    from budgetmap.view import SpendingView
    saved = tmp_path / "hearing.json"
    saved.write_text(to_json([slide("target", "demo", SpendingView(indicator="park_access_pct"), "Parks <b>first</b>"),
                              slide("spending", "demo", SpendingView(measure="total"), "Then the money")]),
                     encoding="utf-8")
    rec = projector(visit, "/Hearing?dataset=demo")
    rec.page.get_by_text("The hearing list: save, load, clear").click()
    rec.page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(saved))
    title = rec.page.locator(".bm-card h1")
    expect(title).to_have_text("Parks <b>first</b>", timeout=45_000)  # data text stays text
    rec.page.keyboard.press("PageDown")
    expect(title).to_have_text("Then the money", timeout=45_000)
    assert rec.page.locator(".bm-card b").count() == 0
    assert rec.console_errors() == []


INSIDE = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, right: r.right, bottom: r.bottom, w: r.width, h: r.height};
})"""


def _hex(css: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _fully_on_screen(page, selector):
    boxes = page.evaluate(INSIDE, selector)
    assert boxes, f"nothing matches {selector}"
    for box in boxes:
        assert box["w"] > 100 and box["h"] > 100, f"{selector} is not drawn: {box}"
        assert box["x"] >= 0 and box["y"] >= 0 and box["right"] <= 1280 and box["bottom"] <= 720, \
            f"{selector} runs off the 1280x720 screen: {box}"
    return boxes


def test_a_slide_map_and_its_legend_fill_1280x720_without_scrolling(visit):
    rec = projector(visit, "/Hearing?dataset=demo")
    page = rec.page
    assert page.evaluate("() => window.scrollY") == 0
    (frame,) = _fully_on_screen(page, MAP_FRAME)
    _fully_on_screen(page, ".bm-legend")
    assert frame["h"] >= 450 and frame["w"] >= 600, f"the map should fill the screen: {frame}"
    weights = rec.map_frame().evaluate("""() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => parseFloat(p.getAttribute('stroke-width')))""")
    assert min(weights) >= 2, f"outlines too thin for a projector: {sorted(set(weights))[:5]}"
    swatches = page.evaluate("""() => Array.from(document.querySelectorAll('.bm-swatch')).map(e => {
        const s = getComputedStyle(e); return [s.color, s.backgroundColor, e.textContent]; })""")
    assert len(swatches) >= 5
    for ink, fill, text in swatches:  # the counts written on the fills, as the browser paints them
        assert contrast(_hex(ink), _hex(fill)) >= 4.5, (text, ink, fill)
    page.screenshot(path="/tmp/hearing-1280.png")


def test_a_two_year_slide_draws_two_maps_with_one_legend(visit):
    rec = projector(visit, "/Hearing?dataset=demo&slide=7")
    page = rec.page
    expect(page.locator(".bm-card h1")).to_have_text("FY2021 and FY2025 side by side", timeout=45_000)
    frames = page.locator(MAP_FRAME)
    expect(frames).to_have_count(2, timeout=45_000)
    n = len(demo_districts())
    for i in range(2):
        frames.nth(i).content_frame.locator("body[data-painted]").wait_for(timeout=45_000)
        painted = frames.nth(i).content_frame.locator("path.leaflet-interactive")
        expect(painted).to_have_count(n, timeout=45_000)
    boxes = _fully_on_screen(page, MAP_FRAME)
    assert boxes[0]["right"] <= boxes[1]["x"], "side by side"
    assert page.locator(".bm-legend").count() == 1
    _fully_on_screen(page, ".bm-legend")
    titles = page.locator(".bm-map-title").all_inner_texts()
    assert titles == ["FY2021", "FY2025"]
    page.screenshot(path="/tmp/hearing-two-1280.png")
    assert rec.console_errors() == []


def test_the_high_contrast_switch_repaints_the_slide_in_the_contrast_palette(visit):
    from budgetmap.palettes import PALETTES
    rec = projector(visit, "/Hearing?dataset=demo")
    page = rec.page
    page.get_by_text("High-contrast colours (for a washed-out projector)").click()
    wanted = set(PALETTES["contrast"].colors(5))
    fills = """() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => (p.getAttribute('fill') || '').toLowerCase())"""
    frame = rec.map_frame()
    frame.wait_for_function(f"() => ({fills})().every(f => {sorted(wanted)!r}.includes(f))", timeout=45_000)
    assert set(frame.evaluate(fills)) == wanted  # all five classes drawn, in the contrast colours
    swatches = page.evaluate("() => Array.from(document.querySelectorAll('.bm-swatch'))"
                             ".map(e => getComputedStyle(e).backgroundColor)")
    assert {_hex(c) for c in swatches} >= wanted
    page.screenshot(path="/tmp/hearing-contrast-1280.png")
    assert rec.console_errors() == []
