"""A manifest's column names against a table's: the message when one is missing.

The commonest mistake in a new manifest is a column name spelt as the steward
remembers it rather than as the file has it; the message names the manifest key
that set it, the closest real column and, for a workbook read from its first
sheet, the other sheets.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from loaders.problems import LoadError, RowProblem


def require_columns(frame: pd.DataFrame, columns: Mapping[str, str], *, file: str,
                    section: str | None = None, noun: str = "file") -> None:
    """Fail early, naming the manifest key and the closest real column, when one is absent.

    ``columns`` maps manifest key -> file column; empty values (key unset) are skipped.
    With ``section="spending"`` the message says ``spending.district``; ``noun``
    says what lacks the column ("file", or "table" for a database).
    """
    present = [str(c) for c in frame.columns if c != "source_row"]  # the loader's own row numbers
    missing = [(k, v) for k, v in columns.items() if isinstance(v, str) and v and v not in present]
    if not missing:
        return
    parts = [f"{col!r} (set by {section + '.' if section else ''}{key} in the manifest)" for key, col in missing]
    hints = [f" Did you mean {guess!r}{f' for {col!r}' if len(missing) > 1 else ''}?"
             for _, col in missing if (guess := suggest(col, present))]
    one = len(missing) == 1
    sheets = frame.attrs.get("sheets") or ()
    if len(sheets) > 1:  # the first sheet was read, and it may be notes: say so, and how to choose
        hints.append(f" The workbook has {len(sheets)} sheets ({', '.join(map(repr, sheets))}) and the first was "
                     f"read: name the one holding the table with sheet = \"...\" under [{section or 'its table'}].")
    elif not hints:
        hints.append(f" Set the manifest key to one of these columns, or rename the column in the {noun}.")
    raise LoadError(f"{file}: {'column' if one else 'columns'} {', '.join(parts)} {'is' if one else 'are'} "
                    f"not in the {noun}; columns are: {listing(present)}." + "".join(hints),
                    RowProblem(file, None, missing[0][1], None, f"is not in the {noun}"))


def suggest(wanted: str, present: Sequence[str]) -> str | None:
    """The same name up to case, spaces and punctuation first, else the closest spelling."""
    def norm(s: str) -> str:
        return re.sub(r"[\W_]+", "", s.casefold())
    same = [p for p in present if norm(p) == norm(wanted)]
    if same:
        return same[0]
    folded = {p.casefold(): p for p in reversed(present)}
    close = difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def listing(columns: Iterable[Any], limit: int = 30) -> str:
    names = [str(c) for c in columns]
    return ", ".join(names[:limit]) + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")
