"""mapspec.rows stands in for iterrows in the map builders: the same values per row, in order."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from budgetmap.mapspec import rows


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and (a is b or a == b)


def test_rows_give_what_iterrows_gave_for_a_builders_frame():
    frame = pd.DataFrame({
        "district_id": ["A", "B", "C"], "name": ["Alpha", None, "Ç & <b>"],
        "cents": [100, 250, 0], "dollars": [1.0, 2.5, np.nan], "meets": [True, False, True],
        "population": pd.array([1000, None, 3], dtype="Int64"), "names": [["x"], [], ["y", "z"]],
    })
    old = [row.to_dict() for _, row in frame.iterrows()]
    new = rows(frame)
    assert len(new) == len(old) == 3
    for before, after in zip(old, new):
        assert list(after) == list(before)
        for key in before:
            assert _same(after[key], before[key]) or (before[key] is pd.NA and after[key] is pd.NA), \
                (key, before[key], after[key])
    assert new[1]["population"] is old[1]["population"] and new[2]["names"] == ["y", "z"]
    assert isinstance(new[0]["cents"], int) and isinstance(new[0]["dollars"], float), "Python scalars"
