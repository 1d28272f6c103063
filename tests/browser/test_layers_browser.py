"""Two boundary layers in a real browser: the picker repaints the map on the other layer; projects are dots."""
from __future__ import annotations

import re

import pytest

from .conftest import CHROMIUM, LAYERED_KEY

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
DISTRICTS = """() => Object.fromEntries(Array.from(document.querySelectorAll('path[data-district]'))
    .map(p => [p.getAttribute('data-district'), p.getAttribute('aria-label')]))"""
POINTS = """() => Array.from(document.querySelectorAll('[data-point]')).map(p => p.getAttribute('data-point')).sort()"""


def _painted_with(frame, ids: list[str]) -> None:
    frame.wait_for_function("""(ids) => document.body.hasAttribute('data-painted') &&
        JSON.stringify(Array.from(document.querySelectorAll('path[data-district]'))
            .map(p => p.getAttribute('data-district')).sort()) === JSON.stringify(ids)""",
                            arg=sorted(ids), timeout=45_000)


def test_the_layer_picker_repaints_on_the_other_layer_and_projects_are_drawn(visit):
    rec = visit(f"/Spending_map?dataset={LAYERED_KEY}&measure=total&year=2025")
    page = rec.page
    frame = rec.map_frame()
    _painted_with(frame, ["A", "B", "C", "D"])
    labels = frame.evaluate(DISTRICTS)
    assert labels["A"] == "A: $1,300" and labels["D"] == "D: $200"  # pond + corner; bridge less its refund
    dots = frame.evaluate(POINTS)
    assert dots == sorted(["Pond (Parks): $1,000.00", "Bridge (Roads): $250.50", "Bridge refund (Roads): -$50.25",
                           "Far away (Roads): $77.00", "Corner (Parks): $300.00"])

    page.get_by_role("combobox", name="Boundaries").click()  # the selectbox opens a listbox
    page.get_by_role("option", name="East and west").click()
    _painted_with(rec.map_frame(), ["E", "W"])
    frame = rec.map_frame()
    labels = frame.evaluate(DISTRICTS)
    assert labels == {"W": "W: $1,000", "E": "E: $500"}  # the corner project belongs to E on this layer
    assert frame.evaluate(POINTS) == dots  # the same projects, over the new shapes
    expect(page).to_have_url(re.compile(r"layer=halves"))
    expect(page.get_by_text(re.compile(r"\$82\.00 with no location"))).to_be_visible()
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_a_layer_in_the_url_reopens_on_that_layer(visit):
    rec = visit(f"/Spending_map?dataset={LAYERED_KEY}&measure=total&year=2025&layer=halves")
    _painted_with(rec.map_frame(), ["E", "W"])


def test_the_targets_page_switches_to_the_layer_of_its_indicators(visit):
    rec = visit(f"/Targets?dataset={LAYERED_KEY}&year=2025")
    page = rec.page
    _painted_with(rec.map_frame(), ["A", "B", "C", "D"])
    assert rec.map_frame().evaluate(DISTRICTS)["B"] == "B: 80.0%"  # curb ramps, by ward
    page.get_by_role("combobox", name="Boundaries").click()
    page.get_by_role("option", name="East and west").click()
    _painted_with(rec.map_frame(), ["E", "W"])
    assert rec.map_frame().evaluate(DISTRICTS) == {"W": "W: 30.0%", "E": "E: 45.0%"}  # tree canopy, by half
    expect(page).to_have_url(re.compile(r"layer=halves"))
    expect(page.get_by_text("Tree canopy", exact=False).first).to_be_visible()
    assert rec.non_local_urls() == [] and rec.console_errors() == []
