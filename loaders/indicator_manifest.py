"""Check the manifest's indicator tables and indicator descriptions before any file is read.

Indicator tables come in three shapes (one value column per kind, a long "kind"
column, or category counts) and a manifest can name several of them, so most
mistakes are combinations: a kind table without ``kinds``, a counts table with
an ``actual`` column, the same indicator described twice. Catching those here,
with the section and key named, saves a steward from puzzling over an empty map.
"""
from __future__ import annotations

from typing import Any

from budgetmap.model import IndicatorMeta
from budgetmap.model.dataset import DIRECTIONS
from budgetmap.rollups import ROLLUPS
from loaders.problems import LoadError
from loaders.keyrules import RULE_KEYS
from loaders.sources import SOURCE_KEYS
from loaders.values import fiscal_year_of_label

INDICATOR_KEYS = {*SOURCE_KEYS, "district", "year", "indicator", "actual", "target", "estimate",
                  "standard", "weight", "kind", "value", "kinds", "count", "category",
                  "numerator", "missing", "constant", "meta", "aliases", "citywide", "sheet",
                  "encoding", "layer", "gis_layer", *RULE_KEYS}
META_KEYS = {"label", "unit", "department", "direction", "rollup", "weight", "target", "targets",
             "source", "note"}
VALUE_KEYS = ("actual", "target", "standard", "estimate")  # model columns a table may fill
CONSTANT_KEYS = {"indicator", "year"}
_TEXT_META = ("label", "unit", "department", "source", "note", "weight")


def _choices(registry: dict) -> str:
    return ", ".join(repr(k) for k in registry)


def indicator_name(text: str) -> str:
    """An indicator's key as the loaders compare it: trimmed, inner runs of spaces as one.

    Real exports pad names ("Equity - % of ... color  ") or double a space; the
    manifest's key should not have to copy that to match.
    """
    return " ".join(str(text).split())


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _form(where: str, table: dict[str, Any]) -> str:
    """Which shape the table has: "kind", "counts" or "columns" (one column per value)."""
    kind, counts = "kind" in table, "count" in table
    if kind and counts:
        raise LoadError(f"{where} has both 'kind' and 'count'; a table is either a kind table or a counts table")
    needs = {"kind": ("value", "kinds"), "counts": ("category", "numerator"), "columns": ()}
    form = "kind" if kind else "counts" if counts else "columns"
    banned = {"kind": {*VALUE_KEYS, "category", "numerator"},
              "counts": {*VALUE_KEYS, "value", "kinds", "weight", "missing"},
              "columns": {"value", "kinds", "category", "numerator"}}[form]
    for key in needs[form]:
        if key not in table:
            raise LoadError(f"{where} needs '{key}' with '{'kind' if kind else 'count'}'")
    clash = sorted(banned & table.keys())
    if clash:
        why = {"kind": "a kind table takes its numbers from 'value' and says what they are with 'kinds'",
               "counts": "a counts table computes the actual share (and its weight) from the counts",
               "columns": "'value', 'kinds', 'category' and 'numerator' belong to kind or counts tables"}[form]
        raise LoadError(f"{where} cannot have {', '.join(clash)}: {why}")
    if form == "columns" and not VALUE_KEYS & table.keys():
        raise LoadError(f"{where} needs at least one of {', '.join(VALUE_KEYS)} (a column name each), "
                        "or 'kind' and 'value', or 'count' and 'category'")
    return form


def _check_options(where: str, table: dict[str, Any]) -> None:
    kinds = table.get("kinds")
    if kinds is not None:
        if not isinstance(kinds, dict) or not kinds:
            raise LoadError(f"{where} 'kinds' must be a table like {{ actual = \"Actual\", target = \"Target\" }}")
        seen: dict[str, str] = {}
        for key, labels in kinds.items():
            if key not in VALUE_KEYS:
                raise LoadError(f"{where} 'kinds' has {key!r}; the kinds are {', '.join(VALUE_KEYS)}")
            for label in [labels] if isinstance(labels, str) else labels if _strings(labels) else [None]:
                if not isinstance(label, str) or not label.strip():
                    raise LoadError(f"{where} kinds.{key} must be a value of the kind column, or a list of them")
                if label.strip().casefold() in seen:
                    raise LoadError(f"{where} kinds: {label!r} is listed as both {seen[label.strip().casefold()]} and {key}")
                seen[label.strip().casefold()] = key
    if "numerator" in table and (not _strings(table["numerator"]) or not table["numerator"]):
        raise LoadError(f"{where} 'numerator' must be a list of categories, like [\"Improved\"]")
    if "missing" in table:
        missing = table["missing"]
        if not isinstance(missing, list) or not all(_number(v) or isinstance(v, str) for v in missing):
            raise LoadError(f"{where} 'missing' must be a list of values read as not reported, like [0] or [\"n/r\"]")
    if "citywide" in table and not _strings(table["citywide"]):
        raise LoadError(f"{where} 'citywide' must be a list of values")
    if "aliases" in table and not isinstance(table["aliases"], dict):
        raise LoadError(f"{where} 'aliases' must be a table of key = district id")


