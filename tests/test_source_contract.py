"""One contract for every source of line items: CSV and Parquet (pandas, DuckDB), PostGIS (into either).

tests/test_ledger_contract.py holds the two Ledger implementations to one contract
on a frame that is already parsed; this file starts one step earlier, at the cells a
finance office hands over. The same raw rows (fiscal years, names, amounts as text or
numbers, district keys that are ids, aliases, "Citywide", unknown or blank) are
written as each source (devtools/rawrows.py), opened with ``open_dataset`` and
asked the same questions. Every expected number is worked out here in plain Python
from what each cell *means* (``Cell.means``, written beside the cell), never from a
loader's output, so a source that reads a cell differently fails, whichever it is.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from budgetmap.model.errors import LoadError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetmap.dataset import open_dataset
from budgetmap.model import Dataset, Reconciliation, SpendingQuery
from devtools import rawrows


@dataclass(frozen=True)
class Cell:
    """A cell as written, and what it means: cents or a fiscal year; None = blank or refused."""

    written: rawrows.Cell
    means: int | None = None
    refused: bool = False  # the load report lists it as a problem


@dataclass(frozen=True)
class Key:
    """A district key as written, and where its money lands."""

    written: str | None
    location: str  # district, citywide, unmatched, no_location
    district: str | None = None


@dataclass(frozen=True)
class Raw:
    year: Cell
    actual: Cell
    budget: Cell
    key: Key
    department: str = ""
    program: str = ""
    fund: str = ""

    def cells(self) -> dict[str, rawrows.Cell]:
        return {"year": self.year.written, "department": self.department, "program": self.program,
                "fund": self.fund, "actual": self.actual.written, "budget": self.budget.written,
                "district": self.key.written}


def ok(written: rawrows.Cell, means: int) -> Cell:
    return Cell(written, means)


BLANK, REFUSED = Cell(None), Cell("twelve", refused=True)
A, B, C = Key("A", "district", "A"), Key(" B ", "district", "B"), Key("C", "district", "C")
ALIAS, CITY = Key("District 1", "district", "A"), Key("Citywide", "citywide")
UNKNOWN, NOWHERE = Key("Z9", "unmatched"), Key("", "no_location")
BIG = Decimal("90000000000000000.00")  # 9e18 cents: fits int64; two of them do not

ROWS = [
    Raw(ok("2024", 2024), ok("$1,000.50", 100050), ok(Decimal("1200.00"), 120000), A, "Parks", "Trees", "General"),
    Raw(ok("FY 2023-24", 2024), ok("(500.25)", -50025), BLANK, B, "Roads", "Paving", "Gas Tax"),
    Raw(ok("FY24", 2024), ok("2000", 200000), ok(Decimal("2500.5"), 250050), ALIAS, "Parks", "Pools", "General"),
    Raw(ok("2024", 2024), ok("300", 30000), BLANK, CITY, "Roads", "Paving", "General"),
    Raw(ok("2024", 2024), ok("40.10", 4010), ok(Decimal("50"), 5000), NOWHERE, " Parks ", "Trees", "General"),
    Raw(ok("2024", 2024), ok("7", 700), BLANK, UNKNOWN, "Parks", "Trees", "Grant"),
    Raw(ok("2023", 2023), ok("-$12.34", -1234), ok(Decimal("900"), 90000), C, "Roads", "", "General"),
    Raw(ok("2023", 2023), ok("0", 0), BLANK, Key("a", "unmatched"), "Library", "Books", "General"),
    Raw(ok("2023-24", 2024), BLANK, ok(Decimal("10000"), 1000000), C, "Library", "Books", "Grant"),  # budget only
    Raw(ok("FY 2022-23", 2023), REFUSED, ok(Decimal("1.01"), 101), A, "Parks", "Trees", "General"),
    Raw(Cell("soon", refused=True), ok("55.55", 5555), BLANK, A, "Parks", "Trees", "General"),  # rejected
    Raw(BLANK, ok("66", 6600), ok(Decimal("70"), 7000), B, "Roads", "Paving", "General"),  # rejected, no year
    Raw(ok("2024", 2024), Cell("N/A"), BLANK, A, "Parks", "Trees", "General"),  # rejected: no amount
    Raw(ok("2024", 2024), ok("1 234.5", 123450), BLANK, Key("CITY-WIDE", "citywide"), "Fire", "Trucks", "General"),
    Raw(ok("2024", 2024), ok("USD 3.00", 300), BLANK, Key("   ", "no_location"), "Fire", "Trucks", ""),
]
HUGE = [Raw(ok("2025", 2025), ok("90,000,000,000,000,000.00", 9 * 10**18), ok(BIG, 9 * 10**18), A, "Big"),
        Raw(ok("2025", 2025), ok("90,000,000,000,000,000.00", 9 * 10**18), ok(BIG, 9 * 10**18), A, "Big")]


# -- the expectations, in plain Python ------------------------------------------------------
def rows_read(rows: Sequence[Raw]) -> int:
    """Rows under the header; trailing rows with no cell at all are not rows."""
    def blank(r: Raw) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in r.cells().values())
    n = len(rows)
    while n and blank(rows[n - 1]):
        n -= 1
    return n


def used(rows: Sequence[Raw]) -> list[tuple[int, Raw]]:
    """(spreadsheet row, row) of the rows a map can use: a fiscal year and at least one amount."""
    return [(i + 2, r) for i, r in enumerate(rows)
            if r.year.means is not None and (r.actual.means is not None or r.budget.means is not None)]


def amount_of(r: Raw, amount: str) -> int | None:
    return (r.actual if amount == "actual_cents" else r.budget).means


def selected(rows: Sequence[Raw], query: SpendingQuery) -> list[tuple[int, Raw]]:
    chosen = query.filters()
    return [(n, r) for n, r in used(rows) if amount_of(r, query.amount) is not None
            and (query.years is None or r.year.means in query.years)
            and all(getattr(r, column).strip() in values for column, values in chosen.items())]


def expected_totals(rows: Sequence[Raw], query: SpendingQuery) -> tuple[dict[str, int], Reconciliation, int]:
    """District cents, the reconciliation of the query's rows, and how many rows it took."""
    picked = selected(rows, query)
    cents: dict[str, int] = {}
    parts = dict.fromkeys(("district", "citywide", "unmatched", "no_location"), 0)
    for _, r in picked:
        value = amount_of(r, query.amount)
        parts[r.key.location] += value
        if r.key.district is not None:
            cents[r.key.district] = cents.get(r.key.district, 0) + value
    rec = Reconciliation("USD", input_total=sum(amount_of(r, query.amount) for _, r in picked),
                         districts=parts["district"], citywide=parts["citywide"],
                         unmatched=parts["unmatched"], no_location=parts["no_location"])
    return cents, rec, len(picked)


