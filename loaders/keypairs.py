"""Which table columns could tell repeated names apart, and the money behind each (key, value) pair.

The rule finder (``loaders.rulefinder``) can suggest ``match_also`` only if it
knows, for each key, what the table's other columns say: "Washington" with "OR"
and "Washington" with "WA" are two counties. A reader asks ``lookalikes`` which of
its columns hold values like a boundary column whose values repeat (state names,
postal codes, state FIPS), then gathers the (key, value) pairs of only those
columns, with their rows and money. Nothing is gathered for a table whose keys
all match, or that already says ``match_also``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.keyrules import FILE_COLUMN, KEY_RULES, MATCH_ALSO, normaliser

#: A column with more distinct values than this is not a state-like column (it is a name, a date, an amount).
MAX_DISTINCT = 500
#: The share of a column's distinct values that must be values of the boundary column.
MIN_SHARE = 0.5
_LOOSE = {"ignore_accents": True, "ignore_case": True, "ignore_punctuation": True}


@dataclass(frozen=True)
class KeyPairs:
    """Table columns that look like boundary columns, and per column: (key, value) -> (rows, cents)."""

    looks_like: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pairs: Mapping[str, Mapping[tuple[str, str], tuple[int, int]]] = field(default_factory=dict)


def wanted(options: Mapping[str, Any], district_column: str | None) -> bool:
    """Whether a table should gather pairs at all: it has a key column and no ``match_also`` yet."""
    return district_column is not None and not options.get(MATCH_ALSO)


def repeated_columns(districts: Any) -> dict[str, list[str]]:
    """Boundary file columns whose values repeat (a state, a region): those that can tell names apart."""
    out = {}
    for column in districts.columns:
        if not (isinstance(column, str) and column.startswith(FILE_COLUMN)):
            continue
        values = [str(v) for v in districts[column]]
        distinct = len(set(values))
        if 1 <= distinct < len(values) and any(values):
            out[column.removeprefix(FILE_COLUMN)] = values
    return out


def lookalikes(distinct: Mapping[str, Iterable[str]], districts: Any,
               rules: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Table column -> the repeated boundary columns whose values it holds (after the rules, loosely).

    ``distinct`` holds each candidate column's distinct values; a column with more
    than ``MAX_DISTINCT`` of them is passed over.
    """
    normal = normaliser({**{k: v for k, v in rules.items() if k in KEY_RULES and k != "pad"}, **_LOOSE})
    targets = {name: {normal(v) for v in values if v} for name, values in repeated_columns(districts).items()}
    out: dict[str, tuple[str, ...]] = {}
    for column, values in distinct.items():
        forms = {normal(str(v)) for v in values if str(v).strip()}
        if not forms or len(forms) > MAX_DISTINCT:
            continue
        like = tuple(name for name, wanted_forms in targets.items()
                     if len(forms & wanted_forms) / len(forms) >= MIN_SHARE)
        if like:
            out[column] = like
    return out


def candidate_columns(columns: Sequence[str], used: Iterable[str | None]) -> list[str]:
    """The table's columns other than those the manifest maps (key, year, amounts...)."""
    taken = {c for c in used if c}
    return [c for c in columns if c not in taken and c != "source_row" and not c.startswith("__")]


def from_frame(frame: pd.DataFrame, keys: pd.Series, location: pd.Series, cents: pd.Series,
               columns: Sequence[str], districts: Any, rules: Mapping[str, Any]) -> KeyPairs:
    """Pairs of a table read into pandas: ``frame`` holds its text columns, aligned with the key,
    the location the join gave each row and the row's money (rejected rows already left out)."""
    if not location.eq("unmatched").any():
        return KeyPairs()
    distinct = {c: frame[c].head(200_000).unique()[: MAX_DISTINCT + 1] for c in columns}
    like = lookalikes(distinct, districts, rules)
    if not like:
        return KeyPairs()
    placed = location.isin(["district", "unmatched"]).to_numpy()
    money = pd.Series(list(cents.astype(object)), index=cents.index, dtype=object)
    pairs = {}
    for column in like:
        part = pd.DataFrame({"key": keys.to_numpy(dtype=object)[placed],
                             "value": frame[column].astype(str).str.strip().to_numpy(dtype=object)[placed],
                             "cents": money.to_numpy(dtype=object)[placed]})
        pairs[column] = _grouped(part)
    return KeyPairs(like, pairs)


def _grouped(part: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(key, value) -> (rows, exact cents) of a frame of rows."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for key, value, cents in zip(part["key"], part["value"], part["cents"]):
        rows, total = out.get((key, value), (0, 0))
        out[(key, value)] = (rows + 1, total + (0 if cents is None or pd.isna(cents) else int(cents)))
    return out


def from_rows(rows: Iterable[tuple[str, str, int, Any]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(key, value) -> (rows, cents) from rows already grouped (a database's GROUP BY)."""
    return {(str(k), str(v)): (int(n), int(c or 0)) for k, v, n, c in rows}


def from_duckdb(con: Any, columns: Sequence[str], names: Sequence[str], amount: str, districts: Any,
                rules: Mapping[str, Any]) -> KeyPairs:
    """Pairs of a table read by DuckDB (loaders.spending_duckdb): ``raw_rows`` holds column j as ``c{j}``
    and the view ``parsed`` each row's key, location, rejection and money (``amount``: ``a`` or ``b``)."""
    distinct = {c: [v for (v,) in con.execute(f"SELECT DISTINCT c{names.index(c)} FROM raw_rows "
                                              f"LIMIT {MAX_DISTINCT + 1}").fetchall() if v is not None]
                for c in columns}
    like = lookalikes(distinct, districts, rules)
    pairs = {}
    for column in like:
        rows = con.execute(f"SELECT raw_district, coalesce(c{names.index(column)}, ''), count(*), "
                           f"CAST(sum({amount}) AS HUGEINT) FROM parsed JOIN raw_rows USING (rn) "
                           "WHERE NOT rejected AND location IN ('district', 'unmatched') GROUP BY 1, 2").fetchall()
        pairs[column] = from_rows(rows)
    return KeyPairs(like, pairs)
