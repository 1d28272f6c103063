"""One contract for every Ledger: FrameLedger (pandas) and DuckDBLedger must answer alike.

Each check runs against both through a factory, and a Hypothesis property
compares them on random line items and random queries, so an engine cannot
drift from the reference to the cent, in order, or in what it leaves out.

This contract starts from a line item frame that is already parsed (cents, matched
districts, several layers): it covers the query interface itself (totals, sums,
categories, line items, layers, dtypes, order, threads). Reading the cells a
finance office hands over (CSV, Parquet, PostGIS; through the pandas or the DuckDB
loader) into that ledger is held to tests/test_source_contract.py, which checks
every source against the same numbers worked out from the raw rows.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pickle
from pathlib import Path
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetmap.model import Ledger, SpendingQuery
from budgetmap.sources.duckdb import DuckDBLedger, table_columns
from budgetmap.sources.duckdb_store import Store
from budgetmap.sources.frame import LINE_COLUMNS, FrameLedger, key_columns

LAYERS = ("council", "hoods")
Factory = Callable[[pd.DataFrame, Sequence[str], str], Ledger]


def stored_shuffled(frame: pd.DataFrame, layers: Sequence[str], default: str) -> DuckDBLedger:
    """DuckDBLedger.from_select as the fast loader uses it: rows stored in no particular order,
    and the columns that hold one value for every row (or ``_pos + 2``) derived by the view."""
    store = Store()
    columns = table_columns(layers)
    source = frame.reset_index(drop=True).assign(_pos=range(len(frame)))
    store.connection.register("_frame", source)
    derived = {}
    for column in columns[1:]:
        values = set(source[column].astype(object).where(source[column].notna(), None))
        if len(values) == 1 and isinstance(next(iter(values)), str):
            derived[column] = "'" + next(iter(values)).replace("'", "''") + "'"
    if source["source_row"].tolist() == [i + 2 for i in range(len(source))]:
        derived["source_row"] = "_pos + 2"
    casts = ", ".join(f'CAST("{c}" AS {"BIGINT" if c in INTEGERS else "VARCHAR"}) AS "{c}"' for c in columns)
    # DuckDB would keep the frame's order; the hash order is any other one.
    return DuckDBLedger.from_select(store, f"SELECT {casts} FROM _frame ORDER BY hash(_pos)", [], layers, default,
                                    derived)


def pickled_duckdb(frame: pd.DataFrame, layers: Sequence[str], default: str) -> Ledger:
    """A DuckDB ledger after a pickle round trip, as it comes back from the sandboxed loader."""
    return pickle.loads(pickle.dumps(DuckDBLedger.from_frame(frame, layers, default)))


FACTORIES: dict[str, Factory] = {"pandas": FrameLedger, "duckdb": DuckDBLedger.from_frame,
                                 "duckdb-pickled": pickled_duckdb, "duckdb stored": stored_shuffled}
BIG = 9_000_000_000_000_000_000  # fits int64 cents; two of them do not
INTEGERS = ("_pos", "fiscal_year", "budget_cents", "actual_cents", "source_row")


def line_frame(rows: list[dict]) -> pd.DataFrame:
    """A line item frame from dicts, with FrameLedger's columns and dtypes (missing text = "")."""
    text = ("period", "department", "program", "fund", "project", "raw_district")
    data = {c: [r.get(c, "") for r in rows] for c in text}
    data["fiscal_year"] = pd.array([r["fiscal_year"] for r in rows], dtype="int64")
    for amount in ("budget_cents", "actual_cents"):
        data[amount] = pd.array([r.get(amount) for r in rows], dtype="Int64")
    data["source_row"] = pd.array([r.get("source_row", i + 2) for i, r in enumerate(rows)], dtype="int64")
    for layer in LAYERS:
        district, location = key_columns(layer)
        data[district] = pd.Series([r.get(district) for r in rows], dtype=object)
        data[location] = pd.Series([r.get(location, "other_layer") for r in rows], dtype=object)
    return pd.DataFrame(data)


