"""Early-warning rules on hand-checked numbers: severities and their edges, flags, the monitoring window, notices."""
from __future__ import annotations

from fractions import Fraction

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plancity import BRIDGE_PLAN, BRIDGE_SPENDING, plan_city
from shapely.geometry import box

from budgetmap import monitor
from budgetmap.model import Dataset, Layer, LoadReport, Period, PlanSettings, PlanStep, Plans, ProjectPlan
from budgetmap.sources.frame import FrameLedger
from loaders.dataset import load_dataset

Q1, Q2, Q3, Q4 = (Period(2025, q) for q in (1, 2, 3, 4))


def _load(tmp_path, spending: str = BRIDGE_SPENDING, plans: str = BRIDGE_PLAN, **kwargs) -> Dataset:
    return load_dataset(plan_city(tmp_path, spending=spending, plans=plans, **kwargs))


def test_the_issue_example_budget_1m_planned_40_spent_250k_is_red_150k_short(tmp_path):
    dataset = _load(tmp_path)
    assert monitor.monitored_periods(dataset) == [Q1, Q2]
    assert monitor.latest_period(dataset) == Q2  # as_of 2024-12-31 is the end of FY2025 Q2 (July years)
    (w,) = monitor.watch(dataset).warnings
    assert (w.project, w.department, w.district_id, w.district_name, w.point) == ("Bridge", "Roads", "A", "Alpha", None)
    assert (w.severity, w.planned_rate, w.actual_rate, w.shortfall_points) == ("red", 0.4, 0.25, 15.0)
    assert (w.shortfall_cents, w.budget_cents, w.spent_cents, w.periods_behind) == (
        15_000_000, 100_000_000, 25_000_000, 1)
    assert [(p.period, p.planned_rate, p.actual_rate) for p in w.series] == [(Q1, 0.1, 0.1), (Q2, 0.4, 0.25)]
    assert monitor.watch(dataset, Q1).warnings == ()  # 10% planned, 10% spent


@pytest.mark.parametrize("q2_actual,keys,severity,shortfall_cents", [
    ("200000", "", "amber", 10_000_000),          # exactly 10 points behind: amber
    ("199999.99", "", "red", 10_000_001),         # a cent more: red
    ("300000", "", None, None),                   # on plan
    ("299999.99", "", "amber", 1),                # a cent behind, no grace: amber
    ("250000", "grace = 5", None, None),          # exactly the grace: on plan
    ("249999.99", "grace = 5", "amber", 5_000_001),
    ("249999.99", "grace = 5\ntolerance = 5", "red", 5_000_001),  # above a tolerance equal to the grace
    ("229999.99", "tolerance = 7", "red", 7_000_001),
])
def test_tolerance_and_grace_edges(tmp_path, q2_actual, keys, severity, shortfall_cents):
    spending = f"2025,Q1,Roads,Bridge,A,400000,100000\n2025,Q2,Roads,Bridge,A,600000,{q2_actual}\n"
    found = monitor.watch(_load(tmp_path, spending=spending, plans_keys=keys), Q2).warnings
    assert [(w.severity, w.shortfall_cents) for w in found] == ([(severity, shortfall_cents)] if severity else [])


def test_a_department_has_its_own_tolerance(tmp_path):
    spending = BRIDGE_SPENDING.replace("150000", "220000") + "2025,Q1,Parks,Pool,B,1000000,320000\n"
    plans = BRIDGE_PLAN + "Pool,2025,Q1,0.40\n"
    dataset = _load(tmp_path, spending=spending, plans=plans,
                    plans_keys='[plans.tolerance_by_department]\n"Parks" = 5')
    found = {w.project: (w.severity, w.shortfall_points, w.tolerance) for w in monitor.watch(dataset, Q2).warnings}
    assert found == {"Bridge": ("amber", 8.0, 10.0)}  # Pool's plan ended at Q1: not monitored at Q2
    found = {w.project: (w.severity, w.shortfall_points, w.tolerance) for w in monitor.watch(dataset, Q1).warnings}
    assert found == {"Pool": ("red", 8.0, 5.0)}


def test_planned_amount_form_gives_the_same_warning(tmp_path):
    plans = "project,fiscal_year,quarter,cum\nBridge,2025,Q1,100000\nBridge,2025,Q2,400000\n"
    (w,) = monitor.watch(_load(tmp_path, plans=plans, plans_keys='planned_amount = "cum"'), Q2).warnings
    assert (w.severity, w.planned_rate, w.shortfall_cents) == ("red", 0.4, 15_000_000)


