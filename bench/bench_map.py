"""Benchmark: budgetmap's map pages against a naive folium.Choropleth + st_folium page.

Run:  .venv/bin/python bench/bench_map.py            (spending map; about 5-10 minutes on 2 cores)
      .venv/bin/python bench/bench_map.py --page targets   (the Targets page: gap to the goal)
      .venv/bin/python bench/bench_map.py --page both --reps 5 --districts 2000
      .venv/bin/python bench/bench_map.py --quick      (1 rep, demo + synthetic only)

Pages (--page): "spending" = /Spending_map against the naive page's spending per resident;
"targets" = /Targets against the naive page's ?map=target (folium.Choropleth of the same
gaps to the goal, from budgetmap.targets.district_frame), on the datasets with a district
indicator over several years (the demo and the synthetic city).

Both apps run as real Streamlit servers and are driven by Playwright with Debian's
Chromium (/usr/bin/chromium; nothing is downloaded). For each dataset and app it
measures, over several repetitions (median reported):

1. load: navigation start -> map painted (every district path present in the map iframe);
2. repaint: key press on the sidebar "Fiscal year" slider -> path fills changed;
3. bytes from the Streamlit server to the browser, for the load and for the repaint:
   HTTP response bodies (as transferred, i.e. compressed when gzip was used) plus
   WebSocket frames received (payload bytes), counted from Chromium's DevTools events.

The naive page needs Leaflet, jQuery, Bootstrap, Font Awesome... from public CDNs,
unreachable here. Playwright's page routing answers them: Leaflet's own js/css (and
images) from budgetmap/render/frontend/node_modules/leaflet/dist, everything else with
an empty 200. This makes the baseline FASTER than it really is (no CDN round trips, no
~1 MB of jQuery/Bootstrap/Font Awesome to download and parse), and those CDN bytes are
not in the "from server" figures. Routing also disables Chromium's HTTP cache, in both
apps alike. Results: printed as a table and written to bench/results/bench_map.json.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, NON_LOCAL  # noqa: E402
from devtools.server import Server, start_streamlit, stop_streamlit  # noqa: E402
from devtools.testcity import simple_manifest  # noqa: E402

LEAFLET_DIST = ROOT / "budgetmap" / "render" / "frontend" / "node_modules" / "leaflet" / "dist"
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared" / "data"
VIEWPORT = {"width": 1400, "height": 1000}

APPS = {
    # name: (script, selector of the map iframe)
    "budgetmap": ("app.py", MAP_FRAME),
    "naive folium": ("bench/naive_app.py", "iframe[src*='/component/streamlit_folium.st_folium/']"),
}
#: page -> (address of each app's page, what the map shows); {key}/{indicator} come from the Dataset
PAGES = {
    "spending": ({"budgetmap": "/Spending_map?dataset={key}", "naive folium": "/?dataset={key}"},
                 "spending per resident"),
    "targets": ({"budgetmap": "/Targets?dataset={key}&indicator={indicator}",
                 "naive folium": "/?map=target&dataset={key}&indicator={indicator}"},
                "gap to an indicator's goal (diverging, misses hatched in budgetmap)"),
}

#: Main-frame predicate, polled every animation frame: the map iframe (same origin) holds
#: exactly n district paths whose fills differ from ``before`` (when given).
PAINTED = """([sel, n, before]) => {
    const frames = document.querySelectorAll(sel);
    for (const f of frames) {
        const d = f.contentDocument;
        if (!d) continue;
        const ps = d.querySelectorAll('path.leaflet-interactive');
        if (ps.length !== n) continue;
        const fills = Array.from(ps, p => p.getAttribute('fill')).join(',');
        if (before !== null && fills === before) continue;
        // when the map iframe's document started, on the main page's clock
        const frameStart = f.contentWindow.performance.timeOrigin - performance.timeOrigin;
        return {t: performance.now(), frameStart: frameStart, fills: fills};
    }
    return false;
}"""


# --------------------------------------------------------------------------- datasets

SYNTHETIC_INDICATOR = "streets_good_pct"
SYNTHETIC_INDICATORS = f"""
[indicators]
path = "indicators.csv"
district = "district"
year = "year"
indicator = "indicator"
actual = "actual"

