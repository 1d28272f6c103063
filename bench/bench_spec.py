"""Benchmark: the server side of the first map on a big synthetic city, ours against another
checkout of the code (the naive baseline) in the same run, with the outputs compared.

Run:  .venv/bin/python bench/bench_spec.py --districts 10000 70000 --baseline /tmp/before
      .venv/bin/python bench/bench_spec.py --districts 10000 --profile     (cProfile of ours)

``--baseline DIR`` is a checkout of the code before the change, e.g.
``mkdir /tmp/before && git archive 0a2af52 | tar -x -C /tmp/before``. Each variant runs in a
subprocess of its own (a fresh interpreter: import costs are real), on the same files:

* import: ``budgetmap.maps`` and ``budgetmap.dataset`` (what the first page run imports
  before it can build a map);
* load: ``open_dataset`` of the Voronoi city (bench/bench_map.py's generator);
* first spec / again: the spending, target and change MapSpecs, built twice each;
* page first / rerun: the Spending map page in ``AppTest`` (through app.py, as the app runs):
  the first run (cold caches: load, geometry, spec) and a rerun with the caches warm, the
  cost every widget interaction pays on the server.

Each spec's ``repr`` is hashed in both variants: the builders must give the same output.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("spending", "target", "change")


def worker(root: str, manifest: str, reps: int, profile: bool, kinds: tuple[str, ...] = KINDS) -> dict:
    """Runs in the subprocess, on the code under ``root``."""
    sys.path.insert(0, root)
    out: dict = {}
    started = time.perf_counter()
    from budgetmap.dataset import open_dataset
    from budgetmap.maps import MAP_KINDS
    from budgetmap.view import SpendingView
    out["import_s"] = time.perf_counter() - started
    started = time.perf_counter()
    dataset = open_dataset(manifest)
    out["load_s"] = time.perf_counter() - started
    views = {"spending": SpendingView(), "target": SpendingView(indicator="streets_good_pct"),
             "change": SpendingView(fiscal_year=2024, base_year=2020)}
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
    for kind in kinds:
        times = []
        for i in range(1 + reps):
            started = time.perf_counter()
            if profiler is not None and i == 0:
                profiler.enable()
            spec = MAP_KINDS[kind](dataset, views[kind])
            if profiler is not None and i == 0:
                profiler.disable()
            times.append(time.perf_counter() - started)
        out[f"{kind}_first_s"] = times[0]
        out[f"{kind}_again_s"] = statistics.median(times[1:]) if reps else float("nan")
        out[f"{kind}_digest"] = hashlib.sha256(repr(spec).encode()).hexdigest()[:16]
    if profiler is not None:
        import io
        import pstats
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
        out["profile"] = text.getvalue()
    out.update(_page(root, manifest))
    return out


def _page(root: str, manifest: str) -> dict:
    """The Spending map page's first run and a warm rerun, in AppTest."""
    import os

    from streamlit.testing.v1 import AppTest
    os.environ["BUDGETMAP_DATASETS"] = manifest
    os.chdir(root)  # .streamlit/config.toml and the relative page paths of that checkout
    at = AppTest.from_file(str(Path(root) / "app.py"), default_timeout=600)
    at.query_params["dataset"] = Path(manifest).stem
    at.run()
    started = time.perf_counter()
    at.switch_page("app_pages/1_Spending_map.py").run()
    first = time.perf_counter() - started
    if at.exception:
        return {"page_error": str(at.exception[0].value)[:300]}
    reruns = []
    for _ in range(3):
        started = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - started)
    return {"page_first_s": first, "page_rerun_s": statistics.median(reruns)}


def run_variant(name: str, root: Path, manifest: Path, reps: int, profile: bool, kinds: list[str]) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--worker", str(root), str(manifest), str(reps),
                           "1" if profile else "0", ",".join(kinds)], capture_output=True, text=True, cwd=root)
    if done.returncode != 0:
        return {"variant": name, "error": done.stderr[-2000:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(variant=name, process_s=time.perf_counter() - started)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, nargs="+", default=[10000])
    parser.add_argument("--baseline", type=Path, help="another checkout (the code before), run on the same files")
    parser.add_argument("--reps", type=int, default=2, help="builds after the first, per kind (median)")
    parser.add_argument("--profile", action="store_true", help="print cProfile of our first builds")
    parser.add_argument("--folder", type=Path, help="keep the generated cities here (reused when present)")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS,
                        help="map kinds to build (the old change map is quadratic: minutes at 70,000)")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        root, manifest, reps, profile, kinds = args.worker
        print(json.dumps(worker(root, manifest, int(reps), profile == "1", tuple(kinds.split(",")))))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    from bench_map import make_synthetic_city
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench_spec_"))
    rows = []
    for n in args.districts:
        manifest = folder / str(n) / f"synthetic_{n}.toml"
        if not manifest.exists():
            make_synthetic_city(manifest.parent, n)
        variants = [("ours", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
        for name, root in variants:
            result = run_variant(name, root, manifest, args.reps, args.profile and name == "ours", args.kinds)
            result["districts"] = n
            rows.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "profile"}), file=sys.stderr, flush=True)
            if "profile" in result:
                print(result["profile"])
    print_table(rows)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "bench_spec.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


def print_table(rows: list[dict]) -> None:
    cols = ["import_s", "load_s", *(f"{k}_{w}_s" for k in KINDS for w in ("first", "again")),
            "page_first_s", "page_rerun_s"]
    print("districts variant  " + " ".join(f"{c[:-2]:>14}" for c in cols) + "  same output")
    for r in rows:
        if "error" in r:
            print(f"{r['districts']:>9} {r['variant']:<8} ERROR {r['error'][-300:]}")
            continue
        ours = next((o for o in rows if o["districts"] == r["districts"] and o["variant"] == "ours"), r)
        same = all(r.get(f"{k}_digest") == ours.get(f"{k}_digest") for k in KINDS)
        print(f"{r['districts']:>9} {r['variant']:<8} " + " ".join(
            f"{r.get(c, float('nan')):>14.2f}" for c in cols) + f"  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
