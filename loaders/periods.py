"""Period columns (quarters, months) of plan and indicator tables, read with the model's parser.

Each distinct text is read once (files repeat "Q1" thousands of times); a text
that is no period becomes a RowProblem naming file, row and column. A table's
periods are one kind: the first period read decides (quarters or months), and a
row of the other kind is refused, because a plan or an indicator path cannot
mix quarters with months.
"""
from __future__ import annotations

import pandas as pd

from budgetmap.model.periods import PER_YEAR, Period, parse_period
from loaders.problems import RowProblem


def parse_periods(values: pd.Series, years: pd.Series, *, file: str, column: str, rows: pd.Series,
                  year_start: int, groups: pd.Series | None = None) -> tuple[pd.Series, list[RowProblem]]:
    """Each row's Period (None where the year or the period is missing or unreadable) and the problems.

    ``groups`` (e.g. the indicator of each row) lets each group have its own kind;
    without it the whole table is one kind. A blank period is no problem here:
    the caller knows whether one is required.
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    parsed = {t: parse_period(t, year_start) for t in text.unique()}
    problems: list[RowProblem] = []
    out: list[Period | None] = []
    kinds: dict[object, str] = {}
    keys = groups if groups is not None else pd.Series(None, index=values.index, dtype=object)
    for cell, year, row, key in zip(text, years, rows, keys):
        found, reason = parsed[cell]
        if reason is not None:
            problems.append(RowProblem(file, int(row), column, cell, reason))
        if found is None or pd.isna(year):
            out.append(None)
            continue
        kind = kinds.setdefault(key, found[0])
        if kind != found[0]:
            first = "quarters" if kind == "quarter" else "months"
            whose = f"the periods of {key!r}" if groups is not None else "this table's periods"
            problems.append(RowProblem(file, int(row), column, cell,
                                       f"is a {found[0]}, but the {first} before it set {whose} "
                                       f"({PER_YEAR[kind]} a year); write every period as one of the {first}"))
            out.append(None)
            continue
        out.append(Period(int(year), found[1], found[0]))
    return pd.Series(out, index=values.index, dtype=object), problems
