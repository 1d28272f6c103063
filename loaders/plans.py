"""Read the ``[plans]`` table into the model's Plans: each project's planned cumulative spend rate per period.

Every row is used or listed with file, row and column: a project the spending
table does not have, a missing or unreadable year, period or rate, a rate above
100%, a plan that goes down, a period given twice. Periods a plan skips (inside
its run) are listed too and keep the rate before them, so a plan is always a
run of consecutive periods (``ProjectPlan``). Rates stay exact fractions.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import pandas as pd

from budgetmap import fmt
from budgetmap.model import Ledger, TableReport
from budgetmap.model.plans import PlanSettings, PlanStep, Plans, ProjectPlan
from budgetmap.model.periods import Period
from budgetmap.model.years import MISSING
from loaders.manifest import TableSpec
from loaders.periods import parse_periods
from loaders.plan_manifest import plan_settings
from loaders.plan_spending import ProjectFacts, project_facts, uncounted_notes
from loaders.problems import RowProblem
from loaders.tables import first_row, require_columns, with_source_rows
from loaders.values import parse_amounts, parse_fiscal_years

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _percent(rate: Fraction) -> str:
    return f"{float(rate * 100):.4g}%"


def _rate_cells(text: pd.Series) -> tuple[list[Fraction | None], list[bool], list[str | None]]:
    """Each cell as (number, written with %, reason refused); a missing cell is (None, False, None)."""
    numbers, signs, reasons = [], [], []
    for cell in text:
        raw = cell.strip()
        sign = raw.endswith("%")
        core = raw[:-1].strip() if sign else raw
        value, reason = None, None
        if raw.casefold() in MISSING:
            reason = "the planned rate is missing"
        elif not _NUMBER.fullmatch(core):
            reason = "is not a rate (a number like 0.25, or 25%)"
        else:
            try:
                value = Fraction(Decimal(core))
            except (InvalidOperation, ValueError):
                reason = "is not a rate (a number like 0.25, or 25%)"
        numbers.append(value)
        signs.append(sign)
        reasons.append(reason)
    return numbers, signs, reasons


def _rates(frame: pd.DataFrame, spec: TableSpec, report: TableReport) -> tuple[list[Fraction | None], list[RowProblem]]:
    """The ``planned`` column as fractions of the budget (0..1), in the unit the manifest (or the numbers) say."""
    column = spec.columns["planned"]
    numbers, signs, reasons = _rate_cells(frame[column].astype(str))
    unit = spec.options.get("planned_unit", "auto")
    plain = [n for n, s in zip(numbers, signs) if n is not None and not s]
    if unit == "auto" and plain:
        unit = "percent" if sum(n > 1 for n in plain) > len(plain) / 2 else "fraction"
        other = "fraction" if unit == "percent" else "percent"
        read, most = ("percents (0 to 100)", "above") if unit == "percent" else ("fractions (0 to 1)", "at most")
        report.notes.append(f"column {column!r} read as {read} of the budget: most of its numbers are {most} 1; "
                            f"set planned_unit = \"{other}\" under [plans] if they are not")
    out: list[Fraction | None] = []
    problems: list[RowProblem] = []
    for row, cell, number, sign, reason in zip(frame["source_row"], frame[column], numbers, signs, reasons):
        rate = None if number is None else number / 100 if sign or unit == "percent" else number
        if rate is not None and rate < 0:
            reason, rate = "is negative; a planned rate is 0% to 100% of the budget", None
        elif rate is not None and rate > 1:
            reason, rate = ("is above 100% of the budget; a cumulative plan cannot spend more than the whole "
                            "budget"), None
        if reason:
            problems.append(RowProblem(spec.display_name, int(row), column, str(cell).strip(), reason))
        out.append(rate)
    return out, problems


def _amounts(frame: pd.DataFrame, spec: TableSpec, key: str,
             required: bool) -> tuple[list[int | None], list[RowProblem]]:
    """A money column as cents; negative amounts (and, if ``required``, missing ones) are problems."""
    column = spec.columns[key]
    cents, problems = parse_amounts(frame[column], file=spec.display_name, column=column, rows=frame["source_row"])
    refused = {p.row for p in problems}
    out: list[int | None] = []
    for row, text, value in zip(frame["source_row"], frame[column], cents):
        value = None if pd.isna(value) else int(value)
        if value is not None and value < 0:
            problems.append(RowProblem(spec.display_name, int(row), column, str(text).strip(),
                                       f"is negative; a {'budget' if key == 'budget' else 'planned amount'} cannot be"))
            value = None
        elif value is None and required and int(row) not in refused:
            problems.append(RowProblem(spec.display_name, int(row), column, "", "the planned amount is missing"))
        out.append(value)
    return out, problems


def _required(frame: pd.DataFrame, spec: TableSpec, key: str, values: pd.Series, what: str) -> list[RowProblem]:
    """Problems for rows whose ``key`` cell is blank (unreadable cells have their own)."""
    column = spec.columns[key]
    blank = frame[column].astype(str).str.strip().str.casefold().isin(MISSING) & values.isna()
    return [RowProblem(spec.display_name, int(r), column, "", f"the {what} is missing")
            for r in frame.loc[blank, "source_row"]]


def read_plans(spec: TableSpec, table: pd.DataFrame, ledger: Ledger, layer: str, currency: str,
               spending: str) -> tuple[Plans, TableReport, list[str]]:
    """The plans in ``table`` (the [plans] source as read), the table's report and warnings for the load report.

    ``spending`` names the spending table's project column in messages
    ("spending.csv, column 'project'").
    """
    settings = plan_settings(spec.options)
    frame = with_source_rows(table, first_row=first_row(spec.path))
    require_columns(frame, spec.columns, file=spec.display_name, section=spec.section)
    file, rows = spec.display_name, frame["source_row"]
    report = TableReport("plans", file, rows_read=len(frame), notes=list(frame.attrs.get("notes", [])))
    names = frame[spec.columns["project"]].astype(str).str.strip()
    problems = [RowProblem(file, int(r), spec.columns["project"], "", "the project is missing")
                for r in rows[names.eq("")]]
    years, found = parse_fiscal_years(frame[spec.columns["year"]], file=file, column=spec.columns["year"], rows=rows)
    problems += found + _required(frame, spec, "year", years, "fiscal year")
    periods, found = parse_periods(frame[spec.columns["period"]], years, file=file, column=spec.columns["period"],
                                   rows=rows, year_start=settings.year_start)
    problems += found + _required(frame, spec, "period", periods, "period")
    amount_form = "planned_amount" in spec.columns
    values, found = _amounts(frame, spec, "planned_amount", True) if amount_form else _rates(frame, spec, report)
    problems += found
    budgets: list[int | None] = [None] * len(frame)
    if "budget" in spec.columns:
        budgets, found = _amounts(frame, spec, "budget", False)
        problems += found
    facts = project_facts(ledger, layer)
    value_text = frame[spec.columns["planned_amount" if amount_form else "planned"]].astype(str).str.strip()
    kind = next((p.kind for p in periods if p is not None), "quarter")  # parse_periods refused the other kind
    seen: dict[str, dict[int, int]] = defaultdict(dict)  # period -> first row naming it, usable or not
    grouped: dict[str, list[tuple[int, Period, object, int | None, str]]] = defaultdict(list)
    for i, (row, name, period) in enumerate(zip(rows, names, periods)):
        if not name or period is None:
            continue
        seen[name].setdefault(period.ordinal, int(row))
        if name not in facts.names:
            problems.append(_unknown(file, int(row), spec.columns["project"], name, facts, spending))
        elif values[i] is not None:
            budget_text = str(frame[spec.columns["budget"]].iat[i]).strip() if "budget" in spec.columns else ""
            grouped[name].append((int(row), period, values[i], budgets[i], budget_text, str(value_text.iat[i])))
    plans: list[ProjectPlan] = []
    for name, recs in grouped.items():
        plan, found = _project(name, recs, seen[name], facts, spec, amount_form, currency)
        problems += found
        if plan is not None:
            plans.append(plan)
    report.rows_used = sum(1 for p in plans for s in p.steps if s.row is not None)
    report.add_problems(sorted(problems, key=lambda p: (p.row or 0)))
    plans.sort(key=lambda p: p.project)
    report.notes.extend(uncounted_notes(ledger, plans, kind, settings.year_start, currency))
    return Plans(file=file, kind=kind, projects=tuple(plans), settings=settings), report, \
        _setting_warnings(settings, facts, plans)


def _unknown(file: str, row: int, column: str, name: str, facts: ProjectFacts, spending: str) -> RowProblem:
    close = difflib.get_close_matches(name, sorted(facts.names), n=1, cutoff=0.75)
    hint = f"; did you mean {close[0]!r}?" if close else "; check the spelling"
    where = f"the spending table ({spending})" if facts.names else \
        f"the spending table, which names no project ({spending})"
    return RowProblem(file, row, column, name, f"is not a project of {where}{hint} This row is not used")


def _budget(name: str, recs: list, facts: ProjectFacts, spec: TableSpec,
            currency: str) -> tuple[int | None, str, list[RowProblem]]:
    """The project's total budget (cents), where it came from, and problems (disagreeing or missing budgets)."""
    file, problems = spec.display_name, []
    given = [(row, cents, text) for row, _, _, cents, text, _ in recs if cents is not None]
    if given:
        first_row_, cents, _ = given[0]
        for row, other, text in given[1:]:
            if other != cents:
                problems.append(RowProblem(file, row, spec.columns["budget"], text,
                                           f"differs from the budget {fmt.money_cents(cents, currency)} row "
                                           f"{first_row_} gives {name!r}; row {first_row_}'s is used"))
        budget, source = cents, "plans"
    else:
        budget, source = facts.budget_cents.get(name), "spending"
    if budget is None or budget <= 0:
        column = spec.columns.get("budget") or spec.columns["project"]
        had = "no budget" if budget is None else f"a budget of {fmt.money_cents(budget, currency)}"
        problems.append(RowProblem(file, min(r[0] for r in recs), column, None,
                                   f"project {name!r} has {had} (in the plan's budget column or, by default, its "
                                   "spending lines' budget), so no spend rate can be computed: its plan is not used; "
                                   "give [plans] a budget column (budget = \"...\") or the spending table a budget"))
        return None, source, problems
    return budget, source, problems