[indicators.meta.{SYNTHETIC_INDICATOR}]
label = "Streets in good condition"
unit = "%"
direction = "higher"
target = 75.0
"""

@dataclass
class Dataset:
    key: str
    label: str
    manifest: Path
    districts: int
    indicator: str | None = None  # a district indicator with several years: the Targets page runs on it

    def pages(self) -> list[str]:
        return ["spending", "targets"] if self.indicator else ["spending"]


def _manifest_districts(manifest: Path) -> int:
    import tomllib

    import geopandas as gpd
    spec = tomllib.loads(manifest.read_text(encoding="utf-8"))["districts"]
    return len(gpd.read_file(manifest.parent / spec["path"]))


def make_synthetic_city(folder: Path, n: int, seed: int = 2024) -> Path:
    """A Voronoi city of ``n`` districts (EPSG:32633, ~40 km across) with 5 years of spending
    and of one indicator, SYNTHETIC_INDICATOR (% of streets in good condition, goal 75%).

    Same manifest format as tests/conftest.py's write_city; the key is the file stem.
    """
    import geopandas as gpd
    import numpy as np
    import shapely
    from shapely.geometry import Point

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    centre = Point(500000, 5000000)
    city = centre.buffer(20000, quad_segs=32)
    pts = []
    while len(pts) < n:  # uniform points inside the disc
        x, y = rng.uniform(-20000, 20000, 2)
        if x * x + y * y < 19800 ** 2:
            pts.append((500000 + x, 5000000 + y))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=city, ordered=True))
    cells = shapely.intersection(cells, city)
    ids = [f"S{i:04d}" for i in range(1, n + 1)]
    frame = gpd.GeoDataFrame({"code": ids, "label": [f"District {i}" for i in range(1, n + 1)],
                              "pop": rng.integers(500, 20000, n)}, geometry=cells, crs="EPSG:32633")
    frame.to_crs("EPSG:4326").to_file(folder / "districts.geojson")
    lines = ["year,district,dept,program,fund,cost"]
    base = rng.lognormal(13, 0.6, n)
    for year in range(2020, 2025):
        drift = rng.lognormal(0, 0.35, n)  # district values move between years: classes change
        for dept, share in (("Parks", 0.3), ("Roads", 0.5), ("Libraries", 0.2)):
            for i, district in enumerate(ids):
                lines.append(f"{year},{district},{dept},Main,General,{base[i] * drift[i] * share:.2f}")
    (folder / "spending.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    level = rng.normal(75, 12, n)
    lines = ["indicator,year,district,actual"]
    for year in range(2020, 2025):
        actual = np.clip(level + rng.normal(0, 6, n), 0, 100)  # districts cross the goal between years
        lines += [f"{SYNTHETIC_INDICATOR},{year},{d},{a:.1f}" for d, a in zip(ids, actual)]
    (folder / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = folder / f"synthetic_{n}.toml"
    manifest.write_text(simple_manifest(f"Synthetic city ({n} districts)",
                                        "Generated by bench/bench_map.py: random numbers on a Voronoi city.",
                                        extra=SYNTHETIC_INDICATORS),
                        encoding="utf-8")
    return manifest


# --------------------------------------------------------------------------- measuring

@dataclass
class Traffic:
    """Bytes the browser received, from DevTools Network events (all frames of the page)."""
    header_bytes: dict[str, int] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    http_local: int = 0
    http_static: int = 0  # Streamlit's own frontend (/static/...): the same for any page using those widgets
    http_component: int = 0  # the map component's files (/component/...)
    http_other: int = 0
    ws_bytes: int = 0
    ws_wire: int = 0  # the same payloads as sent on the wire: deflated when the socket negotiated it
    ws_frames: int = 0
    events: int = 0
    deflating: dict[str, object] = field(default_factory=dict)  # socket -> its permessage-deflate stream

    def attach(self, cdp) -> None:
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._ws)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        cdp.send("Network.enable")

    def _handshake(self, ev) -> None:
        """DevTools shows WebSocket payloads inflated; when the server agreed to permessage-deflate,
        replay them through a compressor set as uvicorn's (12-bit window, memLevel 5, context kept
        between messages) to count the bytes that crossed the wire."""
        headers = {k.lower(): v for k, v in ev["response"].get("headers", {}).items()}
        if "permessage-deflate" in headers.get("sec-websocket-extensions", ""):
            import zlib
            self.deflating[ev["requestId"]] = zlib.compressobj(wbits=-12, memLevel=5)

    def _response(self, ev) -> None:
        self.events += 1
        self.urls[ev["requestId"]] = ev["response"]["url"]
        self.header_bytes[ev["requestId"]] = int(ev["response"].get("encodedDataLength") or 0)

    def _finished(self, ev) -> None:
        self.events += 1
        body = max(0, int(ev.get("encodedDataLength") or 0) - self.header_bytes.get(ev["requestId"], 0))
        url = self.urls.get(ev["requestId"], "")
        if NON_LOCAL.match(url):
            self.http_other += body  # CDN, answered by CdnStub: not from the server
            return
        self.http_local += body
        path = url.split("://", 1)[-1].partition("/")[2]
        if path.startswith("static/"):
            self.http_static += body
        elif path.startswith("component/"):
            self.http_component += body

    def _ws(self, ev) -> None:
        self.events += 1
        frame = ev["response"]
        data = frame.get("payloadData", "")
        self.ws_frames += 1
        payload = base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()
        self.ws_bytes += len(payload)
        deflate = self.deflating.get(ev["requestId"])
        if deflate is None:
            self.ws_wire += len(payload)
        else:
            import zlib
            self.ws_wire += len(deflate.compress(payload) + deflate.flush(zlib.Z_SYNC_FLUSH)) - 4  # RFC 7692 7.2.1

    def snapshot(self) -> dict[str, int]:
        return {"http": self.http_local, "static": self.http_static, "component": self.http_component,
                "ws": self.ws_bytes, "ws_wire": self.ws_wire, "ws_frames": self.ws_frames}

    @staticmethod
    def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
        out = {k: after[k] - before[k] for k in after}
        out["total"] = out["http"] + out["ws"]
        return out


class CdnStub:
    """Answers CDN requests offline: Leaflet from node_modules, anything else an empty 200."""
    TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png",
             ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}

    def __init__(self) -> None:
        self.served: dict[str, str] = {}

    def __call__(self, route) -> None:
        url = route.request.url
        path = url.split("?")[0].split("#")[0]
        leaflet = re.search(r"/leaflet@[^/]+/dist/(.+)$", path)
        if leaflet and (LEAFLET_DIST / leaflet.group(1)).is_file():
            self.served[url] = "leaflet (local copy)"
            route.fulfill(path=str(LEAFLET_DIST / leaflet.group(1)))
            return
        self.served[url] = "empty stub"
        route.fulfill(status=200, body="", content_type=self.TYPES.get(Path(path).suffix, "text/plain"),
                      headers={"access-control-allow-origin": "*"})


def _settle(page, traffic: Traffic, quiet_ms: int = 800, timeout_s: float = 30) -> None:
    """Wait until Streamlit is not running and no network event arrived for quiet_ms."""
    deadline = time.monotonic() + timeout_s
    last, since = traffic.events, time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if traffic.events != last:
            last, since = traffic.events, time.monotonic()
            continue
        state = page.get_attribute("[data-testid=stApp]", "data-test-script-state")
        if state == "notRunning" and (time.monotonic() - since) * 1000 >= quiet_ms:
            return


def measure_session(browser, server: Server, app: str, page_name: str, dataset: Dataset, repaints: int,
                    stub: CdnStub) -> dict:
    """One fresh browser context: a load, then ``repaints`` fiscal-year changes (Home, End, ...)."""
    frame_sel = APPS[app][1]
    path = PAGES[page_name][0][app].format(key=dataset.key, indicator=dataset.indicator)
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(120_000)
    context.route(NON_LOCAL, stub)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    traffic = Traffic()
    traffic.attach(context.new_cdp_session(page))
    try:
        start = traffic.snapshot()
        page.goto(server.url + path, wait_until="commit")
        painted = page.wait_for_function(PAINTED, arg=[frame_sel, dataset.districts, None],
                                         timeout=180_000).json_value()
        load_ms = painted["t"]
        _settle(page, traffic)
        after_load = traffic.snapshot()
        result = {"load_ms": load_ms, "map_ms": painted["t"] - painted["frameStart"],
                  "load_bytes": Traffic.delta(after_load, start), "repaints": []}
        slider = page.get_by_role("slider", name="Fiscal year")
        fills = page.wait_for_function(PAINTED, arg=[frame_sel, dataset.districts, None]).json_value()["fills"]
        for i in range(repaints):
            key = "Home" if i % 2 == 0 else "End"
            slider.focus()
            page.evaluate("""() => { window.__bmKeyAt = null;
                window.addEventListener('keydown', () => { window.__bmKeyAt = performance.now(); },
                                        {capture: true, once: true}); }""")
            before = traffic.snapshot()
            page.keyboard.press(key)
            done = page.wait_for_function(PAINTED, arg=[frame_sel, dataset.districts, fills],
                                          timeout=120_000).json_value()
            pressed = page.evaluate("window.__bmKeyAt")
            fills = done["fills"]
            _settle(page, traffic)
            result["repaints"].append({"key": key, "ms": done["t"] - pressed,
                                       "bytes": Traffic.delta(traffic.snapshot(), before),
                                       "year": slider.get_attribute("aria-valuetext")})
        result["page_errors"] = errors
        result["cdn_bytes_served_locally"] = traffic.http_other
        return result
    finally:
        context.close()


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench_map_"))
    datasets = [Dataset("demo", "Riverbend demo", ROOT / "geodata" / "demo" / "manifest.toml", 0,
                        "pavement_busy_good_fair")]
    if SHARED.exists() and not args.quick and (ROOT / "examples" / "chicago_wards.toml").exists():
        datasets.append(Dataset("chicago_wards", "Chicago wards", ROOT / "examples" / "chicago_wards.toml", 0))
    synthetic = make_synthetic_city(work / "synthetic", args.districts)
    datasets.append(Dataset(synthetic.stem, "Synthetic Voronoi city", synthetic, 0, SYNTHETIC_INDICATOR))
    cases = [(page, ds) for page in args.pages for ds in datasets if page in ds.pages()]
    for ds in datasets:
        ds.districts = _manifest_districts(ds.manifest)
    env = {"BUDGETMAP_DATASETS": str(synthetic), "PYTHONUNBUFFERED": "1"}
    servers: dict[str, Server] = {}
    stub = CdnStub()
    samples: dict[tuple[str, str, str], list[dict]] = {}
    started = time.monotonic()
    try:
        for app, (script, _) in APPS.items():
            servers[app] = start_streamlit(script, log=work / f"{app.replace(' ', '_')}.log", env_extra=env)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for page, ds in cases:
                    for app in APPS:
                        print(f"  {page:<9} {ds.key:<18} {app:<13}", end="", flush=True)
                        # warm-up: fills the server caches (dataset, views) of both apps alike
                        measure_session(browser, servers[app], app, page, ds, 2, stub)
                        runs = []
                        for _ in range(args.reps):
                            runs.append(measure_session(browser, servers[app], app, page, ds, 2, stub))
                            print(".", end="", flush=True)
                        samples[(page, ds.key, app)] = runs
                        print(f" {time.monotonic() - started:6.0f}s", flush=True)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            stop_streamlit(server)
    shutil.rmtree(work, ignore_errors=True)
    return summarise(cases, samples, stub, time.monotonic() - started, args)


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def summarise(cases: list[tuple[str, Dataset]], samples: dict, stub: CdnStub, elapsed: float, args) -> dict:
    import playwright
    import streamlit
    import folium
    import streamlit_folium
    rows = []
    for page, ds in cases:
        for app in APPS:
            runs = samples.get((page, ds.key, app), [])
            repaints = [r for run in runs for r in run["repaints"]]
            rows.append({
                "page": page, "dataset": ds.key, "label": ds.label, "districts": ds.districts,
                "indicator": ds.indicator if page == "targets" else None, "app": app,
                "load_ms": _median([r["load_ms"] for r in runs]),
                "map_ms": _median([r["map_ms"] for r in runs]),
                "repaint_ms": _median([r["ms"] for r in repaints]),
                "load_bytes": _median([r["load_bytes"]["total"] for r in runs]),
                "load_http_bytes": _median([r["load_bytes"]["http"] for r in runs]),
                "load_ws_bytes": _median([r["load_bytes"]["ws"] for r in runs]),
                "load_ws_wire_bytes": _median([r["load_bytes"]["ws_wire"] for r in runs]),
                "load_static_bytes": _median([r["load_bytes"]["static"] for r in runs]),
                "load_component_bytes": _median([r["load_bytes"]["component"] for r in runs]),
                "repaint_bytes": _median([r["bytes"]["total"] for r in repaints]),
                "repaint_http_bytes": _median([r["bytes"]["http"] for r in repaints]),
                "repaint_ws_bytes": _median([r["bytes"]["ws"] for r in repaints]),
                "repaint_ws_wire_bytes": _median([r["bytes"]["ws_wire"] for r in repaints]),
                "samples": {"load_ms": [r["load_ms"] for r in runs], "map_ms": [r["map_ms"] for r in runs],
                            "repaint_ms": [r["ms"] for r in repaints],
                            "load_bytes": [r["load_bytes"] for r in runs],
                            "repaint_bytes": [r["bytes"] for r in repaints],
                            "repaint_years": [r["year"] for r in repaints]},
                "page_errors": sorted({e for r in runs for e in r["page_errors"]}),
            })
    return {
        "what": "budgetmap map pages vs naive folium.Choropleth + st_folium, same data and values",
        "pages": {page: PAGES[page][1] for page in args.pages},
        "reps": args.reps, "repaints_per_rep": 2, "statistic": "median",
        "elapsed_s": round(elapsed, 1),
        "environment": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "streamlit": streamlit.__version__, "folium": folium.__version__,
                        "streamlit_folium": getattr(streamlit_folium, "__version__", "0.27.4"),
                        "playwright": getattr(playwright, "__version__", "?"),
                        "chromium": subprocess.run([CHROMIUM, "--version"], capture_output=True,
                                                   text=True).stdout.strip()},
        "cdn_requests_answered_offline": stub.served,
        "notes": [
            "Naive baseline CDN requests (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers) were "
            "answered by Playwright routing: Leaflet from the local node_modules copy, the rest with empty "
            "200s. That makes the baseline faster than it would really be (no CDN latency, ~1 MB less to "
            "download and parse), and CDN bytes are not counted as bytes from the server.",
            "The naive page's legend (branca colormap, needs d3 from a CDN) is dropped; see naive_app.py.",
            "Routing disables Chromium's HTTP cache, for both apps; each repetition uses a fresh context.",
            "Bytes = HTTP response bodies as transferred (gzip where used) + WebSocket payloads received.",
            "Load = navigation start to all district paths in the map iframe; repaint = key press on "
            "the Fiscal year slider to changed path fills. Warm server caches (one unmeasured warm-up).",
            *(["Targets: both map budgetmap.targets.district_frame's gap; the naive page colours it in 6 "
                "symmetric RdBu bins around 0 and draws no hatching, budgetmap also hatches the misses "
                "(a second, non-interactive copy of the shapes)."] if "targets" in args.pages else []),
        ],
        "rows": rows,
    }


def _kb(n: float) -> str:
    return "—" if n != n else f"{n / 1024:,.1f}"


def print_table(result: dict) -> None:
    cols = [("page", 9, "s"), ("dataset", 16, "s"), ("districts", 9, "d"), ("app", 13, "s"), ("load ms", 8, ",.0f"),
            ("map ms", 7, ",.0f"), ("repaint ms", 11, ",.0f"), ("load KB", 9, "kb"), ("·static", 9, "kb"),
            ("·comp", 7, "kb"), ("·ws", 8, "kb"), ("ws wire", 8, "kb"), ("repaint KB", 11, "kb"), ("·http", 7, "kb"),
            ("·ws", 8, "kb"), ("ws wire", 8, "kb")]
    keys = ["page", "dataset", "districts", "app", "load_ms", "map_ms", "repaint_ms", "load_bytes", "load_static_bytes",
            "load_component_bytes", "load_ws_bytes", "load_ws_wire_bytes", "repaint_bytes", "repaint_http_bytes",
            "repaint_ws_bytes", "repaint_ws_wire_bytes"]

    def cell(value, width, kind):
        if kind == "kb":
            return f"{_kb(value):>{width}}"
        if kind == "s":
            return f"{value:<{width}}"
        return f"{value:>{width}{kind}}" if value == value else f"{'—':>{width}}"
    head = " ".join(f"{name:<{w}}" if kind == "s" else f"{name:>{w}}" for name, w, kind in cols)
    print()
    print(head)
    print("-" * len(head))
    for r in result["rows"]:
        print(" ".join(cell(r[k], w, kind) for k, (_, w, kind) in zip(keys, cols)))
    print(f"""