def primary(rows: Sequence[Raw]) -> str:
    """Actual when any usable row has one (or no row has a budget), else budget."""
    kept = [r for _, r in used(rows)]
    has = {a: any(amount_of(r, a) is not None for r in kept) for a in ("actual_cents", "budget_cents")}
    return "actual_cents" if has["actual_cents"] or not has["budget_cents"] else "budget_cents"


def expected_report_reconciliation(rows: Sequence[Raw]) -> Reconciliation:
    """The whole file in the primary amount: every row's money, the rejected rows' too."""
    amount = primary(rows)
    _, whole, _ = expected_totals(rows, SpendingQuery(amount=amount))
    kept = {n for n, _ in used(rows)}
    rejected = sum(v for n, r in enumerate(rows[:rows_read(rows)], start=2)
                   if n not in kept and (v := amount_of(r, amount)) is not None)
    return Reconciliation("USD", input_total=sum(v for r in rows if (v := amount_of(r, amount)) is not None),
                          districts=whole.districts, citywide=whole.citywide, unmatched=whole.unmatched,
                          no_location=whole.no_location, rejected=rejected)


def expected_problems(rows: Sequence[Raw]) -> list[tuple[int, str, str]]:
    """(row, column, value) of each refused cell, of each row with a year but no amount, and of each row with
    an amount but no year, by row."""
    columns = rawrows.COLUMNS
    out = []
    for n, r in enumerate(rows[:rows_read(rows)], start=2):
        out += [(n, columns[name], rawrows.text_of(cell.written).strip())
                for name, cell in (("year", r.year), ("actual", r.actual), ("budget", r.budget)) if cell.refused]
        if r.year.means is not None and r.actual.means is None and r.budget.means is None:
            out.append((n, f"{columns['actual']}, {columns['budget']}", ""))
        if r.year.means is None and not r.year.refused and (r.actual.means, r.budget.means) != (None, None):
            out.append((n, columns["year"], ""))   # money with no year: listed, its money rejected
    return out


