"""Benchmark at scale: budgetmap's spending map against the naive folium page, 31 to 70,000 districts.

Run:  .venv/bin/python bench/bench_scale.py                          (all sizes: 31,1500,3221,10000,70000)
      .venv/bin/python bench/bench_scale.py --sizes 31,1500,3221 --reps 2 --repaints 4 --cap 120

One run measures what issue 14's "Done means" asks, for both apps on the same data and
values (bench_map.py's pages: /Spending_map?dataset=KEY and the naive /?dataset=KEY):
first paint (navigation start -> every district drawn), repaint p50/p95 (key press on the
"Fiscal year" slider -> the new paint is on screen), bytes for the first load and per repaint
(HTTP + WebSocket, as bench_map.py counts them), the server's RSS (now and peak, per app:
each app gets a fresh server per size) and its growth per extra open session, the page's
JS heap; and, per size, a geometry reference: the bytes of a quantised TopoJSON (the
``topojson`` package, prequantize 1e5) of the same shapes, raw and gzip.

Sizes: 31 = the Riverbend demo, 3,221 = a counties-like layer (bench/scale_data.py: islands,
multi-part districts, varied sizes, a group across the 180th meridian), any other = bench_map's
Voronoi city of that many districts. Every step has a time cap (--cap, 120 s); what does not
finish is reported as "> 120 s" and the run goes on (the browser runs in a child process that
is killed if it ever hangs; the servers are restarted per size and app).
Results: a markdown table on stdout and every sample in bench/results/bench_scale.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_map import APPS, PAGES, RESULTS  # noqa: E402
from devtools.browser import CHROMIUM  # noqa: E402
from devtools.server import start_streamlit, stop_streamlit  # noqa: E402
from scale_data import dataset_for, layer_facts, topojson_reference  # noqa: E402

SIZES = [31, 1500, 3221, 10000, 70000]
OUT = RESULTS / "bench_scale.json"


def measure_app(app: str, ds, work: Path, args) -> dict:
    """A fresh server for ``app`` on ``ds``, the browser steps in a child process; its results."""
    env = {"BUDGETMAP_DATASETS": str(ds.manifest)} if ds.key != "demo" else {}
    tag = f"{ds.key}_{app.replace(' ', '_')}"
    started = time.monotonic()
    try:
        server = start_streamlit(APPS[app][0], log=work / f"{tag}.log", env_extra=env)
    except RuntimeError as exc:
        return {"error": f"server did not start: {str(exc).splitlines()[0]}"}
    spec = {"app": app, "url": server.url + PAGES["spending"][0][app].format(key=ds.key, indicator=""),
            "districts": ds.districts, "cap": args.cap, "reps": args.reps, "repaints": args.repaints,
            "extra": args.extra, "server_pid": server.process.pid}
    spec_file, out_file = work / f"{tag}.spec.json", work / f"{tag}.out.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    steps = 3 + args.reps + args.extra  # first paints and one timed-out repaint, at most
    hard = args.cap * steps + 30 * (1 + args.reps) * (1 + args.repaints) + 120
    child = subprocess.Popen([sys.executable, str(ROOT / "bench" / "scale_browser.py"), str(spec_file),
                              str(out_file)], cwd=ROOT, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killed = False
    try:
        log, _ = child.communicate(timeout=hard)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the child's own group: its Playwright driver and Chromium
        log, _ = child.communicate()
        killed = True
    finally:
        stop_streamlit(server)
    result = json.loads(out_file.read_text(encoding="utf-8")) if out_file.exists() else {}
    if killed:
        result["killed"] = f"the browser process was killed after {hard:.0f} s"
    if child.returncode not in (0, None) and not killed:
        result["child_error"] = (log or "").strip().splitlines()[-3:]
    result["wall_s"] = round(time.monotonic() - started, 1)
    return result


def _rank(values: list[float], q: float) -> float:
    """Nearest-rank percentile; timeouts count as infinite, so p95 says "> cap" when one did."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _median(values: list[float]) -> float:
    """The median; with a timeout among the values, the nearest-rank one (inf when most timed out)."""
    if values and all(math.isfinite(v) for v in values):
        return float(statistics.median(values))
    return _rank(values, 0.5)


