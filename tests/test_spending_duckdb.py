"""The DuckDB spending loader gives the pandas loader's rows, problems and rejected cents, row for row."""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from budgetmap.model import SpendingQuery
from budgetmap.sources.frame import key_columns
from loaders.boundaries import read_boundaries
from loaders.manifest import TableSpec, read_manifest
from loaders.spending import read_spending
from loaders import spending_duckdb
from loaders.spending_duckdb import read_spending_duckdb

ROOT = Path(__file__).resolve().parents[1]
ROW = ("source_row", "fiscal_year", "actual_cents", "budget_cents", "department", "program", "fund", "project",
       "period", "raw_district", "district", "location")


def comparable(frame: pd.DataFrame, layer: str) -> list[tuple]:
    """Line items as plain tuples (ROW), from either frame shape.

    This branch's read_spending gives ``district_id``/``location``; the new one (and
    DuckDBLedger.to_frame) ``key_columns(layer)``. Missing values become None.
    """
    district, location = key_columns(layer)
    if district not in frame.columns:
        district, location = "district_id", "location"
    columns = [*ROW[:-2], district, location]
    rows = frame[columns].astype(object).itertuples(index=False)
    return sorted(tuple(None if pd.isna(v) else v for v in r) for r in rows)


def pandas_read(spec: TableSpec, layers: Mapping[str, gpd.GeoDataFrame], layer: str) -> tuple:
    """The reference loader under either signature."""
    if "layers" in inspect.signature(read_spending).parameters:
        return read_spending(spec, layers, layer)
    return read_spending(spec, list(layers[layer]["district_id"]))


def problems(report) -> list[tuple]:
    return [(p.file, p.row, p.column, p.value, p.reason) for p in report.problems]


def assert_same(spec: TableSpec, layers: Mapping[str, gpd.GeoDataFrame], layer: str, *, fast: bool = True) -> None:
    """Both loaders agree; ``fast``: and the DuckDB one read the file itself (no fallback to pandas)."""
    frame, want, want_rejected = pandas_read(spec, layers, layer)
    fell_back = []
    original = spending_duckdb._by_pandas
    spending_duckdb._by_pandas = lambda *a: fell_back.append(True) or original(*a)
    try:
        ledger, got, got_rejected = read_spending_duckdb(spec, layers, layer)
    finally:
        spending_duckdb._by_pandas = original
    assert bool(fell_back) is not fast
    assert ledger.engine == "duckdb"
    assert comparable(ledger.to_frame(), layer) == comparable(frame, layer)
    assert problems(got) == problems(want)
    assert (got.rows_read, got.rows_used, got.problem_count, got.notes) == \
        (want.rows_read, want.rows_used, want.problem_count, want.notes)
    assert got_rejected == want_rejected
    for other in layers:
        if other != layer:
            assert set(ledger.to_frame()[key_columns(other)[1]]) <= {"other_layer"}


def test_demo_city() -> None:
    manifest = read_manifest(ROOT / "geodata" / "demo" / "manifest.toml")
    districts, _ = read_boundaries(manifest.districts)
    assert_same(manifest.spending, {"council": districts}, "council")


@pytest.fixture
def layers() -> dict[str, gpd.GeoDataFrame]:
    def layer(ids: list[str]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame({"district_id": ids}, geometry=[box(i, 0, i + 1, 1) for i in range(len(ids))],
                                crs="EPSG:4326")
    return {"wards": layer(["1", "2", "3", "North"]), "hoods": layer(["N1", "N2"])}


MESSY = (
    "Year,Ward,Dept,Program,Actual,Budget\n"
    "2024,1,Parks,Trees,100.50,200\n"
    "FY 2023-24,2,Parks,,\"1,234.56\",\n"
    "\n"
    "2o24,3,Police,Patrol,5,5\n"           # bad year: its money is rejected
    "2024,  North ,Police,, (12.5) ,\n"
    "2024,Citywide,Fire,,n/a,\n"            # no amount at all
    "2024,9,Fire,,12;5,3\n"                 # bad actual, budget kept; unmatched ward
    ",,,,,\n"                               # blank row inside
    "1899,1,Fire,,7,\n"                     # year out of range
    "2024,,Library,Books,-0.5,\n"           # no location
    "2024,1.0,Library,,$1 234.50,\n"
    "2024,2,Library,,99999999999999999999,\n"  # too large
    "2024,2,Library,,1e3,\n"
    "2024,\u00a01\u2003,\u00a0Parks,Trees\t,\u22127,\n"  # Unicode spaces trimmed, a Unicode minus
    "\n\n"
)


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_messy_csv(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame], line_end: str) -> None:
    path = tmp_path / "spending.csv"
    path.write_bytes(MESSY.replace("\n", line_end).encode())
    spec = TableSpec("spending", path, {"year": "Year", "district": "Ward", "department": "Dept",
                                        "program": "Program", "actual": "Actual", "budget": "Budget"},
                     {"citywide": ["Citywide"], "aliases": {"Nord": "North"}})
    assert_same(spec, layers, "wards")
    ledger, report, rejected = read_spending_duckdb(spec, layers, "wards")
    assert rejected == {"actual_cents": 500 + 700, "budget_cents": 500}
    assert report.rows_read == 14 and ledger.totals(SpendingQuery(), "USD").reconciliation.balanced


