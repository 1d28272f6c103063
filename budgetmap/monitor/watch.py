"""The watch list at one monitored period: every rule of the registry over every monitored project and indicator.

``watch(dataset, period)`` is what the command line prints and what the
monitoring page shows; an earlier period replays the plans against the actual
spending reported through that period. Filters narrow what is shown: by
department (projects by their department, indicators by theirs) and by
severity (the behind-plan and off-path findings; the over-budget and stale flags
have no severity and are kept).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from budgetmap.model import Dataset, Period, PlanSettings
from budgetmap.model.periods import DEFAULT_YEAR_START, PER_YEAR, parse_period
from budgetmap.model.years import fiscal_year_of_label
from budgetmap.monitor.findings import IndicatorWarning, OverBudget, ProjectWarning, Stale, Unchecked
from budgetmap.monitor.notices import notices
from budgetmap.monitor.paths import indicator_states
from budgetmap.monitor.progress import monitored_periods, project_states
from budgetmap.monitor.rules import RULES, SEVERITIES


class PeriodError(ValueError):
    """A period the dataset cannot be monitored at; the message lists the ones it can."""


@dataclass(frozen=True)
class Watch:
    """What the rules found at one period. Field names are the rules' ``output`` keys (``RULES``)."""

    dataset: str
    currency: str
    period: Period
    settings: PlanSettings
    as_of: str = ""
    warnings: tuple[ProjectWarning, ...] = ()  # behind plan, red first, then by shortfall
    over_budget: tuple[OverBudget, ...] = ()
    stale: tuple[Stale, ...] = ()
    indicators: tuple[IndicatorWarning, ...] = ()
    indicators_unchecked: tuple[Unchecked, ...] = field(default=())
    monitored: int = 0  # projects monitored at this period (their plan runs through it)

    def counts(self) -> dict[str, int]:
        """Warnings per severity, and the number of each flag: what the home page shows."""
        out = {key: sum(w.severity == key for w in self.warnings) for key in SEVERITIES}
        return out | {rule.output: len(getattr(self, rule.output)) for rule in RULES.values()
                      if rule.output != "warnings"}

    def departments(self) -> list[str]:
        """Departments with any finding, sorted."""
        names = {f.department for f in (*self.warnings, *self.over_budget, *self.stale, *self.indicators)}
        return sorted(names)

    def to_dict(self) -> dict[str, Any]:
        """The ``warnings --json`` document (``year``, ``period``, ``warnings`` and a key per flag)."""
        settings = self.settings
        out: dict[str, Any] = {
            "dataset": self.dataset, "currency": self.currency, "year": self.period.year,
            "period": self.period.label, "period_name": self.period.name, "as_of": self.as_of,
            "tolerance": float(settings.tolerance), "grace": float(settings.grace),
            "tolerance_by_department": {k: float(v) for k, v in settings.tolerance_by_department},
            "monitored": self.monitored, "counts": self.counts()}
        for rule in RULES.values():
            out[rule.output] = [f.to_dict() for f in getattr(self, rule.output)]
        out["indicators_unchecked"] = [u.to_dict() for u in self.indicators_unchecked]
        out["notices"] = [{"department": n.department, "text": n.text} for n in notices(self)]
        return out


def find_period(dataset: Dataset, year: int | str | None = None, period: str | None = None) -> Period:
    """The monitored period a year and period name (the latest when both are None; the year's last when no period).

    Raises PeriodError naming the periods the dataset can be monitored at.
    """
    periods = monitored_periods(dataset)
    if not periods:
        raise PeriodError(_nothing(dataset))
    fiscal = fiscal_year_of_label(str(year)) if year is not None else periods[-1].year
    if fiscal is None:
        raise PeriodError(f"{year!r} is not a fiscal year; {_listing(periods)}")
    if period is None:
        inside = [p for p in periods if p.year == fiscal]
        if not inside:
            raise PeriodError(f"FY{fiscal} is not monitored; {_listing(periods)}")
        return inside[-1]
    parsed, reason = parse_period(period, dataset.plans.settings.year_start if dataset.plans else DEFAULT_YEAR_START)
    if parsed is None:
        raise PeriodError(f"{period!r} {reason or 'is not a period'}; {_listing(periods)}")
    wanted = Period(fiscal, parsed[1], parsed[0])
    if wanted not in periods:
        raise PeriodError(f"{wanted.name} is not a monitored period; {_listing(periods)}")
    return wanted


def _listing(periods: Sequence[Period]) -> str:
    kind = periods[0].kind
    plural = "quarters" if kind == "quarter" else "months"
    last = PER_YEAR[kind]
    return (f"the dataset can be monitored at {periods[0].name} through {periods[-1].name} "
            f"({len(periods)} {plural}, --period {'Q1..Q4' if last == 4 else 'M01..M12'})")


def _nothing(dataset: Dataset) -> str:
    if dataset.plans is None:
        return "the dataset has no plans: add a [plans] table to the manifest (docs/architecture.md, Early warning)"
    if not dataset.plans.projects:
        return f"no plan in {dataset.plans.file} can be used; `check` lists why"
    return (f"no plan period has ended by the dataset's as_of ({dataset.as_of or 'not stated'}) or reports "
            "actuals, so there is no period to monitor yet")


def watch(dataset: Dataset, period: Period | None = None, departments: Sequence[str] = (),
          severities: Sequence[str] = ()) -> Watch:
    """Run every rule at ``period`` (default: the latest monitored one); filters as in the module's doc."""
    periods = monitored_periods(dataset)
    if not periods:
        raise PeriodError(_nothing(dataset))
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise PeriodError(f"{period.name} is not a monitored period; {_listing(periods)}")
    found: dict[str, list[Any]] = {rule.output: [] for rule in RULES.values()}
    projects = project_states(dataset, period)
    paths, unchecked = indicator_states(dataset, period)
    subjects = {"project": projects, "indicator": paths}
    for rule in RULES.values():
        for state in subjects[rule.subject]:
            finding = rule.check(state)
            if finding is not None:
                found[rule.output].append(finding)
    chosen = set(departments)
    wanted = set(severities)
    for output, items in found.items():
        items[:] = [f for f in items if (not chosen or f.department in chosen)
                    and (not wanted or getattr(f, "severity", None) is None or f.severity in wanted)]
        items.sort(key=_order)
    settings = dataset.plans.settings if dataset.plans is not None else PlanSettings()
    return Watch(dataset=dataset.name, currency=dataset.currency, period=period, settings=settings,
                 as_of=dataset.as_of, indicators_unchecked=tuple(unchecked), monitored=len(projects),
                 **{output: tuple(items) for output, items in found.items()})


def _order(finding: Any) -> tuple:
    """Red first, then the largest shortfall, then by name."""
    rank = SEVERITIES[finding.severity].rank if hasattr(finding, "severity") else 0
    if isinstance(finding, IndicatorWarning):
        size = float("inf") if finding.behind_points is None else finding.behind_points
    else:
        size = getattr(finding, "shortfall_points", 0.0)
    name = getattr(finding, "project", None) or getattr(finding, "indicator", "")
    return rank, -size, name, getattr(finding, "district_id", None) or ""
