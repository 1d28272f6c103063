"""Keyboard alone: every task a mouse user does on the spending map, by Tab, arrows and Enter.

No click, no hover and no ``.focus()`` in the tasks: only key presses, from the page's
first load. Along the way every Tab stop is checked for a visible focus indicator: the
stop's surroundings, screenshotted focused and then blurred, must differ (WCAG 2.4.7).
The page is also checked at 200% zoom (1280 px wide: a 640 px CSS viewport at device
scale 2): no horizontal scrolling of text (WCAG 1.4.10), and a screenshot for a person.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtools import axe

from .conftest import CHROMIUM
from .test_map_browser import demo_districts, expect_selected, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

#: what has focus, through same-origin iframes (the map's): a description and its box on the page
ACTIVE = """() => {
  let doc = document, el = doc.activeElement, dx = 0, dy = 0, framed = false;
  while (el && el.tagName === 'IFRAME' && el.contentDocument) {
    const r = el.getBoundingClientRect(); dx += r.left; dy += r.top; framed = true;
    doc = el.contentDocument; el = doc.activeElement;
  }
  if (!el || el === doc.body) return null;
  window.__bmFocused = el;
  // the data grid moves focus among hidden cells of its own: its ring is the grid's box
  const r = (el.closest('[data-testid=stDataFrame]') || el).getBoundingClientRect();
  const tid = el.closest('[data-testid]');
  return {tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '',
          name: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 80),
          district: el.getAttribute('data-district'), testid: tid ? tid.getAttribute('data-testid') : '',
          href: el.getAttribute('href') || '', framed,
          box: {x: r.left + dx, y: r.top + dy, width: r.width, height: r.height}};
}"""


#: blur the focused element, and whatever takes focus on its blur (the data grid hands it to its canvas)
BLUR = """() => {
  const doc = window.__bmFocused.ownerDocument;
  window.__bmFocused.blur();
  for (let i = 0; i < 3 && doc.activeElement && doc.activeElement !== doc.body; i++) doc.activeElement.blur();
}"""


#: focus the stop again, if it is still on the page
REFOCUS = """() => { const el = window.__bmFocused;
  if (!el || !el.isConnected) return false;
  el.focus({preventScroll: true}); return el.ownerDocument.activeElement === el; }"""


def active(page) -> dict | None:
    return page.evaluate(ACTIVE)


def focus_shows(page, stop: dict) -> bool:
    """True when the focused element's surroundings look different once it is blurred."""
    box, pad = stop["box"], 10
    view = page.viewport_size
    x, y = max(0.0, box["x"] - pad), max(0.0, box["y"] - pad)
    clip = {"x": x, "y": y, "width": min(view["width"] - x, box["width"] + 2 * pad),
            "height": min(view["height"] - y, box["height"] + 2 * pad)}
    if clip["width"] <= 0 or clip["height"] <= 0:
        return True  # off screen: the browser scrolls a focused element into view; nothing to compare
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate(BLUR)
    blurred = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => window.__bmFocused.focus({preventScroll: true})")
    return focused != blurred


class Keyboard:
    """Tab through the page, checking each stop's focus indicator, until a stop matches."""

    def __init__(self, page):
        self.page = page
        self.unseen: list[str] = []  # stops whose focus did not show

    def check(self, stop: dict) -> None:
        """Note the stop when its focus does not show, looked at twice: a map's first paint may start
        one more script run, which redraws the page around the stop while it is screenshotted."""
        if focus_shows(self.page, stop):
            return
        axe.settle(self.page)
        if self.page.evaluate(REFOCUS):  # the same element has focus again: look at it once more
            again = active(self.page)
            if again is not None and focus_shows(self.page, again):
                return
        self.unseen.append(f"{stop['tag']}[{stop['role']}] {stop['name']!r} ({stop['testid']})")

    def tab_to(self, wanted, limit: int = 120, key: str = "Tab") -> dict:
        trail: list[str] = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            stop = active(self.page)
            if stop is None:
                continue
            trail.append(f"{stop['tag']} {stop['name'][:30]!r} {stop['testid']}")
            self.check(stop)
            if wanted(stop):
                return stop
        raise AssertionError(f"{limit} presses of {key} never reached the stop wanted; the last stops: "
                             + " | ".join(trail[-12:]))

    def walk(self, limit: int = 150) -> int:
        """Tab through every stop once (until the first comes round again); the number of stops."""
        first = None
        for count in range(limit):
            self.page.keyboard.press("Tab")
            stop = active(self.page)
            if stop is None:
                continue
            key = (stop["tag"], stop["name"], stop["testid"], stop["district"])
            if key == first:
                return count
            first = first or key
            self.check(stop)
        return limit