def row(year: int, actual: int | None, dept: str, council: tuple[str | None, str],
        hood: tuple[str | None, str] = (None, "other_layer"), budget: int | None = None, **extra: str) -> dict:
    return {"fiscal_year": year, "actual_cents": actual, "budget_cents": budget, "department": dept,
            "district_id@council": council[0], "location@council": council[1],
            "district_id@hoods": hood[0], "location@hoods": hood[1], **extra}


ROWS = [
    row(2023, 1_000, "Parks", ("A", "district"), ("N1", "district"), budget=1_200, program="Trees"),
    row(2023, -250, "Parks", ("A", "district"), ("N2", "district"), program="Refunds"),
    row(2023, 700, "Police", ("B", "district"), budget=900, program="Patrol", fund="General"),
    row(2024, 5_000, "Police", (None, "citywide"), ("N1", "district"), program="Patrol", raw_district="Citywide"),
    row(2024, 333, "Parks", (None, "unmatched"), program="Trees", raw_district="Zed"),
    row(2024, 44, "Library", (None, "no_location")),
    row(2024, None, "Library", ("B", "district"), budget=10_000, program="Books"),  # no actual: skipped
    row(2025, None, "Fire", ("A", "district"), budget=77),
    row(2024, 1, "Parks", ("B", "district"), program="Trees"),
]


@pytest.fixture(params=sorted(FACTORIES))
def make(request: pytest.FixtureRequest) -> Factory:
    return FACTORIES[request.param]


@pytest.fixture
def ledger(make: Factory) -> Ledger:
    return make(line_frame(ROWS), LAYERS, "council")


def test_is_a_ledger(ledger: Ledger) -> None:
    assert isinstance(ledger, Ledger)
    assert ledger.layers() == LAYERS


def test_years_has_and_categories(ledger: Ledger) -> None:
    assert ledger.fiscal_years() == (2023, 2024, 2025)
    assert ledger.has("actual_cents") and ledger.has("budget_cents")
    assert ledger.categories("department") == ["Fire", "Library", "Parks", "Police"]
    assert ledger.categories("program") == ["Books", "Patrol", "Refunds", "Trees"]  # "" is no category
    assert ledger.categories("program", {"department": ["Parks"]}) == ["Refunds", "Trees"]
    assert ledger.categories("program", {"department": ["Parks", "Police"], "fund": []}) == \
        ["Patrol", "Refunds", "Trees"]
    assert ledger.categories("fund", {"department": ["Nobody"]}) == []


def test_totals_and_reconciliation(ledger: Ledger) -> None:
    totals = ledger.totals(SpendingQuery(), "USD")
    expected_input = sum(r["actual_cents"] for r in ROWS if r["actual_cents"] is not None)  # on its own
    rec = totals.reconciliation
    assert rec.input_total == expected_input == 6_828
    assert dict(totals.cents) == {"A": 750, "B": 701}
    assert (rec.districts, rec.citywide, rec.unmatched, rec.no_location, rec.other_layer) == \
        (1_451, 5_000, 333, 44, 0)
    assert rec.balanced and rec.currency == "USD"
    assert totals.rows == 7 and totals.layer == "council"


def test_totals_filtered_and_budget(ledger: Ledger) -> None:
    totals = ledger.totals(SpendingQuery(amount="budget_cents", years=(2023, 2024)), "EUR")
    assert dict(totals.cents) == {"A": 1_200, "B": 10_900}
    assert totals.reconciliation.input_total == 1_200 + 900 + 10_000 and totals.rows == 3
    parks = ledger.totals(SpendingQuery(departments=("Parks",), programs=("Trees",)), "USD")
    assert dict(parks.cents) == {"A": 1_000, "B": 1} and parks.reconciliation.unmatched == 333
    none = ledger.totals(SpendingQuery(years=()), "USD")
    assert dict(none.cents) == {} and none.reconciliation.input_total == 0 and none.rows == 0


