"""The spending map in a real browser: painting, offline, hover, click, restyle, hostile names, keyboard.

One Streamlit server serves every test (see conftest.py); each test opens its own
browser context, so each is a fresh Streamlit session.
"""
from __future__ import annotations

import json
import re
import tomllib

import pytest

from .conftest import BOUNDARY_KEY, CHROMIUM, HOSTILE_IDS, HOSTILE_KEY, HOSTILE_NAMES, MAP_FRAME, ROOT

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402  (after the skip: only needed with a browser)

pytestmark = pytest.mark.browser

DEMO_MANIFEST = ROOT / "geodata" / "demo" / "manifest.toml"
PATHS = "path.leaflet-interactive"
SNAPSHOT = """() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
    .map(p => [p.getAttribute('data-district'), p.getAttribute('data-fill'), p.getAttribute('aria-label')])"""
#: A point inside the element that is really the top-most element there (a hover or a
#: click at the bounding-box centre can land on a neighbour for concave districts).
INSIDE_POINT = """(el) => {
    const r = el.getBoundingClientRect(), n = 12, pts = [];
    for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) pts.push([r.width * i / n, r.height * j / n]);
    pts.sort((a, b) => Math.hypot(a[0] - r.width / 2, a[1] - r.height / 2)
                     - Math.hypot(b[0] - r.width / 2, b[1] - r.height / 2));
    for (const [x, y] of pts) {
        if (document.elementFromPoint(r.left + x, r.top + y) === el) return {x: x, y: y};
    }
    return null;
}"""


# --------------------------------------------------------------------------- helpers

def demo_districts() -> dict[str, str]:
    """district id -> name, read from the demo's boundary file through its manifest."""
    manifest = tomllib.loads(DEMO_MANIFEST.read_text(encoding="utf-8"))["districts"]
    geo = json.loads((DEMO_MANIFEST.parent / manifest["path"]).read_text(encoding="utf-8"))
    name = manifest.get("name", manifest["id"])
    return {str(f["properties"][manifest["id"]]): str(f["properties"][name]) for f in geo["features"]}


def wait_for_script_done(page) -> None:
    """Streamlit has finished the current run (the attribute its own e2e tests use)."""
    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning",
                                                                   timeout=45_000)


def path_of(frame, district_id: str):
    return frame.locator(f'{PATHS}[data-district="{district_id}"]')


def inside(path) -> dict[str, float]:
    point = path.evaluate(INSIDE_POINT)
    assert point is not None, "no visible point inside the district"
    return point


def largest_districts(frame, count: int) -> list[str]:
    """Ids of the ``count`` districts with the biggest on-screen boxes (easy to hover)."""
    return frame.evaluate("""(n) => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => { const r = p.getBoundingClientRect(); return [r.width * r.height, p.getAttribute('data-district')]; })
        .sort((a, b) => b[0] - a[0]).slice(0, n).map(x => x[1])""", count)


def hover_tooltip_name(frame, district_id: str) -> str:
    """Hover a district and return its tooltip's .bm-name textContent (exactly, unnormalised)."""
    path = path_of(frame, district_id)
    path.hover(position=inside(path))
    tip = frame.locator(".leaflet-tooltip .bm-tip .bm-name")
    expect(tip).to_have_count(1)
    expect(tip).to_be_visible()
    return tip.evaluate("e => e.textContent")


def heading_texts(page) -> list[str]:
    """Exact text of every h3 on the main page (Streamlit keeps it in [data-heading-text])."""
    return page.locator("h3").evaluate_all(
        "hs => hs.map(h => (h.querySelector('[data-heading-text]') || h).textContent)")