def _project(name: str, recs: list, seen: dict[int, int], facts: ProjectFacts, spec: TableSpec, amount_form: bool,
             currency: str) -> tuple[ProjectPlan | None, list[RowProblem]]:
    """One project's plan as a run of consecutive periods, and the problems its rows have."""
    file, period_col = spec.display_name, spec.columns["period"]
    value_col = spec.columns["planned_amount" if amount_form else "planned"]
    budget, source, problems = _budget(name, recs, facts, spec, currency)
    if budget is None:
        return None, problems
    first: dict[int, int] = {}
    kept: list[tuple[int, Period, Fraction]] = []
    top: tuple[Fraction, int, Period] | None = None
    for row, period, value, _, _, text in sorted(recs, key=lambda r: (r[1].ordinal, r[0])):
        if period.ordinal in first:
            problems.append(RowProblem(file, row, period_col, period.label,
                                       f"repeats {period.name} of {name!r} from row {first[period.ordinal]}; "
                                       f"row {first[period.ordinal]} is used, this row is not"))
            continue
        first[period.ordinal] = row
        rate = Fraction(value, budget) if amount_form else value
        if amount_form and rate > 1:
            problems.append(RowProblem(file, row, value_col, text,
                                       f"is {_percent(rate)} of the project's budget "
                                       f"({fmt.money_cents(budget, currency)}), above 100%; this row is not used"))
            continue
        if top is not None and rate < top[0]:
            problems.append(RowProblem(file, row, value_col, text,
                                       f"is below the {_percent(top[0])} planned by row {top[1]} ({top[2].name}); a "
                                       f"cumulative plan cannot go down: this row is not used and {period.name} "
                                       f"keeps {_percent(top[0])}"))
            continue
        top = (rate, row, period)
        kept.append((row, period, rate))
    if not kept:
        return None, problems
    steps: list[PlanStep] = []
    by_ordinal = {p.ordinal: (row, rate) for row, p, rate in kept}
    start, end = kept[0][1].ordinal, kept[-1][1].ordinal
    rate, row_before = Fraction(0), None
    for ordinal in range(start, end + 1):
        period = Period.from_ordinal(ordinal, kept[0][1].kind)
        row, now = by_ordinal.get(ordinal, (None, None))
        if now is not None:
            rate = max(rate, now)
        steps.append(PlanStep(period, rate, row))
    problems += _gaps(name, steps, seen, file, period_col)
    return ProjectPlan(project=name, department=facts.department.get(name, ""), budget_cents=budget,
                       budget_from=source, steps=tuple(steps), district_id=facts.district.get(name)), problems


