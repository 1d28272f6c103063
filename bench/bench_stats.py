"""How long do the statistics of one map take on a county-sized dataset, and what does the import cost?

A synthetic grid of 3,136 districts (56 x 56 squares, about the number of US
counties) with one indicator value each: a smooth gradient plus noise, so there
is real clustering to find. Timed, per weights rule (queen, rook, knn):

* weights: libpysal building the row-standardised weights from the polygons;
* analyse: everything ``python -m budgetmap stats`` computes (weights, Moran's I,
  LISA and Gi* with 999 permutations each, outliers, small numbers);
* cluster map: the whole ``cluster`` MapSpec (analyse, then colours, legend, details
  and the JSON the page's table reads), against the target map of the same values
  (which now also flags outliers and small numbers);
* and once: importing libpysal + esda in a fresh interpreter (what the CLI pays,
  and why the statistics modules import them lazily).

Run: ``.venv/bin/python bench/bench_stats.py [--side 56] [--reps 3]``.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from budgetmap.cluster_map import build_cluster_map  # noqa: E402
from budgetmap.dataset import open_dataset  # noqa: E402
from budgetmap.target_map import build_target_map  # noqa: E402
from budgetmap.stats.analysis import analyse  # noqa: E402
from budgetmap.stats.values import indicator_values  # noqa: E402
from budgetmap.stats.weights import WEIGHTS, neighbours  # noqa: E402
from budgetmap.view import SpendingView  # noqa: E402
from devtools.gridcity import grid, write_grid_city  # noqa: E402
from timing import median_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=56)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    cells = grid(args.side, args.side)
    noise = np.random.default_rng(1).normal(0, 5, len(cells))
    values = {i: float(c + r + noise[k]) for k, (i, (c, r)) in enumerate(cells.items())}
    with tempfile.TemporaryDirectory() as tmp:
        dataset = open_dataset(write_grid_city(Path(tmp), cells, indicator=values))
    subject = indicator_values(dataset, SpendingView(indicator="score"))
    print(f"{len(cells):,} districts, {args.reps} runs each (median)")
    for key in WEIGHTS:
        build = median_seconds(lambda: neighbours(dataset.districts, subject.ids, key), args.reps)
        full = median_seconds(lambda: analyse(dataset, subject, weights=key), args.reps)
        result = analyse(dataset, subject, weights=key)
        print(f"  {key:6s} weights {build:6.2f} s   analyse {full:6.2f} s   Moran's I {result.moran.I:.3f} "
              f"(p = {result.moran.p_sim:.3f}), {len(result.clusters('HH'))} HH, {len(result.clusters('LL'))} LL")
    view = SpendingView(indicator="score", stats_of="indicator")
    cluster = median_seconds(lambda: build_cluster_map(dataset, view), args.reps)
    target = median_seconds(lambda: build_target_map(dataset, view), args.reps)
    print(f"  cluster map (queen, LISA) {cluster:6.2f} s   target map of the same values {target:6.2f} s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import libpysal.weights, esda"], check=True)
    print(f"  importing libpysal + esda in a fresh interpreter: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
