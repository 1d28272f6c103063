"""How long does a county-sized join take, with its diagnostics, against a plain geopandas join?

A synthetic United States: 3,221 counties (5-digit FIPS ids, names that repeat
across states as real ones do) and a spending table with one row per county
whose keys are integers (1001 for "01001"), as spreadsheets store FIPS, plus a
few truly unknown keys. Three ways, in the same run:

* naive: geopandas reads the boundaries, pandas reads the table and merges on
  the zero-padded key (what an analyst writes by hand, with no diagnostics);
* near misses the old way: ``suggest`` as of commit d0c48b2 (read from git),
  every unmatched key against every id and every district without data against
  every key (what `check` did before the indexed ``Suggester``);
* budgetmap: ``open_dataset`` (read, parse, join, load report, near-miss hints
  and the suggested rules), before and after accepting the rule ``pad = 5``;
* the same counties keyed by name and state (``--names``): a table of (county
  name, state code) rows, before and after accepting the suggested
  ``match_on`` + ``match_also``.

Run: ``.venv/bin/python bench/bench_joins.py [--counties 3221] [--reps 3]``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
from shapely.geometry import box  # noqa: E402

from budgetmap.dataset import open_dataset  # noqa: E402
from devtools.testcity import merge_toml, simple_manifest  # noqa: E402

OLD_COMMIT = "d0c48b2"  # the last commit with the per-key scan
NAMES = ["Washington", "Jefferson", "Franklin", "Jackson", "Lincoln", "Madison", "Clay", "Montgomery", "Union",
         "Marion", "Monroe", "Greene", "Wayne", "Warren", "Grant"]


def write_counties(folder: Path, n: int) -> Path:
    side = int(n ** 0.5) + 1
    ids = [f"{1 + i // 100:02d}{(i % 100) * 2 + 1:03d}" for i in range(n)]
    names = [f"{NAMES[i % len(NAMES)]}" if i % 3 else f"County {i}" for i in range(n)]
    frame = gpd.GeoDataFrame({"code": ids, "label": names, "pop": [1000 + i for i in range(n)]},
                             geometry=[box(i % side, i // side, i % side + 1, i // side + 1) for i in range(n)],
                             crs="EPSG:4326")
    frame.to_file(folder / "districts.geojson")
    keys = [str(int(i)) for i in ids] + ["99999", "88888", "Statewide"]
    rows = "".join(f"2024,{k},Parks,Trees,General,{1000 + j}.25\n" for j, k in enumerate(keys))
    (folder / "spending.csv").write_text("year,district,dept,program,fund,cost\n" + rows, encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(simple_manifest("Counties", "Synthetic"), encoding="utf-8")
    return manifest


def write_named_counties(folder: Path, n: int) -> Path:
    """The counties of ``write_counties`` with a state column (the id's first two digits as "S01"..), and a
    table keyed by county name and state, as a state finance office would publish it."""
    manifest = write_counties(folder, n)
    shapes = gpd.read_file(folder / "districts.geojson")
    shapes["state"] = ["S" + code[:2] for code in shapes["code"]]
    # unique within a state (100 counties each), repeated across states: "Washington" 33 times, as in the US
    shapes["label"] = [NAMES[i % 100 % len(NAMES)] + ("" if i % 100 < len(NAMES) else f" {i % 100 // len(NAMES)}")
                       for i in range(len(shapes))]
    shapes.to_file(folder / "districts.geojson")
    rows = "".join(f"2024,{name},{state},Parks,Trees,General,{1000 + j}.25\n"
                   for j, (name, state) in enumerate(zip(shapes["label"], shapes["state"])))
    rows += "2024,Nowhere,S01,Parks,Trees,General,5.00\n"
    (folder / "spending.csv").write_text("year,district,state,dept,program,fund,cost\n" + rows, encoding="utf-8")
    return manifest


def naive(folder: Path) -> float:
    start = time.perf_counter()
    shapes = gpd.read_file(folder / "districts.geojson")
    table = pd.read_csv(folder / "spending.csv", dtype={"district": str})
    table["key"] = table["district"].str.zfill(5)
    merged = shapes.merge(table.groupby("key")["cost"].sum(), left_on="code", right_index=True, how="left")
    assert merged["cost"].notna().sum() == len(shapes)
    return time.perf_counter() - start


def old_near_misses(folder: Path) -> float:
    """The near-miss hints as ``check`` made them before the index: ``suggest`` of commit d0c48b2
    (read from git), each unmatched key against every id, each district without data against every key."""
    import subprocess
    import types

    source = subprocess.run(["git", "show", f"{OLD_COMMIT}:loaders/joins.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    old = types.ModuleType("old_joins")
    exec(compile(source, "old_joins.py", "exec"), old.__dict__)
    ids = list(gpd.read_file(folder / "districts.geojson")["code"])
    keys = list(pd.read_csv(folder / "spending.csv", dtype={"district": str})["district"])
    start = time.perf_counter()
    known = set(ids)
    spare = [k for k in keys if k not in known]
    for key in spare:
        old.suggest(key, ids)
    used = set(keys)
    for did in ids:
        if did not in used:
            old.suggest(did, spare)
    return time.perf_counter() - start


def timed(manifest: Path) -> tuple[float, object]:
    start = time.perf_counter()
    dataset = open_dataset(manifest)
    return time.perf_counter() - start, dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=3221)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--names", action="store_true", help="also time counties keyed by name and state")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = write_counties(folder, args.counties)
        rows: dict[str, list[float]] = {"naive geopandas join": [], "old near-miss scan": [],
                                        "budgetmap, keys unmatched": [], "budgetmap, pad = 5 accepted": []}
        dataset = None
        for _ in range(args.reps):
            rows["naive geopandas join"].append(naive(folder))
            rows["old near-miss scan"].append(old_near_misses(folder))
            seconds, dataset = timed(manifest)
            rows["budgetmap, keys unmatched"].append(seconds)
        rules = dataset.report.suggested_rules
        fixed = folder / "fixed.toml"
        text = manifest.read_text(encoding="utf-8")
        for rule in rules:
            text = merge_toml(text, rule.toml)
        fixed.write_text(text, encoding="utf-8")
        for _ in range(args.reps):
            seconds, after = timed(fixed)
            rows["budgetmap, pad = 5 accepted"].append(seconds)
        print(f"{args.counties:,} counties, {args.reps} reps (median seconds)")
        for name, samples in rows.items():
            print(f"  {name:32s} {statistics.median(samples):7.2f}")
        print("suggested:", [(r.description, r.keys, r.amount_cents / 100) for r in rules])
        print("left off the map after accepting:", [u.key for u in after.report.unmatched])
    if args.names:
        named(args)


def named(args: argparse.Namespace) -> None:
    """Counties keyed by name and state: the rule search with ``match_also``, then the join it suggests."""
    with tempfile.TemporaryDirectory() as tmp:
        manifest = write_named_counties(Path(tmp), args.counties)
        before, after_s = [], []
        for _ in range(args.reps):
            seconds, dataset = timed(manifest)
            before.append(seconds)
        text = manifest.read_text(encoding="utf-8")
        for rule in dataset.report.suggested_rules:
            text = merge_toml(text, rule.toml)
        manifest.write_text(text, encoding="utf-8")
        for _ in range(args.reps):
            seconds, after = timed(manifest)
            after_s.append(seconds)
        print(f"  {'names + state, keys unmatched':32s} {statistics.median(before):7.2f}")
        print(f"  {'names + state, rule accepted':32s} {statistics.median(after_s):7.2f}")
        print("suggested:", [(r.toml.replace(chr(10), ' '), r.keys, r.amount_cents / 100)
                             for r in dataset.report.suggested_rules])
        print("left off the map after accepting:", [u.key for u in after.report.unmatched])


if __name__ == "__main__":
    main()
