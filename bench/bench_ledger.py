"""How long and how much memory does loading a big spending table take: pandas loader vs DuckDB loader.

Generates synthetic long spending tables (DuckDB's COPY, seconds even at 10 M rows)
and runs each variant in its own subprocess, so its peak RSS is its own:

* ``pandas loader``  loaders.spending.read_spending (every cell through Python), then a FrameLedger;
* ``duckdb loader``  loaders.spending_duckdb.read_spending_duckdb (same semantics, rows stay in DuckDB);
* ``pandas bare``    pd.read_csv/read_parquet + groupby(ward, year) sum, no checks: a floor for pandas;
* ``duckdb bare``    one SELECT ward, year, sum(amount) GROUP BY over the file: a floor for DuckDB.

For the two loaders it also times district totals for one year (``totals``) and
district x year sums (``sums``) on the loaded ledger (median of 3).

    .venv/bin/python bench/bench_ledger.py                      # 1 M rows, parquet and csv
    .venv/bin/python bench/bench_ledger.py --rows 1e6 1e7 --formats parquet --limit 240
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("pandas loader", "duckdb loader", "pandas bare", "duckdb bare")
COLUMNS = {"year": "fiscal_year", "district": "ward", "department": "department", "program": "program",
           "fund": "fund", "actual": "amount"}


def generate(folder: Path, rows: int, fmt: str) -> Path:
    """A long table: ~100 wards (plus Citywide and an unknown key), 6 years, cents, a few bad rows."""
    import duckdb

    path = folder / f"spending_{rows}.{fmt}"
    if path.exists():
        return path
    amount = "CAST(((i * 7919) % 20000000 - 2000000) / 100 AS DECIMAL(14, 2))"
    select = f"""
        SELECT CASE WHEN i % 100003 = 7 THEN 'FY20x' ELSE CAST(2019 + i % 6 AS VARCHAR) END AS fiscal_year,
               'Department ' || (i * 7 % 12) AS department, 'Program ' || (i * 13 % 40) AS program,
               'Fund ' || (i % 5) AS fund,
               CASE WHEN i % 997 = 0 THEN 'Citywide' WHEN i % 4999 = 1 THEN '999' ELSE CAST(1 + i * 31 % 100 AS VARCHAR) END AS ward,
               CASE WHEN i % 50021 = 3 THEN NULL ELSE {amount} END AS amount
        FROM range({rows}) t(i)"""
    option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"COPY ({select}) TO '{path}' {option}")
    con.close()
    return path


def worker(variant: str, path: Path) -> dict:
    """Run one variant in this process; return seconds and, for the loaders, query timings."""
    sys.path.insert(0, str(ROOT))
    import geopandas as gpd
    import pandas as pd

    layers = {"wards": gpd.GeoDataFrame({"district_id": [str(i) for i in range(1, 101)]})}
    start = time.perf_counter()
    out: dict = {}
    if variant == "pandas loader":
        from loaders.manifest import TableSpec
        from loaders.spending import read_spending
        from budgetmap.sources.frame import FrameLedger, key_columns

        spec = TableSpec("spending", path, dict(COLUMNS), {"citywide": ["Citywide"]})
        frame, report, _ = read_spending(spec, list(layers["wards"]["district_id"]))
        frame[key_columns("wards")[0]], frame[key_columns("wards")[1]] = frame["district_id"], frame["location"]
        ledger = FrameLedger(frame, ["wards"], "wards")
        out["used"] = report.rows_used
    elif variant == "duckdb loader":
        from loaders.manifest import TableSpec
        from loaders.spending_duckdb import read_spending_duckdb

        spec = TableSpec("spending", path, dict(COLUMNS), {"citywide": ["Citywide"]})
        ledger, report, _ = read_spending_duckdb(spec, layers, "wards")
        out["used"] = report.rows_used
    elif variant == "pandas bare":
        frame = (pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str))
        cents = pd.to_numeric(frame["amount"], errors="coerce")
        frame.assign(cents=cents).groupby(["ward", "fiscal_year"])["cents"].sum()
        ledger = None
    else:
        import duckdb

        reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
        duckdb.connect().execute(f"SELECT ward, fiscal_year, sum(TRY_CAST(amount AS DECIMAL(18, 2))) "
                                 f"FROM {reader}(?) GROUP BY ALL", [str(path)]).fetchall()
        ledger = None
    out["load_s"] = time.perf_counter() - start
    if ledger is not None:
        from budgetmap.model import SpendingQuery

        for name, call in (("totals", lambda: ledger.totals(SpendingQuery(years=(2023,)), "USD")),
                           ("sums", lambda: ledger.sums(SpendingQuery(), ["district_id", "fiscal_year"]))):
            times = []
            for _ in range(3):
                t = time.perf_counter()
                call()
                times.append(time.perf_counter() - t)
            out[f"{name}_ms"] = statistics.median(times) * 1000
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run(variant: str, path: Path, limit: float) -> dict:
    try:
        done = subprocess.run([sys.executable, __file__, "--worker", variant, str(path)], capture_output=True,
                              text=True, timeout=limit, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"over": limit}
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6])
    parser.add_argument("--formats", nargs="+", default=["parquet", "csv"], choices=["parquet", "csv"])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--limit", type=float, default=240, help="seconds before a variant counts as '> limit'")
    parser.add_argument("--folder", type=Path, help="keep generated files here (default: a temp folder)")
    parser.add_argument("--out", type=Path, help="also write the samples as JSON (e.g. bench/results/ledger.json)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]))))
        return
    results = []
    with tempfile.TemporaryDirectory() as temp:
        folder = args.folder or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in (int(r) for r in args.rows):
            for fmt in args.formats:
                path = generate(folder, rows, fmt)
                size = path.stat().st_size / 2**20
                for variant in args.variants:
                    result = run(variant, path, args.limit)
                    results.append({"rows": rows, "format": fmt, "file_mb": size, "variant": variant, **result})
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print("| rows | format | file MB | variant | load s | peak RSS MB | totals ms | sums ms |")
    print("|--:|---|--:|---|--:|--:|--:|--:|")
    for r in results:
        if "over" in r:
            load, peak = f"> {r['over']:.0f}", "–"
        elif "error" in r:
            load, peak = f"error: {r['error'][:60]}", "–"
        else:
            load, peak = f"{r['load_s']:.1f}", f"{r['peak_mb']:,.0f}"
        ms = [f"{r[k]:.1f}" if k in r else "" for k in ("totals_ms", "sums_ms")]
        print(f"| {r['rows']:,} | {r['format']} | {r['file_mb']:.0f} | {r['variant']} | {load} | {peak} | "
              f"{ms[0]} | {ms[1]} |")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