def test_percent_form_gives_the_same_warning(tmp_path):
    plans = "project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Q1,10\nBridge,2025,Q2,40\n"
    (w,) = monitor.watch(_load(tmp_path, plans=plans), Q2).warnings
    assert (w.severity, w.planned_rate, w.shortfall_cents) == ("red", 0.4, 15_000_000)


def test_stale_when_an_ended_period_reports_no_actuals(tmp_path):
    spending = "2025,Q1,Roads,Bridge,A,400000,100000\n2025,Q2,Roads,Bridge,A,600000,\n"  # Q2: budget, no actual
    found = monitor.watch(_load(tmp_path, spending=spending), Q2)
    (flag,) = found.stale
    assert (flag.project, flag.periods, flag.last_reported) == ("Bridge", (Q2,), Q1)
    assert [w.severity for w in found.warnings] == ["red"]  # 10% spent of 40% planned
    assert monitor.watch(_load(tmp_path / "b", spending=spending), Q1).stale == ()


def test_without_an_as_of_date_the_latest_period_is_the_last_with_actuals(tmp_path):
    spending = "2025,Q1,Roads,Bridge,A,400000,100000\n2025,Q2,Roads,Bridge,A,600000,\n"
    dataset = _load(tmp_path, spending=spending, as_of="")
    assert monitor.monitored_periods(dataset) == [Q1]
    assert monitor.watch(dataset).stale == ()


def test_over_budget_is_a_flag_of_its_own(tmp_path):
    spending = BRIDGE_SPENDING.replace("150000", "950000")
    found = monitor.watch(_load(tmp_path, spending=spending), Q2)
    assert found.warnings == ()
    (flag,) = found.over_budget
    assert (flag.project, flag.budget_cents, flag.spent_cents, flag.over_cents) == (
        "Bridge", 100_000_000, 105_000_000, 5_000_000)


def test_monitored_from_the_first_through_the_last_plan_period_and_periods_behind_in_a_row(tmp_path):
    spending = BRIDGE_SPENDING + "".join(f"2025,{q},Water,Tunnel,B,250000,{a}\n" for q, a in
                                         [("Q1", 250000), ("Q2", 100000), ("Q3", 100000), ("Q4", 100000)])
    plans = BRIDGE_PLAN + "".join(f"Tunnel,2025,{q},{r}\n" for q, r in [("Q1", .25), ("Q2", .5), ("Q3", .75), ("Q4", 1)])
    dataset = _load(tmp_path, spending=spending, plans=plans, as_of="2025-06-30")
    assert monitor.monitored_periods(dataset) == [Q1, Q2, Q3, Q4]
    at = {p: {w.project: (w.severity, w.periods_behind) for w in monitor.watch(dataset, p).warnings}
          for p in (Q1, Q2, Q3, Q4)}
    assert at == {Q1: {}, Q2: {"Bridge": ("red", 1), "Tunnel": ("red", 1)}, Q3: {"Tunnel": ("red", 2)},
                  Q4: {"Tunnel": ("red", 3)}}
    assert monitor.watch(dataset, Q3).monitored == 1  # Bridge's plan ended at Q2: it is done


def test_filters_and_order(tmp_path):
    spending = BRIDGE_SPENDING + "2025,Q1,Parks,Pool,B,400000,100000\n2025,Q2,Parks,Pool,B,600000,210000\n"
    plans = BRIDGE_PLAN + "Pool,2025,Q1,0.1\nPool,2025,Q2,0.4\n"
    dataset = _load(tmp_path, spending=spending, plans=plans)
    assert [(w.project, w.severity) for w in monitor.watch(dataset).warnings] == [("Bridge", "red"), ("Pool", "amber")]
    assert [w.project for w in monitor.watch(dataset, departments=("Parks",)).warnings] == ["Pool"]
    assert [w.project for w in monitor.watch(dataset, severities=("red",)).warnings] == ["Bridge"]
    assert monitor.watch(dataset).counts() == {"red": 1, "amber": 1, "over_budget": 0, "stale": 0, "indicators": 0}


def test_find_period_defaults_and_refusals(tmp_path):
    dataset = _load(tmp_path)
    assert monitor.find_period(dataset) == Q2
    assert monitor.find_period(dataset, "FY 2024-25", "q1") == Q1
    assert monitor.find_period(dataset, 2025) == Q2
    for year, period, says in [(2019, None, "FY2019 is not monitored"), (2025, "Q3", "FY2025 Q3 is not a monitored"),
                               (2025, "Q9", "'Q9' is not a period"), ("soon", None, "'soon' is not a fiscal year")]:
        with pytest.raises(monitor.PeriodError) as err:
            monitor.find_period(dataset, year, period)
        assert says in str(err.value) and "monitored at FY2025 Q1 through FY2025 Q2 (2 quarters" in str(err.value)


