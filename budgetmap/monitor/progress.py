"""Actual spending of planned projects period by period, the periods a dataset can be monitored at, and states.

Actuals are read through the ledger (one group-by of actual cents per project,
fiscal year and period), placed into the plans' periods (a month into its
quarter), and kept per dataset: the line items of a loaded dataset never change.
"""
from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date

from budgetmap.model import Dataset, Period, Plans, SpendingQuery
from budgetmap.model.periods import as_of_date
from budgetmap.model.plans import spending_period
from budgetmap.monitor.states import ProjectState, StepState

#: project -> period ordinal -> (actual cents, line items reporting it)
Actuals = dict[str, dict[int, tuple[int, int]]]
_CACHE: dict[int, tuple[weakref.ref, Actuals]] = {}
_LOCK = threading.Lock()


def actuals(dataset: Dataset) -> Actuals:
    """Actual cents and line items per planned project and plan period (computed once per dataset)."""
    with _LOCK:
        found = _CACHE.get(id(dataset))
        if found is not None and found[0]() is dataset:
            return found[1]
    made = _actuals(dataset)
    with _LOCK:
        _CACHE[id(dataset)] = (weakref.ref(dataset), made)
    weakref.finalize(dataset, _CACHE.pop, id(dataset), None)
    return made


def _actuals(dataset: Dataset) -> Actuals:
    plans = dataset.plans
    out: Actuals = defaultdict(dict)
    if plans is None or not plans.projects or not dataset.ledger.has("actual_cents"):
        return dict(out)
    names = {p.project for p in plans.projects}
    frame = dataset.ledger.sums(SpendingQuery(amount="actual_cents"), ("project", "fiscal_year", "period"))
    for project, year, text, cents, rows in zip(frame["project"], frame["fiscal_year"], frame["period"],
                                                frame["cents"], frame["rows"]):
        if project not in names:
            continue
        period, _ = spending_period(int(year), str(text), plans.kind, plans.settings.year_start)
        if period is not None:
            had = out[project].get(period.ordinal, (0, 0))
            out[project][period.ordinal] = (had[0] + int(cents), had[1] + int(rows))
    return dict(out)


def _span(plans: Plans) -> Iterator[Period]:
    first, last = plans.span() or (None, None)
    if first is None or last is None:
        return iter(())
    return (Period.from_ordinal(o, plans.kind) for o in range(first.ordinal, last.ordinal + 1))


def latest_period(dataset: Dataset) -> Period | None:
    """The latest monitored period: the last plan period ended by ``as_of``; without a date, the last with actuals."""
    plans = dataset.plans
    if plans is None or not plans.projects:
        return None
    cutoff = as_of_date(dataset.as_of)
    if cutoff is not None:
        ended = [p for p in _span(plans) if p.ends(plans.settings.year_start) <= cutoff]
        return ended[-1] if ended else None
    reported = {o for by_period in actuals(dataset).values() for o, (_, rows) in by_period.items() if rows}
    inside = [p for p in _span(plans) if p.ordinal in reported]
    return inside[-1] if inside else None


def monitored_periods(dataset: Dataset) -> list[Period]:
    """Every period from the first plan period through the latest one, oldest first (empty: nothing to monitor)."""
    latest = latest_period(dataset)
    if latest is None or dataset.plans is None:
        return []
    return [p for p in _span(dataset.plans) if p.ordinal <= latest.ordinal]


def _ended(plans: Plans, cutoff: date | None, latest: Period | None) -> Callable[[Period], bool]:
    """Whether a period had ended by the as-of date (without a date: by the latest period with actuals)."""
    year_start = plans.settings.year_start
    if cutoff is not None:
        return lambda p: p.ends(year_start) <= cutoff
    return lambda p: latest is not None and p.ordinal <= latest.ordinal


def project_states(dataset: Dataset, period: Period) -> list[ProjectState]:
    """Every project monitored at ``period`` (its plan's first through last period), in plan order."""
    plans = dataset.plans
    if plans is None:
        return []
    spent = actuals(dataset)
    ended = _ended(plans, as_of_date(dataset.as_of), latest_period(dataset))
    names = _district_names(dataset)
    points = _points(dataset)
    out = []
    for plan in plans.projects:
        if not plan.covers(period):
            continue
        mine, total, steps = spent.get(plan.project, {}), 0, []
        for step in plan.steps[: period.ordinal - plan.first.ordinal + 1]:
            cents, rows = mine.get(step.period.ordinal, (0, 0))
            total += cents
            steps.append(StepState(step.period, step.planned, total, rows > 0, ended(step.period)))
        out.append(ProjectState(plan=plan, steps=tuple(steps), district_name=names.get(plan.district_id, ""),
                                point=points.get(plan.project), tolerance=plans.settings.tolerance_for(plan.department),
                                grace=plans.settings.grace))
    return out


def _district_names(dataset: Dataset) -> dict[str | None, str]:
    """The default layer's display labels: a name two districts share must not make two warnings look alike."""
    return dict(dataset.layer().labels)


def _points(dataset: Dataset) -> dict[str, tuple[float, float]]:
    """The first located line item of each project, as (lon, lat) rounded to 1e-6 degrees."""
    points = dataset.points
    if points is None or not len(points):
        return {}
    out: dict[str, tuple[float, float]] = {}
    for project, geometry in zip(points["project"], points.geometry):
        if project and project not in out and geometry is not None and not geometry.is_empty:
            out[str(project)] = (round(float(geometry.x), 6), round(float(geometry.y), 6))
    return out
