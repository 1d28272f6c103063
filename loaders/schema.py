"""The manifest's value types and the one validator every section goes through.

``loaders.manifest_keys`` lists every key of every section with one of the types
below; ``check_section`` reads that table, so a key is accepted, refused and
described in one place, and docs/reference.md ("Manifest keys") is generated from
the same table (``markdown()``; tests/test_manifest_schema.py keeps it in step).
A refusal names the manifest, the section, the key, the type expected with an
example, and the value found as TOML would write it.
"""
from __future__ import annotations

import datetime
import difflib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from budgetmap.model.errors import LoadError
from budgetmap.model.years import fiscal_year_of_label

YEARS = (1900, 2100)  # the fiscal years the model knows (budgetmap.model.years)


@dataclass(frozen=True)
class Type:
    """A kind of value: how docs name it, how a message asks for it, and the test a value must pass."""

    name: str  # in the docs' table
    expected: str  # in messages: "must be <expected>, like <example>"
    example: str
    test: Callable[[Any], bool]
    choices: tuple[str, ...] = ()  # the allowed values, read from a registry


@dataclass(frozen=True)
class Key:
    """One manifest key: its type, what it means, and whether it names a column of the file."""

    name: str
    type: Type
    doc: str
    column: bool = False  # True: the value is a column of the table (TableSpec.columns)
    required: bool = False
    inline: Mapping[str, "Key"] | None = None  # an inline table with keys of its own (constant = {...})
    example: str = ""  # for messages, when the type's own example would not fit this key


def _text(v: Any) -> bool:
    return isinstance(v, str)


