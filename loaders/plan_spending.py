"""What the spending table says about planned projects: names, departments, districts, budgets.

A plan only names a project; its department, district and (by default) its total
budget come from the project's line items, read through the ledger like every
other question about money. The notes say which actual spending of planned
projects no spend rate can count (a line with no period, one before its plan
starts), so every dollar is either in a rate or listed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from budgetmap import fmt
from budgetmap.model import Ledger, SpendingQuery
from budgetmap.model.ledger import primary_amount
from budgetmap.model.plans import ProjectPlan, spending_period


@dataclass
class ProjectFacts:
    """Per project of the spending table: department, district and budget (cents) where it has them."""

    names: set[str] = field(default_factory=set)
    department: dict[str, str] = field(default_factory=dict)
    district: dict[str, str] = field(default_factory=dict)
    budget_cents: dict[str, int] = field(default_factory=dict)


def _largest(groups: dict[str, dict[str, int]]) -> dict[str, str]:
    """For each project, the value holding most of its money (by size; ties: the first in text order)."""
    return {project: min(values, key=lambda v: (-abs(values[v]), v)) for project, values in groups.items()}


def project_facts(ledger: Ledger, layer: str) -> ProjectFacts:
    """Departments, districts (of ``layer``) and budget totals of every project the spending table names."""
    facts = ProjectFacts(names=set(ledger.categories("project")))
    if not facts.names:
        return facts
    amount = primary_amount(ledger)
    departments: dict[str, dict[str, int]] = defaultdict(dict)
    for project, department, cents in _sums(ledger, SpendingQuery(amount=amount), ("project", "department")):
        departments[project][department] = cents
    facts.department = _largest(departments)
    districts: dict[str, dict[str, int]] = defaultdict(dict)
    query = SpendingQuery(amount=amount, layer=layer)
    for project, district, location, cents in _sums(ledger, query, ("project", "district_id", "location")):
        if location == "district":
            districts[project][str(district)] = cents
    facts.district = _largest(districts)
    if ledger.has("budget_cents"):
        facts.budget_cents = {p: c for p, c in _sums(ledger, SpendingQuery(amount="budget_cents"), ("project",))}
    return facts


def _sums(ledger: Ledger, query: SpendingQuery, by: tuple[str, ...]) -> list[tuple]:
    """Rows of (by..., cents) for line items that name a project."""
    frame = ledger.sums(query, by)
    columns = [frame[c].tolist() for c in by] + [list(frame["cents"])]
    return [(*keys[:-1], int(keys[-1])) for keys in zip(*columns) if keys[0]]


def uncounted_notes(ledger: Ledger, plans: list[ProjectPlan], kind: str, year_start: int,
                    currency: str) -> list[str]:
    """Notes on actual spending of planned projects that no spend rate counts, with the money it carries."""
    if not plans or not ledger.has("actual_cents"):
        return ["the spending table has no actual amounts: every planned project shows 0% spent"] if plans else []
    by_name = {p.project: p for p in plans}
    frame = ledger.sums(SpendingQuery(amount="actual_cents"), ("project", "fiscal_year", "period"))
    left: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # why -> [lines, cents]
    for project, year, text, cents, rows in zip(frame["project"], frame["fiscal_year"], frame["period"],
                                                frame["cents"], frame["rows"]):
        plan = by_name.get(project)
        if plan is None:
            continue
        period, why = spending_period(int(year), str(text), kind, year_start)
        if period is not None and period.ordinal < plan.first.ordinal:
            why = "before"
        if why:
            left[why][0] += int(rows)
            left[why][1] += int(cents)
    words = {"no period": "have no period", "not a period": "have a period that is not one (see the spending table)",
             "coarser": "give a quarter where the plans are monthly", "before": "fall before their plan's first period"}
    return [f"{lines:,} spending line(s) of planned projects {words[why]}, carrying "
            f"{fmt.money_cents(cents, currency)} actual: spend rates do not count them"
            for why, (lines, cents) in left.items()]
