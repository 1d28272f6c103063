"""The monitoring page in Chromium: it paints its map and its list, the list is the CLI's JSON for the
same period, and replaying an earlier period with the picker changes both."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.view import SpendingView

from .conftest import CHROMIUM, ROOT
from .test_map_browser import DEMO_MANIFEST, demo_districts, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
PANEL = re.compile(r"(Red|Amber): (.+), \$([\d,]+\.\d\d) short \(\d+ opinions?\)$")


def cli_warnings(year: int, period: str) -> list[tuple[str, str, int]]:
    """(project, severity, shortfall cents) from `python -m budgetmap warnings --json`, as a job would run it."""
    out = subprocess.run([sys.executable, "-m", "budgetmap", "warnings", str(DEMO_MANIFEST), "--year", str(year),
                          "--period", period, "--json"], capture_output=True, text=True, cwd=ROOT, check=True,
                         timeout=120)
    document = json.loads(out.stdout)
    assert (document["year"], document["period"]) == (year, period)
    return [(w["project"], w["severity"], round(w["shortfall"] * 100)) for w in document["warnings"]]


def listed(page) -> list[tuple[str, str, int]]:
    """(project, severity, shortfall cents) of each warning on the page, in the page's order."""
    labels = page.locator("[data-testid=stExpander] summary").all_inner_texts()
    out = []
    for label in labels:
        match = PANEL.search(" ".join(label.split()))  # after the expander's icon
        if match:
            out.append((match[2], match[1].lower(), int(match[3].replace(",", "").replace(".", ""))))
    return out


def drawn(frame) -> dict[str, str]:
    return dict(frame.evaluate("""() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => [p.getAttribute('data-district'), p.getAttribute('data-fill')])"""))


def test_monitoring_page_paints_map_and_list_equal_to_the_cli_and_replays(visit):
    dataset = open_dataset(DEMO_MANIFEST)
    districts = demo_districts()
    rec = visit("/Monitoring?dataset=demo")
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    latest = MAP_KINDS["warning"](dataset, SpendingView())
    assert drawn(frame) == {f.district_id: f.fill for f in latest.features}
    expect(rec.page.locator(".bm-legend")).to_contain_text("Share of project budget behind plan")
    expect(rec.page.get_by_text("Watch list at FY2025 Q4")).to_be_visible()
    now = listed(rec.page)
    assert now, rec.page.locator("[data-testid=stExpander] summary").all_inner_texts()
    assert now == cli_warnings(2025, "Q4") and len(now) == 1
    expect(rec.page.locator("[data-testid=stDataFrame]").first).to_be_visible()

    rec.page.get_by_role("combobox", name="As of").click()  # the selectbox opens a listbox
    rec.page.get_by_role("option", name="FY2022 Q1", exact=True).click()
    expect(rec.page.get_by_text("Watch list at FY2022 Q1")).to_be_visible(timeout=45_000)
    wait_for_script_done(rec.page)
    earlier = MAP_KINDS["warning"](dataset, SpendingView(watch_period="2022Q1"))
    frame.wait_for_function("""(fills) => Object.entries(fills).every(([d, f]) =>
        document.querySelector(`path.leaflet-interactive[data-district="${d}"]`)?.getAttribute('data-fill') === f)""",
                            arg={f.district_id: f.fill for f in earlier.features}, timeout=45_000)
    assert drawn(frame) != {f.district_id: f.fill for f in latest.features}, "the map changed"
    then = listed(rec.page)
    assert then == cli_warnings(2022, "Q1") and len(then) == 3 and then != now, "the list changed"
    assert "period=2022Q1" in rec.page.url
    assert rec.non_local_urls() == [] and rec.console_errors() == [] and rec.dialogs == []
