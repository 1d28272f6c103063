"""Guess which columns mean what, by name and by content, for the "Add your data" page.

The key column of a spending table is chosen by its values, not its header: the
column whose values best meet the boundary ids (or names) once the join rules'
patterns are ignored (case, punctuation, a leading word such as "District",
zero-padding). The person confirms or changes every guess; the load report then
says exactly what joined.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

_ID_NAMES = ("id", "code", "fips", "geoid", "district", "ward", "number", "num", "no")
_LABEL_NAMES = ("name", "label", "title")
_YEAR_NAMES = ("fiscal_year", "year", "fy", "fiscal")
_AMOUNT_NAMES = ("amount", "actual", "cost", "spend", "spent", "expend", "budget", "total", "value", "dollars")
_POPULATION_NAMES = ("population", "pop", "residents", "inhabitants", "people", "persons")
_DEPT_NAMES = ("department", "dept", "agency", "bureau", "category", "service", "division", "office")
_NUMBER = re.compile(r"^-?\(?\$?-?[\d,]*\.?\d+\)?$")
_TRAILING_DIGITS = re.compile(r"^\D*?(\d+)$")
_SAMPLE = 5000


@dataclass(frozen=True)
class Guess:
    """The guessed column of each role ("" = none found) and, for the key, the share of values that matched."""

    boundary_id: str
    boundary_name: str
    key: str
    key_share: float
    year: str
    amount: str
    department: str
    population: str = ""  # a boundary column of head counts, for per-resident maps


def loose(value: str) -> str:
    """A key with every join-rule pattern ignored: '  District 01 ' -> '1', 'NORTH-END' -> 'northend'."""
    text = "".join(c for c in unicodedata.normalize("NFKD", str(value)) if not unicodedata.combining(c))
    text = text.strip().casefold()
    digits = _TRAILING_DIGITS.match(text)
    if digits:
        return str(int(digits.group(1)))
    return re.sub(r"[\W_]+", "", text)


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column].astype(str).str.strip()
    return values[values != ""].head(_SAMPLE)


def _named(column: str, words: Sequence[str]) -> int:
    """How well a header names a role: 2 for the word itself, 1 for containing it, 0 otherwise."""
    name = re.sub(r"[^a-z0-9]+", "_", column.casefold()).strip("_")
    if name in words:
        return 2
    return int(any(w in name.split("_") or (len(w) > 3 and w in name) for w in words))


def _numeric_share(values: pd.Series) -> float:
    return float(values.str.fullmatch(_NUMBER).mean()) if len(values) else 0.0


def boundary_columns(attributes: pd.DataFrame) -> tuple[str, str]:
    """(id, name) columns of a boundary attribute table: unique values, named like an id or a label."""
    best_id: tuple[tuple, str] | None = None
    best_name: tuple[tuple, str] | None = None
    for column in attributes.columns:
        values = _values(attributes, column)
        if values.empty:
            continue
        unique = values.nunique() == len(values) and len(values) == len(attributes)
        lettered = float(values.str.contains(r"[A-Za-z]{3}").mean())
        id_score = (unique, _named(column, _ID_NAMES), -lettered)
        if best_id is None or id_score > best_id[0]:
            best_id = (id_score, column)
        name_score = (lettered > 0.5, _named(column, _LABEL_NAMES), values.nunique(), lettered)
        if best_name is None or name_score > best_name[0]:
            best_name = (name_score, column)
    ident = best_id[1] if best_id else ""
    # a name has letters, or is at least called a name ("label" = "1".."6" while the ids are FIPS codes)
    name = best_name[1] if best_name and (best_name[0][0] or best_name[0][1]) and best_name[1] != ident else ""
    return ident, name


def population_column(attributes: pd.DataFrame, taken: Sequence[str] = ()) -> str:
    """A boundary column of whole non-negative numbers named like a population ("pop", "Population 2020");
    by name and content both, since ids and land areas are whole numbers too."""
    best: tuple[tuple[int, float], str] | None = None
    for column in attributes.columns:
        named = _named(str(column), _POPULATION_NAMES)
        if column in taken or not named:
            continue
        values = _values(attributes, column)
        whole = float(values.str.fullmatch(r"\d[\d,]*(\.0+)?").mean()) if len(values) else 0.0
        if whole > 0.9 and (best is None or (named, whole) > best[0]):
            best = ((named, whole), str(column))
    return best[1] if best else ""


def key_share(values: pd.Series, targets: Sequence[str]) -> tuple[float, float]:
    """(score, share) of a column against ``targets`` once the rule patterns are ignored.

    ``share`` is the part of its distinct values that meet a target; ``score`` also
    asks for coverage (matched / the larger of values and targets), so a column of
    one repeated "3" does not beat the column that names every district.
    """
    distinct = set(values.tolist())
    wanted = {loose(t) for t in targets if str(t).strip()}
    if not distinct or not wanted:
        return 0.0, 0.0
    hits = sum(loose(v) in wanted for v in distinct)
    return hits / max(len(distinct), len(wanted)), hits / len(distinct)


def table_columns(frame: pd.DataFrame, targets: Sequence[Sequence[str]]) -> tuple[str, float, str, str, str]:
    """(key, key share, year, amount, department) columns of a spending table.

    ``targets`` are the boundary id values and name values a key may name.
    """
    key, share, key_score = "", 0.0, 0.0
    year = amount = dept = ""
    year_score = amount_score = dept_score = (0, 0.0)
    for column in frame.columns:
        values = _values(frame, column)
        if values.empty:
            continue
        score_share = max((key_share(values, t) for t in targets), default=(0.0, 0.0))
        if score_share[0] > key_score:
            key, key_score, share = column, *score_share
        numeric = _numeric_share(values)
        years = float(values.str.fullmatch(r"(FY\s?)?(19|20)\d\d([-/]\d{2,4})?", case=False).mean())
        score = (_named(column, _YEAR_NAMES), years)
        if years > 0.9 and score > year_score:
            year, year_score = column, score
        score = (_named(column, _AMOUNT_NAMES), numeric)
        if numeric > 0.9 and years < 0.9 and score > amount_score:
            amount, amount_score = column, score
        lettered = float(values.str.contains(r"[A-Za-z]").mean())
        few = values.nunique() <= max(50, len(values) // 5)
        score = (_named(column, _DEPT_NAMES), lettered)
        if lettered > 0.5 and few and score > dept_score and score[0] > 0:
            dept, dept_score = column, score
    if key_score < 0.2:
        key, share = "", 0.0
    if amount == key:
        amount = ""
    return key, share, year, amount, dept


def guess(attributes: pd.DataFrame, frame: pd.DataFrame) -> Guess:
    """Every guess at once: the boundary columns first, since the key is judged against them."""
    ident, name = boundary_columns(attributes)
    unique = [c for c in attributes.columns if attributes[c].nunique() == len(attributes)]  # match_on candidates
    targets = [attributes[c].astype(str).tolist() for c in dict.fromkeys([ident, name, *unique]) if c]
    key, share, year, amount, dept = table_columns(frame, targets)
    return Guess(ident, name, key, share, year, amount, dept, population_column(attributes, (ident, name)))


_INDICATOR_NAMES = ("indicator", "measure", "metric", "kpi", "indicator_name")
_RESULT_NAMES = ("actual", "value", "result", "observed", "score", "percent", "rate")
_TARGET_NAMES = ("target", "goal", "objective")


@dataclass(frozen=True)
class IndicatorGuess:
    """The guessed columns of an indicator table ("" = none found): district key, year, name, result, goal."""

    key: str
    key_share: float
    year: str
    indicator: str
    actual: str
    target: str


def indicator_guess(attributes: pd.DataFrame, frame: pd.DataFrame) -> IndicatorGuess:
    """The key by content (as for spending), the year by content, the rest by header and content.

    The indicator column is lettered text with few distinct values; the result and
    goal columns are numeric, told apart by their headers (a goal column must say so).
    """
    ident, name = boundary_columns(attributes)
    unique = [c for c in attributes.columns if attributes[c].nunique() == len(attributes)]
    targets = [attributes[c].astype(str).tolist() for c in dict.fromkeys([ident, name, *unique]) if c]
    key, share, year, _, _ = table_columns(frame, targets)
    best: dict[str, tuple[tuple, str]] = {}
    for column in frame.columns:
        values = _values(frame, column)
        if values.empty or column in (key, year):
            continue
        numeric = _numeric_share(values.str.rstrip("%"))
        lettered = float(values.str.contains(r"[A-Za-z]").mean())
        if lettered > 0.5 and values.nunique() <= max(50, len(values) // 2):
            _better(best, "indicator", (_named(column, _INDICATOR_NAMES), lettered), column)
        if numeric > 0.9:
            goal = _named(column, _TARGET_NAMES)
            if goal:
                _better(best, "target", (goal, numeric), column)
            else:
                _better(best, "actual", (_named(column, _RESULT_NAMES), numeric), column)
    pick = {role: best[role][1] if role in best else "" for role in ("indicator", "actual", "target")}
    return IndicatorGuess(key, share, year, pick["indicator"], pick["actual"], pick["target"])


def _better(best: dict[str, tuple[tuple, str]], role: str, score: tuple, column: str) -> None:
    if role not in best or score > best[role][0]:
        best[role] = (score, column)