def test_other_layers(ledger: Ledger) -> None:
    hoods = ledger.totals(SpendingQuery(layer="hoods"), "USD")
    assert dict(hoods.cents) == {"N1": 6_000, "N2": -250}
    assert hoods.reconciliation.other_layer == 6_828 - 5_750 and hoods.reconciliation.balanced
    elsewhere = ledger.totals(SpendingQuery(layer="wards"), "USD")  # a layer the rows do not carry
    assert dict(elsewhere.cents) == {} and elsewhere.reconciliation.other_layer == 6_828
    items = ledger.line_items(SpendingQuery(layer="wards"))
    assert set(items["location"]) == {"other_layer"} and items["district_id"].isna().all()


def test_sums(ledger: Ledger) -> None:
    sums = ledger.sums(SpendingQuery(), ["fiscal_year", "department"])
    assert list(sums.columns) == ["fiscal_year", "department", "cents", "rows"]
    assert [tuple(r)[:3] for r in sums.itertuples(index=False)] == [
        (2023, "Parks", 750), (2023, "Police", 700), (2024, "Library", 44), (2024, "Parks", 334),
        (2024, "Police", 5_000)]
    assert all(type(c) is int for c in sums["cents"])
    assert ledger.sums(SpendingQuery(), [])["cents"].tolist() == [6_828]
    by_place = ledger.sums(SpendingQuery(), ["location"])
    assert by_place["location"].tolist() == ["citywide", "district", "no_location", "unmatched"]
    assert sum(sums["rows"]) == len(ledger.line_items(SpendingQuery(), limit=10**6))
    with pytest.raises(ValueError):
        ledger.sums(SpendingQuery(), ["source_row"])


def test_line_items_of_one_district(ledger: Ledger) -> None:
    items = ledger.line_items(SpendingQuery(), "B")
    assert list(items.columns) == [*LINE_COLUMNS, "district_id", "location"]
    assert items["source_row"].tolist() == [4, 10]  # file order; the row with no actual is left out
    assert items["actual_cents"].tolist() == [700, 1]
    assert ledger.line_items(SpendingQuery(), limit=2)["source_row"].tolist() == [2, 3]
    budget = ledger.line_items(SpendingQuery(amount="budget_cents"), "B")
    assert budget["source_row"].tolist() == [4, 8]


def test_sums_do_not_wrap(make: Factory) -> None:
    ledger = make(line_frame([row(2024, BIG, "Big", ("A", "district")), row(2024, BIG, "Big", ("A", "district"))]),
                  LAYERS, "council")
    totals = ledger.totals(SpendingQuery(), "USD")
    assert totals.cents["A"] == 18_000_000_000_000_000_000 == totals.reconciliation.input_total
    assert ledger.sums(SpendingQuery(), ["district_id"])["cents"].tolist() == [18 * 10**18]


# -- the two engines agree on anything --------------------------------------------------
_years = st.integers(2019, 2023)
_names = st.sampled_from(["", "Parks", "Police", "Fire", "Zoo"])
_cents = st.one_of(st.none(), st.integers(-10**6, 10**6), st.integers(-BIG, BIG))
_place = st.one_of(st.tuples(st.sampled_from(["A", "B", "C"]), st.just("district")),
                   st.tuples(st.none(), st.sampled_from(["citywide", "unmatched", "no_location"])))
_rows = st.lists(st.builds(row, _years, _cents, _names, _place, _place, budget=_cents, program=_names,
                           fund=st.sampled_from(["", "General", "Grant"])), max_size=40)
_queries = st.builds(
    SpendingQuery, amount=st.sampled_from(["actual_cents", "budget_cents"]),
    years=st.one_of(st.none(), st.lists(_years, max_size=3).map(tuple)),
    departments=st.lists(_names, max_size=2).map(tuple), programs=st.lists(_names, max_size=2).map(tuple),
    funds=st.lists(st.sampled_from(["General", "Grant"]), max_size=1).map(tuple),
    layer=st.sampled_from([None, "council", "hoods", "wards"]))