medians of {result['reps']} loads and {2 * result['reps']} repaints per row. KB = 1024 bytes received from the
Streamlit server: HTTP response bodies + WebSocket payloads. load ms = navigation start -> all district
paths drawn; map ms = the map iframe's own start -> drawn; repaint ms = key press on "Fiscal year" ->
path fills changed. ·static = Streamlit's frontend JS/CSS, ·comp = the map component's files; ws wire =
the WebSocket payloads as sent (deflated when the socket negotiated permessage-deflate), not in the totals.""")
    for note in result["notes"]:
        print(f"* {note}")
    for r in result["rows"]:
        if r["page_errors"]:
            print(f"! page errors in {r['app']} / {r['page']} / {r['dataset']}: {r['page_errors']}")
    print(f"\n{len(result['cdn_requests_answered_offline'])} CDN URLs answered offline; "
          f"run took {result['elapsed_s']:.0f}s; JSON: {results_file(result['pages']).relative_to(ROOT)}")


def results_file(pages) -> Path:
    """bench_map.json for the spending page alone (as before), bench_map_<pages>.json otherwise."""
    return RESULTS / ("bench_map.json" if list(pages) == ["spending"] else f"bench_map_{'_'.join(pages)}.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="measured repetitions per dataset and app (default 3)")
    parser.add_argument("--districts", type=int, default=1500, help="districts in the synthetic city (default 1500)")
    parser.add_argument("--quick", action="store_true", help="1 repetition, demo and synthetic city only")
    parser.add_argument("--page", choices=[*PAGES, "both"], default="spending",
                        help="spending (/Spending_map, default), targets (/Targets) or both")
    args = parser.parse_args()
    args.pages = list(PAGES) if args.page == "both" else [args.page]
    if args.quick:
        args.reps = 1
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing")
    print(f"bench_map: budgetmap vs naive folium, {' + '.join(args.pages)} page, {args.reps} reps, "
          f"synthetic city of {args.districts}")
    result = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results_file(args.pages).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print_table(result)


if __name__ == "__main__":
    main()
