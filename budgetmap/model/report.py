"""The load report: what was read, what was used, what was refused and why.

A data steward trusts the map only if every row and every dollar is accounted
for, so the report is a first-class value: the app shows it, the CLI prints it
and ``to_dict`` is the machine-readable form behind ``check --json``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from budgetmap.model.money import Reconciliation


@dataclass(frozen=True)
class RowProblem:
    """One refused value; ``row``/``column`` are None when the problem is file-level.

    Not slotted on purpose: the load report serialises problems with ``__dict__``.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        """E.g. ``spending.csv, row 14, column 'cost': '12,3x' is not an amount``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        head = ", ".join(where)
        if self.value:  # an empty value is described by the reason ("the value is missing")
            return f"{head}: {self.value!r} {self.reason}"
        return f"{head}: {self.reason}"



#: How many problems are kept per table; the count beyond is still reported.
MAX_LISTED_PROBLEMS = 200


@dataclass
class TableReport:
    """Rows read, used and rejected (with reasons) for one input table."""

    table: str
    file: str
    rows_read: int = 0
    rows_used: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem_count: int = 0
    cells_missing: int = 0  # cells the manifest's ``missing`` list marks "not reported"
    #: what the rule finder needs to suggest ``match_also``: the (key, other column) pairs the reader
    #: saw (loaders.keypairs.KeyPairs); the reader's working note, not part of the report's dict
    key_pairs: Any = field(default=None, repr=False, compare=False)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_used

    def add_problems(self, problems: list[RowProblem]) -> None:
        """Keep the first problems in full and count the rest, so huge files stay readable."""
        self.problem_count += len(problems)
        room = MAX_LISTED_PROBLEMS - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_rejected": self.rows_rejected,
            "problems": [p.__dict__ | {"message": str(p)} for p in self.problems],
            "problem_count": self.problem_count,
            "notes": list(self.notes),
            "cells_missing": self.cells_missing,
        }


@dataclass(frozen=True)
class UnmatchedKey:
    """A key in a table that names no district, with the money or rows behind it."""

    table: str
    key: str
    rows: int
    amount_cents: int | None = None
    suggestion: str | None = None
    why: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"table": self.table, "key": self.key, "rows": self.rows,
                               "suggestion": self.suggestion, "why": self.why}
        if self.amount_cents is not None:
            out["amount"] = self.amount_cents / 100
        return out


@dataclass(frozen=True)
class SuggestedRule:
    """A join rule that would bring many unmatched keys onto the map at once (``loaders.rulefinder``)."""

    table: str
    description: str
    keys: int  # distinct keys it would match, counted after the suggestions before it
    amount_cents: int  # money those keys carry (0 for tables without money)
    rows: int
    rules: Mapping[str, Any]  # manifest key -> value, as the toml sets them
    toml: str  # merged key by key into the manifest, applies the rule
    currency: str | None = None
    examples: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``suggested_rules`` entry of ``check --json`` (amount in the dataset's currency)."""
        return {"table": self.table, "description": self.description, "keys": self.keys,
                "amount": self.amount_cents / 100, "amount_cents": self.amount_cents, "rows": self.rows,
                "toml": self.toml, "rules": dict(self.rules), "examples": list(self.examples)}


@dataclass(frozen=True)
class MissingDistrict:
    """A district that no row of a table refers to."""

    table: str
    district_id: str
    name: str
    suggestion: str | None = None
    why: str | None = None


@dataclass
class LoadReport:
    """Everything a steward needs to trust (or fix) one dataset."""

    dataset: str
    manifest: str
    tables: list[TableReport] = field(default_factory=list)
    unmatched: list[UnmatchedKey] = field(default_factory=list)
    missing: list[MissingDistrict] = field(default_factory=list)
    suggested_rules: list[SuggestedRule] = field(default_factory=list)
    reconciliation: "Reconciliation | None" = None
    warnings: list[str] = field(default_factory=list)
    engine: str = "pandas"  # which ledger holds the line items (budgetmap.sources)

    def table(self, name: str) -> TableReport | None:
        return next((t for t in self.tables if t.table == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "manifest": self.manifest,
            "tables": [t.to_dict() for t in self.tables],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "districts_without_data": [m.__dict__ for m in self.missing],
            "suggested_rules": [r.to_dict() for r in self.suggested_rules],
            "reconciliation": self.reconciliation.to_dict() if self.reconciliation else None,
            "warnings": list(self.warnings),
            "engine": self.engine,
        }
