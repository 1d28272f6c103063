"""The early-warning rules: one registry the monitor, the CLI, the docs, the tests and the page read.

Each ``Rule`` is a pure function of a state (``budgetmap.monitor.states``) that
returns a finding or None, and names the field of ``Watch`` (and the key of
``warnings --json``) its findings go to. Adding a rule here adds it to the
command's output and, through tests/test_registries.py, demands its line in
docs/reference.md ("Early-warning rules").

Edges, exactly (rates and points are fractions, never floats): a shortfall of
at most ``grace`` points is on plan; above grace and at most ``tolerance`` is
amber; above ``tolerance`` is red. So with tolerance 10, exactly 10 points
behind is amber and 10.01 is red; with grace 5, exactly 5 points is on plan.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from budgetmap.monitor.findings import IndicatorWarning, OverBudget, ProjectWarning, Stale, TrendPoint
from budgetmap.monitor.states import IndicatorState, ProjectState


@dataclass(frozen=True)
class Severity:
    """How bad a shortfall is; ``rank`` orders the watch list (0 first)."""

    key: str
    label: str
    rank: int
    meaning: str


SEVERITIES: dict[str, Severity] = {s.key: s for s in (
    Severity("red", "Red", 0, "more than the tolerance behind"),
    Severity("amber", "Amber", 1, "behind by more than the grace, at most the tolerance"),
)}


def severity(points: Fraction | None, tolerance: Fraction, grace: Fraction) -> str | None:
    """None (on plan) when ``points`` behind is at most ``grace``; amber up to ``tolerance``; red beyond.

    ``points`` None means "behind, by an amount with no scale" (an indicator whose
    target is zero and unchanged): red.
    """
    if points is None:
        return "red"
    if points <= grace:
        return None
    return "amber" if points <= tolerance else "red"


def cents_half_up(value: Fraction) -> int:
    """Round a non-negative amount of cents to a whole cent, halves up (a shortfall "to the cent")."""
    return math.floor(value + Fraction(1, 2))


def _where(state: ProjectState) -> dict[str, Any]:
    plan = state.plan
    return {"project": plan.project, "department": plan.department, "district_id": plan.district_id,
            "district_name": state.district_name, "point": state.point}


def behind_plan(state: ProjectState) -> ProjectWarning | None:
    """Spend rate below the planned rate by more than the grace: amber within the tolerance, red beyond."""
    points = state.shortfall_points()
    level = severity(points, state.tolerance, state.grace)
    if level is None:
        return None
    streak = 0
    for step in reversed(state.steps):
        if severity(state.shortfall_points(step), state.tolerance, state.grace) is None:
            break
        streak += 1
    plan, now = state.plan, state.now
    return ProjectWarning(
        **_where(state), period=now.period, severity=level, planned_rate=float(now.planned),
        actual_rate=float(state.actual()), shortfall_points=float(points), tolerance=float(state.tolerance),
        shortfall_cents=cents_half_up(now.planned * plan.budget_cents - now.spent_cents),
        budget_cents=plan.budget_cents, spent_cents=now.spent_cents, periods_behind=streak,
        series=tuple(TrendPoint(s.period, float(s.planned), float(state.actual(s))) for s in state.steps))


def over_budget(state: ProjectState) -> OverBudget | None:
    """Cumulative actual spending above the project's total budget."""
    if state.now.spent_cents <= state.plan.budget_cents:
        return None
    return OverBudget(**_where(state), budget_cents=state.plan.budget_cents, spent_cents=state.now.spent_cents)


def stale(state: ProjectState) -> Stale | None:
    """Plan periods through the monitored one that ended by the as-of date with no actual spending reported."""
    missing = tuple(s.period for s in state.steps if s.ended and not s.reported)
    if not missing:
        return None
    last = next((s.period for s in reversed(state.steps) if s.reported), None)
    return Stale(**_where(state), periods=missing, last_reported=last)


def off_path(state: IndicatorState) -> IndicatorWarning | None:
    """An in-year value on the wrong side of its path (given the indicator's direction), by the same edges."""
    points = state.behind_points()
    if points is not None and points <= 0:
        return None
    level = severity(points, state.tolerance, state.grace)
    if level is None:
        return None
    meta = state.meta
    return IndicatorWarning(
        indicator=meta.key, label=meta.label, unit=meta.unit, department=meta.department,
        direction=meta.direction, layer=state.layer, district_id=state.district_id,
        district_name=state.district_name, period=state.period, severity=level, value=float(state.value),
        path_value=float(state.path_value), baseline=float(state.baseline), target=float(state.target),
        behind_points=None if points is None else float(points), tolerance=float(state.tolerance))


@dataclass(frozen=True)
class Rule:
    """One rule: what it looks at, where its findings go, and the rule in words (for the docs)."""

    key: str
    label: str
    subject: str  # "project" (a ProjectState) or "indicator" (an IndicatorState)
    output: str  # the Watch field and the `warnings --json` key its findings go to
    when: str
    check: Callable[[Any], Any]


RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("behind_plan", "Behind plan", "project", "warnings",
         "spend rate below the planned cumulative rate by more than the grace; amber up to the tolerance, red "
         "beyond", behind_plan),
    Rule("over_budget", "Over budget", "project", "over_budget",
         "cumulative actual spending above the project's total budget", over_budget),
    Rule("stale", "No actuals reported", "project", "stale",
         "a plan period that ended by the dataset's as_of date with no actual spending reported for it", stale),
    Rule("off_path", "Off its in-year path", "indicator", "indicators",
         "an in-year indicator value on the wrong side of its path to the annual target, by the same edges "
         "(points of the year's planned change)", off_path),
)}
