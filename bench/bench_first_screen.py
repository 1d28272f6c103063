"""The session's first screen (ui/first_paint.py) against whole first pages, the naive page and the floor.

Four servers run at once and their first visits are interleaved, one fresh browser
context each, so a slow moment of the shared machine falls on every app alike:

* ``floor``: a Streamlit script that writes one line (bench_floor.py's);
* ``naive``: the naive folium page's first map on the demo (bench_map.py's);
* ``whole``: budgetmap's spending map with ``BUDGETMAP_FIRST_PAINT=whole`` (every element
  of the page in the first run, as before the first screen);
* ``first screen``: budgetmap as people get it (the map and its legend first).

Each budgetmap visit is timed to the map's first paint (``body[data-drawn] == n``, the
frame after) and, for ``first screen``, also to the moment the rest of the page is there
(the figures table's heading)::

    .venv/bin/python bench/bench_first_screen.py --reps 7
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_floor import FLOOR_TEXT, SEEN, write_floor_app  # noqa: E402
from bench_map import APPS, VIEWPORT, CdnStub  # noqa: E402
from devtools.browser import CHROMIUM, CHROMIUM_ARGS, NON_LOCAL  # noqa: E402
from devtools.server import FIRST_PAINT_ENV, start_streamlit, stop_streamlit  # noqa: E402
from scale_browser import WAIT  # noqa: E402

PAGE = "/Spending_map?dataset=demo"
REST = "The numbers behind the map"


def visit(browser, name: str, url: str) -> tuple[float, float | None]:
    """One first visit: (ms to the map or the floor's line, ms to the whole page or None)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.route(NON_LOCAL, CdnStub())
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        if name in ("floor", "naive"):
            seen = page.wait_for_function(SEEN, arg=[name, FLOOR_TEXT, APPS["naive folium"][1]],
                                          polling="raf", timeout=120_000).json_value()
            return float(seen), None
        painted = page.wait_for_function(WAIT, arg=["budgetmap", APPS["budgetmap"][1], 31, None],
                                         polling="raf", timeout=120_000).json_value()["t"]
        page.get_by_role("heading", name=REST).wait_for(timeout=120_000)
        return float(painted), float(page.evaluate("performance.now()"))
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench_first_screen_"))
    floor_app = write_floor_app(work)
    apps = {"floor": (str(floor_app), "/", {}), "naive": (APPS["naive folium"][0], "/?dataset=demo", {}),
            "whole": (APPS["budgetmap"][0], PAGE, {FIRST_PAINT_ENV: "whole"}),
            "first screen": (APPS["budgetmap"][0], PAGE, {})}
    servers, times = {}, {name: [] for name in apps}
    try:
        for name, (script, _, env) in apps.items():
            servers[name] = start_streamlit(script, log=work / f"{name.replace(' ', '_')}.log", env_extra=env)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for rep in range(args.reps + 1):  # the first round warms every server (imports, the dataset)
                for name, (_, path, _) in apps.items():
                    result = visit(browser, name, servers[name].url + path)
                    if rep:
                        times[name].append(result)
            browser.close()
    finally:
        for server in servers.values():
            stop_streamlit(server)
    naive = statistics.median(t for t, _ in times["naive"])
    print(f"first visits, medians of {args.reps} (ms); load average {os.getloadavg()[0]:.1f}")
    for name, samples in times.items():
        first = statistics.median(t for t, _ in samples)
        whole = [w for _, w in samples if w is not None]
        rest = f", whole page {statistics.median(whole):,.0f}" if whole else ""
        print(f"  {name:13s} {first:6,.0f}  ({first / naive:.2f}x naive){rest}")


if __name__ == "__main__":
    main()
