"""In-year indicator values against their path to the annual target: loading, straight and given paths, directions."""
from __future__ import annotations

import pytest
from plancity import BRIDGE_PLAN, BRIDGE_SPENDING, plan_city

from budgetmap import monitor
from budgetmap.model import Period
from loaders.dataset import load_dataset

Q1, Q2 = Period(2025, 1), Period(2025, 2)
META = '''
[indicators.meta.visits]
label = "Library visits per resident"
department = "Libraries"
direction = "higher"
target = 5
[indicators.meta.response]
label = "Response time"
department = "Fire"
direction = "lower"
target = 6
[indicators.meta.potholes]
label = "Potholes filled"
direction = "higher"
rollup = "sum"
target = 100
'''
ROWS = """indicator,year,period,district,actual
visits,2024,,A,4
visits,2025,Q1,A,4.2
visits,2025,Q2,A,4.3
visits,2024,,B,4
visits,2025,Q2,B,4.45
visits,2024,,C,4
visits,2025,Q2,C,4.5
response,2024,,A,8
response,2025,Q2,A,7.1
response,2024,,B,8
response,2025,Q2,B,6.9
potholes,2025,Q2,,30
potholes,2025,Q1,D,10
visits,2025,Q1,D,4.4
"""


def _dataset(tmp_path, rows: str = ROWS, meta: str = META, **kwargs):
    return load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=BRIDGE_PLAN, indicators=rows,
                                  indicator_keys=meta, **kwargs))


def _found(dataset, period=Q2) -> dict:
    return {(w.indicator, w.district_id): (w.severity, round(w.behind_points, 6), w.path_value)
            for w in monitor.watch(dataset, period).indicators}


def test_in_year_values_are_kept_apart_from_annual_ones(tmp_path):
    dataset = _dataset(tmp_path)
    assert set(dataset.indicators["fiscal_year"]) == {2024}  # the annual maps see one value per year
    assert len(dataset.indicator_periods) == 9
    assert set(dataset.indicator_periods["period"]) == {"Q1", "Q2"}
    assert dataset.report.table("indicators").rows_used == 14


def test_straight_line_both_directions_and_a_sum_from_zero(tmp_path):
    found = _found(_dataset(tmp_path))
    assert found == {
        ("visits", "A"): ("red", 20.0, 4.5),         # path 4 + (5 - 4) x 2/4 = 4.5; 0.2 short of a change of 1
        ("visits", "B"): ("amber", 5.0, 4.5),        # 0.05 short: 5 points
        ("response", "A"): ("amber", 5.0, 7.0),      # lower is better: path 8 - 2 x 1/2 = 7; 7.1 is 0.1 above
        ("potholes", None): ("red", 20.0, 50.0),     # a sum starts at 0: path 50 by Q2, 30 filled
        ("potholes", "D"): ("red", 15.0, 25.0),      # D's latest value is Q1's: 10 of a path of 25 then
    }
    # visits C sits exactly on its path and response B is ahead: not listed


def test_the_latest_value_at_or_before_the_period_is_judged(tmp_path):
    found = _found(_dataset(tmp_path), Q1)
    assert found[("visits", "A")] == ("amber", 5.0, 4.25)   # path at Q1 is 4.25; 4.2 is 0.05 short
    assert found[("potholes", "D")] == ("red", 15.0, 25.0)
    assert ("visits", "D") not in found                     # no FY2024 value in D: no baseline
    unchecked = {(u.indicator, u.district_id): u.reason for u in monitor.watch(_dataset(tmp_path / "b"), Q1)
                 .indicators_unchecked}
    assert unchecked == {("visits", "D"): "no annual value for FY2024 to start the path from"}


def test_a_given_path(tmp_path):
    meta = META.replace('label = "Library visits per resident"',
                        'label = "Library visits per resident"\npath = [0.1, 0.2, 0.6, 1.0]')
    found = _found(_dataset(tmp_path, meta=meta))
    assert ("visits", "A") not in found and ("visits", "B") not in found  # path 4.2 by Q2: both are above it
    rows = ROWS + "visits,2025,Q2,D,4.15\nvisits,2024,,D,4\n"
    found = _found(_dataset(tmp_path / "b", rows=rows, meta=meta))
    assert found[("visits", "D")] == ("amber", 5.0, 4.2)


def test_a_given_path_of_the_wrong_length_is_a_warning_and_a_straight_line(tmp_path):
    meta = META.replace('target = 100', 'target = 100\npath = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 1]')
    dataset = _dataset(tmp_path, meta=meta)
    assert any("indicators.meta.potholes path has 12 values but 'potholes' is reported by quarter" in w
               for w in dataset.report.warnings)
    assert _found(dataset)[("potholes", None)] == ("red", 20.0, 50.0)


def test_plan_tolerance_and_grace_apply_to_indicators(tmp_path):
    found = _found(_dataset(tmp_path, extra=""), Q2)
    assert found[("visits", "B")][0] == "amber"
    dataset = load_dataset(plan_city(tmp_path / "g", spending=BRIDGE_SPENDING, plans=BRIDGE_PLAN, indicators=ROWS,
                                     indicator_keys=META, plans_keys='grace = 5\n[plans.tolerance_by_department]\n'
                                                                     '"Libraries" = 15'))
    found = _found(dataset)
    assert ("visits", "B") not in found             # 5 points: within the grace
    assert found[("visits", "A")][0] == "red"       # 20 points: beyond Libraries' 15
    assert ("response", "A") not in found


@pytest.mark.parametrize("cell,says", [("Q5", "is not a period"), ("M03", "is a month, but the quarters before it "
                                                                     "set the periods of 'visits'")])
def test_bad_periods_are_row_problems(tmp_path, cell, says):
    rows = ROWS + f"visits,2025,{cell},C,4.4\n"
    problems = [str(p) for p in _dataset(tmp_path, rows=rows).report.table("indicators").problems]
    assert len(problems) == 1 and problems[0].startswith(f"indicators.csv, row 16, column 'period': '{cell}' {says}")


def test_a_repeated_in_year_value_names_its_period(tmp_path):
    problems = [str(p) for p in _dataset(tmp_path, rows=ROWS + "visits,2025,q2,A,4.9\n").report.table("indicators")
                .problems]
    assert problems == ["indicators.csv, row 16, column 'indicator': repeats row 4 (indicator 'visits', fiscal year "
                        "2025, district A, period Q2); row 4 is used, this row is not"]
