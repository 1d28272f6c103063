"""How long does each class scheme take at city, county and tract sizes, against the naive full Fisher-Jenks?

Every scheme in ``budgetmap.classify.SCHEMES`` classifies lognormal values (skewed
like spending per resident) at 31, 1,500, 3,221, 10,000 and 70,000 districts, k = 5
and 9 (median of ``--reps``; mapclassify is imported and warmed up first). The
baseline, in the same run, is what natural breaks did before: mapclassify's
``FisherJenks`` on all the values (pure Python without numba), each in a fresh
interpreter with a ``--timeout`` (default 120 s, reported as "> 120 s"); a size is
not tried once a smaller one did not finish (the method is quadratic).

Run: ``.venv/bin/python bench/bench_classify.py [--reps 3] [--timeout 120]``.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from budgetmap.classify import SCHEMES  # noqa: E402
from timing import median_seconds  # noqa: E402

SIZES = (31, 1_500, 3_221, 10_000, 70_000)
MANUAL = (20.0, 40.0, 80.0)


def _values(n: int) -> np.ndarray:
    return np.random.default_rng(n).lognormal(3, 1, n)


def _ours(key: str, n: int, k: int, reps: int) -> float:
    values = _values(n)
    return median_seconds(lambda: SCHEMES[key].classify(values, k, MANUAL), reps)


def _naive(n: int, k: int, timeout: float) -> float | None:
    """Seconds of mapclassify.FisherJenks on all n values in a fresh interpreter (None: timed out)."""
    code = ("import time, warnings, numpy as np, mapclassify\nwarnings.simplefilter('ignore')\n"
            f"v = np.random.default_rng({n}).lognormal(3, 1, {n})\n"
            f"t = time.perf_counter(); mapclassify.FisherJenks(v, k={k}); print(time.perf_counter() - t)")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    SCHEMES["natural_breaks"].classify(_values(300), 5)  # import mapclassify outside the clock
    for k in (5, 9):
        print(f"\nk = {k}: seconds (median of {args.reps})")
        print(f"{'districts':>10} " + " ".join(f"{key:>15}" for key in SCHEMES) + f" {'naive FJ (all)':>15}")
        gave_up = False
        for n in SIZES:
            ours = [_ours(key, n, k, args.reps) for key in SCHEMES]
            naive = None if gave_up else _naive(n, k, args.timeout)
            gave_up = gave_up or naive is None
            naive_text = f"{naive:.3f}" if naive is not None else f"> {args.timeout:g}"
            print(f"{n:>10,} " + " ".join(f"{t:>15.3f}" for t in ours) + f" {naive_text:>15}", flush=True)


if __name__ == "__main__":
    main()
