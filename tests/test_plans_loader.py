"""[plans] read into the model: defaults, the forms of the planned column, and every problem by file, row, column."""
from __future__ import annotations

from fractions import Fraction

import pytest
from plancity import BRIDGE_PLAN, BRIDGE_SPENDING, plan_city

from budgetmap.model import MONTH, Period
from loaders.dataset import load_dataset
from loaders.problems import LoadError

TUNNEL = "".join(f"{y},{q},Water,Tunnel,B,100000,25000\n" for y, q in
                 [(2025, "Q1"), (2025, "Q2"), (2025, "Q3"), (2025, "Q4"), (2026, "Q1"), (2026, "Q2")])
MESSY_PLAN = """project,fiscal_year,quarter,planned_cumulative_rate
Bridge,2025,Q1,0.10
Bridge,2025,Q2,0.40
Brige,2025,Q1,0.1
Tunnel,2025,Q1,0.3
Tunnel,2025,Q2,0.2
Tunnel,2025,Q3,1.2
Tunnel,2025,Q4,abc
Tunnel,2026,Q2,0.9
Tunnel,20x5,Q3,0.5
Tunnel,2026,Q9,0.5
Tunnel,2026,Q2,0.95
,2026,Q3,0.5
Tunnel,2026,,0.5
"""


def _problems(dataset) -> dict[int, str]:
    return {p.row: str(p) for p in dataset.report.table("plans").problems}


def test_a_plan_section_with_only_a_path_reads_the_demo_columns(tmp_path):
    dataset = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=BRIDGE_PLAN))
    plan = dataset.plans.project("Bridge")
    assert [(s.period, s.planned, s.row) for s in plan.steps] == [
        (Period(2025, 1), Fraction(1, 10), 2), (Period(2025, 2), Fraction(2, 5), 3)]
    assert (plan.department, plan.district_id, plan.budget_cents, plan.budget_from) == (
        "Roads", "A", 100_000_000, "spending")
    table = dataset.report.table("plans")
    assert (table.rows_read, table.rows_used, table.problems) == (2, 2, [])
    assert any("read as fractions (0 to 1)" in n for n in table.notes)


def test_every_plan_problem_names_file_row_and_column(tmp_path):
    dataset = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING + TUNNEL, plans=MESSY_PLAN))
    problems = _problems(dataset)
    col = "column 'planned_cumulative_rate'"
    expected = {
        4: ("plans.csv, row 4, column 'project': 'Brige' is not a project of the spending table (spending.csv, "
            "column 'project'); did you mean 'Bridge'?"),
        6: f"plans.csv, row 6, {col}: '0.2' is below the 30% planned by row 5 (FY2025 Q1); a cumulative plan "
           "cannot go down",
        7: f"plans.csv, row 7, {col}: '1.2' is above 100% of the budget",
        8: f"plans.csv, row 8, {col}: 'abc' is not a rate",
        9: "plans.csv, row 9, column 'quarter': the plan of 'Tunnel' skips FY2026 Q1 (between rows 8 and 9); that "
           "period keeps the rate before it",
        10: "plans.csv, row 10, column 'fiscal_year': '20x5' is not a fiscal year",
        11: "plans.csv, row 11, column 'quarter': 'Q9' is not a period",
        12: "plans.csv, row 12, column 'quarter': 'Q2' repeats FY2026 Q2 of 'Tunnel' from row 9; row 9 is used",
        13: "plans.csv, row 13, column 'project': the project is missing",
        14: "plans.csv, row 14, column 'quarter': the period is missing",
    }
    assert sorted(problems) == sorted(expected)
    for row, start in expected.items():
        assert problems[row].startswith(start), problems[row]
    table = dataset.report.table("plans")
    assert (table.rows_read, table.rows_used) == (13, 4)
    tunnel = dataset.plans.project("Tunnel")
    assert [(s.period.name, s.planned, s.row) for s in tunnel.steps] == [
        ("FY2025 Q1", Fraction(3, 10), 5), ("FY2025 Q2", Fraction(3, 10), None), ("FY2025 Q3", Fraction(3, 10), None),
        ("FY2025 Q4", Fraction(3, 10), None), ("FY2026 Q1", Fraction(3, 10), None), ("FY2026 Q2", Fraction(9, 10), 9)]
    assert dataset.plans.project("Brige") is None


@pytest.mark.parametrize("rates,keys,planned", [
    (("10", "40"), "", (Fraction(1, 10), Fraction(2, 5))),                  # auto: most numbers above 1
    (("10%", "40 %"), "", (Fraction(1, 10), Fraction(2, 5))),               # a % sign is always percent
    (("0.5", "40"), 'planned_unit = "percent"', (Fraction(1, 200), Fraction(2, 5))),
])
def test_percent_forms(tmp_path, rates, keys, planned):
    plan = f"project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Q1,{rates[0]}\nBridge,2025,Q2,{rates[1]}\n"
    dataset = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=plan, plans_keys=keys))
    assert tuple(s.planned for s in dataset.plans.project("Bridge").steps) == planned
    assert not dataset.report.table("plans").problems


def test_auto_says_which_unit_it_chose(tmp_path):
    plan = "project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Q1,10\nBridge,2025,Q2,40\n"
    notes = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=plan)).report.table("plans").notes
    assert any("read as percents (0 to 100)" in n and 'planned_unit = "fraction"' in n for n in notes)


def test_fractions_forced_make_40_a_rate_above_100_percent(tmp_path):
    plan = "project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Q1,10\nBridge,2025,Q2,40\n"
    dataset = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=plan,
                                     plans_keys='planned_unit = "fraction"'))
    assert set(_problems(dataset)) == {2, 3}
    assert dataset.plans.projects == ()