def _filled(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _texts(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _year(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and YEARS[0] <= v <= YEARS[1]


TEXT = Type("text", "text", '"Illustrative numbers"', _text)
FILLED = Type("text", "non-empty text", '"gis.council_districts"', _filled)
COLUMN = Type("column name", "a column name (text)", '"District"', _filled)
PATH = Type("file path", "a file path (text, relative to the manifest), not empty", '"spending.csv"', _filled)
URL = Type("URL", "a postgresql:// URL (text)", '"postgresql://user@host:5432/city"', _filled)
CRS = Type("CRS", "a CRS name (text)", '"EPSG:2913"', _filled)
TEXTS = Type("list of text", "a list of text", '["Citywide"]', _texts)
SHORT_LABEL = 40  # characters: a label fits a legend line and a metric's caption
LABEL = Type("short label", f"a short label on one line (1 to {SHORT_LABEL} characters, no markup)", '"Statewide"',
             lambda v: _filled(v) and len(v.strip()) <= SHORT_LABEL and v.isprintable() and not set("<>`") & set(v))
COLUMNS = Type("list of column names", "a list of text (column names; quote numbers)", '["FY 2015-16", "2017"]',
               lambda v: _texts(v) and bool(v) and all(x.strip() for x in v))
LABEL_COLUMNS = Type("column name or list of column names", "a column name, or a non-empty list of column names",
                     '"NAME" or ["NAME", "STATE_NAME"]',
                     lambda v: _filled(v) or (isinstance(v, list) and bool(v) and all(_filled(x) for x in v)))
FILLED_TEXTS = Type("list of text", "a non-empty list of text", '["Improved"]', lambda v: _texts(v) and bool(v))
BOOL = Type("true or false", "true or false", "true", lambda v: isinstance(v, bool))
YEAR = Type("year", f"a year (a whole number from {YEARS[0]} to {YEARS[1]})", "2020", _year)
NUMBER = Type("number", "a number", "80", _number)
FISCAL_YEAR = Type("fiscal year", "a fiscal year", '2024 or "FY 2023-24"',
                   lambda v: not isinstance(v, bool) and isinstance(v, (int, str))
                   and fiscal_year_of_label(str(v)) is not None)
AS_OF = Type("date or text", "a date or text", '2025-06-30 or "June 2025"',
             lambda v: isinstance(v, (str, datetime.date)))
#: How often the data is updated (budgetmap.freshness): a whole number of months, 1 to 120.
REFRESH_MONTHS = Type("number of months", "a whole number of months from 1 to 120", "12",
                      lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 120)
MARKERS = Type("list of numbers or text", "a list of numbers or text", '[0, "n/r"]',
               lambda v: isinstance(v, list) and all(_number(x) or isinstance(x, str) for x in v))
ALIASES = Type("table of text = text", 'a table of "key as written" = "district id" (text = text)',
               '{ "District 1" = "1" }',
               lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()))
GOALS = Type("table of fiscal year = number", "a table of fiscal year = goal", '{ "2017" = 80, "FY 2017-18" = 78 }',
             lambda v: isinstance(v, dict) and all(_number(x) for x in v.values()))
KINDS = Type("table of kind = text or list of text", "a table of kind = value(s) of the kind column",
             '{ actual = "Actual", target = ["Target", "Goal"] }',
             lambda v: isinstance(v, dict) and bool(v) and all(_filled(x) or (_texts(x) and x) for x in v.values()))
TABLE = Type("table", "a table", '{ indicator = "curb_ramps", year = 2024 }', lambda v: isinstance(v, dict))


def _points(v: Any) -> bool:
    return _number(v) and 0 <= v <= 100


POINTS = Type("percentage points", "a number of percentage points from 0 to 100", "10", _points)
POINTS_BY_NAME = Type("table of text = percentage points", 'a table of "department" = percentage points (0 to 100)',
                      '{ "Parks & Recreation" = 5 }',
                      lambda v: isinstance(v, dict) and all(_points(x) for x in v.values()))
MONTH = Type("month", "a month number (1 = January ... 12 = December)", "7",
             lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 12)
SHARES = Type("list of numbers", "a list of 4 numbers (one per quarter) or 12 (one per month)", "[0.25, 0.5, 0.75, 1.0]",
              lambda v: isinstance(v, list) and len(v) in (4, 12) and all(_number(x) for x in v))


def choice(values: tuple[str, ...]) -> Type:
    """One of a registry's keys (budgetmap.rollups.ROLLUPS, budgetmap.model.dataset.DIRECTIONS...)."""
    values = tuple(values)
    listed = ", ".join(json.dumps(v) for v in values)
    return Type("one of", f"one of {listed}", json.dumps(values[0]), lambda v: isinstance(v, str) and v in values,
                values)


def section(name: str, many: bool | None = False) -> Type:
    """A section of its own (its keys are checked by the caller): one table, a list of them, or either."""
    def test(v: Any) -> bool:
        if isinstance(v, list):
            return many is not False and all(isinstance(t, dict) for t in v)
        return many is not True and isinstance(v, dict)
    shape = {False: "a table", True: "a list of tables", None: "a table or a list of tables"}[many]
    header = f"[[{name}]]" if many else f"[{name}]"
    return Type(shape, f"{shape} (a {header} header with its keys)", f'{header} path = "..."', test)


def shown(value: Any, limit: int = 80) -> str:
    """A value as TOML writes it ("3", '"3"', "[1, 2]", "{ a = 1 }", "nan"), cut at ``limit`` characters."""
    def toml(v: Any, depth: int) -> str:
        if depth > 5:
            return "…"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, float) and not math.isfinite(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if isinstance(v, list):
            return "[" + ", ".join(toml(x, depth + 1) for x in v[:10]) + (", …" if len(v) > 10 else "") + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {toml(x, depth + 1)}" for k, x in list(v.items())[:10]) + " }"
        return v.isoformat() if isinstance(v, (datetime.date, datetime.time)) else str(v)
    text = toml(value, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _offending(key: Key, value: Any) -> str:
    """For a table of values, the first entry that fails (``"Z9" = 5``); else the whole value."""
    if isinstance(value, dict) and key.type in (ALIASES, GOALS, KINDS, POINTS_BY_NAME):
        for k, v in value.items():
            if not key.type.test({k: v}):
                quoted = key.type in (ALIASES, POINTS_BY_NAME)
                return f"{json.dumps(k, ensure_ascii=False) if quoted else k} = {shown(v)}"
    return shown(value)


def where(manifest: str, section: str) -> str:
    return f"{manifest}: {'top level:' if section == 'top level' else f'[{section}]'}"


def _unknown(manifest: str, section: str, keys: Mapping[str, Key], name: str, prefix: str) -> LoadError:
    close = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
    hint = f"did you mean '{prefix}{close[0]}'?" if close else "remove it or correct its name;"
    owner = prefix.rstrip(".") if prefix else "the top level" if section == "top level" else f"[{section}]"
    return LoadError(f"{where(manifest, section)} unknown key '{prefix}{name}'; {hint} the keys of {owner} are "
                     f"{', '.join(sorted(keys))} (docs/reference.md, Manifest keys)")


def check_section(manifest: str, section: str, keys: Mapping[str, Key], table: Any, prefix: str = "") -> None:
    """Raise LoadError for the first unknown key or value of the wrong type in one section (and its subtables)."""
    if not isinstance(table, dict):
        raise LoadError(f"{where(manifest, section)} must be a table (a [{section}] section with keys such as "
                        f"{', '.join(list(keys)[:3])}); found {shown(table)}")
    for name, value in table.items():
        key = keys.get(name)
        if key is None:
            raise _unknown(manifest, section, keys, name, prefix)
        if not key.type.test(value):
            raise _wrong(manifest, section, key, value, prefix)
        if key.inline is not None:  # constant = { ... }: its keys are named "constant.year"
            check_section(manifest, section, key.inline, value, prefix=f"{prefix}{name}.")
    missing = [k for k in keys.values() if k.required and k.name not in table]
    if missing:
        first = missing[0]
        raise LoadError(f"{where(manifest, section)} needs '{prefix}{first.name}' ({first.type.expected}, "
                        f"like {first.example or first.type.example}): {first.doc}")


def _wrong(manifest: str, section: str, key: Key, value: Any, prefix: str) -> LoadError:
    return LoadError(f"{where(manifest, section)} '{prefix}{key.name}' must be {key.type.expected}, like "
                     f"{key.example or key.type.example}; found {_offending(key, value)}")


def markdown(sections: Mapping[str, Mapping[str, Key]]) -> str:
    """The docs' "Manifest keys" tables: one per section, a row per key."""
    out: list[str] = []
    for section, keys in sections.items():
        out += ["", f"### {'Top level' if section == 'top level' else f'[{section}]'}", "",
                "| key | type | meaning |", "|---|---|---|"]
        rows = [(k.name, k) for k in keys.values()]
        rows += [(f"{k.name}.{sub.name}", sub) for k in keys.values() for sub in (k.inline or {}).values()]
        for name, key in rows:
            choices = key.type.choices
            kind = key.type.name if not choices else "one of " + ", ".join(f"`{c}`" for c in choices)
            flags = " (required)" if key.required else ""
            out.append(f"| `{name}` | {kind}{flags} | {key.doc} |")
    return "\n".join(out).strip() + "\n"
