"""The first spending map of a 10-million-line-item dataset, in a real browser.

Writes a dataset (bench_ledger.py's generator and manifest: ~100 wards, 6 fiscal years,
Parquet; a 10 x 10 grid of square wards), starts the app on it (BUDGETMAP_DATASETS,
as bench_map.py does), opens it in Debian's Chromium through Playwright and measures:

* ``first map``  a fresh server: navigation start -> every ward's path painted in the map
  iframe; this includes loading the dataset (the DuckDB loader, the load report, caches);
* ``again``      the same page in a new browser session (the dataset is cached now);
* ``year change`` the sidebar's fiscal-year slider (key End) -> the fills differ;
* ``home``       the home page (citywide figures, spending by department) -> its bar chart;
* the server process's peak RSS (VmHWM) after all of that.

    .venv/bin/python bench/bench_big_map.py                    # 10 M rows (~3 min)
    .venv/bin/python bench/bench_big_map.py --rows 1e6 --folder /tmp/big   # keep the files
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ledger import WARDS, generate, write_manifest  # noqa: E402
from bench_map import PAINTED, VIEWPORT  # noqa: E402
from devtools.browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, NON_LOCAL  # noqa: E402
from devtools.server import start_streamlit, stop_streamlit  # noqa: E402


def write_dataset(folder: Path, rows: int) -> Path:
    """Spending of ``rows`` line items and 100 square wards; returns the manifest (key = its stem)."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_manifest(generate(folder, rows, "parquet"))


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_map(browser, url: str, timeout_s: float) -> tuple[dict, object, object]:
    """A fresh browser context on ``url``; (painted info, page, context) once every ward is drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(timeout_s * 1000)
    context.route(NON_LOCAL, lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="commit")
    painted = page.wait_for_function(PAINTED, arg=[MAP_FRAME, WARDS, None], timeout=timeout_s * 1000).json_value()
    painted["errors"] = errors
    return painted, page, context


def measure(manifest: Path, timeout_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    key = manifest.stem
    log = Path(tempfile.mkstemp(prefix="bench_big_map_", suffix=".log")[1])
    server = start_streamlit("app.py", log=log, env_extra={"BUDGETMAP_DATASETS": str(manifest)})
    out: dict = {"server_log": str(log)}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            spending = f"{server.url}/Spending_map?dataset={key}"
            started = time.perf_counter()
            painted, page, context = open_map(browser, spending, timeout_s)
            out["first_map_s"] = painted["t"] / 1000
            out["first_map_wall_s"] = time.perf_counter() - started
            out["first_map_errors"] = painted["errors"]
            out["server_peak_mb_after_first_map"] = peak_rss_mb(server.process.pid)
            context.close()

            painted, page, context = open_map(browser, spending, timeout_s)
            out["again_s"] = painted["t"] / 1000
            slider = page.get_by_role("slider", name="Fiscal year")
            slider.focus()
            page.evaluate("""() => { window.__bmKeyAt = null; window.addEventListener('keydown',
                () => { window.__bmKeyAt = performance.now(); }, {capture: true, once: true}); }""")
            page.keyboard.press("End" if slider.get_attribute("aria-valuenow") != slider.get_attribute(
                "aria-valuemax") else "Home")
            done = page.wait_for_function(PAINTED, arg=[MAP_FRAME, WARDS, painted["fills"]],
                                          timeout=timeout_s * 1000).json_value()
            out["year_change_s"] = (done["t"] - page.evaluate("window.__bmKeyAt")) / 1000
            context.close()

            context = browser.new_context(viewport=VIEWPORT)
            context.route(NON_LOCAL, lambda route: route.abort())
            page = context.new_page()
            page.goto(f"{server.url}/?dataset={key}", wait_until="commit")
            page.wait_for_selector("[data-testid=stVegaLiteChart], [data-testid=stArrowVegaLiteChart]",
                                   timeout=timeout_s * 1000)
            out["home_s"] = page.evaluate("performance.now()") / 1000
            context.close()
            browser.close()
        out["server_peak_mb"] = peak_rss_mb(server.process.pid)
    except Exception as exc:  # the figure is the failure: say what happened, with the server's log
        out["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        out["server_log_tail"] = server.log_tail()
    finally:
        stop_streamlit(server)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--folder", type=Path, help="keep the dataset here (default: a temp folder)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a map")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.folder or Path(temp)
        manifest = write_dataset(folder, int(args.rows))
        result = {"rows": int(args.rows), **measure(manifest, args.timeout)}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
