"""Spending plans in the model: each capital project's planned cumulative spend rate, period by period.

The manifest's ``[plans]`` table is read by the loaders into these values; the
early-warning rules (``budgetmap.monitor``) set them against the actual spending
the ledger holds. Rates are exact fractions (``fractions.Fraction`` of the text
the file holds), never floats, so a shortfall of exactly 10 points is exactly
10 points and an edge of the tolerance falls on the side the docs say.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from budgetmap.model.periods import DEFAULT_YEAR_START, QUARTER, Period, parse_period

#: The default tolerance: a shortfall of more than this many percentage points is red.
DEFAULT_TOLERANCE = Fraction(10)


@dataclass(frozen=True)
class PlanStep:
    """One period of a project's plan: the cumulative share of its budget planned to be spent by its end."""

    period: Period
    planned: Fraction  # 0..1
    row: int | None = None  # the plan table's row; None for a period the plan skips (it keeps the rate before)


@dataclass(frozen=True)
class ProjectPlan:
    """A project's plan run from its first to its last period (every period in between present)."""

    project: str
    department: str  # from the spending table (the department holding most of the project's money)
    budget_cents: int  # the project's total budget: the plan's budget column, else spending's budget
    budget_from: str  # "plans" or "spending": where budget_cents came from
    steps: tuple[PlanStep, ...]
    district_id: str | None = None  # the default layer's district holding most of its money; None: not located

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"the plan of {self.project!r} has no periods")
        ordinals = [s.period.ordinal for s in self.steps]
        if ordinals != list(range(ordinals[0], ordinals[0] + len(ordinals))):
            raise ValueError(f"the plan of {self.project!r} must list every period from its first to its last")

    @property
    def first(self) -> Period:
        return self.steps[0].period

    @property
    def last(self) -> Period:
        return self.steps[-1].period

    def covers(self, period: Period) -> bool:
        """Whether the project is monitored at ``period``: from its plan's first through its last period."""
        return self.first.ordinal <= period.ordinal <= self.last.ordinal

    def planned_at(self, period: Period) -> Fraction:
        """The planned cumulative rate at the end of a covered period."""
        return self.steps[period.ordinal - self.first.ordinal].planned


@dataclass(frozen=True)
class PlanSettings:
    """How far behind counts as what, in percentage points of a project's budget (from ``[plans]``)."""

    tolerance: Fraction = DEFAULT_TOLERANCE  # amber up to this shortfall, red beyond
    grace: Fraction = Fraction(0)  # a shortfall up to this counts as on plan
    tolerance_by_department: tuple[tuple[str, Fraction], ...] = ()  # department -> its own tolerance
    year_start: int = DEFAULT_YEAR_START  # calendar month (1..12) a fiscal year starts in

    def tolerance_for(self, department: str) -> Fraction:
        """The department's own tolerance when the manifest sets one, else the dataset's."""
        return dict(self.tolerance_by_department).get(department, self.tolerance)


@dataclass(frozen=True)
class Plans:
    """Every usable project plan of a dataset, all of one kind of period (quarters or months)."""

    file: str  # the plan table as the manifest names it (for messages)
    kind: str = QUARTER
    projects: tuple[ProjectPlan, ...] = ()
    settings: PlanSettings = field(default_factory=PlanSettings)

    def project(self, name: str) -> ProjectPlan | None:
        return self._by_name.get(name)

    @property
    def _by_name(self) -> Mapping[str, ProjectPlan]:
        return {p.project: p for p in self.projects}

    def span(self) -> tuple[Period, Period] | None:
        """The first and last period of any plan; None when no plan is usable."""
        if not self.projects:
            return None
        return min(p.first for p in self.projects), max(p.last for p in self.projects)


def spending_period(year: int, text: str, kind: str, year_start: int = DEFAULT_YEAR_START) -> tuple[Period | None, str]:
    """The plan period (of ``kind``) a spending line of fiscal ``year`` and period ``text`` falls in.

    A month falls in its quarter; a quarter cannot be placed in a monthly plan.
    Returns (period, "") or (None, why): "no period", "not a period", "coarser".
    """
    parsed, reason = parse_period(text, year_start)
    if parsed is None:
        return None, "not a period" if reason else "no period"
    placed = Period(int(year), parsed[1], parsed[0]).within(kind)
    return (placed, "") if placed is not None else (None, "coarser")