def _check_constant(where: str, table: dict[str, Any]) -> None:
    constant = table.get("constant", {})
    if not isinstance(constant, dict):
        raise LoadError(f"{where} 'constant' must be a table like {{ indicator = \"...\", year = 2024 }}")
    unknown = sorted(set(constant) - CONSTANT_KEYS)
    if unknown:
        raise LoadError(f"{where} constant: unknown key(s) {', '.join(unknown)}; allowed: indicator, year")
    for key in ("indicator", "year"):
        if (key in table) == (key in constant):
            twice = key in table
            raise LoadError(f"{where} {'gives' if twice else 'needs'} '{key}' "
                            f"{'both as a column and in constant' if twice else 'as a column or in constant'}")
    if "indicator" in constant and not (isinstance(constant["indicator"], str) and constant["indicator"].strip()):
        raise LoadError(f"{where} constant.indicator must be the indicator's name")
    year = constant.get("year")
    if year is not None and (isinstance(year, bool) or fiscal_year_of_label(str(year)) is None):
        raise LoadError(f"{where} constant.year {year!r} is not a fiscal year (like 2024 or \"FY 2023-24\")")


def check_indicator_table(manifest: str, section: str, table: dict[str, Any]) -> str:
    """Raise LoadError for a mistaken indicator table; return its form ("columns", "kind", "counts")."""
    where = f"{manifest}: [{section}]"
    for key in (*(("path",) if "url" not in table else ()), *(k for k in ("district", "year", "indicator", *VALUE_KEYS, "weight", "kind",
                                      "value", "count", "category") if k in table)):
        if not isinstance(table.get(key), str) or (key == "path" and not table[key]):
            raise LoadError(f"{where} needs '{key}' as a {'file path' if key == 'path' else 'column name'} (text)")
    _check_constant(where, table)
    _check_options(where, table)
    return _form(where, table)


def _targets(where: str, raw: Any) -> tuple[tuple[int, float], ...]:
    if not isinstance(raw, dict):
        raise LoadError(f"{where} 'targets' must be a table of year = goal, like {{ \"2017\" = 80 }}")
    years: dict[int, float] = {}
    for label, value in raw.items():
        year = fiscal_year_of_label(label)
        if year is None:
            raise LoadError(f"{where} targets: {label!r} is not a fiscal year (like \"2017\" or \"FY 2016-17\")")
        if not _number(value):
            raise LoadError(f"{where} targets.{label} must be a number, not {value!r}")
        if year in years:
            raise LoadError(f"{where} targets: fiscal year {year} is given twice")
        years[year] = float(value)
    return tuple(sorted(years.items()))


def build_meta(manifest: str, section: str, key: str, meta: Any) -> IndicatorMeta:
    """One ``[indicators.meta.KEY]`` table, checked, as an IndicatorMeta."""
    where = f"{manifest}: [{section}.meta.{key}]"
    if not isinstance(meta, dict):
        raise LoadError(f"{where} must be a table")
    unknown = sorted(set(meta) - META_KEYS)
    if unknown:
        raise LoadError(f"{where} unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(META_KEYS))}")
    for text in _TEXT_META:
        if text in meta and not isinstance(meta[text], str):
            raise LoadError(f"{where} '{text}' must be text")
    if meta.get("direction", "higher") not in DIRECTIONS:
        raise LoadError(f"{where} direction must be one of {_choices(DIRECTIONS)}, not {meta['direction']!r}")
    if meta.get("rollup", "mean") not in ROLLUPS:
        raise LoadError(f"{where} rollup must be one of {_choices(ROLLUPS)}, not {meta['rollup']!r}")
    if "target" in meta and not _number(meta["target"]):
        raise LoadError(f"{where} target must be a number (the city's goal), not {meta['target']!r}")
    name = indicator_name(key)
    fields: dict[str, Any] = {k: v for k, v in meta.items() if k not in ("target", "targets")}
    return IndicatorMeta(key=name, **({"label": name} | fields),
                         target=float(meta["target"]) if "target" in meta else None,
                         targets=_targets(where, meta["targets"]) if "targets" in meta else ())


def merge_meta(manifest: str, tables: list[tuple[str, dict[str, Any]]]) -> dict[str, IndicatorMeta]:
    """Descriptions from every indicator table; one indicator described two ways is an error."""
    out: dict[str, IndicatorMeta] = {}
    where: dict[str, str] = {}
    for section, table in tables:
        raw = table.get("meta", {})
        if not isinstance(raw, dict):
            raise LoadError(f"{manifest}: [{section}.meta] must hold one table per indicator")
        for key, meta in raw.items():
            built = build_meta(manifest, section, key, meta)
            here = f"[{section}.meta]"
            if built.key in out and out[built.key] != built:
                first = out[built.key]
                diff = "; ".join(f"{name}: {getattr(first, name)!r} vs {getattr(built, name)!r}"
                                 for name in IndicatorMeta.__dataclass_fields__
                                 if getattr(first, name) != getattr(built, name))
                raise LoadError(f"{manifest}: indicator {built.key!r} is described twice, differently, "
                                f"in {where[built.key]} and {here} ({diff})")
            out.setdefault(built.key, built)
            where.setdefault(built.key, here)
    return out
