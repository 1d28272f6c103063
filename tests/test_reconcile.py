"""The reconciliation invariant: every cent read is in exactly one place."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetmap.aggregate import district_frame
from budgetmap.reconcile import reconcile, reconciliation_line
from loaders.joins import match_keys

DISTRICTS = ["A", "B", "C"]
KEYS = st.sampled_from(["A", "B", "C", " A ", "Citywide", "", "Z", "a", "3.0"])
ROWS = st.lists(st.tuples(KEYS, st.integers(-10**12, 10**12)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(rows=ROWS, rejected=st.integers(0, 10**9))
def test_parts_add_up_to_the_input_total(rows, rejected):
    raw = pd.Series([k for k, _ in rows], dtype=object)
    cents = pd.Series([c for _, c in rows], dtype="Int64")
    district_id, location = match_keys(raw, DISTRICTS, {}, ["citywide"])
    frame = pd.DataFrame({"district_id": district_id, "location": location, "actual_cents": cents})
    rec = reconcile(frame, "actual_cents", "USD", rejected)
    assert rec.balanced
    assert rec.input_total == sum(c for _, c in rows) + rejected
    # what the map shows per district sums to the "districts" part, to the cent
    districts = pd.DataFrame({"district_id": DISTRICTS, "name": DISTRICTS,
                              "population": [1.0] * 3, "area_km2": [1.0] * 3})
    mapped = district_frame(districts, frame, "actual_cents")
    assert int(mapped["cents"].fillna(0).sum()) == rec.districts
    expected_city = sum(c for k, c in rows if k.strip().lower() == "citywide")
    assert rec.citywide == expected_city
    assert rec.no_location == sum(c for k, c in rows if not k.strip())


def test_line_names_every_part():
    frame = pd.DataFrame({"location": ["district", "citywide", "unmatched", "no_location"],
                          "actual_cents": pd.Series([100, 250, -50, 1], dtype="Int64")})
    line = reconciliation_line(reconcile(frame, "actual_cents", "USD", rejected=7))
    assert line == ("Total $3.08 = $1.00 in districts + $2.50 citywide + -$0.50 with an unknown district"
                    " + $0.01 with no location + $0.07 in rejected rows")
