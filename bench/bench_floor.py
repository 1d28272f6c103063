"""The floor under any Streamlit map's first paint: how soon a page with one line of text shows it.

Issue 14 asks the first map painted at <= 0.35x the naive folium page's time. Both apps
are Streamlit pages, so neither can paint before Streamlit's own front end has loaded,
opened its WebSocket and drawn the first element of a script run. This bench measures
that floor (a script that writes one line, ``bench/floor_app.py``) against the naive page's
first map (bench_map's ``naive folium`` app on the demo), in the same run, fresh browser
contexts (first visits, nothing cached):

    .venv/bin/python bench/bench_floor.py --reps 5

The line printed is the medians and the floor as a share of the naive first paint: when
that share is above 0.35, the 0.35x target cannot be met by any map drawn in a Streamlit page.
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

from bench_map import APPS, CdnStub  # noqa: E402
from devtools.browser import CHROMIUM, CHROMIUM_ARGS, NON_LOCAL  # noqa: E402
from devtools.server import start_streamlit, stop_streamlit  # noqa: E402

FLOOR_TEXT = "budgetmap floor: ready"
#: navigation start -> the floor's line is on screen, or every naive district path is in the folium iframe
SEEN = """([kind, text, frameSel]) => {
  if (kind === 'floor') {
    return Array.from(document.querySelectorAll('p')).some(p => p.textContent === text) ? performance.now() : null;
  }
  const f = document.querySelector(frameSel);
  const doc = f && f.contentDocument && f.contentDocument.querySelector('iframe')
              ? f.contentDocument.querySelector('iframe').contentDocument : f && f.contentDocument;
  return doc && doc.querySelectorAll('path.leaflet-interactive').length >= 31 ? performance.now() : null;
}"""


def write_floor_app(folder: Path) -> Path:
    """The floor's script (one line of text) in ``folder``."""
    floor_app = folder / "floor_app.py"
    floor_app.write_text(f"import streamlit as st\nst.markdown({FLOOR_TEXT!r})\n", encoding="utf-8")
    return floor_app


def measure(kind: str, url: str, reps: int, browser) -> list[float]:
    """First-visit times (ms) of ``reps`` fresh contexts; folium's CDN requests answered locally (CdnStub)."""
    times = []
    for _ in range(reps):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route(NON_LOCAL, CdnStub())
        page = context.new_page()
        page.goto(url, wait_until="commit")
        handle = page.wait_for_function(SEEN, arg=[kind, FLOOR_TEXT, APPS["naive folium"][1]],
                                        polling="raf", timeout=120_000)
        times.append(float(handle.json_value()))
        context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench_floor_"))
    floor_app = write_floor_app(work)
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, script, path in (("floor", str(floor_app), "/"), ("naive", APPS["naive folium"][0], "/?dataset=demo")):
            server = start_streamlit(script, log=work / f"{kind}.log")
            try:
                measure(kind, server.url + path, 1, browser)  # the server's first run (imports) is not a visit
                results[kind] = measure(kind, server.url + path, args.reps, browser)
            finally:
                stop_streamlit(server)
        browser.close()
    floor, naive = statistics.median(results["floor"]), statistics.median(results["naive"])
    print(f"floor (one line of text) {floor:,.0f} ms, naive first map {naive:,.0f} ms (medians of {args.reps}); "
          f"floor / naive = {floor / naive:.2f}; 0.35x naive = {0.35 * naive:,.0f} ms; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