def assert_report(dataset: Dataset, rows: Sequence[Raw]) -> None:
    """The whole-file reconciliation and the spending table's report, as worked out from the rows."""
    assert dataset.report.reconciliation == expected_report_reconciliation(rows)
    table = dataset.report.table("spending")
    assert (table.rows_read, table.rows_used) == (rows_read(rows), len(used(rows)))
    assert [(p.row, p.column, p.value) for p in table.problems] == expected_problems(rows)
    assert table.problem_count == len(expected_problems(rows))
    assert {u.key: (u.rows, u.amount_cents) for u in dataset.report.unmatched} == expected_unmatched(rows)


def expected_unmatched(rows: Sequence[Raw]) -> dict[str, tuple[int, int]]:
    """Unknown keys (as trimmed) -> (rows, cents) of the rows with the primary amount."""
    out: dict[str, tuple[int, int]] = {}
    for _, r in selected(rows, SpendingQuery(amount=primary(rows))):
        if r.key.location == "unmatched":
            key = (r.key.written or "").strip()
            count, cents = out.get(key, (0, 0))
            out[key] = (count + 1, cents + amount_of(r, primary(rows)))
    return out


# -- the sources -----------------------------------------------------------------------------
Loader = Callable[[Sequence[Raw]], Dataset]
SOURCES = {  # name -> (engine in the manifest, format)
    "pandas-csv": ("pandas", "csv"), "duckdb-csv": ("duckdb", "csv"), "duckdb-parquet": ("duckdb", "parquet"),
    "pandas-parquet": ("pandas", "parquet"),  # what engine = "auto" picks for a small Parquet file
    "postgis-pandas": ("pandas", "postgis"), "postgis-duckdb": ("duckdb", "postgis"),
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    rawrows.boundaries().to_file(folder / "districts.geojson")
    return folder


@pytest.fixture(scope="module")
def database(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    """Database "sources" on the session's server, boundaries in gis.districts; PGPASSWORD set meanwhile.

    Skips (or, under CI, fails) exactly where tests/test_postgis.py does: pg_server decides.
    """
    server = request.getfixturevalue("pg_server")
    import psycopg
    with psycopg.connect(server.admin_conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE sources")
    with psycopg.connect(server.admin_conninfo("sources"), autocommit=True) as conn, \
            pytest.MonkeyPatch.context() as patch:
        conn.execute("CREATE EXTENSION postgis")
        rawrows.boundaries_to_postgis(conn)
        patch.setenv("PGPASSWORD", server.password)
        yield server.url("sources"), conn


@pytest.fixture(scope="module", params=sorted(SOURCES))
def source(request: pytest.FixtureRequest, workdir: Path) -> tuple[str, Loader]:
    """(name, load): load(rows) writes the rows as this source, in a fresh folder / schema, and opens it."""
    engine, form = SOURCES[request.param]
    counter = itertools.count()
    db = request.getfixturevalue("database") if form == "postgis" else None

    def load(rows: Sequence[Raw]) -> Dataset:
        n = next(counter)
        folder = workdir / f"{request.param}-{n}"
        folder.mkdir()
        cells = [r.cells() for r in rows]
        if db is None:
            data = folder / f"spending.{form}"
            (rawrows.write_csv if form == "csv" else rawrows.write_parquet)(cells, data)
            manifest = rawrows.manifest(folder, engine, {"path": str(workdir / "districts.geojson")},
                                        {"path": data.name})
            return open_dataset(manifest)
        url, conn = db
        schema = f"{request.param.replace('-', '_')}_{n}"
        table = rawrows.write_postgis(conn, schema, cells)
        try:
            return open_dataset(rawrows.manifest(folder, engine, {"url": url, "table": "gis.districts"},
                                                 {"url": url, "table": table}))
        finally:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return request.param, load


@pytest.fixture(scope="module")
def city(source: tuple[str, Loader]) -> Dataset:
    return source[1](ROWS)


# -- the checks, on the fixed rows ---------------------------------------------------------------
QUERIES = [
    SpendingQuery(), SpendingQuery(amount="budget_cents"), SpendingQuery(years=(2023,)),
    SpendingQuery(years=(2023, 2024), departments=("Parks",)), SpendingQuery(programs=("Trees", "Paving")),
    SpendingQuery(funds=("General",), amount="budget_cents"), SpendingQuery(departments=("Roads",), programs=("",)),
    SpendingQuery(years=()), SpendingQuery(years=(2019,)), SpendingQuery(departments=("Nobody",)),
]


def test_the_expectations_are_the_hand_counted_ones() -> None:
    """The plain-Python expectations themselves, against sums done by hand from ROWS."""
    cents, rec, rows = expected_totals(ROWS, SpendingQuery())
    assert cents == {"A": 100050 + 200000, "B": -50025, "C": -1234}
    assert (rec.citywide, rec.unmatched, rec.no_location, rows) == (30000 + 123450, 700 + 0, 4010 + 300, 10)
    assert expected_report_reconciliation(ROWS).rejected == 5555 + 6600
    assert (rows_read(ROWS), len(used(ROWS))) == (15, 12)
    assert expected_problems(ROWS) == [(11, "Actual $", "twelve"), (12, "Fiscal Year", "soon"),
                                       (13, "Fiscal Year", ""), (14, "Actual $, Budget $", "")]
    assert expected_unmatched(ROWS) == {"Z9": (1, 700), "a": (1, 0)}


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_district_totals_and_their_reconciliation(city: Dataset, query: SpendingQuery) -> None:
    totals = city.totals(query)
    cents, rec, rows = expected_totals(ROWS, query)
    assert dict(totals.cents) == cents
    assert totals.reconciliation == rec and totals.rows == rows


def test_whole_file_reconciliation_and_load_report(city: Dataset, source: tuple[str, Loader]) -> None:
    assert_report(city, ROWS)
    assert city.report.table("spending").rows_rejected == 3
    assert city.report.engine == city.engine == SOURCES[source[0]][0]


def test_blank_rows_count_as_a_spreadsheet_does(source: tuple[str, Loader]) -> None:
    """A blank row inside is a row (rejected: no year); blank rows at the end are no rows at all."""
    blank = Raw(BLANK, BLANK, BLANK, Key(None, "no_location"))
    rows = [*ROWS[:2], blank, *ROWS[2:4], blank, blank]
    dataset = source[1](rows)
    assert (rows_read(rows), len(used(rows))) == (5, 4)
    assert_report(dataset, rows)


def test_fiscal_years_and_categories(city: Dataset) -> None:
    assert city.fiscal_years == sorted({r.year.means for _, r in used(ROWS)}) == [2023, 2024]
    for column in ("department", "program", "fund"):
        assert city.categories(column) == sorted({getattr(r, column).strip() for _, r in used(ROWS)} - {""})
    assert city.categories("program", {"department": ["Roads"]}) == ["Paving"]
    assert city.has_actual and city.has_budget


@pytest.mark.parametrize("district,query", [("A", SpendingQuery()), ("C", SpendingQuery(amount="budget_cents")),
                                            ("B", SpendingQuery(years=(2023,)))])
def test_line_items_of_one_district(city: Dataset, district: str, query: SpendingQuery) -> None:
    items = city.line_items(query, district)
    want = [(n, r.year.means, r.department.strip(), r.program, r.fund, (r.key.written or "").strip(),
             r.actual.means, r.budget.means) for n, r in selected(ROWS, query) if r.key.district == district]
    columns = ["source_row", "fiscal_year", "department", "program", "fund", "raw_district",
               "actual_cents", "budget_cents"]
    got = [tuple(None if pd.isna(v) else v for v in row) for row in items[columns].astype(object).itertuples(index=False)]
    assert got == want
    assert set(items["location"]) <= {"district"} and set(items["district_id"]) <= {district}


def test_amounts_beyond_int64_cents_add_up(source: tuple[str, Loader]) -> None:
    """Two rows of 90,000,000,000,000,000.00 (as text and as a NUMERIC/decimal number): 1.8e19 cents."""
    dataset = source[1](HUGE)
    for amount in ("actual_cents", "budget_cents"):
        totals = dataset.totals(SpendingQuery(amount=amount))
        assert dict(totals.cents) == {"A": 18 * 10**18}
        assert totals.reconciliation.input_total == 18 * 10**18 > 2**63
    assert dataset.report.reconciliation.input_total == 18 * 10**18
    assert dataset.sums(SpendingQuery(), ["department"])["cents"].tolist() == [18 * 10**18]


# -- any rows, any query: every source lands on the same cents ---------------------------------
_YEARS = st.integers(2021, 2025)
_BIG = 9 * 10**18  # a 90-quadrillion-dollar line item


def _year_cells(style: str) -> st.SearchStrategy[Cell]:
    if style == "int":  # a typed column: INTEGER / int64
        return st.one_of(_YEARS.map(lambda y: ok(y, y)), st.just(BLANK), st.just(Cell(1850, refused=True)))
    if style == "float":  # double precision, as a spreadsheet export types whole numbers
        return st.one_of(_YEARS.map(lambda y: ok(float(y), y)), st.just(BLANK), st.just(Cell(2024.5, refused=True)))
    spelt = _YEARS.flatmap(lambda y: st.sampled_from([
        ok(str(y), y), ok(f"FY {y - 1}-{y % 100:02d}", y), ok(f"FY{y % 100:02d}", y), ok(f"{y}.0", y),
        ok(f" {y - 1}/{y} ", y)]))
    return st.one_of(spelt, st.sampled_from([BLANK, Cell(""), Cell("soon", refused=True),
                                             Cell("FY 2023-25", refused=True)]))


def _spelt(cents: int, how: int) -> Cell:
    """Cents spelt as offices write them; the last spelling drops the cents ("1,234"), as budgets often do."""
    whole, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    plain, grouped = f"{whole}.{frac:02d}", f"{whole:,}.{frac:02d}"
    texts = [sign + plain, f"({grouped})" if sign else f"${grouped}", f"{sign}${grouped}",
             f"{grouped}-" if sign else f"  {plain}  ", ("\u2212" if sign else "") + f"USD {plain}",
             sign + (plain if frac else str(whole))]
    if how < len(texts):
        return ok(texts[how], cents)
    return ok(f"{sign}{whole:,}", -whole * 100 if sign else whole * 100)


def _money_cells(style: str) -> st.SearchStrategy[Cell]:
    blank = st.sampled_from([BLANK, Cell(""), Cell("-"), Cell("N/A")] if style == "text" else [BLANK])
    if style == "float":  # double precision: cents small enough that cents / 100 is exact in repr
        return st.one_of(st.integers(-10**9, 10**9).map(lambda c: ok(c / 100, c)), st.just(ok(9e16, _BIG)), blank)
    if style == "int":  # whole dollars in an integer column (BIGINT / int64), beyond a double's 2**53 too
        dollars = st.one_of(st.integers(-10**5, 10**5), st.sampled_from([_BIG // 100 + 1, 2**53 + 1, -(2**53 + 1)]))
        return st.one_of(dollars.map(lambda d: ok(d, d * 100)), blank)
    cents = st.one_of(st.integers(-10**7, 10**7), st.sampled_from([0, _BIG, -_BIG, _BIG - 1]))
    if style == "decimal":  # NUMERIC / decimal(38, 2)
        return st.one_of(cents.map(lambda c: ok(Decimal(c).scaleb(-2), c)), blank)
    refused = st.sampled_from([Cell("12,5", refused=True), Cell("abc", refused=True), Cell("--5", refused=True)])
    edges = st.sampled_from([ok("92233720368547758.07", 2**63 - 1), Cell("92233720368547758.08", refused=True),
                             ok("1e3", 100000), ok("usd 5", 500), ok("\uff11\uff12.50", 1250)])  # fullwidth digits
    mills = st.builds(lambda c, d: ok(f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}{d}",
                                      (abs(c) + (d >= 5)) * (-1 if c < 0 else 1)),  # half away from zero
                      st.integers(-10**6, 10**6), st.integers(0, 9))
    spelt = st.builds(_spelt, cents, st.integers(0, 6))
    return st.one_of(spelt, mills, edges, blank, refused)


_KEYS = st.sampled_from([A, B, C, Key("D", "district", "D"), ALIAS, Key("Bravo ward", "district", "B"), CITY,
                         Key("all districts", "citywide"), UNKNOWN, Key("a", "unmatched"),
                         Key("District 9", "unmatched"), NOWHERE, Key("   ", "no_location"), Key(None, "no_location"),
                         Key("\u00a0C", "district", "C"), Key("CITYWIDE ", "citywide")])
_DEPARTMENTS = ["", "Parks", " Parks ", "parks", "Police", "Café", "Parks\n", "\u00a0Police", 'Roads, "North"\nside']
_PROGRAMS, _FUNDS = ["", "Trees", "Paving"], ["", "General", "Grant"]


@st.composite
def _tables(draw: st.DrawFn) -> list[Raw]:
    """Rows whose columns each have one style, as a real export would: text, or typed numbers."""
    year = _year_cells(draw(st.sampled_from(["text", "int", "float"])))
    actual, budget = (_money_cells(draw(st.sampled_from(["text", "decimal", "float", "int"]))) for _ in range(2))
    row = st.builds(Raw, year, actual, budget, _KEYS, st.sampled_from(_DEPARTMENTS), st.sampled_from(_PROGRAMS),
                    st.sampled_from(_FUNDS))
    return draw(st.lists(row, max_size=12))


_queries = st.builds(
    SpendingQuery, amount=st.sampled_from(["actual_cents", "budget_cents"]),
    years=st.one_of(st.none(), st.lists(_YEARS, max_size=3, unique=True).map(tuple)),
    departments=st.lists(st.sampled_from([d.strip() for d in _DEPARTMENTS]), max_size=2, unique=True).map(tuple),
    programs=st.lists(st.sampled_from(_PROGRAMS), max_size=2, unique=True).map(tuple),
    funds=st.lists(st.sampled_from(_FUNDS[1:]), max_size=1).map(tuple))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_tables(), queries=st.lists(_queries, min_size=1, max_size=4))
def test_any_rows_any_query_to_the_cent(source: tuple[str, Loader], rows: list[Raw],
                                        queries: list[SpendingQuery]) -> None:
    """Each source against the same plain-Python expectation, hence every source against every other.

    A table with no usable row is refused (issue 10: nothing on the map is no load), by every source alike.
    """
    if not used(rows):
        with pytest.raises(LoadError, match="no rows under them|no row"):
            source[1](rows)
        return
    dataset = source[1](rows)
    for query in queries:
        totals = dataset.totals(query)
        cents, rec, count = expected_totals(rows, query)
        assert dict(totals.cents) == cents
        assert totals.reconciliation == rec and totals.rows == count
    assert_report(dataset, rows)
    assert dataset.fiscal_years == sorted({r.year.means for _, r in used(rows)})
    assert dataset.categories("department") == sorted({r.department.strip() for _, r in used(rows)} - {""})
    items = dataset.line_items(SpendingQuery(amount=queries[0].amount), "A")
    assert items["source_row"].tolist() == [n for n, r in selected(rows, SpendingQuery(amount=queries[0].amount))
                                            if r.key.district == "A"]
