"""Reading a big CSV table: DuckDB's parser (loaders.duckdb_read.read_frame) against Python's csv.

``read_table`` hands CSV files of ``DUCKDB_CSV_BYTES`` or more to DuckDB and gets the same
frame of trimmed strings (tests/test_csv_duckdb.py). Baseline: the same call with DuckDB
switched off, which is how every CSV was read before, in the same run:

    .venv/bin/python bench/bench_csv.py                 # 350,000 rows: the 70,000-district city's indicators
    .venv/bin/python bench/bench_csv.py --rows 1000000 --reps 3
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import median_seconds  # noqa: E402

from loaders import tables  # noqa: E402


def write_table(path: Path, rows: int) -> None:
    """An indicator table like bench_map's synthetic city writes: name, year, district, value."""
    lines = ["indicator,year,district,actual\n"]
    lines += [f"streets_good_pct,{2020 + i % 5},S{i // 5:05d},{(i * 37) % 1000 / 10:.1f}\n" for i in range(rows)]
    path.write_text("".join(lines), encoding="utf-8")


def read(path: Path, duckdb: bool) -> int:
    tables.DUCKDB_CSV_BYTES = 0 if duckdb else 10**15
    return len(tables.read_table(path, display_name=path.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=350_000, help="rows under the header (default 350,000)")
    parser.add_argument("--reps", type=int, default=5, help="timed reads per reader (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "indicators.csv"
        write_table(path, args.rows)
        assert read(path, True) == read(path, False) == args.rows
        fast = median_seconds(lambda: read(path, True), args.reps, warm_up=True)
        naive = median_seconds(lambda: read(path, False), args.reps, warm_up=True)
        size = path.stat().st_size / 1e6
    print(f"{args.rows:,} rows ({size:.1f} MB): DuckDB {fast:.3f} s, Python's csv {naive:.3f} s "
          f"({fast / naive:.2f}x), median of {args.reps}")


if __name__ == "__main__":
    main()
