"""Load test: N sessions change filters on the demo's spending map for T minutes; server time only.

Each session is Streamlit's own websocket protocol (devtools/stclient.py), not a
browser: it opens the page, reports the map as drawn (as map.js does), then
keeps changing a filter (fiscal year, measure, amount, departments, palette,
classes) after a think time, and records how long the server took from the
rerun request to the end of the run (every element of the new page sent).
Fifty such sessions cost one light client process, so the figures are the
server's; ``--browsers K`` adds K real Chromium sessions that measure the whole
change-to-repaint (key press -> new fills on the map) alongside.

    .venv/bin/python bench/bench_load.py                         # 50 sessions, 5 minutes
    .venv/bin/python bench/bench_load.py --sessions 10 --minutes 1 --browsers 1

Loopback only (the server binds 127.0.0.1), bounded by --minutes. Prints a
table and writes every sample to bench/results/bench_load.json (git-ignored).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.server import Server, start_streamlit, stop_streamlit  # noqa: E402
from devtools.stclient import Run, Session  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def _change(session: Session, rng: random.Random) -> tuple[str, object]:
    """A filter change a person might make next: a widget key and a new value (labels, as shown)."""
    choices = [k for k in ("f_year", "f_year", "f_measure", "f_amount", "f_department", "f_palette", "f_scheme")
               if k in session.widgets]
    key = rng.choice(choices)
    options = session.options(key)
    if key == "f_department":
        return key, rng.sample(options, rng.choice([0, 1, 1, 2]))
    if key == "f_scheme":
        options = [o for o in options if not o.startswith("Manual")]  # manual breaks need typed input
    return key, rng.choice(options)


async def _session(i: int, url: str, args: argparse.Namespace, end: float, out: dict) -> None:
    rng = random.Random(args.seed * 1000 + i)
    await asyncio.sleep(i * args.ramp / max(1, args.sessions))
    record = {"session": i, "open": None, "changes": [], "errors": [], "starved": False}
    out["sessions"].append(record)
    try:
        async with Session(url, args.page, f"dataset={args.dataset}") as session:
            opened = await session.open(timeout=args.starve)
            record["open"] = _sample("open", None, opened)
            if not opened.ok or opened.component() is None:
                record["starved"] = opened.status is None
                record["errors"].append(opened.errors or [f"status {opened.status}"])
                return
            # the value map.js reports when it mounts (the shapes come as files, over HTTP, since issue 14)
            mounted = await session.set("district_map", {"selected": None, "clicks": 0, "nonce": f"s{i}"},
                                        timeout=args.starve)
            record["mount"] = _sample("mount", None, mounted)
            while time.monotonic() + args.think[1] < end:
                await asyncio.sleep(rng.uniform(*args.think))
                key, value = _change(session, rng)
                run = await session.set(key, value, timeout=args.starve)
                record["changes"].append(_sample(key, value, run))
                if run.status is None:
                    record["starved"] = True
                if not run.ok:
                    record["errors"].append(run.errors or [f"status {run.status}"])
    except Exception as exc:  # noqa: BLE001 - a dropped session is a result, not a crash of the bench
        record["errors"].append([f"{type(exc).__name__}: {exc}"])


def _sample(kind: str, value: object, run: Run) -> dict:
    return {"kind": kind, "value": value, "seconds": run.seconds, "first_map": run.first_map,
            "ok": run.ok, "finished": run.status is not None, "bytes": run.bytes, "at": time.time()}


def _status(pid: int) -> dict[str, int]:
    """VmRSS (KB) and CPU ticks of a process, from /proc."""
    out = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                out["rss_kb"] = int(line.split()[1])
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
        out["ticks"] = int(fields[11]) + int(fields[12])
    return out


def _monitor(pid: int, stop: threading.Event, samples: list[dict]) -> None:
    while not stop.is_set():
        try:
            samples.append({"t": time.time(), **_status(pid), "load1": os.getloadavg()[0]})
        except OSError:
            return
        stop.wait(1.0)


async def _drive(server: Server, args: argparse.Namespace) -> dict:
    out: dict = {"sessions": []}
    warm = Session(server.url, args.page, f"dataset={args.dataset}")
    async with warm:  # the first visit loads the dataset: not a sample of steady serving
        out["warm_up_s"] = (await warm.open(timeout=300)).seconds
    end = time.monotonic() + args.ramp + args.minutes * 60
    await asyncio.gather(*(_session(i, server.url, args, end, out) for i in range(args.sessions)))
    return out


def _browsers(server: Server, args: argparse.Namespace, end: float, out: list[dict]) -> None:
    """K real Chromium tabs pressing Home/End on the year slider: key press -> new fills on the map."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_map import PAINTED  # the same "map redrawn" predicate as the map benchmark
    from devtools.browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(args.browsers):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto(f"{server.url}/{args.page}?dataset={args.dataset}", wait_until="commit")
                fills = page.wait_for_function(PAINTED, arg=[MAP_FRAME, args.districts, None],
                                               timeout=120_000).json_value()["fills"]
                pages.append([page, fills])
            n = 0
            while time.monotonic() < end:
                for entry in pages:
                    page, fills = entry
                    slider = page.get_by_role("slider", name="Fiscal year")
                    slider.focus()
                    start = page.evaluate("performance.now()")
                    page.keyboard.press("Home" if n % 2 == 0 else "End")
                    try:
                        done = page.wait_for_function(PAINTED, arg=[MAP_FRAME, args.districts, fills],
                                                      timeout=args.starve * 1000).json_value()
                        out.append({"ms": done["t"] - start, "at": time.time()})
                        entry[1] = done["fills"]
                    except Exception as exc:  # noqa: BLE001 - a repaint that never came is a result
                        out.append({"ms": None, "error": type(exc).__name__, "at": time.time()})
                n += 1
                time.sleep(sum(args.think) / 2)
        finally:
            browser.close()


