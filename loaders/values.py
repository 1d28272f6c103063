"""Parse money and fiscal years from text, exactly.

Money becomes integer cents through ``decimal.Decimal`` (never float) so totals
reconcile to the cent; each distinct text is parsed once, because real files
repeat values a lot. Refused values become <NA> plus a RowProblem naming the
file, row and column.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd

from budgetmap.model.years import MISSING, fiscal_year_of_label
from budgetmap.model.years import parse_fiscal_year as _fiscal_year
from loaders.problems import RowProblem

__all__ = ["MISSING", "fiscal_year_of_label", "parse_amounts", "parse_counts", "parse_fiscal_years",
           "parse_numbers"]

#: Beyond this a float no longer counts in ones (2**53 is about 9e15): no measurement is that big.
MAX_MEASURE = 1e15
#: More people than live on the earth: a district's population cannot be this.
MAX_POPULATION = 1e10

_Parsed = tuple[int | None, str | None]  # (value, reason refused); (None, None) = missing
_CENT = Decimal("0.01")
_INT64_MAX = 2**63 - 1
_PLAIN = re.compile(r"-?\d{1,16}(?:\.\d{1,2})?")
_CURRENCY = r"(?:US\$|[$€£¥]|(?i:usd|eur|gbp|cad|aud|nzd|chf|jpy)(?![a-zA-Z]))"
# Thousands groups must be exact (1,234,567) with one separator, so a decimal comma
# ("12,5") is refused instead of silently read as 125.
_NUMBER = r"(?:\d{1,3}(?P<sep>[, \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*|\d+)?(?:\.\d*)?(?:[eE][-+]?\d+)?"
_AMOUNT = re.compile(rf"(?P<s1>[-+]?)\s*(?:{_CURRENCY}\s*)?(?P<s2>[-+]?)\s*(?P<num>{_NUMBER})"
                     rf"\s*(?:{_CURRENCY})?\s*(?P<s3>-?)")
_DECIMAL_COMMA = re.compile(r"[-+]?\d{1,3}(?:[. \u00a0]\d{3})*,\d{1,2}|[-+]?\d+,\d{1,2}")


def _parse(values: pd.Series, parse: Callable[[str], _Parsed], *, file: str, column: str,
           first_row: int, rows: Sequence[int] | pd.Series | None) -> tuple[pd.Series, list[RowProblem]]:
    """Parse each distinct value once (files repeat values a lot), then map back by code."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip().to_numpy(dtype=object)
    codes, uniques = pd.factorize(text)
    results = [parse(u) for u in uniques]
    parsed = np.array([r[0] for r in results] or [None], dtype=object)[codes]
    series = pd.Series(pd.array(parsed, dtype="Int64"), index=values.index, name=values.name)
    numbers = np.asarray(rows) if rows is not None else np.arange(len(text)) + first_row
    if len(numbers) != len(text):
        raise ValueError(f"rows has {len(numbers)} numbers for {len(text)} values")
    refused = np.array([r[1] is not None for r in results] or [False])[codes]
    return series, [RowProblem(file, int(numbers[i]), column, text[i], str(results[codes[i]][1]))
                    for i in np.flatnonzero(refused)]


def parse_amounts(values: pd.Series, *, file: str, column: str, first_row: int = 2,
                  rows: Sequence[int] | pd.Series | None = None) -> tuple[pd.Series, list[RowProblem]]:
    """Money text to Int64 cents; a refused value becomes <NA> plus a RowProblem.

    Rows are position + ``first_row``, or ``rows`` (e.g. ``source_row`` after a filter
    or melt). "", "-", "N/A", "NA", "null"... are <NA> with no problem. Sub-cent values
    round half away from zero like Excel's ROUND ("12.345" -> 1235). Decimal commas
    ("1 234,56", "12,5") are refused, not guessed: "1,234" would be ambiguous.
    """
    return _parse(values, _cents, file=file, column=column, first_row=first_row, rows=rows)


def _cents(text: str) -> _Parsed:
    s = text.replace("\u2212", "-")  # unicode minus
    if _PLAIN.fullmatch(s):  # the common case, without Decimal
        whole, _, frac = s.lstrip("-").partition(".")
        cents = int(whole) * 100 + int(frac.ljust(2, "0") if frac else 0)
        return (-cents if s[0] == "-" else cents), None
    if s.casefold() in MISSING:
        return None, None
    parens = s.startswith("(") and s.endswith(")")
    m = _AMOUNT.fullmatch(s[1:-1].strip() if parens else s)
    if not m or not any(ch.isdigit() for ch in m["num"]) or (m["s1"] and m["s2"]):
        hint = " (decimal commas are not read; write 1234.56)" if _DECIMAL_COMMA.fullmatch(s) else ""
        return None, "is not an amount" + hint
    minus = [parens, m["s1"] == "-", m["s2"] == "-", m["s3"] == "-"].count(True)
    if minus > 1:
        return None, "is not an amount (two minus signs)"
    try:
        amount = Decimal(m["num"].replace(m["sep"], "") if m["sep"] else m["num"])
        if amount.adjusted() > 17:  # int64 cents hold about 9.2e16 dollars; checked exactly below
            return None, "is too large to be an amount"
        cents = 0 if amount.adjusted() < -3 else int(amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)
    except InvalidOperation:
        return None, "is not an amount"
    if cents > _INT64_MAX:
        return None, "is too large to be an amount"
    return (-cents if minus else cents), None


