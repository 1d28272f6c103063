"""Permalinks in a real browser: an address rebuilds the same map, and the link beside it gives it."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.permalink import view_from_params

from .conftest import CHROMIUM
from .test_map_browser import DEMO_MANIFEST, SNAPSHOT, demo_districts, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser


class Params(dict):
    """parse_qs output read the way Streamlit's query params are."""

    def get(self, key, default=None):
        value = super().get(key)
        return value[-1] if value else default

    def get_all(self, key):
        return super().get(key, [])


def expected(kind: str, url: str) -> dict[str, list]:
    """district -> [fill, label] of the map the address describes, built without the app."""
    view = view_from_params(Params(parse_qs(urlsplit(url).query)))
    spec = MAP_KINDS[kind](open_dataset(DEMO_MANIFEST), view)
    return {f.district_id: [f.fill, f"{f.name}: {f.label}"] for f in spec.features}


def drawn(frame) -> dict[str, list]:
    return {d: [fill, label] for d, fill, label in frame.evaluate(SNAPSHOT)}


@pytest.mark.parametrize("kind, path", [
    ("spending", "/Spending_map?dataset=demo&measure=total&year=2022&dept=Parks+%26+Recreation"
                 "&scheme=equal_interval&k=4&palette=cividis&district=D03"),
    ("target", "/Targets?dataset=demo&indicator=response_time_min&year=2023&lock=2021&div=PuOr"),
    ("change", "/Compare_years?dataset=demo&measure=total&year=2025&base=2022&change=percent"),
])
def test_an_address_rebuilds_the_same_map_description(visit, kind, path):
    rec = visit(path)
    frame = rec.wait_for_map(len(demo_districts()))
    wait_for_script_done(rec.page)
    assert drawn(frame) == expected(kind, rec.page.url)
    assert drawn(frame) == expected(kind, rec.base + path), "the page kept every parameter it was given"
    if kind == "spending":
        expect(rec.page.locator("h3").filter(has_text=demo_districts()["D03"])).to_have_count(1)
    assert rec.non_local_urls() == [] and rec.console_errors() == []


def test_the_copied_link_reopens_the_view_in_a_new_session(visit):
    rec = visit("/Spending_map?dataset=demo")
    frame = rec.wait_for_map(len(demo_districts()))
    wait_for_script_done(rec.page)
    slider = rec.page.get_by_role("slider").first
    seq = int(frame.evaluate("() => document.body.dataset.paintSeq"))
    slider.focus()
    slider.press("Home")  # the first fiscal year
    wait_for_script_done(rec.page)
    rec.page.wait_for_function("() => new URL(location.href).searchParams.get('year') === '2021'")
    # the map's repaint (fills and names together) may land after the script run
    frame.wait_for_function("(seq) => Number(document.body.dataset.paintSeq) > seq && document.body.dataset.painted",
                            arg=seq, timeout=60_000)
    box = rec.page.locator("a.bm-permalink").first
    expect(box).to_contain_text("year=2021")  # the link is drawn later in the run than the URL is set
    link = box.inner_text().strip()
    assert box.get_attribute("href") == link, "copying the link or its text gives the same address"
    assert parse_qs(urlsplit(link).query) == parse_qs(urlsplit(rec.page.url).query)
    before = drawn(frame)
    again = visit(link.replace(urlsplit(link).scheme + "://" + urlsplit(link).netloc, ""))
    frame = again.wait_for_map(len(before))
    wait_for_script_done(again.page)
    assert drawn(frame) == before
