"""The reconciliation invariant: every cent read is in exactly one place, held against independent sums."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetmap.model import Reconciliation, SpendingQuery, exact_sum
from budgetmap.reconcile import reconciliation_line
from budgetmap.sources.frame import FrameLedger, empty_frame, key_columns
from loaders.joins import match_keys

DISTRICTS = ["A", "B", "C"]
KEYS = st.sampled_from(["A", "B", "C", " A ", "Citywide", "", "Z", "a", "3.0"])
ROWS = st.lists(st.tuples(KEYS, st.integers(-(2**63) + 1, 2**63 - 1)), max_size=60)


def _ledger(rows: list[tuple[str, int]]) -> FrameLedger:
    raw = pd.Series([k for k, _ in rows], dtype=object)
    district_id, location = match_keys(raw, DISTRICTS, {}, ["citywide"])
    frame = empty_frame(["districts"]).reindex(range(len(rows)))
    frame = frame.assign(fiscal_year=2025, period="", department="", program="", fund="", project="",
                         raw_district=raw, budget_cents=pd.array([pd.NA] * len(rows), dtype="Int64"),
                         actual_cents=pd.array([c for _, c in rows], dtype="Int64"),
                         source_row=range(2, len(rows) + 2))
    frame[key_columns("districts")[0]], frame[key_columns("districts")[1]] = district_id, location
    return FrameLedger(frame, ["districts"], "districts")


@settings(max_examples=300, deadline=None)
@given(rows=ROWS)
def test_parts_equal_sums_computed_without_the_ledger(rows):
    totals = FrameLedger.totals(_ledger(rows), SpendingQuery(), "USD")
    rec = totals.reconciliation
    # each part against a plain Python sum over the rows that belong there (int64 amounts, no wrap)
    assert rec.input_total == sum(c for _, c in rows)
    assert rec.citywide == sum(c for k, c in rows if k.strip().lower() == "citywide")
    assert rec.no_location == sum(c for k, c in rows if not k.strip())
    assert rec.unmatched == sum(c for k, c in rows if k in ("Z", "a", "3.0"))  # "3.0" reads as "3": no district
    for d in DISTRICTS:
        if any(k.strip() == d for k, _ in rows):
            assert totals.of(d) == sum(c for k, c in rows if k.strip() == d)
        else:
            assert totals.of(d) is None
    assert rec.balanced


def test_two_rows_near_the_int64_limit_do_not_wrap():
    nine = 9_000_000_000_000_000_000  # 90 quadrillion dollars, in cents: fits int64 alone
    totals = _ledger([("A", nine), ("A", nine), ("Z", -nine)]).totals(SpendingQuery(), "USD")
    assert totals.of("A") == 18_000_000_000_000_000_000
    assert totals.reconciliation.input_total == 9_000_000_000_000_000_000
    assert exact_sum(pd.Series([nine, nine], dtype="Int64")) == 2 * nine
    assert reconciliation_line(totals.reconciliation).startswith("Total $90,000,000,000,000,000.00 = "
                                                                 "$180,000,000,000,000,000.00 in districts")


def test_an_imbalance_is_visible():
    rec = Reconciliation("USD", input_total=100, districts=60, citywide=30)
    assert not rec.balanced
    assert reconciliation_line(rec).endswith("DOES NOT BALANCE")


def test_line_names_every_part():
    rec = Reconciliation("USD", input_total=308, districts=100, citywide=250, unmatched=-50, no_location=1,
                         rejected=7)
    assert reconciliation_line(rec) == ("Total $3.08 = $1.00 in districts + $2.50 citywide + -$0.50 with an "
                                        "unknown district + $0.01 with no location + $0.07 in rejected rows")