def parse_fiscal_years(values: pd.Series, *, file: str, column: str, first_row: int = 2,
                       rows: Sequence[int] | pd.Series | None = None) -> tuple[pd.Series, list[RowProblem]]:
    """Fiscal-year text to Int64, named by the year it ends ("FY 2015-16" -> 2016).

    Missing values are <NA> with no problem (the caller knows whether a year is
    required); anything unreadable is <NA> plus a RowProblem. Rows as in parse_amounts.
    """
    return _parse(values, _fiscal_year, file=file, column=column, first_row=first_row, rows=rows)


def parse_numbers(values: pd.Series, *, file: str, column: str, rows: Sequence[int] | pd.Series,
                  missing: Sequence[float | str] = ()) -> tuple[pd.Series, list[RowProblem], int]:
    """Indicator text to floats; return (numbers, problems, cells read as missing per ``missing``).

    "72%", "1,234" and " 7.1 " are numbers; "", "-", "N/A"... are NaN with no problem;
    "12,5" is refused (a decimal comma is not guessed).
    ``missing`` lists the manifest's own "not reported" markers: a number there
    matches however it is written (0 matches "0.0"), text matches ignoring case.
    Those cells become NaN and are counted, so the report can say how many there were.
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    numbers = _plain_numbers(text)
    blank = text.str.casefold().isin(MISSING)
    marked_numbers = [float(m) for m in missing if not isinstance(m, str)]
    marked_text = {m.strip().casefold() for m in missing if isinstance(m, str)}
    marked = ~blank & (numbers.isin(marked_numbers) | text.str.casefold().isin(marked_text))
    unreadable = numbers.isna() & ~blank & ~marked
    infinite = ~marked & numbers.notna() & ~np.isfinite(numbers)
    huge = ~marked & np.isfinite(numbers) & (numbers.abs() > MAX_MEASURE)
    rows = np.asarray(rows)
    why = {"unreadable": "is not a number; the cell is left blank",
           "infinite": "is not a finite number; the cell is left blank",
           "huge": f"is too large to be a measurement (more than {MAX_MEASURE:.0e}); the cell is left blank"}
    problems = [RowProblem(file, int(rows[i]), column, text.iloc[i], why[kind])
                for i, kind in sorted((int(i), kind) for kind, mask in
                                      (("unreadable", unreadable), ("infinite", infinite), ("huge", huge))
                                      for i in np.flatnonzero(mask.to_numpy()))]
    return numbers.where(~marked & ~infinite & ~huge), problems, int(marked.sum())


def _plain_numbers(text: pd.Series) -> pd.Series:
    """Floats of cell texts: thousands commas ("1,234") and "%" dropped; a decimal comma ("12,5") stays NaN.

    Most cells are plain numbers already: only those pandas cannot read as they are go through the
    replacements (a third of the time on 350,000 cells; a plain number is unchanged by them)."""
    numbers = pd.to_numeric(text, errors="coerce").astype(float)
    again = numbers.isna() & text.ne("")
    if again.any():
        plain = text[again].str.replace(r"(?<=\d),(?=\d{3}(?!\d))", "", regex=True).str.replace(r"[%\s]", "",
                                                                                                 regex=True)
        numbers[again] = pd.to_numeric(plain, errors="coerce").astype(float)
    return numbers


def parse_counts(values: pd.Series, *, file: str, column: str, rows: Sequence[int] | pd.Series,
                 what: str = "population") -> tuple[pd.Series, list[RowProblem]]:
    """Population text to floats: a finite, non-negative number below the earth's population, else NaN and a problem.

    "1,234" is 1234; blanks and "n/a"-like markers are NaN with no problem.
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    numbers = _plain_numbers(text.str.replace("%", "x", regex=False))
    blank = text.str.casefold().isin(MISSING)
    reasons = pd.Series(None, index=values.index, dtype=object)
    reasons[numbers.isna() & ~blank] = f"is not a {what} count (a number of people); the district has no {what}"
    reasons[numbers.notna() & ~np.isfinite(numbers)] = f"is not a finite number; the district has no {what}"
    reasons[np.isfinite(numbers) & (numbers < 0)] = f"is negative; a {what} cannot be: the district has no {what}"
    reasons[np.isfinite(numbers) & (numbers > MAX_POPULATION)] = \
        f"is more than the earth's population; the district has no {what}"
    bad = reasons.notna()
    rows = np.asarray(rows)
    problems = [RowProblem(file, int(rows[i]), column, text.iat[i], str(reasons.iat[i]))
                for i in np.flatnonzero(bad.to_numpy())]
    return numbers.where(~bad), problems