def expect_selected(page, frame, district_id: str, name: str) -> None:
    """The side panel, the URL and the map all agree that ``district_id`` is selected."""
    expect(page).to_have_url(re.compile(rf"[?&]district={re.escape(district_id)}(&|$)"))
    page.wait_for_function("(n) => Array.from(document.querySelectorAll('h3 [data-heading-text]'))"
                           ".some(h => h.textContent === n)", arg=name)
    assert name in heading_texts(page)
    expect(page.get_by_text(re.compile(r"^Rank: (\d+ of \d+|—)$"))).to_have_count(1)
    expect(page.get_by_text(re.compile(r"^Population: "))).to_have_count(1)
    path = path_of(frame, district_id)
    expect(path).to_have_attribute("aria-pressed", "true")
    expect(path).to_have_attribute("stroke", "#000000")
    # Move the pointer off the map first: map.js's mouseover handler sets weight 3 even on
    # the selected district, so under the pointer its outline is 3, not 4 (reported).
    page.mouse.move(1, 1)
    expect(path).to_have_attribute("stroke-width", "4")
    others = frame.locator(f'{PATHS}[stroke-width="4"]')
    expect(others).to_have_count(1)


# --------------------------------------------------------------------------- a) painting

def test_demo_map_paints_one_path_per_district_with_a_fill(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo")
    frame = rec.wait_for_map(len(districts))
    rows = frame.evaluate(SNAPSHOT)
    assert len(rows) == len(districts)
    assert sorted(r[0] for r in rows) == sorted(districts)
    for district_id, fill, label in rows:
        assert fill and re.fullmatch(r"#[0-9a-fA-F]{6}", fill), f"{district_id} has data-fill {fill!r}"
        assert label and label.startswith(districts[district_id] + ": "), f"{district_id}: {label!r}"
    assert len({r[1] for r in rows}) > 1, "every district has the same colour: no classes drawn"


# --------------------------------------------------------------------------- b) offline, no errors

@pytest.mark.parametrize("path, ready", [
    ("/?dataset=demo", "Open the spending map"),
    ("/Spending_map?dataset=demo", None),
    ("/Load_report?dataset=demo", "Load report — "),
    ("/Targets?dataset=demo", None),
    ("/District_story?dataset=demo&district=D01", None),
    ("/Compare_years?dataset=demo", None),
    ("/Money_vs_results?dataset=demo", None),
])
def test_pages_stay_local_and_log_no_console_errors(visit, path, ready):
    rec = visit(path)
    if ready is None:
        rec.wait_for_map()
    else:
        expect(rec.page.get_by_text(ready).first).to_be_visible(timeout=45_000)
    wait_for_script_done(rec.page)
    rec.page.wait_for_load_state("networkidle", timeout=90_000)  # a loaded CI machine needs more than 30 s
    assert rec.requests, "no requests were recorded"
    if ready is None:  # the recording covers the component iframe too
        assert any("/component/ui.mapview.budgetmap_map/" in u and u.split("?")[0].endswith("leaflet.js")
                   for u in rec.requests), rec.requests
    # (A ':material/...:' page_icon fails here: Streamlit's frontend fetches that favicon
    # from fonts.gstatic.com. An emoji page_icon stays local, as a data: URL.)
    assert rec.non_local_urls() == []
    assert rec.console_errors() == []


# --------------------------------------------------------------------------- c) hover

def test_hover_shows_tooltip_with_name_and_rank(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo")
    frame = rec.wait_for_map(len(districts))
    district_id = largest_districts(frame, 1)[0]
    assert hover_tooltip_name(frame, district_id) == districts[district_id]
    tip = frame.locator(".leaflet-tooltip .bm-tip")
    expect(tip).to_contain_text(re.compile(rf"Rank: \d+ of {len(districts)}|Rank: —"))


# --------------------------------------------------------------------------- d) click

def test_click_selects_district(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo")
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    district_id = largest_districts(frame, 2)[1]
    path = path_of(frame, district_id)
    assert path.get_attribute("stroke-width") == "1"
    path.click(position=inside(path))
    expect_selected(rec.page, frame, district_id, districts[district_id])
    path = path_of(frame, district_id)
    path.hover(position=inside(path))
    assert path.get_attribute("stroke-width") == "4", "hovering the selected district keeps its outline"


# --------------------------------------------------------------------------- e) fast restyle

def test_fiscal_year_change_restyles_without_reloading_the_map(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo")
    page = rec.page
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(page)
    iframe = page.query_selector(MAP_FRAME)
    before = frame.evaluate(SNAPSHOT)
    painted = frame.evaluate("""() => { window.__bmMarker = 'kept';
        document.querySelectorAll('path.leaflet-interactive').forEach(p => { p.__bmNode = true; });
        return document.body.getAttribute('data-painted'); }""")

    slider = page.get_by_role("slider", name="Fiscal year")
    year_before = slider.get_attribute("aria-valuetext")
    slider.focus()
    page.keyboard.press("Home")
    expect(slider).not_to_have_attribute("aria-valuetext", year_before)
    frame.wait_for_function("""([painted, before]) => {
        if (document.body.getAttribute('data-painted') === painted) return false;
        const now = Array.from(document.querySelectorAll('path.leaflet-interactive'))
            .map(p => [p.getAttribute('data-district'), p.getAttribute('data-fill'), p.getAttribute('aria-label')]);
        return JSON.stringify(now) !== JSON.stringify(before);
    }""", arg=[painted, before], timeout=30_000)

    after = frame.evaluate(SNAPSHOT)
    assert len(after) == len(before) == len(districts)
    assert [r[0] for r in after] == [r[0] for r in before]
    assert any(a[1:] != b[1:] for a, b in zip(after, before)), "no fill or label changed"
    # same iframe element, same window (not reloaded), same SVG nodes (restyled, not rebuilt)
    assert iframe.evaluate("e => e.isConnected")
    assert iframe.content_frame() == frame
    assert frame.evaluate("() => window.__bmMarker") == "kept"
    assert frame.evaluate("""() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
                             .every(p => p.__bmNode === true)""")
    assert page.locator(MAP_FRAME).count() == 1


def test_year_before_the_boundaries_restyles_without_reloading_the_map(visit):
    rec = visit(f"/Spending_map?dataset={BOUNDARY_KEY}")
    page = rec.page
    frame = rec.wait_for_map(4)
    wait_for_script_done(page)
    note = page.get_by_text(re.compile("predates these boundaries"))
    expect(note).to_have_count(0)
    frame.evaluate("() => { window.__bmMarker = 'kept'; }")
    slider = page.get_by_role("slider", name="Fiscal year")
    slider.focus()
    page.keyboard.press("Home")  # FY2024 -> FY2023, before valid_from = 2024
    expect(note).to_have_count(1)
    wait_for_script_done(page)
    frame = rec.wait_for_map(4)  # the map iframe now on the page (a new one if it was remounted)
    assert frame.evaluate("() => window.__bmMarker") == "kept", "the map iframe was reloaded"


# --------------------------------------------------------------------------- f) hostile names

def _assert_nothing_injected(rec) -> None:
    for frame in rec.page.frames:
        assert frame.locator('img[src="x"]').count() == 0, f"an <img src=x> in {frame.url}"
        assert frame.locator('a[href^="javascript:" i]').count() == 0, f"a javascript: link in {frame.url}"
        assert frame.locator("b", has_text=re.compile(r"^bold$")).count() == 0, f"<b> rendered in {frame.url}"
        assert frame.locator(".katex").count() == 0, f"$..$ rendered as maths in {frame.url}"
        assert frame.locator("b", has_text=re.compile(r"^Score$")).count() == 0, f"a label rendered as HTML in {frame.url}"
    assert rec.dialogs == [], f"a JS dialog fired: {rec.dialogs}"


def test_hostile_names_show_as_literal_text_on_the_map(visit):
    rec = visit(f"/Spending_map?dataset={HOSTILE_KEY}")
    page = rec.page
    frame = rec.wait_for_map(len(HOSTILE_IDS))
    wait_for_script_done(page)
    names = dict(zip(HOSTILE_IDS, HOSTILE_NAMES))
    # the figures table (plain HTML, each row headed by its district) holds the names as text
    cells = page.locator("table.bm-figures tbody th")
    expect(cells.first).to_be_attached()
    texts = cells.evaluate_all("tds => tds.map(td => td.textContent)")
    for name in HOSTILE_NAMES:
        assert name in texts, f"{name!r} not in the table: {texts}"
    for district_id, name in names.items():
        assert hover_tooltip_name(frame, district_id) == name
        assert path_of(frame, district_id).get_attribute("aria-label").startswith(name + ": ")
    for district_id, name in names.items():
        path = path_of(frame, district_id)
        path.click(position=inside(path))
        expect_selected(page, frame, district_id, name)
        _assert_nothing_injected(rec)
    assert rec.console_errors() == []


@pytest.mark.parametrize("path, ready", [
    ("/", "Testville"), ("/Load_report", "Testville"), ("/Targets", "Testville"),
    ("/District_story", "district story"), ("/Compare_years", "Testville"), ("/Money_vs_results", "Testville"),
])
def test_hostile_names_inject_nothing_on_other_pages(visit, path, ready):
    query = f"?dataset={HOSTILE_KEY}&year=2024" + ("&district=A" if path != "/" else "")
    rec = visit(path + query)
    expect(rec.page.get_by_text(ready).first).to_be_visible(timeout=45_000)
    wait_for_script_done(rec.page)
    rec.page.wait_for_load_state("networkidle", timeout=90_000)  # a loaded CI machine needs more than 30 s
    _assert_nothing_injected(rec)
    # (requests and console errors of these pages are test_pages_stay_local_..._errors's job)


# --------------------------------------------------------------------------- g) keyboard

def test_tab_to_a_district_and_enter_selects_it(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo")
    page = rec.page
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(page)
    frame.locator("#map").focus()  # the Leaflet container, the stop before the districts
    focused = None
    for _ in range(5):
        page.keyboard.press("Tab")
        focused = frame.evaluate("""() => { const e = document.activeElement;
            return e && e.matches('path.leaflet-interactive') ? e.getAttribute('data-district') : null; }""")
        if focused:
            break
    assert focused in districts, "Tab never reached a district"
    page.keyboard.press("Enter")
    expect_selected(page, frame, focused, districts[focused])
    active = frame.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-district')")
    assert active == focused, "keyboard focus stays on the selected district"


@pytest.mark.parametrize("path, below", [("/Spending_map?dataset=demo", "The numbers behind the map"),
                                         ("/?dataset=demo", "Every dollar accounted for")])
def test_first_screen_paints_the_map_then_the_page_comes_round_it(visit, path, below):
    # ui/first_paint.py: a session's first run draws the map (and its legend) first; once the map
    # has painted, the rest of the page arrives around it, without reloading or recolouring the map
    rec = visit(path)
    frame = rec.wait_for_map(31)
    fills = frame.evaluate(SNAPSHOT)
    # the map was drawn as a first screen and said so (a whole first page would not ask it to)
    frame.wait_for_function("() => document.body.getAttribute('data-first-screen') === 'reported'", timeout=15_000)
    rec.page.evaluate("() => { for (const f of document.querySelectorAll('iframe')) f.contentWindow.bmKept = 1; }")
    expect(rec.page.get_by_role("heading", name=below)).to_be_visible(timeout=30_000)
    kept = rec.page.evaluate("() => [...document.querySelectorAll('iframe')].filter(f => f.src.includes('budgetmap_map'))"
                             ".map(f => f.contentWindow.bmKept || 0)")
    assert kept and all(kept), "the map's frame was reloaded when the rest of the page came"
    assert frame.evaluate(SNAPSHOT) == fills
    if "Spending_map" in path:
        expect(rec.page.get_by_role("slider", name="Fiscal year")).to_be_visible()
    assert rec.console_errors() == [] and rec.non_local_urls() == []


def test_a_fresh_servers_first_visit_to_a_permalink_goes_through_the_router(browser, tmp_path):
    # app_pages/, not pages/: with a pages/ folder Streamlit ran a fresh server's sessions in its old
    # folder mode, page files alone without app.py, until someone opened the home page
    from devtools.server import start_streamlit, stop_streamlit

    server = start_streamlit("app.py", log=tmp_path / "fresh.log")
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(server.url + "/Spending_map?dataset=demo")
        frame = page.wait_for_selector(MAP_FRAME, state="attached", timeout=120_000).content_frame()
        frame.wait_for_function("() => document.body.getAttribute('data-first-screen') === 'reported'",
                                timeout=120_000)
        nav = page.locator("[data-testid='stSidebarNav']")
        expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
        assert nav.get_by_role("link", name="app", exact=True).count() == 0
        context.close()
    finally:
        stop_streamlit(server)
