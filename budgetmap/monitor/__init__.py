"""Early warning: spending against plan and indicators against their in-year path (no Streamlit).

The public API, for the command line (``python -m budgetmap warnings``) and the
monitoring page::

    from budgetmap import monitor
    monitor.monitored_periods(dataset)        # [Period(2021, 1), ..., Period(2025, 4)]
    monitor.latest_period(dataset)            # the last period ended by as_of
    period = monitor.find_period(dataset, 2025, "Q2")   # PeriodError lists the valid ones
    found = monitor.watch(dataset, period, departments=("Parks & Recreation",), severities=("red",))
    found.warnings        # ProjectWarning, red first: planned_rate, actual_rate, shortfall_cents, series...
    found.over_budget, found.stale, found.indicators     # flags of their own
    monitor.notices(found)                    # one plain-text Notice per department
    found.to_dict()                           # the JSON document of `warnings --json`

The rules are one registry, ``monitor.RULES`` (``budgetmap/monitor/rules.py``),
with the severities in ``monitor.SEVERITIES``; definitions and edges are in
docs/architecture.md ("Early warning") and docs/reference.md.
"""
from budgetmap.monitor.findings import (IndicatorWarning, OverBudget, ProjectFinding, ProjectWarning, Stale,
                                        TrendPoint, Unchecked)
from budgetmap.monitor.notices import Notice, notice, notices
from budgetmap.monitor.progress import latest_period, monitored_periods, project_states
from budgetmap.monitor.paths import indicator_states
from budgetmap.monitor.rules import RULES, SEVERITIES, Rule, Severity, severity
from budgetmap.monitor.watch import PeriodError, Watch, find_period, watch

__all__ = ["RULES", "SEVERITIES", "IndicatorWarning", "Notice", "OverBudget", "PeriodError", "ProjectFinding",
           "ProjectWarning", "Rule", "Severity", "Stale", "TrendPoint", "Unchecked", "Watch", "find_period",
           "indicator_states", "latest_period", "monitored_periods", "notice", "notices", "project_states",
           "severity", "watch"]
