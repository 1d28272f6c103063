"""WCAG 2.1 AA, measured: axe-core on every page (and the offline HTML export), keyboard alone, 200% zoom.

axe-core is the npm registry package in devtools/a11y (installed by ``setup.sh --dev``),
injected into the page and the map's iframe by devtools/axe.py; the rules it runs are
WCAG 2.0/2.1 A and AA, and any rule switched off is listed with its reason in
``devtools.axe.DISABLED``. A page passes with no violation of impact serious or critical.
Signed-in pages are audited in test_auth_browser.py, against a real OpenID provider.
"""
from __future__ import annotations

import pytest

from devtools import axe

from .conftest import CHROMIUM, HOSTILE_KEY

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)
if not axe.available():
    pytest.skip("axe-core is missing: run scripts/setup.sh --dev", allow_module_level=True)

pytestmark = pytest.mark.browser

#: every page of the app, and the states of it a person reaches often (a district chosen,
#: another map kind, a hostile dataset whose names are markup-like text)
VIEWS = [
    "/", "/Spending_map", "/Spending_map?district=D07&scheme=quantiles", "/Load_report", "/Targets",
    "/District_story", "/Compare_years", "/Money_vs_results", "/Hearing", "/Add_your_data", "/Monitoring",
    "/Clusters", f"/Spending_map?dataset={HOSTILE_KEY}", f"/Targets?dataset={HOSTILE_KEY}", f"/?dataset={HOSTILE_KEY}",
]


def test_the_views_cover_every_page_of_the_navigation():
    from ui.navigation import PAGES
    covered = {v.split("?")[0].strip("/") for v in VIEWS}
    assert {p.url_path for p in PAGES} <= covered


def audit_view(rec, path: str) -> list[str]:
    """The serious and critical violations on ``path`` once it has settled, as text."""
    rec.goto(path)
    axe.settle(rec.page)
    return [str(v) for v in axe.audit(rec.page)]


@pytest.mark.parametrize("path", VIEWS)
def test_every_page_has_no_serious_or_critical_violation(visit, path):
    rec = visit(path, wait=False)
    assert audit_view(rec, path) == []


def test_the_audit_finds_violations_in_the_page_and_in_its_frames(browser):
    """The harness itself: a page with known faults, one of them inside a same-origin iframe (as the
    map's is). The pages are answered by routes, on a loopback address nothing listens on."""
    pages = {"/top.html": '<html lang="en"><title>t</title><main><h1>t</h1><img src="data:,">'
                          '<iframe title="inner" src="/inner.html"></iframe></main></html>',
             "/inner.html": '<html lang="en"><title>i</title><main>'
                            '<div role="list"><b>no items</b></div></main></html>'}
    context = browser.new_context()
    context.route("http://127.0.0.1:9/**", lambda route: route.fulfill(
        content_type="text/html", body=pages[route.request.url.removeprefix("http://127.0.0.1:9")]))
    page = context.new_page()
    try:
        page.goto("http://127.0.0.1:9/top.html")
        page.frames[-1].wait_for_load_state()
        rules = {v.rule: v for v in axe.audit(page)}
        assert "image-alt" in rules, rules
        assert "aria-required-children" in rules, "a violation inside the iframe is found"
        assert ">>>" in rules["aria-required-children"].nodes[0], "and located in the frame"
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["spending", "target"])
def test_the_offline_html_export_has_no_serious_or_critical_violation(browser, tmp_path, kind):
    """The file an analyst sends round, opened from disk. Its Content-Security-Policy forbids inline
    scripts it does not know, so the context bypasses CSP for axe's one injected script."""
    from budgetmap.dataset import open_dataset
    from budgetmap.maps import MAP_KINDS
    from budgetmap.render.standalone import standalone_html
    from budgetmap.view import SpendingView

    from .conftest import ROOT

    dataset = open_dataset(ROOT / "geodata" / "demo" / "manifest.toml")
    view = (SpendingView(measure="per_capita", fiscal_year=2025) if kind == "spending"
            else SpendingView(fiscal_year=2025, indicator="pavement_busy_good_fair"))
    spec = MAP_KINDS[kind](dataset, view)
    path = tmp_path / f"{kind}.html"
    path.write_text(standalone_html(spec, dataset.districts), encoding="utf-8")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-painted]")
        assert [str(v) for v in axe.audit(page)] == []
    finally:
        context.close()