def test_planned_amounts_with_a_budget_column(tmp_path):
    plan = ("proj,fy,q,cum,total\n"
            "Bridge,2025,Q1,\"$200,000\",2000000\n"
            "Bridge,2025,Q2,800000,2000000\n"
            "Bridge,2025,Q3,2500000,2100000\n")
    keys = 'project = "proj"\nyear = "fy"\nperiod = "q"\nplanned_amount = "cum"\nbudget = "total"'
    dataset = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=plan, plans_keys=keys))
    plan_ = dataset.plans.project("Bridge")
    assert (plan_.budget_cents, plan_.budget_from) == (200_000_000, "plans")
    assert [s.planned for s in plan_.steps] == [Fraction(1, 10), Fraction(2, 5)]
    problems = [str(p) for p in dataset.report.table("plans").problems]
    assert problems == [
        "plans.csv, row 4, column 'total': '2100000' differs from the budget $2,000,000.00 row 2 gives 'Bridge'; "
        "row 2's is used",
        "plans.csv, row 4, column 'cum': '2500000' is 125% of the project's budget ($2,000,000.00), above 100%; "
        "this row is not used"]


def test_a_project_without_any_budget_is_listed_not_used(tmp_path):
    spending = "2025,Q1,Roads,Bridge,A,,100000\n2025,Q2,Roads,Bridge,A,,150000\n"
    dataset = load_dataset(plan_city(tmp_path, spending=spending, plans=BRIDGE_PLAN))
    (problem,) = dataset.report.table("plans").problems
    assert (problem.file, problem.row, problem.column) == ("plans.csv", 2, "project")
    assert "project 'Bridge' has no budget" in problem.reason and "budget = " in problem.reason
    assert dataset.plans.projects == () and dataset.report.table("plans").rows_used == 0


def test_monthly_plans_and_spending_lines_no_rate_counts_are_noted(tmp_path):
    spending = ("2025,Q1,Roads,Bridge,A,400000,100000\n"
                "2025,,Roads,Bridge,A,0,7000\n"
                "2024,Q4,Roads,Bridge,A,0,5000\n")
    plan = "project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Jul,0.1\nBridge,2025,M02,0.2\n"
    dataset = load_dataset(plan_city(tmp_path, spending=spending, plans=plan))
    assert dataset.plans.kind == MONTH
    notes = " | ".join(dataset.report.table("plans").notes)
    assert "1 spending line(s) of planned projects have no period, carrying $7,000.00 actual" in notes
    assert "2 spending line(s) of planned projects give a quarter where the plans are monthly, carrying " \
           "$105,000.00" in notes


def test_quarters_and_months_do_not_mix_in_one_plan_table(tmp_path):
    plan = "project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Q1,0.1\nBridge,2025,M06,0.4\n"
    problems = _problems(load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=plan)))
    assert problems[3].startswith("plans.csv, row 3, column 'quarter': 'M06' is a month, but the quarters before "
                                  "it set this table's periods (4 a year)")


def test_lines_before_the_plan_starts_are_counted_in_a_note(tmp_path):
    spending = BRIDGE_SPENDING + "2024,Q4,Roads,Bridge,A,0,1234.56\n"
    notes = load_dataset(plan_city(tmp_path, spending=spending, plans=BRIDGE_PLAN)).report.table("plans").notes
    assert any("1 spending line(s) of planned projects fall before their plan's first period, carrying $1,234.56"
               in n for n in notes)


def test_settings_and_their_warnings(tmp_path):
    keys = 'tolerance = 7.5\ngrace = 8\n[plans.tolerance_by_department]\n"Road" = 3\n"Roads" = 12'
    dataset = load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=BRIDGE_PLAN, plans_keys=keys))
    settings = dataset.plans.settings
    assert (settings.tolerance, settings.grace) == (Fraction(15, 2), Fraction(8))
    assert settings.tolerance_for("Roads") == 12 and settings.tolerance_for("Water") == Fraction(15, 2)
    warnings = " | ".join(dataset.report.warnings)
    assert "[plans.tolerance_by_department] names 'Road', a department no project has; did you mean 'Roads'?" in warnings
    assert "[plans] grace = 8 is at least a tolerance (3)" in warnings


@pytest.mark.parametrize("keys,message", [
    ('planned = "a"\nplanned_amount = "b"', "has both 'planned' (a rate column) and 'planned_amount'"),
    ('planned_amount = "b"\nplanned_unit = "percent"', "'planned_unit' describes 'planned' rates"),
    ("tolerance = 120", "'tolerance' must be a number of percentage points from 0 to 100, like 10; found 120"),
    ('[plans.tolerance_by_department]\n"Roads" = "five"', "found \"Roads\" = \"five\""),
    ("year_start = 13", "'year_start' must be a month number"),
])
def test_manifest_mistakes_are_refused_before_reading(tmp_path, keys, message):
    with pytest.raises(LoadError, match="manifest.toml: \\[plans\\]") as err:
        load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans=BRIDGE_PLAN, plans_keys=keys))
    assert message in str(err.value)


def test_a_missing_plan_column_names_the_key(tmp_path):
    with pytest.raises(LoadError, match="'planned_cumulative_rate' \\(set by plans.planned in the manifest\\)"):
        load_dataset(plan_city(tmp_path, spending=BRIDGE_SPENDING, plans="project,fiscal_year,quarter,rate\nB,1,2,3\n"))
