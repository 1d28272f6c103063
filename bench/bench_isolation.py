"""What loading in a separate, limited process costs: isolated vs in-process, in the same run.

For each dataset: ``--reps`` loads in this process (``open_dataset(path)``) and
as many through the sandbox (``open_dataset(path, isolated=True)``: a fork of
the preloaded loader process, the load, the pickle back), alternating so the
machine's load falls on both alike; medians. The first isolated load of the
run also starts the loader process (interpreter and imports): reported apart
as "cold". "pickle MB" is the size of what crosses (a DuckDB ledger as Parquet).

    .venv/bin/python bench/bench_isolation.py                 # demo + 1 M line items (DuckDB), 5 reps
    .venv/bin/python bench/bench_isolation.py --rows 1e6 1e7 --reps 3
    .venv/bin/python bench/bench_isolation.py --pandas        # also 1 M line items of CSV through pandas
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from budgetmap.dataset import open_dataset  # noqa: E402
from devtools.bigcity import write_big_city  # noqa: E402
from loaders import sandbox  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEMO = ROOT / "geodata" / "demo" / "manifest.toml"


def _timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def measure(name: str, manifest: Path, reps: int, cold: bool) -> dict:
    """Median seconds in-process and isolated (warm loader process), the cold first load, the pickle."""
    row: dict = {"dataset": name}
    if cold:
        row["cold_s"], _ = _timed(lambda: open_dataset(manifest, isolated=True))
    else:
        open_dataset(manifest, isolated=True)  # one unmeasured isolated load: the loader process is warm
    here_s, there_s = [], []
    dataset = None
    for _ in range(reps):
        seconds, dataset = _timed(lambda: open_dataset(manifest))
        here_s.append(seconds)
        seconds, isolated = _timed(lambda: open_dataset(manifest, isolated=True))
        there_s.append(seconds)
        assert isolated.report.reconciliation == dataset.report.reconciliation
    row["rows"] = sum(t.rows_read for t in dataset.report.tables if t.table.startswith("spending"))
    row["engine"] = dataset.engine
    row["in_process_s"], row["isolated_s"] = statistics.median(here_s), statistics.median(there_s)
    row["overhead_s"] = row["isolated_s"] - row["in_process_s"]
    row["pickle_s"], blob = _timed(lambda: pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL))
    row["unpickle_s"], _ = _timed(lambda: pickle.loads(blob))
    row["pickle_mb"] = len(blob) / 2**20
    row["samples"] = {"in_process_s": here_s, "isolated_s": there_s}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--pandas", action="store_true", help="also 1 M line items of CSV through pandas")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_isolation.json")
    args = parser.parse_args()
    limits = sandbox.Limits.from_env()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-isolation-") as temp:
        cases = [("demo", DEMO)]
        for n in (int(r) for r in args.rows):
            cases.append((f"big_{n}_parquet", write_big_city(Path(temp) / f"p{n}", n, "parquet")))
        if args.pandas:
            cases.append(("big_1000000_csv", write_big_city(Path(temp) / "csv", 1_000_000, "csv", "pandas")))
        for i, (name, manifest) in enumerate(cases):
            rows.append(measure(name, manifest, args.reps if name == "demo" else max(1, args.reps - 2), i == 0))
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "samples"}), file=sys.stderr, flush=True)
    print(f"limits: timeout {limits.timeout:g} s, memory {limits.memory_mb} MB; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; cold = first isolated load, loader process start included")
    print("| dataset | line items | engine | in-process s | isolated s | overhead s | overhead % | cold s | "
          "pickle MB | pickle s | unpickle s |")
    print("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        cold = f"{r['cold_s']:.2f}" if "cold_s" in r else ""
        print(f"| {r['dataset']} | {r['rows']:,} | {r['engine']} | {r['in_process_s']:.2f} | {r['isolated_s']:.2f} | "
              f"{r['overhead_s']:+.2f} | {100 * r['overhead_s'] / r['in_process_s']:+.0f}% | {cold} | "
              f"{r['pickle_mb']:.1f} | {r['pickle_s']:.2f} | {r['unpickle_s']:.2f} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"limits": limits.__dict__, "load_average": os.getloadavg(), "rows": rows},
                                   indent=1))


if __name__ == "__main__":
    main()