_by = st.lists(st.sampled_from(["fiscal_year", "department", "program", "fund", "district_id", "location"]),
               unique=True, max_size=3)


def plain(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples with every missing value as None, so dtype choices do not matter."""
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.astype(object).itertuples(index=False)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_rows, queries=st.lists(st.tuples(_queries, _by), min_size=1, max_size=4))
def test_engines_agree(rows: list[dict], queries: list[tuple[SpendingQuery, list[str]]]) -> None:
    frame = line_frame(rows)
    pandas = FrameLedger(frame, LAYERS, "council")
    for duck in (DuckDBLedger.from_frame(frame, LAYERS, "council"), stored_shuffled(frame, LAYERS, "council")):
        agree(pandas, duck, rows, queries)


def agree(pandas: Ledger, duck: Ledger, rows: list[dict], queries: list[tuple[SpendingQuery, list[str]]]) -> None:
    assert pandas.fiscal_years() == duck.fiscal_years()
    for amount in ("actual_cents", "budget_cents"):
        assert pandas.has(amount) == duck.has(amount)
    assert pandas.categories("program", {"department": ["Parks"]}) == duck.categories("program", {"department": ["Parks"]})
    for query, by in queries:
        want, got = pandas.totals(query, "USD"), duck.totals(query, "USD")
        assert dict(want.cents) == dict(got.cents)
        assert want.reconciliation == got.reconciliation and got.reconciliation.balanced
        assert (want.rows, want.layer) == (got.rows, got.layer)
        expected = sum(r[query.amount] for r in rows if r[query.amount] is not None
                       and (query.years is None or r["fiscal_year"] in query.years)
                       and all(r.get(c, "") in v for c, v in query.filters().items()))
        assert got.reconciliation.input_total == expected
        a, b = pandas.sums(query, by), duck.sums(query, by)
        assert list(a.columns) == list(b.columns) and plain(a) == plain(b)
        assert plain(pandas.line_items(query, "A", limit=5)) == plain(duck.line_items(query, "A", limit=5))


def test_duckdb_ledger_answers_from_many_threads() -> None:
    """Streamlit serves sessions from threads; one shared ledger must answer them all alike."""
    from concurrent.futures import ThreadPoolExecutor

    ledger = DuckDBLedger.from_frame(line_frame(ROWS * 50), LAYERS, "council")
    queries = [SpendingQuery(years=(y,)) for y in (2023, 2024, 2025)] * 20
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: ledger.totals(q, "USD").reconciliation.input_total, queries))
    assert got == [ledger.totals(q, "USD").reconciliation.input_total for q in queries]


@pytest.mark.parametrize("kind,view", [("spending", {}), ("spending", {"measure": "total", "amount": "budget"}),
                                       ("change", {"measure": "per_capita", "base_year": 2021})])
def test_the_demo_through_duckdb_draws_the_same_maps_to_the_cent(tmp_path, kind, view) -> None:
    """engine = "duckdb" in the manifest: the fast loader and the SQL ledger give the pandas maps exactly."""
    import shutil

    from budgetmap.dataset import open_dataset
    from budgetmap.maps import MAP_KINDS
    from budgetmap.view import SpendingView

    demo = Path(__file__).resolve().parents[1] / "geodata" / "demo"
    copy = tmp_path / "demo"
    shutil.copytree(demo, copy)
    manifest = copy / "manifest.toml"
    manifest.write_text('engine = "duckdb"\n' + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    duck, files = open_dataset(manifest), open_dataset(demo / "manifest.toml")
    assert (duck.engine, files.engine) == ("duckdb", "pandas")
    ours, theirs = MAP_KINDS[kind](duck, SpendingView(**view)), MAP_KINDS[kind](files, SpendingView(**view))
    assert ours.features == theirs.features and ours.legend == theirs.legend
    assert ours.reconciliation == theirs.reconciliation
    assert duck.report.reconciliation == files.report.reconciliation
    assert [u.to_dict() for u in duck.report.unmatched] == [u.to_dict() for u in files.report.unmatched]
