"""What the early-warning rules find, as typed values: the watch list's rows and the flags beside it.

Rates are fractions 0..1 and points are percentage points, as floats for people
and JSON; money is integer cents (``*_cents``), turned into the dataset's
currency only in ``to_dict`` (``shortfall``, ``budget``, ``spent``: numbers) and
in the notices (``budgetmap.fmt``). Every name and text is data, never markup.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budgetmap.model import Period


def _money(cents: int) -> float:
    return cents / 100


@dataclass(frozen=True)
class TrendPoint:
    """Planned against actual cumulative rate at the end of one period: a point of the small trend."""

    period: Period
    planned_rate: float
    actual_rate: float

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.period.year, "period": self.period.label, "planned_rate": self.planned_rate,
                "actual_rate": self.actual_rate}


@dataclass(frozen=True)
class ProjectFinding:
    """The project a finding is about, and where it is: district and, when its line items have one, a point."""

    project: str
    department: str
    district_id: str | None  # the default layer's district; None when its money is not in a district
    district_name: str
    point: tuple[float, float] | None  # (lon, lat)

    def _where(self) -> dict[str, Any]:
        return {"project": self.project, "department": self.department, "district": self.district_id,
                "district_name": self.district_name, "point": list(self.point) if self.point else None}


@dataclass(frozen=True)
class ProjectWarning(ProjectFinding):
    """A project behind its plan at the monitored period (rule ``behind_plan``)."""

    period: Period
    severity: str  # a key of budgetmap.monitor.rules.SEVERITIES
    planned_rate: float
    actual_rate: float
    shortfall_points: float  # planned - actual, in percentage points
    tolerance: float  # the points of shortfall up to which it is amber (the department's, or the dataset's)
    shortfall_cents: int  # shortfall rate x budget, to the cent
    budget_cents: int
    spent_cents: int
    periods_behind: int  # consecutive periods, ending with this one, behind plan
    series: tuple[TrendPoint, ...]  # from the plan's first period through this one

    def to_dict(self) -> dict[str, Any]:
        return self._where() | {
            "severity": self.severity, "planned_rate": self.planned_rate, "actual_rate": self.actual_rate,
            "shortfall_points": self.shortfall_points, "tolerance": self.tolerance,
            "shortfall": _money(self.shortfall_cents), "shortfall_cents": self.shortfall_cents,
            "budget": _money(self.budget_cents), "budget_cents": self.budget_cents,
            "spent": _money(self.spent_cents), "spent_cents": self.spent_cents,
            "periods_behind": self.periods_behind, "series": [p.to_dict() for p in self.series]}


@dataclass(frozen=True)
class OverBudget(ProjectFinding):
    """A project whose cumulative actual spending is above its total budget (rule ``over_budget``)."""

    budget_cents: int
    spent_cents: int

    @property
    def over_cents(self) -> int:
        return self.spent_cents - self.budget_cents

    @property
    def actual_rate(self) -> float:
        return self.spent_cents / self.budget_cents

    def to_dict(self) -> dict[str, Any]:
        return self._where() | {"budget": _money(self.budget_cents), "budget_cents": self.budget_cents,
                                "spent": _money(self.spent_cents), "spent_cents": self.spent_cents,
                                "over": _money(self.over_cents), "over_cents": self.over_cents,
                                "actual_rate": self.actual_rate}


@dataclass(frozen=True)
class Stale(ProjectFinding):
    """A project with plan periods that have ended but report no actual spending (rule ``stale``)."""

    periods: tuple[Period, ...]  # the ended periods, through the monitored one, with no actuals
    last_reported: Period | None  # the last period that does report actuals

    def to_dict(self) -> dict[str, Any]:
        last = self.last_reported
        return self._where() | {"periods": [{"year": p.year, "period": p.label} for p in self.periods],
                                "last_reported": {"year": last.year, "period": last.label} if last else None}


@dataclass(frozen=True)
class IndicatorWarning:
    """An indicator's in-year value on the wrong side of its path to the annual target (rule ``off_path``)."""

    indicator: str
    label: str
    unit: str
    department: str
    direction: str
    layer: str
    district_id: str | None  # None: the citywide figure
    district_name: str
    period: Period  # the period the value is for
    severity: str
    value: float
    path_value: float
    baseline: float
    target: float
    behind_points: float | None  # percentage points of the year's planned change; None: any miss (no change)
    tolerance: float

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "label": self.label, "unit": self.unit,
                "department": self.department, "direction": self.direction, "layer": self.layer,
                "district": self.district_id, "district_name": self.district_name,
                "year": self.period.year, "period": self.period.label, "severity": self.severity,
                "value": self.value, "path_value": self.path_value, "baseline": self.baseline,
                "target": self.target, "behind_points": self.behind_points, "tolerance": self.tolerance}


@dataclass(frozen=True)
class Unchecked:
    """An indicator with in-year values that cannot be set against a path, and why (no baseline, no target)."""

    indicator: str
    district_id: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "district": self.district_id, "reason": self.reason}