def test_notices_are_plain_text_one_line_per_department(tmp_path):
    hostile = 'Evil\n<b>x</b> `${alert(1)}`'
    spending = BRIDGE_SPENDING + f'2025,Q1,Parks,"{hostile}",B,400000,0\n2025,Q2,Parks,"{hostile}",B,600000,0\n'
    plans = BRIDGE_PLAN + f'"{hostile}",2025,Q1,0.1\n"{hostile}",2025,Q2,0.4\n'
    texts = [n.text for n in monitor.notices(monitor.watch(_load(tmp_path, spending=spending, plans=plans)))]
    assert texts == [
        "Parks: 1 project behind plan at FY2025 Q2: Evil <b>x</b> `${alert(1)}` (red, 40 points behind, "
        "$400,000 short).",
        "Roads: 1 project behind plan at FY2025 Q2: Bridge (red, 15 points behind, $150,000 short)."]


def test_notice_lists_the_flags(tmp_path):
    spending = "2025,Q1,Roads,Bridge,A,400000,1100000\n2025,Q2,Roads,Bridge,A,600000,\n"
    (text,) = [n.text for n in monitor.notices(monitor.watch(_load(tmp_path, spending=spending), Q2))]
    assert text == ("Roads: no project behind plan at FY2025 Q2. Over budget: Bridge ($100,000 over). "
                    "No actuals reported: Bridge (FY2025 Q2).")


def test_the_json_document(tmp_path):
    doc = monitor.watch(_load(tmp_path)).to_dict()
    assert (doc["year"], doc["period"], doc["tolerance"], doc["grace"]) == (2025, "Q2", 10.0, 0.0)
    (w,) = doc["warnings"]
    assert {k: w[k] for k in ("project", "department", "district", "planned_rate", "actual_rate", "severity",
                              "shortfall")} == {"project": "Bridge", "department": "Roads", "district": "A",
                                                "planned_rate": 0.4, "actual_rate": 0.25, "severity": "red",
                                                "shortfall": 150000.0}
    assert set(doc) >= {rule.output for rule in monitor.RULES.values()}


# -- a property: scaling every amount by the same factor changes no finding -----------------------------

def _dataset(budget: int, actuals: list[int], rates: list[Fraction]) -> Dataset:
    """One project in one district, straight from the model (no files): quick enough for Hypothesis."""
    periods = [Period.from_ordinal(Period(2021, 1).ordinal + i, "quarter") for i in range(len(rates))]
    frame = pd.DataFrame({
        "fiscal_year": [p.year for p in periods], "period": [p.label for p in periods], "department": "Roads",
        "program": "", "fund": "", "project": "P", "raw_district": "A",
        "budget_cents": pd.array([budget] + [0] * (len(periods) - 1), dtype="Int64"),
        "actual_cents": pd.array(actuals, dtype="Int64"), "source_row": range(2, 2 + len(periods)),
        "district_id@districts": "A", "location@districts": "district"})
    districts = gpd.GeoDataFrame({"district_id": ["A"], "name": ["Alpha"], "population": [1.0]},
                                 geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    plan = ProjectPlan("P", "Roads", budget, "spending", tuple(PlanStep(p, r, i + 2) for i, (p, r) in
                                                                 enumerate(zip(periods, rates))), "A")
    plans = Plans("plans.csv", projects=(plan,), settings=PlanSettings(grace=Fraction(3)))
    return Dataset(name="t", currency="USD", layers=(Layer("districts", "Districts", districts),),
                   ledger=FrameLedger(frame, ["districts"], "districts"), report=LoadReport("t", "t.toml"),
                   plans=plans, as_of="2030-06-30")


def _findings(dataset: Dataset) -> list[tuple]:
    out = []
    for period in monitor.monitored_periods(dataset):
        found = monitor.watch(dataset, period)
        out.append((period, [(w.severity, w.periods_behind, w.shortfall_points) for w in found.warnings],
                    len(found.over_budget), [s.periods for s in found.stale]))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), n=st.integers(1, 6), budget=st.integers(1, 10**9), factor=st.integers(2, 10**4))
def test_scaling_every_amount_by_one_factor_changes_no_severity(data, n, budget, factor):
    rates = sorted(Fraction(data.draw(st.integers(0, 1000)), 1000) for _ in range(n))
    actuals = [data.draw(st.integers(-budget // 10, budget)) for _ in range(n)]
    plain = _findings(_dataset(budget, actuals, rates))
    scaled = _findings(_dataset(budget * factor, [a * factor for a in actuals], rates))
    assert scaled == plain
