"""The standalone map file opened from disk in Chromium: offline, painted, hover, hostile names.

No server: the file is written to tmp and opened with file://. Every request the
page makes is recorded; the only one allowed is the file itself.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit
from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.mapspec import MapSpec
from budgetmap.render.standalone import standalone_html
from budgetmap.view import SpendingView

from .conftest import CHROMIUM, HOSTILE_IDS, HOSTILE_NAMES, NON_LOCAL, ROOT, is_local
from .test_map_browser import INSIDE_POINT

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

DEMO = ROOT / "geodata" / "demo" / "manifest.toml"
PATHS = "path.leaflet-interactive"


class Opened:
    """A standalone file open in a fresh context, with everything it asked for."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.context.set_default_timeout(20_000)
        self.requests: list[str] = []
        self.problems: list[str] = []  # console errors (CSP violations among them), page errors, dialogs
        self.context.on("request", lambda req: self.requests.append(req.url))
        self.context.route(NON_LOCAL, lambda route: route.abort())  # recorded above, then refused
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.problems.append(f"console {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.problems.append(f"pageerror {exc}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog {d.message}"), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-painted]")

    def painted(self) -> dict[str, tuple[str, str]]:
        """district id -> (fill attribute, data-pattern) of every interactive path."""
        rows = self.page.eval_on_selector_all(PATHS, """ps => ps.map(p =>
            [p.getAttribute('data-district'), p.getAttribute('fill'), p.getAttribute('data-pattern')])""")
        assert len(rows) == len({r[0] for r in rows}), "one path per district"
        return {r[0]: (r[1], r[2]) for r in rows}

    def hover_tip(self, district_id: str) -> list[str]:
        """Hover inside a district; the tooltip's name, then each 'key: value' line, as text."""
        path = self.page.locator(f'{PATHS}[data-district="{district_id}"]')
        point = path.evaluate(INSIDE_POINT)
        assert point is not None, f"no visible point inside {district_id}"
        path.hover(position=point)
        tip = self.page.locator(".leaflet-tooltip .bm-tip")
        expect(tip).to_have_count(1)
        expect(tip).to_be_visible()
        return tip.evaluate("t => [t.querySelector('.bm-name').textContent,"
                            " ...Array.from(t.querySelectorAll('div')).map(d => d.textContent)]")

    def stayed_home(self) -> None:
        off = [u for u in self.requests if urlsplit(u).scheme not in ("file", "data") and not is_local(u)]
        assert off == [], f"requests to other hosts: {off}"
        assert self.requests == [self.url], f"the file asked for more than itself: {self.requests}"
        assert self.problems == []


@pytest.fixture
def opened(browser, tmp_path):
    pages: list[Opened] = []

    def open_spec(spec: MapSpec, districts, name: str) -> Opened:
        path = tmp_path / f"{name}.html"
        path.write_text(standalone_html(spec, districts), encoding="utf-8")
        pages.append(Opened(browser, path))
        return pages[-1]

    yield open_spec
    for page in pages:
        page.context.close()


def expected_tip(spec: MapSpec, district_id: str) -> list[str]:
    name, *rows = spec.tooltip_rows(spec.feature(district_id))
    return [name, *(f"{k}: {v}" for k, v in rows)]


def test_demo_spending_map_works_offline(opened):
    dataset = open_dataset(DEMO)
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="per_capita", fiscal_year=2025))
    page = opened(spec, dataset.districts, "spending")
    assert page.painted() == {f.district_id: (f.fill, "") for f in spec.features}
    assert page.page.title() == spec.title
    expect(page.page.locator("#bm-title")).to_have_text(spec.title)
    from budgetmap.summary import describe
    expect(page.page.locator("#bm-notes p").first).to_have_text(describe(spec))  # the map in words
    legend = page.page.locator("#bm-legend .bm-legend-row")
    expect(legend).to_have_count(len(spec.legend))
    assert legend.evaluate_all("rs => rs.map(r => r.children[1].textContent)") == [e.label for e in spec.legend]
    expect(page.page.locator("#bm-reconciliation")).to_have_text("Reconciliation: " + spec.reconciliation_text)
    biggest = max(spec.features, key=lambda f: f.value or 0).district_id
    assert page.hover_tip(biggest) == expected_tip(spec, biggest)
    # a click selects: outline, and the district's figures beside the map
    path = page.page.locator(f'{PATHS}[data-district="{biggest}"]')
    path.click(position=path.evaluate(INSIDE_POINT))
    expect(path).to_have_attribute("aria-pressed", "true")
    expect(page.page.locator("#bm-detail .bm-name")).to_have_text(spec.feature(biggest).name)
    # pan and zoom are Leaflet's own
    before = page.page.eval_on_selector(PATHS, "p => p.getBBox().width")
    page.page.locator(".leaflet-control-zoom-in").click()
    page.page.wait_for_function("w => document.querySelector('path.leaflet-interactive').getBBox().width > w * 1.5",
                                arg=before)
    page.stayed_home()


def test_target_map_paints_goal_fills_and_hatches(opened):
    dataset = open_dataset(DEMO)
    spec = MAP_KINDS["target"](dataset, SpendingView(indicator="pavement_busy_good_fair", fiscal_year=2025))
    page = opened(spec, dataset.districts, "target")
    assert page.painted() == {f.district_id: (f.fill, f.pattern) for f in spec.features}
    assert any(f.pattern == "hatch" for f in spec.features)
    hatched = page.page.eval_on_selector_all("path:not(.leaflet-interactive)",
                                             "ps => ps.filter(p => p.getAttribute('fill-opacity') === '1').length")
    assert hatched == sum(f.pattern == "hatch" for f in spec.features), "the pattern layer shows on misses only"
    expect(page.page.locator("#bm-legend-title")).to_have_text(spec.measure_label)
    first = spec.features[0].district_id
    assert page.hover_tip(first) == expected_tip(spec, first)
    page.stayed_home()


@pytest.mark.parametrize("kind", ["spending", "target"])
def test_hostile_names_stay_literal_text(opened, hostile_manifest, kind):
    dataset = open_dataset(hostile_manifest)
    view = SpendingView(measure="total", fiscal_year=2024, indicator="score")
    spec = MAP_KINDS[kind](dataset, view)
    page = opened(spec, dataset.districts, kind)
    assert set(page.painted()) == set(HOSTILE_IDS)
    for district_id, name in zip(HOSTILE_IDS, HOSTILE_NAMES):
        assert spec.feature(district_id).name == name
        assert page.hover_tip(district_id) == expected_tip(spec, district_id)
        path = page.page.locator(f'{PATHS}[data-district="{district_id}"]')
        path.click(position=path.evaluate(INSIDE_POINT))
        expect(page.page.locator("#bm-detail .bm-name")).to_have_text(name)
    cells = page.page.locator("#bm-table td").evaluate_all("tds => tds.map(td => td.textContent)")
    assert set(HOSTILE_NAMES) <= set(cells)
    expect(page.page.locator("#bm-legend-title")).to_have_text(spec.measure_label)
    expect(page.page.locator("#bm-title")).to_have_text(spec.title)
    assert page.page.title() == spec.title
    body = page.page.locator("body")
    assert body.locator('img, a[href^="javascript:" i]').count() == 0
    assert body.locator("b", has_text=re.compile(r"^(bold|Score)$")).count() == 0
    page.stayed_home()