def summarise(out: dict, samples: list[dict], browser: list[dict], args: argparse.Namespace,
              wall: float, client_cpu: float) -> dict:
    changes = [c for s in out["sessions"] for c in s["changes"]]
    done = [c["seconds"] for c in changes if c["finished"]]
    opens = [s["open"]["seconds"] for s in out["sessions"] if s["open"] and s["open"]["finished"]]
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (samples[-1]["ticks"] - samples[0]["ticks"]) / ticks if len(samples) > 1 else None
    span = samples[-1]["t"] - samples[0]["t"] if len(samples) > 1 else None
    painted = [b["ms"] / 1000 for b in browser if b.get("ms") is not None]
    return {
        "sessions": args.sessions, "minutes": args.minutes, "think_s": args.think, "page": args.page,
        "dataset": args.dataset, "changes": len(changes), "changes_per_s": len(changes) / max(wall, 1e-9),
        "change_p50_s": percentile(done, 50), "change_p95_s": percentile(done, 95),
        "change_max_s": max(done) if done else None,
        "open_p50_s": percentile(opens, 50), "open_max_s": max(opens) if opens else None,
        "starved_sessions": sum(1 for s in out["sessions"] if s["starved"] or s["open"] is None),
        "sessions_with_errors": sum(1 for s in out["sessions"] if s["errors"]),
        "errors": [e for s in out["sessions"] for e in s["errors"]][:20],
        "server_rss_mb": {"start": samples[0]["rss_kb"] / 1024, "peak": max(x["rss_kb"] for x in samples) / 1024,
                          "end": samples[-1]["rss_kb"] / 1024} if samples else None,
        "server_cores": cpu / span if cpu is not None and span else None,
        "client_cores": client_cpu / max(wall, 1e-9),
        "load1": {"start": samples[0]["load1"], "max": max(x["load1"] for x in samples)} if samples else None,
        "browser_repaints": len(browser), "browser_p50_s": percentile(painted, 50),
        "browser_p95_s": percentile(painted, 95), "browser_missed": sum(1 for b in browser if b.get("ms") is None),
        "warm_up_s": out.get("warm_up_s"),
    }


def print_table(r: dict) -> None:
    def s(v):
        return "–" if v is None else f"{v:.2f}"
    print(f"| sessions | min | changes | per s | p50 s | p95 s | max s | open p50 s | starved | errors | "
          f"RSS MB start/peak/end | server cores | client cores | load1 max | browser p50/p95 s |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|---|")
    rss = r["server_rss_mb"] or {}
    print(f"| {r['sessions']} | {r['minutes']:g} | {r['changes']} | {r['changes_per_s']:.1f} | "
          f"{s(r['change_p50_s'])} | {s(r['change_p95_s'])} | {s(r['change_max_s'])} | {s(r['open_p50_s'])} | "
          f"{r['starved_sessions']} | {r['sessions_with_errors']} | "
          f"{rss.get('start', 0):.0f}/{rss.get('peak', 0):.0f}/{rss.get('end', 0):.0f} | {s(r['server_cores'])} | "
          f"{s(r['client_cores'])} | {s((r['load1'] or {}).get('max'))} | "
          f"{s(r['browser_p50_s'])}/{s(r['browser_p95_s'])} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 6.0], metavar=("MIN", "MAX"),
                        help="seconds a person looks at the map before the next change (uniform)")
    parser.add_argument("--ramp", type=float, default=20, help="seconds over which the sessions join")
    parser.add_argument("--starve", type=float, default=30,
                        help="a session whose page or change is not drawn within this many seconds is starved")
    parser.add_argument("--page", default="Spending_map")
    parser.add_argument("--dataset", default="demo")
    parser.add_argument("--districts", type=int, default=31, help="district paths the browser map draws")
    parser.add_argument("--browsers", type=int, default=0, help="real Chromium sessions measuring repaint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_load.json")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    # the protocol sessions run no JavaScript, so their maps never report a first paint: whole pages
    # for every session (ui/first_paint.py), as in the runs before the first screen existed
    server = start_streamlit(ROOT / "app.py", log=RESULTS / "bench_load_server.log",
                             env_extra={"BUDGETMAP_FIRST_PAINT": "whole"})
    samples: list[dict] = []
    stop = threading.Event()
    monitor = threading.Thread(target=_monitor, args=(server.process.pid, stop, samples), daemon=True)
    browser: list[dict] = []
    try:
        monitor.start()
        start, cpu0 = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
        threads = []
        if args.browsers:
            end = time.monotonic() + args.ramp + args.minutes * 60 + 30
            threads.append(threading.Thread(target=_browsers, args=(server, args, end, browser), daemon=True))
            threads[-1].start()
        out = asyncio.run(_drive(server, args))
        for thread in threads:
            thread.join(timeout=120)
        wall = time.monotonic() - start
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    finally:
        stop.set()
        monitor.join(timeout=5)
        stop_streamlit(server)
    result = summarise(out, samples, browser, args, wall, client_cpu)
    print_table(result)
    print(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=1))
    for error in result["errors"][:5]:
        print("error:", error)
    args.out.write_text(json.dumps({"summary": result, "sessions": out["sessions"], "server": samples,
                                    "browser": browser}, indent=1, default=str))


if __name__ == "__main__":
    main()
