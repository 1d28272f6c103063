"""How long does ``python -m budgetmap`` take to start, with lazy imports against eager ones?

The baseline is the CLI as it was: every module the old ``budgetmap.cli`` imported
at the top (the loaders, the map builders and so mapclassify -> scipy.stats, the
static renderer and matplotlib's PDF backend, the statistics registries) imported
before ``main`` runs. Both run in fresh interpreters, alternately, in the same run:

* ``--help``: the main help;
* ``snapshot --help``;
* ``check demo``: the demo city's load report (the load itself is the same work in both).

Run: ``.venv/bin/python bench/bench_cli_start.py [--reps 5]``.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "geodata" / "demo" / "manifest.toml"
EAGER = ("budgetmap.dataset", "budgetmap.report_text", "budgetmap.book", "budgetmap.snapshot",
         "budgetmap.render.static", "matplotlib.backends.backend_pdf", "mapclassify", "budgetmap.classify",
         "budgetmap.stats.outliers", "budgetmap.stats.spatial", "budgetmap.stats.values", "budgetmap.stats.weights")
CASES = {"--help": ["--help"], "snapshot --help": ["snapshot", "--help"], "check demo": ["check", str(DEMO)]}


def _run(args: list[str], eager: bool) -> float:
    pre = "".join(f"import {m}\n" for m in EAGER) if eager else ""
    code = f"{pre}import sys\nfrom budgetmap.cli import main\nsys.exit(main({args!r}))"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args}: exit {done.returncode}: {done.stderr[-500:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    _run(["--help"], True)  # warm the file cache for both
    print(f"{'command':<18} {'eager p50 s':>12} {'lazy p50 s':>11} {'lazy/eager':>11}")
    for name, argv in CASES.items():
        eager, lazy = [], []
        for _ in range(args.reps):
            eager.append(_run(argv, True))
            lazy.append(_run(argv, False))
        e, z = statistics.median(eager), statistics.median(lazy)
        print(f"{name:<18} {e:>12.2f} {z:>11.2f} {z / e:>10.2f}x")


if __name__ == "__main__":
    main()
