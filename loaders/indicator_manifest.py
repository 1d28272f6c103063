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
from loaders.manifest_keys import INDICATORS, META, VALUE_KEYS
from loaders.problems import LoadError
from loaders.values import fiscal_year_of_label

__all__ = ["INDICATOR_KEYS", "META_KEYS", "VALUE_KEYS", "build_meta", "check_indicator_table", "indicator_name",
           "merge_meta"]

#: The keys of an indicator table and of an indicator's description (types: loaders.manifest_keys).
INDICATOR_KEYS = set(INDICATORS)
META_KEYS = set(META)


def indicator_name(text: str) -> str:
    """An indicator's key as the loaders compare it: trimmed, inner runs of spaces as one.

    Real exports pad names ("Equity - % of ... color  ") or double a space; the
    manifest's key should not have to copy that to match.
    """
    return " ".join(str(text).split())


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


def _check_kinds(where: str, table: dict[str, Any]) -> None:
    """Kinds name model values, and no label of the kind column stands for two of them."""
    seen: dict[str, str] = {}
    for key, labels in table.get("kinds", {}).items():
        if key not in VALUE_KEYS:
            raise LoadError(f"{where} 'kinds' has {key!r}; the kinds are {', '.join(VALUE_KEYS)}: rename it")
        for label in [labels] if isinstance(labels, str) else labels:
            if label.strip().casefold() in seen:
                raise LoadError(f"{where} kinds: {label!r} is listed as both {seen[label.strip().casefold()]} "
                                f"and {key}; keep it under one")
            seen[label.strip().casefold()] = key


def _check_constant(where: str, table: dict[str, Any]) -> None:
    """Indicator and year each come from a column or from ``constant``, exactly one of them."""
    constant = table.get("constant", {})
    for key in ("indicator", "year"):
        if (key in table) == (key in constant):
            twice = key in table
            raise LoadError(f"{where} {'gives' if twice else 'needs'} '{key}' "
                            f"{'both as a column and in constant: remove one' if twice else 'as a column or in constant'}")


def check_indicator_table(manifest: str, section: str, table: dict[str, Any]) -> str:
    """Raise LoadError for a mistaken combination of keys; return the form ("columns", "kind", "counts").

    Types were checked against the schema (loaders.manifest_keys) before this runs.
    """
    where = f"{manifest}: [{section}]"
    _check_constant(where, table)
    _check_kinds(where, table)
    return _form(where, table)


def _targets(where: str, raw: dict[str, float]) -> tuple[tuple[int, float], ...]:
    """Goals by fiscal year; the schema checked the numbers, this reads the year labels."""
    years: dict[int, float] = {}
    for label, value in raw.items():
        year = fiscal_year_of_label(label)
        if year is None:
            raise LoadError(f"{where} targets: {label!r} is not a fiscal year; write it like \"2017\" or \"FY 2016-17\"")
        if year in years:
            raise LoadError(f"{where} targets: fiscal year {year} is given twice; keep one")
        years[year] = float(value)
    return tuple(sorted(years.items()))


def build_meta(manifest: str, section: str, key: str, meta: dict[str, Any]) -> IndicatorMeta:
    """One ``[indicators.meta.KEY]`` table (its types checked against the schema) as an IndicatorMeta."""
    where = f"{manifest}: [{section}.meta.{key}]"
    name = indicator_name(key)
    fields: dict[str, Any] = {k: v for k, v in meta.items() if k not in ("target", "targets", "path")}
    return IndicatorMeta(key=name, **({"label": name} | fields), path=tuple(float(x) for x in meta.get("path", ())),
                         target=float(meta["target"]) if "target" in meta else None,
                         targets=_targets(where, meta["targets"]) if "targets" in meta else ())


def merge_meta(manifest: str, tables: list[tuple[str, dict[str, Any]]]) -> dict[str, IndicatorMeta]:
    """Descriptions from every indicator table; one indicator described two ways is an error."""
    out: dict[str, IndicatorMeta] = {}
    where: dict[str, str] = {}
    for section, table in tables:
        for key, meta in table.get("meta", {}).items():
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
