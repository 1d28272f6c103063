"""How long does naming a district cost on county-sized data with repeated names?

The synthetic United States of ``bench_joins.py`` (3,221 counties, two in three
named after one of 15 common county names). Three figures, in the same run:

* old scan: what ``fields._districts`` did before ``Layer.names`` on every URL,
  book view or flag naming a district (``names.count(n)`` for each name: quadratic);
* labels once: ``DistrictNames.of`` for the layer (display labels, lookup, shared names),
  worked out once per layer and then kept;
* per reading: ``fields.against`` with ``district`` an id, a shared name (refused with
  its candidates) and an unknown name, once the layer's names are known.

Run: ``.venv/bin/python bench/bench_names.py [--counties 3221] [--reps 20]``.
On the shared 2-core machine (other jobs running), medians of 10: old scan 461 ms per
reading, labels once 47 ms, then 0.06 ms (id), 0.16 ms (shared name), 9 ms (unknown
name: the refusal sorts every id to list some).
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
sys.path.insert(0, str(ROOT / "bench"))

from bench_joins import write_counties  # noqa: E402

from budgetmap.dataset import open_dataset  # noqa: E402
from budgetmap.fields import against, read  # noqa: E402
from budgetmap.model import DistrictNames  # noqa: E402


def _old_scan(ids: list[str], names: list[str]) -> dict[str, str]:
    unique = {n: i for n, i in zip(names, ids) if names.count(n) == 1}
    return unique | {i: i for i in ids}


def _ms(fn, reps: int) -> float:
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counties", type=int, default=3221)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dataset = open_dataset(write_counties(Path(tmp), args.counties))
    frame = dataset.districts
    ids, names = [str(i) for i in frame["district_id"]], [str(n) for n in frame["name"]]
    layer = dataset.layers[0]
    shared = next(iter(layer.names.shared))
    print(f"{len(ids):,} counties, {sum(len(v) for v in layer.names.shared.values()):,} sharing a name")
    print(f"old scan, per reading        {_ms(lambda: _old_scan(ids, names), max(3, args.reps // 5)):9.2f} ms")
    print(f"labels once, per layer       {_ms(lambda: DistrictNames.of(ids, names), args.reps):9.2f} ms")
    for what, value in (("an id", ids[1]), (f"shared {shared!r}", shared), ("an unknown name", "Nowhere")):
        ms = _ms(lambda: against(dataset, read({"district": value})), args.reps)
        print(f"against(), {what:<18}{ms:9.2f} ms")


if __name__ == "__main__":
    main()
