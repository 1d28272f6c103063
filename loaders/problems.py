"""Problems found while loading: one rejected cell (RowProblem) or a whole file (LoadError).

A data steward fixes a file from the message alone, so every problem names the
file as the manifest gives it, the spreadsheet row (header = row 1), the column,
the value and why it was refused (docs/architecture.md, "Rows and columns in
messages").
"""
from __future__ import annotations

from dataclasses import dataclass


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


class LoadError(Exception):
    """A file cannot be loaded at all; the message names file, row, column."""

    def __init__(self, message: str, problem: RowProblem | None = None):
        super().__init__(message)
        self.message = message
        self.problem = problem

    def __str__(self) -> str:
        return self.message