def _gaps(name: str, steps: list[PlanStep], seen: dict[int, int], file: str, column: str) -> list[RowProblem]:
    """One problem per run of periods no row of the plan names, on the row after the gap."""
    problems: list[RowProblem] = []
    missing: list[Period] = []
    before = None
    for step in steps:
        row = seen.get(step.period.ordinal)
        if row is None:
            missing.append(step.period)
            continue
        if missing:
            span = missing[0].name if len(missing) == 1 else f"{missing[0].name} to {missing[-1].name}"
            keeps = "that period keeps" if len(missing) == 1 else "those periods keep"
            problems.append(RowProblem(file, row, column, None, f"the plan of {name!r} skips {span} (between rows "
                                       f"{before} and {row}); {keeps} the rate before it"))
            missing = []
        before = row
    return problems


def _setting_warnings(settings: PlanSettings, facts: ProjectFacts, plans: list[ProjectPlan]) -> list[str]:
    """Per-department tolerances naming no department, and a grace that leaves no room for amber."""
    out = []
    departments = sorted(set(facts.department.values()))
    for name, _ in settings.tolerance_by_department:
        if name not in departments:
            close = difflib.get_close_matches(name, departments, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            out.append(f"[plans.tolerance_by_department] names {name!r}, a department no project has{hint}")
    tolerances = [settings.tolerance, *(t for _, t in settings.tolerance_by_department)]
    if plans and settings.grace >= min(tolerances):
        out.append(f"[plans] grace = {float(settings.grace):g} is at least a tolerance "
                   f"({float(min(tolerances)):g}): no shortfall there is amber, only red")
    return out
