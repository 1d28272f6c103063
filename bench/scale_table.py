"""bench_scale.py's markdown tables: the figures per size and app, and the geometry reference."""
from __future__ import annotations

import math


def _s(ms: float | None, cap: float) -> str:
    """Seconds; "> cap s" for a timeout, "—" for not measured."""
    if ms is None or (isinstance(ms, float) and math.isnan(ms)):
        return "—"
    return f"> {cap:.0f} s" if math.isinf(ms) else f"{ms / 1000:,.2f}"


def _ms(ms: float | None, cap: float) -> str:
    if ms is None or (isinstance(ms, float) and math.isnan(ms)):
        return "—"
    return f"> {cap:.0f} s" if math.isinf(ms) else f"{ms:,.0f}"


def _kb(n: float | None) -> str:
    return "—" if n is None or (isinstance(n, float) and math.isnan(n)) else f"{n / 1024:,.1f}"


def _mb(n: float | None) -> str:
    return "—" if n is None else f"{n:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    ok = all(isinstance(x, (int, float)) and math.isfinite(x) and x > 0 for x in (a, b))
    return f"{a / b:.2f}x" if ok else "—"


def markdown(result: dict) -> str:
    """Two tables (figures, geometry) and the notes a reader needs to quote them."""
    cap = result["args"]["cap"]
    rows = result["rows"]
    naive = {r["districts"]: r for r in rows if r["app"] != "budgetmap"}
    out = ["| districts | app | cold paint s | first paint s | ÷ naive | repaint p50 ms | p95 ms | n | "
           "load KB | ·static | ·ws | repaint KB | ·ws | server MB | peak MB | loader MB | +MB/session | JS heap MB |",
           "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in rows:
        other = naive.get(r["districts"]) if r["app"] == "budgetmap" else None
        out.append(" | ".join([
            f"| {r['districts']:,}", r["app"], _s(r["cold_first_paint_ms"], cap), _s(r["first_paint_ms"], cap),
            _ratio(r["first_paint_ms"], other["first_paint_ms"]) if other else "",
            _ms(r["repaint_p50_ms"], cap), _ms(r["repaint_p95_ms"], cap), str(r["repaints"]),
            _kb(r["load_bytes"]), _kb(r["load_static_bytes"]), _kb(r["load_ws_bytes"]),
            _kb(r["repaint_bytes"]), _kb(r["repaint_ws_bytes"]),
            _mb(r["server_rss_mb"]), _mb(r["server_peak_mb"]), _mb(r["loader_rss_mb"]),
            "—" if r["mb_per_extra_session"] is None else f"{r['mb_per_extra_session']:,.1f}",
            "—" if r["js_heap_mb"] is None else f"{r['js_heap_mb']:,.0f}"]) + " |")
    out += ["", "| districts | dataset | vertices | multi-part | touching nobody | across 180° | "
            "GeoJSON 1e-5 KB | ·gzip | TopoJSON 1e5 KB | ·gzip | budgetmap load − static KB | ÷ TopoJSON | "
            "naive load − static KB | budgetmap ÷ naive |", "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for size in result["sizes"]:
        layer, geo = size["layer"], size["geometry"]
        topo = geo.get("topojson") or {}
        mine = next((r for r in rows if r["districts"] == layer["districts"] and r["app"] == "budgetmap"), None)
        theirs = naive.get(layer["districts"])

        def beyond_static(r):
            ok = r and all(isinstance(r[k], (int, float)) and math.isfinite(r[k])
                           for k in ("load_bytes", "load_static_bytes"))
            return r["load_bytes"] - r["load_static_bytes"] if ok else None
        ours, base = beyond_static(mine), beyond_static(theirs)
        out.append(" | ".join([
            f"| {layer['districts']:,}", size["dataset"], f"{layer['vertices']:,}", str(layer["multi_part"]),
            str(layer["touching_nobody"]), str(layer["across_180"]),
            _kb(geo["geojson_1e5"]["raw"]), _kb(geo["geojson_1e5"]["gzip"]),
            _kb(topo.get("raw")) if topo else geo.get("topojson_error", "—"), _kb(topo.get("gzip")) if topo else "—",
            _kb(ours), _ratio(ours, topo.get("raw")), _kb(base), _ratio(ours, base)]) + " |")
    notes = sorted({f"{r['app']} at {r['districts']:,}: {n}" for r in rows for n in r["notes"]})
    notes += sorted({f"{r['app']} at {r['districts']:,}: page error {e}" for r in rows for e in r["page_errors"]})
    notes += [f"{r['app']} at {r['districts']:,}: extra sessions stopped, {r['extra_session_timeout']}"
              for r in rows if r.get("extra_session_timeout")]
    env = result.get("environment", {})
    out += ["", f"{result['args']['reps']} measured sessions x {result['args']['repaints']} repaints per row "
            f"(first paint and bytes: median; repaints: nearest-rank p50/p95 over n); cap {cap:.0f} s per step; "
            f"run took {result.get('elapsed_s', 0):,.0f} s; {env.get('cpus', '?')} CPUs, load average "
            f"{', '.join(f'{x:.1f}' for x in env.get('load_average', []))} at the end; {env.get('chromium', '')}."]
    out += [f"* {n}" for n in notes]
    return "\n".join(out)
