"""Targets, district story, compare and money-vs-results pages in a real browser."""
from __future__ import annotations

import re

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.target_map import build_target_map
from budgetmap.view import SpendingView

from .conftest import CHROMIUM, HOSTILE_KEY, MAP_FRAME
from .test_map_browser import (DEMO_MANIFEST, demo_districts, inside, largest_districts, path_of,
                               wait_for_script_done)

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
TARGETS = "/Targets?dataset=demo&indicator=pavement_busy_good_fair&year=2025"


@pytest.fixture(scope="module")
def demo_target_spec():
    """The target map the page should draw, built directly from the domain package."""
    return build_target_map(open_dataset(DEMO_MANIFEST),
                            SpendingView(indicator="pavement_busy_good_fair", fiscal_year=2025))


def test_target_map_paints_with_goal_legend_and_hatched_misses(visit, demo_target_spec):
    districts = demo_districts()
    rec = visit(TARGETS)
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    legend = rec.page.locator(".bm-legend")
    expect(legend).to_contain_text("Goal: 80.0% (FY2025)")
    drawn = dict(frame.evaluate("""() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => [p.getAttribute('data-district'), [p.getAttribute('data-fill'), p.getAttribute('data-pattern')]])"""))
    expected = {f.district_id: [f.fill, f.pattern] for f in demo_target_spec.features}
    assert drawn == expected, "the browser map and the map description agree, district by district"
    hatched = frame.evaluate("""() => Array.from(document.querySelectorAll('path:not(.leaflet-interactive)'))
        .filter(p => p.getAttribute('fill') === 'url(#bm-hatch)' && p.getAttribute('fill-opacity') === '1').length""")
    misses = sum(1 for f in demo_target_spec.features if f.pattern == "hatch")
    assert 0 < misses < len(districts) and hatched == misses, "misses are hatched, not only coloured"
    assert frame.locator("pattern#bm-hatch").count() == 1
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_target_tooltip_shows_actual_goal_and_gap(visit):
    rec = visit(TARGETS)
    frame = rec.wait_for_map()
    district_id = largest_districts(frame, 1)[0]
    path = path_of(frame, district_id)
    path.hover(position=inside(path))
    tip = frame.locator(".leaflet-tooltip .bm-tip")
    expect(tip).to_contain_text("Busy streets in good or fair condition: ")
    expect(tip).to_contain_text("Goal: 80.0%")
    expect(tip).to_contain_text(re.compile(r"Gap: [\d.]+ points (short of|better than) the goal|exactly at the goal"))


def test_click_on_target_map_opens_the_story_and_the_url_reopens_it(visit, browser):
    districts = demo_districts()
    rec = visit(TARGETS)
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    district_id = largest_districts(frame, 1)[0]
    path = path_of(frame, district_id)
    path.click(position=inside(path))
    name = districts[district_id]
    expect(rec.page).to_have_url(re.compile(rf"[?&]district={district_id}(&|$)"))
    story = rec.page.get_by_role("heading", name=f"{name} — district story")
    expect(story).to_be_visible(timeout=45_000)
    expect(rec.page.get_by_text(re.compile(r"meets \d+ of \d+ goals"))).to_be_visible()
    link = rec.page.get_by_role("link", name=f"Open the story of {name}")
    link.click()
    expect(rec.page).to_have_url(re.compile(r"/District_story\?.*district=" + district_id))
    expect(rec.page.get_by_role("heading", name=f"{name} — district story")).to_be_visible(timeout=45_000)
    url = rec.page.url
    again = visit(url.replace(rec.base, ""))  # a fresh session from the copied address
    expect(again.page.get_by_role("heading", name=f"{name} — district story")).to_be_visible(timeout=45_000)
    frame = again.wait_for_map(len(districts))
    expect(path_of(frame, district_id)).to_have_attribute("aria-pressed", "true")
    assert again.non_local_urls() == [] and again.console_errors() == []


def test_side_by_side_years_paint_two_maps_with_one_legend_scale(visit):
    districts = demo_districts()
    rec = visit("/Compare_years?dataset=demo&compare=side_years&base=2021&year=2025")
    wait_for_script_done(rec.page)
    frames = rec.page.locator(MAP_FRAME)
    expect(frames).to_have_count(2, timeout=45_000)
    for i in range(2):
        frame = frames.nth(i).element_handle().content_frame()
        frame.wait_for_function("(n) => document.querySelectorAll('path.leaflet-interactive').length === n",
                                arg=len(districts), timeout=45_000)
    legends = rec.page.locator(".bm-legend").all_inner_texts()
    assert len(legends) == 2
    strip = [re.sub(r"\(\d+\)", "", text).split("Zero")[0] for text in legends]
    assert strip[0] == strip[1], "both years are drawn with the same class breaks"
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_money_vs_results_paints_map_and_scatter(visit):
    districts = demo_districts()
    rec = visit("/Money_vs_results?dataset=demo&indicator=pavement_busy_good_fair")
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    fills = set(frame.evaluate("() => Array.from(document.querySelectorAll('path.leaflet-interactive'))"
                               ".map(p => p.getAttribute('data-fill'))"))
    assert len(fills) >= 5, "a 3x3 bivariate scheme"
    expect(rec.page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=45_000)
    expect(rec.page.get_by_text("Spend more than average and still miss the goal")).to_be_visible()
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_chosen_dataset_survives_moving_between_pages(visit):
    rec = visit(f"/?dataset={HOSTILE_KEY}")
    wait_for_script_done(rec.page)
    nav = rec.page.get_by_test_id("stSidebarNavItems")
    for page in ("Spending map", "Targets", "Compare years"):
        nav.get_by_role("link", name=page).click()
        expect(rec.page).to_have_url(re.compile(rf"[?&]dataset={HOSTILE_KEY}(&|$)"), timeout=45_000)