def summarise(app: str, ds, raw: dict) -> dict:
    """The figures of one app on one size, from its samples."""
    sessions = raw.get("sessions", [])
    loads = [s["load"] for s in sessions]
    repaints = [r for s in sessions for r in s["repaints"]]
    inf = float("inf")

    def ms(samples: list[dict], key: str = "ms") -> list[float]:
        return [s[key] if key in s else inf for s in samples]
    ok_loads, ok_repaints = [x for x in loads if "ms" in x], [r for r in repaints if "ms" in r]
    memory = raw.get("memory", {})
    extra = raw.get("extra") or {}
    per_session = None
    if extra.get("after") and "timeout" not in extra:  # all extra sessions drew their map
        grown = (extra["after"][-1]["rss_mb"] + extra["after"][-1]["children_rss_mb"]
                 - extra["before"]["rss_mb"] - extra["before"]["children_rss_mb"])
        per_session = grown / len(extra["after"])
    cold = (raw.get("cold") or {}).get("load", {})
    heaps = [s["load"]["heap"]["js_heap_used_mb"] for s in sessions if "heap" in s["load"]]
    heaps += [s["heap_after_repaints"]["js_heap_used_mb"] for s in sessions if "heap_after_repaints" in s]
    after = memory.get("after_sessions", {})
    return {
        "districts": ds.districts, "dataset": ds.key, "app": app,
        "cold_first_paint_ms": cold.get("ms", inf if cold else None),
        "first_paint_ms": _median(ms(loads)), "map_ms": _median(ms(ok_loads, "map_ms")),
        "repaint_p50_ms": _rank(ms(repaints), 0.5), "repaint_p95_ms": _rank(ms(repaints), 0.95),
        "repaints": len(repaints), "loads": len(loads),
        "load_bytes": _median([x["bytes"]["total"] for x in ok_loads]),
        "load_static_bytes": _median([x["bytes"]["static"] for x in ok_loads]),
        "load_ws_bytes": _median([x["bytes"]["ws"] for x in ok_loads]),
        "repaint_bytes": _median([r["bytes"]["total"] for r in ok_repaints]),
        "repaint_ws_bytes": _median([r["bytes"]["ws"] for r in ok_repaints]),
        "server_rss_mb": after.get("rss_mb"), "server_peak_mb": (memory.get("end") or after).get("peak_mb"),
        "loader_rss_mb": after.get("children_rss_mb"), "mb_per_extra_session": per_session,
        "extra_session_timeout": extra.get("timeout"),
        "js_heap_mb": max(heaps) if heaps else None,
        "page_errors": sorted({e for s in sessions + [raw.get("cold") or {}] for e in s.get("page_errors", [])}),
        "notes": [raw[k] for k in ("skipped", "killed", "error", "child_error") if k in raw],
    }


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    result: dict = {"what": "budgetmap spending map vs naive folium.Choropleth + st_folium, 31 to 70,000 districts",
                    "args": vars(args), "environment": environment(), "sizes": [], "rows": []}
    started = time.monotonic()
    for size in args.sizes:
        t0 = time.monotonic()
        ds = dataset_for(size, work)
        entry = {"size": size, "dataset": ds.key, "generated_s": round(time.monotonic() - t0, 1),
                 "layer": layer_facts(ds.manifest), "geometry": topojson_reference(ds.manifest, args.cap), "apps": {}}
        ds.districts = entry["layer"]["districts"]
        for app in [a for a in APPS if a in args.apps.split(",")]:
            print(f"  {size:>6} {ds.key:<18} {app:<13}", end="", flush=True)
            raw = measure_app(app, ds, work, args)
            entry["apps"][app] = raw
            result["rows"].append(summarise(app, ds, raw))
            print(f" {raw['wall_s'] if 'wall_s' in raw else 0:6.0f}s", flush=True)
        result["sizes"].append(entry)
        result["elapsed_s"] = round(time.monotonic() - started, 1)
        result["environment"]["load_average"] = os.getloadavg()
        save(result)  # a long run leaves what it has measured so far
    if args.keep:
        print(f"datasets and server logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return result


def environment() -> dict:
    import folium
    import streamlit
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg(),
            "streamlit": streamlit.__version__, "folium": folium.__version__,
            "chromium": subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()}


def save(result: dict) -> None:
    out = Path(result["args"]["out"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="district counts (31 = demo, 3221 = counties-like, else Voronoi city)")
    parser.add_argument("--reps", type=int, default=2, help="measured sessions per size and app (default 2)")
    parser.add_argument("--repaints", type=int, default=4, help="fiscal-year changes per session (default 4)")
    parser.add_argument("--extra", type=int, default=3, help="extra sessions held open for memory (default 3)")
    parser.add_argument("--cap", type=float, default=120, help="seconds allowed per measurement (default 120)")
    parser.add_argument("--apps", default=",".join(APPS),
                        help=f"apps to run, comma-separated (default: {','.join(APPS)}; the naive page is the baseline)")
    parser.add_argument("--keep", action="store_true", help="keep the generated datasets and server logs")
    parser.add_argument("--out", default=str(OUT), help=f"JSON samples (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args()
    args.sizes = [int(float(s)) for s in args.sizes.split(",") if s.strip()]
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing")
    print(f"bench_scale: sizes {args.sizes}, {args.reps} sessions x {args.repaints} repaints, cap {args.cap:.0f} s")
    result = run(args)
    save(result)
    from scale_table import markdown
    print(markdown(result))


if __name__ == "__main__":
    main()
