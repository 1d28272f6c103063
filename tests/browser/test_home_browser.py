"""The home page in a real browser at 1280x720: both maps and their legends drawn above the fold,
a click on a district opens its story, and an old permalink still opens its page with its view."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import CHROMIUM, MAP_FRAME
from .test_map_browser import PATHS, demo_districts, inside, largest_districts, path_of, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/home-1280.png"
PAINTED = """(n) => document.body && document.body.hasAttribute('data-painted')
                    && document.querySelectorAll('path.leaflet-interactive').length === n"""


def home_maps(rec, count: int) -> list:
    """The home page's two map frames, once both have painted ``count`` districts."""
    rec.page.wait_for_selector(MAP_FRAME, state="attached", timeout=120_000)
    expect(rec.page.locator(MAP_FRAME)).to_have_count(2, timeout=60_000)
    frames = [h.content_frame() for h in rec.page.query_selector_all(MAP_FRAME)]
    for frame in frames:
        frame.wait_for_function(PAINTED, arg=count, timeout=60_000)
    return frames


def test_the_home_page_shows_both_maps_above_the_fold_and_a_click_opens_the_story(visit):
    districts = demo_districts()
    rec = visit("/", wait=False)
    rec.page.set_viewport_size({"width": 1280, "height": 720})
    rec.goto("/")
    spending, target = home_maps(rec, len(districts))
    wait_for_script_done(rec.page)
    boxes = [h.bounding_box() for h in rec.page.query_selector_all(MAP_FRAME)]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"], "side by side, the spending map on the left"
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2, "at the same height"
    assert all(b["y"] + b["height"] <= 720 for b in boxes), "both maps whole above the fold at 1280x720"
    legends = [lg.bounding_box() for lg in rec.page.query_selector_all(".bm-legend")]
    assert len(legends) == 2 and all(b["y"] + b["height"] <= 720 for b in legends), \
        "and their legends: a projected map without its key cannot be read"
    assert rec.page.evaluate("() => document.documentElement.scrollWidth") <= 1280, "no sideways scrolling"
    expect(rec.page.get_by_role("link", name="Home")).to_be_visible()
    assert rec.page.get_by_role("link", name="app", exact=True).count() == 0, "no 'app' entry in the navigation"
    rec.page.screenshot(path=SCREENSHOT)
    district_id = largest_districts(target, 1)[0]
    path = path_of(target, district_id)
    path.click(position=inside(path))
    rec.page.wait_for_url("**/District_story**", timeout=60_000)
    expect(rec.page.locator("h1").filter(has_text="District story")).to_have_count(1, timeout=60_000)
    expect(rec.page.locator("h3").filter(has_text=districts[district_id])).to_have_count(1, timeout=60_000)
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_an_old_spending_map_permalink_opens_the_spending_map_with_its_view(visit):
    districts = demo_districts()
    rec = visit("/Spending_map?dataset=demo&measure=total&year=2022&district=D03")
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    assert urlsplit(rec.page.url).path == "/Spending_map"
    expect(rec.page.get_by_role("slider", name="Fiscal year")).to_have_attribute("aria-valuetext", "FY2022")
    expect(rec.page.locator("h3").filter(has_text=districts["D03"])).to_have_count(1)
    assert frame.locator(f'{PATHS}[data-district="D03"]').get_attribute("stroke-width") == "4", "D03 is selected"
    assert rec.page.title().startswith("Spending map")
    assert rec.non_local_urls() == [] and rec.console_errors() == []
