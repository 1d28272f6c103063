"""Per-department notices in plain language, the text a finance office sends to each unit.

"Parks & Recreation: 2 projects behind plan at FY2025 Q2: Sandbar Community
Center (red, 26 points behind, $1,234,567 short), ..." followed by the flags
(over budget, no actuals reported, indicators off their path). Plain text:
names are data, never markup, and line breaks or control characters inside a
name become spaces, so each notice stays one line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from budgetmap import fmt
from budgetmap.model import Period
from budgetmap.monitor.findings import IndicatorWarning, OverBudget, ProjectWarning, Stale


class Findings(Protocol):
    """What a notice reads of a watch list (``budgetmap.monitor.watch.Watch``, which writes notices into its JSON)."""

    period: Period
    currency: str
    warnings: tuple[ProjectWarning, ...]
    over_budget: tuple[OverBudget, ...]
    stale: tuple[Stale, ...]
    indicators: tuple[IndicatorWarning, ...]

    def departments(self) -> list[str]: ...

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
NO_DEPARTMENT = "(no department)"


@dataclass(frozen=True)
class Notice:
    """One department's notice at one period."""

    department: str
    text: str


def plain(text: str) -> str:
    """A name on one line: control characters and line breaks become single spaces."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def points(value: float) -> str:
    """Points as people say them: "26", "7.5" (one decimal, none when whole)."""
    return fmt.number(value, 1)


def _plural(n: int, word: str) -> str:
    return fmt.plural(n, word)


def _indicator(w: IndicatorWarning) -> str:
    where = plain(w.district_name or w.district_id or "citywide")
    how = f"{points(w.behind_points)} points of the year's change behind" if w.behind_points is not None else "behind"
    return f"{plain(w.label)} in {where} ({w.severity}, {how} its path at {w.period.label})"


def notice(watch: Findings, department: str) -> Notice:
    """The notice for one department (which should have a finding at the watch's period)."""
    def mine(items: tuple) -> list:
        return [f for f in items if f.department == department]

    name = plain(department) or NO_DEPARTMENT
    at, money = watch.period.name, watch.currency
    behind = mine(watch.warnings)
    if behind:
        listed = ", ".join(f"{plain(w.project)} ({w.severity}, {points(w.shortfall_points)} points behind, "
                           f"{fmt.money(w.shortfall_cents / 100, money)} short)" for w in behind)
        parts = [f"{name}: {_plural(len(behind), 'project')} behind plan at {at}: {listed}."]
    else:
        parts = [f"{name}: no project behind plan at {at}."]
    over = mine(watch.over_budget)
    if over:
        parts.append("Over budget: " + ", ".join(
            f"{plain(f.project)} ({fmt.money(f.over_cents / 100, money)} over)" for f in over) + ".")
    stale = mine(watch.stale)
    if stale:
        parts.append("No actuals reported: " + ", ".join(
            f"{plain(f.project)} ({', '.join(p.name for p in f.periods)})" for f in stale) + ".")
    paths = mine(watch.indicators)
    if paths:
        parts.append(f"{_plural(len(paths), 'indicator')} off its in-year path: "
                     + ", ".join(_indicator(w) for w in paths) + ".")
    return Notice(department, " ".join(parts))


def notices(watch: Findings) -> list[Notice]:
    """One notice per department with any finding, by department name."""
    return [notice(watch, d) for d in watch.departments()]
