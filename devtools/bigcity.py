"""A city with as many line items as wanted, for the sandbox tests and bench/bench_isolation.py.

100 square wards (ids "1".."100") and a long spending table written by DuckDB's
COPY (seconds even at millions of rows): 6 fiscal years, 12 departments, 40
programs, 5 funds, a citywide row every 997 and an unknown ward every 4999.
"""
from __future__ import annotations

from pathlib import Path

WARDS = 100


def _wards(folder: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    cells = [box(-90 + 0.01 * (i % 10), 40 + 0.01 * (i // 10), -89.99 + 0.01 * (i % 10), 40.01 + 0.01 * (i // 10))
             for i in range(WARDS)]
    gpd.GeoDataFrame({"ward": [str(i + 1) for i in range(WARDS)], "pop": [1000 + 37 * i for i in range(WARDS)]},
                     geometry=cells, crs="EPSG:4326").to_file(folder / "wards.geojson")


def write_big_city(folder: Path, rows: int, fmt: str = "parquet", engine: str = "auto") -> Path:
    """Write the city into ``folder`` and return its manifest; ``engine`` as the manifest's key."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    _wards(folder)
    data = folder / f"spending.{fmt}"
    amount = "CAST(((i * 7919) % 20000000 - 2000000) / 100 AS DECIMAL(14, 2))"
    select = f"""
        SELECT CAST(2019 + i % 6 AS VARCHAR) AS fiscal_year, 'Department ' || (i * 7 % 12) AS department,
               'Program ' || (i * 13 % 40) AS program, 'Fund ' || (i % 5) AS fund,
               CASE WHEN i % 997 = 0 THEN 'Citywide' WHEN i % 4999 = 1 THEN '999'
                    ELSE CAST(1 + i * 31 % {WARDS} AS VARCHAR) END AS ward,
               {amount} AS amount
        FROM range({int(rows)}) t(i)"""
    option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
    con = duckdb.connect()
    con.execute(f"COPY ({select}) TO '{data}' {option}")
    con.close()
    manifest = folder / "manifest.toml"
    manifest.write_text(f'''name = "Big city ({rows:,} line items)"
currency = "USD"
engine = "{engine}"

[districts]
path = "wards.geojson"
id = "ward"
population = "pop"

[spending]
path = "{data.name}"
district = "ward"
year = "fiscal_year"
amount = "amount"
department = "department"
program = "program"
fund = "fund"
''', encoding="utf-8")
    return manifest


def expected_total_cents(rows: int) -> int:
    """The sum of every amount written, computed from the formula rather than read back."""
    return sum((i * 7919) % 20000000 - 2000000 for i in range(int(rows)))
