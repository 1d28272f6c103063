"""The Clusters page in Chromium: the cluster map paints with its legend, and its table and summary are the CLI's."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import CHROMIUM, ROOT
from .test_map_browser import DEMO_MANIFEST, demo_districts, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
#: the same choices twice: as the page's address and as the command's flags
PAGE = "/Clusters?dataset=demo&year=2025&weights=rook"
FLAGS = ["--measure", "per_capita", "--year", "2025", "--weights", "rook"]
QUADRANT_FILLS = {"HH": "#d7191c", "LH": "#abd9e9", "LL": "#2c7bb6", "HL": "#fdae61"}


@pytest.fixture(scope="module")
def cli() -> dict:
    """``python -m budgetmap stats ... --json`` for the page's choices, run as a user would."""
    done = subprocess.run([sys.executable, "-m", "budgetmap", "stats", str(DEMO_MANIFEST), *FLAGS, "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def _legend(page) -> dict[str, int]:
    rows = page.locator(".bm-legend .bm-legend-row")
    expect(rows.first).to_be_attached()
    pairs = rows.evaluate_all("""rows => rows.map(r => [r.children[1].textContent,
                                                        r.children[2].textContent])""")
    return {label: int(count.strip("()")) for label, count in pairs}


def test_cluster_map_paints_with_its_legend_and_agrees_with_the_cli(visit, cli):
    districts = demo_districts()
    rec = visit(PAGE)
    # the server's first statistics import PySAL (seconds, more on a busy machine): wait for the title first
    expect(rec.page.get_by_role("heading", name="Local Moran (LISA) clusters and outliers", exact=False)
           ).to_be_visible(timeout=120_000)
    frame = rec.wait_for_map(len(districts))
    wait_for_script_done(rec.page)
    page = rec.page
    expect(page.locator(".bm-legend")).to_contain_text("LISA cluster, significant at p < 0.05 (999 permutations)")
    expect(page.locator(".bm-legend")).to_contain_text("Rook contiguity")

    # the colours drawn are the CLI's quadrants: significant ones in their colour, the rest "not significant"
    drawn = dict(frame.evaluate("""() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => [p.getAttribute('data-district'), p.getAttribute('data-fill')])"""))
    expected = {d: QUADRANT_FILLS[r["quadrant"]] if r["significant"] else "#eeeeee" for d, r in cli["lisa"].items()}
    assert drawn == expected
    significant = [d for d, r in cli["lisa"].items() if r["significant"]]
    assert 0 < len(significant) < len(districts), "the demo has significant and other districts"

    # every legend count is the CLI's, and every district is in exactly one entry
    legend = _legend(page)
    for code, word in (("HH", "High-high"), ("LH", "Low-high"), ("LL", "Low-low"), ("HL", "High-low")):
        count = next(n for label, n in legend.items() if label.startswith(word))
        assert count == sum(1 for r in cli["lisa"].values() if r["significant"] and r["quadrant"] == code), word
    assert legend["Not significant"] == len(cli["lisa"]) - len(significant)
    assert legend["No neighbour with a value: not tested"] == len(cli["islands"])
    assert legend["No data"] == len(cli["no_data"])
    assert sum(n for label, n in legend.items() if not label.startswith("Dashed")) == len(districts)

    # outliers carry their dashed outline, named by the rule
    outlined = frame.evaluate("""() => Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .filter(p => p.getAttribute('data-marks') === 'outlier').map(p => p.getAttribute('data-district'))""")
    assert sorted(outlined) == sorted(cli["outliers"]) and cli["outliers"]
    assert legend["Dashed: outlier by Tukey's fences (1.5 × IQR)"] == len(cli["outliers"])
    dashes = frame.evaluate(f"""() => document.querySelector(
        'path.leaflet-interactive[data-district="{cli["outliers"][0]}"]').getAttribute('stroke-dasharray')""")
    assert dashes and dashes.replace(",", " ").split() == ["9", "5"]
    # ...on solid white: a click-through copy fills the dashes' gaps, so they read on dark fills
    gaps = frame.evaluate("""() => Array.from(document.querySelectorAll('path.bm-gaps')).map(p =>
        [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray'), p.getAttribute('stroke-dashoffset'),
         p.getAttribute('fill'), p.getAttribute('d')])""")
    shapes = frame.evaluate("""(ids) => ids.map(id => document.querySelector(
        `path.leaflet-interactive[data-district="${id}"]`).getAttribute('d'))""", cli["outliers"])
    assert sorted(g[4] for g in gaps) == sorted(shapes), "one copy per outlined district, on its very outline"
    assert {tuple(g[:4]) for g in gaps} == {("#ffffff", "5 9", "5", "none")}

    # the summary under the map is the CLI's, word for word
    assert page.locator(".bm-summary").inner_text() == cli["summary"]
    metric = page.locator("[data-testid=stMetric]", has_text="Moran's I").locator("[data-testid=stMetricValue]")
    assert metric.inner_text() == f"{cli['moran']['I']:.3f}"

    # the table: one row per district with the CLI's quadrant and p-value
    cells = page.locator("[data-testid=stDataFrame] table tbody tr")
    expect(cells.first).to_be_attached()
    rows = cells.evaluate_all("rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.textContent))")
    header = page.locator("[data-testid=stDataFrame] table thead th").evaluate_all(
        "ths => ths.map(th => th.textContent.trim())")
    table = {row[header.index("ID")]: row for row in rows}
    assert set(table) == set(districts), "every district is a row of the table"
    for district, result in cli["lisa"].items():
        row = table[district]
        assert row[header.index("Quadrant")] == result["quadrant"]
        # the grid's accessible cells hold the numbers themselves, unformatted
        assert float(row[header.index("LISA p")]) == pytest.approx(result["p_sim"], abs=1e-12)
        assert float(row[header.index(cli["label"])]) == pytest.approx(cli["values"][district], rel=1e-12)
    assert rec.non_local_urls() == [] and rec.console_errors() == []
