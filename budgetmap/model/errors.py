"""The one error a dataset that cannot be opened raises, owned by the model.

Loaders raise it with a message naming file, row and column; the CLI, the pages
and the exports catch it and show the message, never a traceback. It lives here
(not in ``loaders``) so the domain can catch it without importing a loader.
"""
from __future__ import annotations

from budgetmap.model.report import RowProblem


class LoadError(Exception):
    """A file cannot be loaded at all; the message names file, row, column."""

    def __init__(self, message: str, problem: RowProblem | None = None):
        super().__init__(message)
        self.message = message
        self.problem = problem

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple:
        """Pickle message and problem: a load run in another process (loaders.sandbox) sends it back whole."""
        return type(self), (self.message, self.problem)
