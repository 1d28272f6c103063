"""The browser side of bench_scale.py: one app on one dataset, in a child process.

bench_scale.py starts the app's server, then runs this file as its own process
(``python bench/scale_browser.py SPEC.json OUT.json``) under a hard time limit and kills
its process group if it ever hangs (a frozen renderer can block a Playwright call that has
no timeout of its own). Every finished step is written to OUT.json at once, so a killed
child still leaves what it measured.

Steps: a cold session (the fresh server's first page: dataset load included; then the
repaints, unmeasured, which fill the server's per-year caches), ``reps`` measured sessions
(each a fresh browser context: first paint, then ``repaints`` fiscal-year changes), then
``extra`` sessions opened one after another and kept open, with the server's RSS after
each. A step that does not finish within ``cap`` seconds is recorded as a timeout; after a
first paint times out in a measured session, the app's remaining sessions are skipped, and
after a repaint times out, its remaining repaints are (the page is frozen, and every later
one would wait out the cap too).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_map import APPS, VIEWPORT, CdnStub, Traffic, _settle  # noqa: E402
from devtools.browser import CHROMIUM, CHROMIUM_ARGS, NON_LOCAL  # noqa: E402

#: fiscal-year keys on the "Fiscal year" slider; from the default (last) year each one moves it
KEYS = ["Home", "End", "ArrowLeft", "Home", "ArrowRight", "End"]

#: Polled every animation frame of the main page. A paint is "seen" in the frame where the map
#: iframe shows it (budgetmap: body[data-drawn] == n and, for a repaint, body[data-paint-seq]
#: above ``before``; naive: n folium paths, and for a repaint fills that differ from ``before``,
#: compared on every k-th path, k = n // 2000, so that polling 70,000 paths stays cheap), and
#: "done" one frame later, when that frame has been rendered; both apps are timed alike.
WAIT = """([kind, sel, n, before]) => {
    const now = performance.now();
    if (window.__bmSeen) { const s = window.__bmSeen; window.__bmSeen = null;
                           return {t: now, seen: s.t, frameStart: s.frameStart, state: s.state}; }
    for (const f of document.querySelectorAll(sel)) {
        const d = f.contentDocument;
        if (!d || !d.body) continue;
        let state;
        if (kind === 'naive') {
            const ps = d.querySelectorAll('path.leaflet-interactive');
            if (ps.length !== n) continue;
            const step = Math.max(1, Math.floor(n / 2000)), fills = [];
            for (let i = 0; i < n; i += step) fills.push(ps[i].getAttribute('fill'));
            state = fills.join(',');
        } else {
            if (Number(d.body.getAttribute('data-drawn')) !== n) continue;
            state = Number(d.body.getAttribute('data-paint-seq') || 0);
            if (before !== null && state <= before) continue;
        }
        if (kind === 'naive' && before !== null && state === before) continue;
        window.__bmSeen = {t: now, frameStart: f.contentWindow.performance.timeOrigin - performance.timeOrigin,
                           state: state};
        return false;
    }
    return false;
}"""


def tree_memory(pid: int) -> dict:
    """RSS and peak RSS (VmHWM) of the server process, and the RSS of its children (the loader)."""
    def status(p: int) -> dict[str, int]:
        try:
            lines = Path(f"/proc/{p}/status").read_text().splitlines()
        except OSError:
            return {}
        return {k: int(v.split()[0]) for k, _, v in (ln.partition(":") for ln in lines) if k in ("VmRSS", "VmHWM")}
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    todo, kids = list(children.get(pid, [])), []
    while todo:
        p = todo.pop()
        kids.append(p)
        todo += children.get(p, [])
    main = status(pid)
    return {"rss_mb": main.get("VmRSS", 0) / 1024, "peak_mb": main.get("VmHWM", 0) / 1024,
            "children_rss_mb": sum(status(p).get("VmRSS", 0) for p in kids) / 1024,
            "children_peak_mb": max([status(p).get("VmHWM", 0) for p in kids] or [0]) / 1024}


class Session:
    """One browser context on the app's page, with its traffic counter and DevTools session."""

    def __init__(self, browser, spec: dict, stub: CdnStub) -> None:
        self.spec, self.kind = spec, "naive" if spec["app"] != "budgetmap" else "budgetmap"
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(spec["cap"] * 1000)
        self.context.route(NON_LOCAL, stub)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)[:300]))
        self.traffic = Traffic()
        self.cdp = self.context.new_cdp_session(self.page)
        self.traffic.attach(self.cdp)
        self.cdp.send("Performance.enable")
        self.state = None

    def _wait(self, before) -> dict:
        return self.page.wait_for_function(WAIT, arg=[self.kind, APPS[self.spec["app"]][1], self.spec["districts"],
                                                      before], polling="raf",
                                           timeout=self.spec["cap"] * 1000).json_value()

    def first_paint(self) -> dict:
        start = self.traffic.snapshot()
        self.page.goto(self.spec["url"], wait_until="commit")
        done = self._wait(None)
        _settle(self.page, self.traffic, timeout_s=min(30, self.spec["cap"]))
        self.state = self._state()
        return {"ms": done["t"], "map_ms": done["t"] - done["frameStart"], "seen_ms": done["seen"],
                "bytes": Traffic.delta(self.traffic.snapshot(), start), "heap": self.heap()}

    def _state(self):
        """What a repaint must change: the paint counter (budgetmap) or the sampled fills (naive)."""
        self.page.evaluate("() => { window.__bmSeen = null; }")
        return self._wait(None)["state"]

    def repaint(self, key: str) -> dict:
        slider = self.page.get_by_role("slider", name="Fiscal year")
        slider.focus()
        self.page.evaluate("""() => { window.__bmKeyAt = null; window.__bmSeen = null;
            window.addEventListener('keydown', () => { window.__bmKeyAt = performance.now(); },
                                    {capture: true, once: true}); }""")
        before = self.traffic.snapshot()
        self.page.keyboard.press(key)
        done = self._wait(self.state)
        pressed = self.page.evaluate("window.__bmKeyAt")
        _settle(self.page, self.traffic, timeout_s=min(30, self.spec["cap"]))
        after = self._state()
        paints = (after - self.state) if self.kind == "budgetmap" else None
        self.state = after
        return {"key": key, "ms": done["t"] - pressed, "seen_ms": done["seen"] - pressed, "paints": paints,
                "bytes": Traffic.delta(self.traffic.snapshot(), before),
                "year": slider.get_attribute("aria-valuetext")}

    def heap(self) -> dict:
        metrics = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {"js_heap_used_mb": metrics.get("JSHeapUsedSize", 0) / 2**20,
                "js_heap_total_mb": metrics.get("JSHeapTotalSize", 0) / 2**20, "nodes": metrics.get("Nodes")}

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:  # a crashed context is closed already
            pass


