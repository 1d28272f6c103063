"""The ``[plans]`` section: its defaults, and the combinations of keys a schema cannot check.

A plan table written like the demo city's (``project,fiscal_year,quarter,
planned_cumulative_rate``) needs no column keys at all: the defaults below name
those columns, so a manifest that gives only ``path`` keeps working. Checked
before any file is opened, like every section (loaders.manifest).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from budgetmap.model.plans import DEFAULT_TOLERANCE, PlanSettings
from budgetmap.model.periods import DEFAULT_YEAR_START
from loaders.problems import LoadError

#: Column keys of [plans] and the column each names when the manifest does not say.
DEFAULT_COLUMNS = {"project": "project", "year": "fiscal_year", "period": "quarter"}
DEFAULT_PLANNED = "planned_cumulative_rate"


def check_plan_table(manifest: str, table: dict[str, Any]) -> dict[str, Any]:
    """The table with its default columns filled in; LoadError for keys that contradict each other.

    Types were checked against the schema (loaders.manifest_keys) before this runs.
    """
    where = f"{manifest}: [plans]"
    if "planned" in table and "planned_amount" in table:
        raise LoadError(f"{where} has both 'planned' (a rate column) and 'planned_amount' (a money column); "
                        "keep the one the file has")
    if "planned_unit" in table and "planned_amount" in table:
        raise LoadError(f"{where} 'planned_unit' describes 'planned' rates; 'planned_amount' is money: remove "
                        "planned_unit")
    out = {**{k: v for k, v in DEFAULT_COLUMNS.items() if k not in table}, **table}
    if "planned_amount" not in out:
        out.setdefault("planned", DEFAULT_PLANNED)
    return out


def points(value: float | int) -> Fraction:
    """Percentage points from TOML as an exact fraction of what is written (10.1 is 101/10, not a float's binary)."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def plan_settings(options: dict[str, Any]) -> PlanSettings:
    """Tolerance, grace, per-department tolerances and the fiscal year's first month, from [plans]."""
    by_department = tuple((name, points(v)) for name, v in options.get("tolerance_by_department", {}).items())
    return PlanSettings(tolerance=points(options["tolerance"]) if "tolerance" in options else DEFAULT_TOLERANCE,
                        grace=points(options.get("grace", 0)), tolerance_by_department=by_department,
                        year_start=int(options.get("year_start", DEFAULT_YEAR_START)))