def test_sixteen_digit_amounts(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """The longest plain amounts (16 digits and cents) are parsed in SQL without overflowing."""
    path = tmp_path / "spending.csv"
    path.write_text("year,ward,amount\n2024,1,9999999999999999.99\n2024,1,-1000000000000000\n2024,2,99999999999999\n")
    spec = TableSpec("spending", path, {"year": "year", "district": "ward", "amount": "amount"})
    assert_same(spec, layers, "wards")
    ledger, _, _ = read_spending_duckdb(spec, layers, "wards")
    assert ledger.totals(SpendingQuery(), "USD").cents == {"1": 999_999_999_999_999_999 - 100_000_000_000_000_000,
                                                          "2": 9_999_999_999_999_900}
    # an amount column that is also another one keeps its text (CSV amounts are otherwise stored as numbers)
    assert_same(TableSpec("spending", path, {"year": "year", "district": "ward", "amount": "amount",
                                             "program": "amount"}), layers, "wards")


def test_semicolons_and_quoted_line_breaks(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    path = tmp_path / "spending.csv"
    path.write_text('year;ward;dept;amount\n2024;1;"Parks\nand Rec";1,5\n2024;2;Fire;7\n2023;3;"A ""B""";8\n')
    assert_same(TableSpec("spending", path, {"year": "year", "district": "ward", "department": "dept",
                                             "amount": "amount"}), layers, "wards")


def test_many_problems_are_counted(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    path = tmp_path / "spending.csv"
    body = "".join(f"{'x' if i % 3 == 0 else 2024},1,{'' if i % 2 else 'bad'}\n" for i in range(700))
    path.write_text("year,ward,amount\n" + body)
    assert_same(TableSpec("spending", path, {"year": "year", "district": "ward", "amount": "amount"}),
                layers, "wards")


def test_parquet(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    path = tmp_path / "spending.parquet"
    pd.DataFrame({
        "fy": pd.array([2024, 2024, None, 2023, 2024, 2022], dtype="Int64"),
        "ward": ["1", " 2", "3", None, "Citywide", "North"],
        "dept": ["Parks", "Fire", "Fire", "Police", "Parks", "Zoo"],
        "amount": [10.5, 3.0, 7.0, float("nan"), 1e-7, -2.25],
        "budget": ["100", "12,5", "", "8", "9.999", "1"],
        "flag": [True, False, None, True, True, False],
    }).to_parquet(path)
    spec = TableSpec("spending", path, {"year": "fy", "district": "ward", "department": "dept",
                                        "program": "flag", "actual": "amount", "budget": "budget"},
                     {"citywide": ["Citywide"]})
    assert_same(spec, layers, "wards")


def test_typed_parquet_numbers_are_read_from_their_values(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Integer and decimal Parquet columns are parsed in SQL from the numbers, not their text:
    the values, ranges and missing cells the text parsers treat specially must come out alike."""
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    cents = [decimal.Decimal(v) for v in ("1.50", "-0.05", "99999999999999999999.99", "12", "0.00", "-7.25")]
    pq.write_table(pa.table({
        "fy": pa.array([2024, 1899, None, 99, 2100, 2101], pa.int32()),
        "ward": pa.array([1, 2, 3, None, 1, 2], pa.int64()),
        "actual": pa.array([*cents[:5], None], pa.decimal128(38, 2)),
        "budget": pa.array([10**17, -3, None, 0, 2**62, 5], pa.int64()),
        "small": pa.array([1, -2, 3, None, 127, -128], pa.int8()),
        "milli": pa.array([decimal.Decimal(v) for v in ("1.234", "-0.005", "2.000", "0.001", "3.5", "1")],
                          pa.decimal128(10, 3)),
        "big": pa.array([2**64 - 1, 0, 1, 7, 10**16, 10**16 - 1], pa.uint64()),  # no None: pandas would make floats
    }), tmp_path / "typed.parquet")
    for actual, budget in (("actual", "budget"), ("small", "milli"), ("big", "small")):
        spec = TableSpec("spending", tmp_path / "typed.parquet",
                         {"year": "fy", "district": "ward", "actual": actual, "budget": budget})
        assert_same(spec, layers, "wards")
    spec = TableSpec("spending", tmp_path / "typed.parquet", {"year": "fy", "district": "ward", "actual": "actual"})
    ledger, report, rejected = read_spending_duckdb(spec, layers, "wards")
    assert ledger.sums(SpendingQuery(), ["fiscal_year"])["cents"].tolist() == [150, 0]  # 2024, 2100
    # 1899, 99 and 2101 are no fiscal years; row 4 has none and an amount too large (listed, not summed)
    assert [(p.row, p.column) for p in report.problems] == [(3, "fy"), (4, "actual"), (5, "fy"), (7, "fy")]
    assert rejected == {"actual_cents": -5 + 1200, "budget_cents": 0}


def test_wide_and_excel_fall_back_to_pandas(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("ward,FY2023,FY2024\n1,5,6\n2,,x\n")
    spec = TableSpec("spending", path, {"district": "ward"}, {"years": ["FY2023", "FY2024"]})
    assert_same(spec, layers, "wards", fast=False)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("year,ward,dept,amount\n2024,1,Café,5\n".encode("cp1252"))
    assert_same(TableSpec("spending", latin, {"year": "year", "district": "ward", "department": "dept",
                                              "amount": "amount"}), layers, "wards", fast=False)


def test_plain_amounts_of_sixteen_digits(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Plain amounts are turned into cents in SQL; from 10**14 dollars that once overflowed DECIMAL(18)."""
    path = tmp_path / "spending.csv"
    path.write_text("year,ward,amount\n2024,1,100000000000000\n2024,1,9999999999999999.99\n"
                    "2024,2,-9007199254740993\n2024,2,99999999999999.99\n")
    spec = TableSpec("spending", path, {"year": "year", "district": "ward", "amount": "amount"})
    assert_same(spec, layers, "wards")
    ledger, _, _ = read_spending_duckdb(spec, layers, "wards")
    assert dict(ledger.totals(SpendingQuery(), "USD").cents) == {
        "1": 10**16 + 999999999999999999, "2": -900719925474099300 + 9999999999999999}