def _timeout(exc: Exception, cap: float) -> dict:
    return {"timeout": True, "error": f"> {cap:.0f} s" if "Timeout" in type(exc).__name__
            else f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}


def run(spec: dict, out_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    out: dict = {"cold": None, "sessions": [], "extra": None, "memory": {}}

    def save() -> None:
        out_path.write_text(json.dumps(out, indent=1), encoding="utf-8")

    cap, pid, stub = spec["cap"], spec["server_pid"], CdnStub()
    keys = [KEYS[i % len(KEYS)] for i in range(spec["repaints"])]
    repaints_ok = True
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for index in range(1 + spec["reps"]):
            session = Session(browser, spec, stub)
            record: dict = {"repaints": []}
            try:
                record["load"] = session.first_paint()
            except Exception as exc:
                record["load"] = _timeout(exc, cap)
            if index == 0:
                out["memory"]["after_cold"] = tree_memory(pid)
            for key in keys if "ms" in record["load"] and repaints_ok else []:
                try:
                    record["repaints"].append(session.repaint(key))
                except Exception as exc:
                    record["repaints"].append(_timeout(exc, cap))
                    repaints_ok = index == 0  # a cold repaint may wait on the caches; a warm one, no
                    break
            if "ms" in record["load"] and record["repaints"] and "ms" in record["repaints"][-1]:
                record["heap_after_repaints"] = session.heap()
            record["page_errors"] = session.errors
            session.close()
            if index == 0:
                out["cold"] = record
            else:
                out["sessions"].append(record)
            save()
            if index > 0 and "ms" not in record["load"]:
                out["skipped"] = "the remaining sessions, after a first paint took longer than the cap"
                break
        out["memory"]["after_sessions"] = tree_memory(pid)
        save()
        if "skipped" not in out and spec["extra"]:
            extra, held = {"before": tree_memory(pid), "after": []}, []
            for _ in range(spec["extra"]):
                session = Session(browser, spec, stub)
                held.append(session)
                try:
                    session.first_paint()
                except Exception as exc:
                    extra["timeout"] = _timeout(exc, cap)["error"]
                    break
                time.sleep(1)
                extra["after"].append(tree_memory(pid))
                out["extra"] = extra
                save()
            for session in held:
                session.close()
            out["extra"] = extra
        out["memory"]["end"] = tree_memory(pid)
        save()
        browser.close()


if __name__ == "__main__":
    run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")), Path(sys.argv[2]))