@pytest.mark.parametrize("path", ["/", "/Targets", "/District_story", "/Compare_years", "/Money_vs_results",
                                  "/Monitoring", "/Hearing", "/Load_report", "/Clusters"])
def test_focus_is_visible_at_every_tab_stop(visit, path):
    rec = visit(path, wait=False)
    rec.goto(path)
    axe.settle(rec.page)
    keys = Keyboard(rec.page)
    stops = keys.walk()
    assert stops > 5, "the page has its widgets in the tab order"
    assert keys.unseen == [], "focus must always be visible"


def test_every_map_task_by_keyboard_alone(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo")
    page = rec.page
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(page)
    keys = Keyboard(page)

    # change a filter: the fiscal year slider, one year back
    keys.tab_to(lambda s: s["testid"] == "stSlider" and s["name"] == "Fiscal year")
    before = frame.evaluate("() => window.budgetmapMap.ids().map(id => window.budgetmapMap.fill(id)).join()")
    seq = frame.evaluate("() => document.body.getAttribute('data-paint-seq')")
    page.keyboard.press("ArrowLeft")
    frame.wait_for_function("(s) => document.body.getAttribute('data-paint-seq') !== s "
                            "&& document.body.hasAttribute('data-painted')", arg=seq, timeout=60_000)
    wait_for_script_done(page)
    expect(page).to_have_url(re.compile(r"[?&]year=2024(&|$)"))
    after = frame.evaluate("() => window.budgetmapMap.ids().map(id => window.budgetmapMap.fill(id)).join()")
    assert after != before, "the map repainted for the other year"

    # choose a district on the map
    stop = keys.tab_to(lambda s: s["district"] is not None)
    page.keyboard.press("Enter")
    expect_selected(page, frame, stop["district"], districts[stop["district"]])

    # download: the popover, then one of its files
    keys.tab_to(lambda s: s["testid"] == "stPopoverButton" and "Download" in s["name"])
    page.keyboard.press("Enter")
    with page.expect_download(timeout=60_000) as download:
        keys.tab_to(lambda s: s["tag"] == "button" and "CSV" in s["name"])
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    page.keyboard.press("Escape")

    # open the chosen district's story
    name = districts[stop["district"]]
    keys.tab_to(lambda s: s["tag"] == "a" and s["name"].endswith(f"Open the story of {name}"))  # after its icon
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/District_story\b"))
    expect(page.get_by_role("heading", name=name).first).to_be_visible(timeout=60_000)

    assert keys.unseen == [], "focus must always be visible"


def test_the_map_page_reflows_at_200_percent_zoom(browser, app_server, tmp_path):
    """1280 px at 200%: a 640 px wide CSS viewport at device scale 2. Nothing scrolls sideways."""
    context = browser.new_context(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    page = context.new_page()
    try:
        for path in ("/Spending_map", "/Targets", "/District_story", "/"):
            page.goto(app_server.url + path)
            wait_for_script_done(page)
            page.wait_for_timeout(500)
            # WCAG 1.4.10 exempts data tables (two-dimensional by meaning): a table may scroll
            # sideways inside its own box, as long as the page itself does not
            wide = page.evaluate("""() => {
                const w = document.documentElement.clientWidth;
                const inScrolledTable = e => {
                  const t = e.closest('table, [data-testid=stDataFrame]');
                  for (let p = t && t.parentElement; p; p = p.parentElement) {
                    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
                  }
                  return false;
                };
                return Array.from(document.querySelectorAll('p, h1, h2, h3, li, label, td, th, span'))
                  .filter(e => e.offsetParent !== null && e.textContent.trim() && !inScrolledTable(e))
                  .filter(e => { const r = e.getBoundingClientRect(); return r.right > w + 1; })
                  .slice(0, 5).map(e => e.textContent.trim().slice(0, 60));
            }""")
            scroll = page.evaluate("() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
            assert scroll <= 1 and wide == [], f"{path}: page {scroll}px wider than the viewport; text out: {wide}"
        page.goto(app_server.url + "/Spending_map")
        wait_for_script_done(page)
        shot = Path(tmp_path / "zoom200-spending.png")
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
