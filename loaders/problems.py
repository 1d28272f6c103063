"""Problems found while loading: one rejected cell (RowProblem) or a whole file (LoadError).

A data steward fixes a file from the message alone, so every problem names the
file as the manifest gives it, the spreadsheet row (header = row 1), the column,
the value and why it was refused (docs/architecture.md, "Rows and columns in
messages").
"""
from __future__ import annotations

from budgetmap.model.errors import LoadError
from budgetmap.model.report import RowProblem

__all__ = ["LoadError", "RowProblem"]
