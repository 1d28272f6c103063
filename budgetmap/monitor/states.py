"""What the rules look at: one project (or one indicator in one district) at one monitored period.

States are built from the dataset by ``budgetmap.monitor.progress`` and
``budgetmap.monitor.paths`` and hold exact numbers (integer cents, fractions),
so each rule in ``budgetmap.monitor.rules`` is a small pure function of a state
and an edge of the tolerance falls where the docs say.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from budgetmap.model import IndicatorMeta, Period, ProjectPlan


@dataclass(frozen=True)
class StepState:
    """One period of a project's plan up to the monitored one: planned rate, money spent so far."""

    period: Period
    planned: Fraction  # cumulative planned rate, 0..1
    spent_cents: int  # cumulative actual spending from the plan's first period through this one
    reported: bool  # whether any line item reports actual spending for this period
    ended: bool  # whether the period had ended by the dataset's as-of date


@dataclass(frozen=True)
class ProjectState:
    """A monitored project at ``steps[-1].period``, with where it is and the tolerance that applies."""

    plan: ProjectPlan
    steps: tuple[StepState, ...]  # from the plan's first period through the monitored one
    district_name: str
    point: tuple[float, float] | None  # (lon, lat) of the project's located line items, if any
    tolerance: Fraction  # percentage points
    grace: Fraction  # percentage points

    @property
    def now(self) -> StepState:
        return self.steps[-1]

    def actual(self, step: StepState | None = None) -> Fraction:
        """Spend rate at the end of a step (the monitored one by default): spent / total budget."""
        return Fraction((step or self.now).spent_cents, self.plan.budget_cents)

    def shortfall_points(self, step: StepState | None = None) -> Fraction:
        """Planned minus actual rate, in percentage points (negative: ahead of plan)."""
        step = step or self.now
        return (step.planned - self.actual(step)) * 100


@dataclass(frozen=True)
class IndicatorState:
    """An indicator's latest in-year value in one district (or citywide) against its path to the annual target."""

    meta: IndicatorMeta
    layer: str
    district_id: str | None  # None: a citywide figure
    district_name: str
    period: Period  # the period the value was reported for
    value: Fraction
    baseline: Fraction  # where the path starts: last year's annual value, or 0 for a "sum" indicator
    target: Fraction  # the year's target, where the path ends by the year's last period
    share: Fraction  # how far along the path the period is (i / n, or the manifest's path)
    sign: int  # +1: higher is better, -1: lower is better
    tolerance: Fraction
    grace: Fraction

    @property
    def path_value(self) -> Fraction:
        return self.baseline + (self.target - self.baseline) * self.share

    def behind_points(self) -> Fraction | None:
        """How far on the wrong side of the path, in percentage points of the year's planned change.

        The change is |target - baseline|; when the target is the baseline, |target|.
        None when both are zero and the value is on the wrong side: any miss is then red.
        """
        behind = (self.path_value - self.value) * self.sign
        scale = abs(self.target - self.baseline) or abs(self.target)
        if scale == 0:
            return Fraction(0) if behind <= 0 else None
        return behind / scale * 100
