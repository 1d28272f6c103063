"""Read a dataset manifest (TOML): which files a city has and what their columns mean.

A new city needs a manifest, not code. Every key the loaders understand, with its
type, is in ``loaders.manifest_keys`` and every section is checked against it
(``loaders.schema.check_section``) before anything else, so a typo or a wrong type
is named with its section and key instead of failing later; the checks here are
the ones a schema cannot say: combinations of keys, layer references, aliases.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomllib

from budgetmap.model import IndicatorMeta
from loaders.aliases import check_aliases
from loaders.files import MAX_MANIFEST_BYTES, regular_file
from loaders.indicator_manifest import check_indicator_table, merge_meta
from loaders.plan_manifest import check_plan_table
from loaders.manifest_keys import (DISTRICTS, ENGINES, INDICATORS, LAYERS, META, PLANS, POPULATION, SOURCE,
                                   SPENDING, TOP, Key)
from loaders.problems import LoadError
from loaders.schema import check_section
from loaders.sources import check_source, database_name

__all__ = ["DEFAULT_CITYWIDE", "DEFAULT_LAYER", "ENGINES", "Manifest", "TableSpec", "read_manifest"]

DEFAULT_LAYER = "districts"  # the key of a lone [districts] table
DEFAULT_CITYWIDE = ("citywide", "city-wide", "city wide", "all districts")
_SOURCE_NAMES = {k.name for k in SOURCE}


@dataclass(frozen=True)
class TableSpec:
    """One table section of a manifest: the file (or database table) and the column mapping.

    A file source has ``path``; a database source has ``url`` and exactly one of
    ``table`` ("schema.name") or ``query``, and ``path`` None.
    """

    section: str
    path: Path | None
    columns: dict[str, str]
    options: dict[str, Any] = field(default_factory=dict)
    url: str | None = None  # postgresql://user@host:port/db, never with a password
    table: str | None = None
    query: str | None = None
    written: str | None = None  # the path as the manifest writes it (relative to the manifest's folder)
    column_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name = ["NAME", "STATE_NAME"]

    @property
    def display_name(self) -> str:
        """How messages name the source: the path as the manifest gives it, or "table s.t on host:port/db"."""
        if self.url is None:
            if self.written is not None:
                return self.written
            return self.path.name if self.path is not None else self.section
        what = f"table {self.table}" if self.table is not None else f"query of [{self.section}]"
        return f"{what} on {database_name(self.url)}"

    def column(self, key: str) -> str | None:
        return self.columns.get(key)

    def columns_of(self, key: str) -> tuple[str, ...]:
        """The column or columns a key names: ``name = "NAME"`` or ``name = ["NAME", "STATE_NAME"]`` (none: ())."""
        if key in self.column_lists:
            return self.column_lists[key]
        return (self.columns[key],) if key in self.columns else ()

    def listed_columns(self) -> dict[str, str]:
        """Manifest key -> column for the keys given a list of columns, as messages name them (``name[STATE]``)."""
        return {f"{key}[{column}]": column for key, columns in self.column_lists.items() for column in columns}


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest; paths are absolute, resolved against the manifest's folder."""

    path: Path
    name: str
    currency: str
    districts: TableSpec  # the default layer
    note: str = ""
    source: str = ""
    as_of: str = ""  # the data's "as of" date as the publisher states it, e.g. "2025-06-30"
    refresh_months: int | None = None  # how often the data is updated (budgetmap.freshness)
    population: TableSpec | None = None
    spending: TableSpec | None = None
    indicators: tuple[TableSpec, ...] = ()  # one per [indicators] or [[indicators]] table
    plans: TableSpec | None = None
    indicator_meta: dict[str, IndicatorMeta] = field(default_factory=dict)  # from every table's meta
    layers: tuple[TableSpec, ...] = ()  # every boundary layer, the default first
    engine: str = "auto"  # which ledger holds the line items: auto (by size), pandas or duckdb
    draft: bool = False  # shown in the app only to signed-in editors (budgetmap.access)
    citywide_label: str = "Citywide"  # the name of the whole place on screen: "Statewide", "Nationwide"

    def layer_of(self, spec: TableSpec | None) -> str:
        """The boundary layer a table's district keys belong to (its ``layer`` key, else the default)."""
        return str(spec.options.get("layer") or self.layers[0].options["key"]) if spec else self.layers[0].options["key"]


def _fail(path: Path, message: str) -> LoadError:
    return LoadError(f"{path.name}: {message}")


def _spec(path: Path, table: Any, section: str, keys: dict[str, Key]) -> TableSpec:
    """Check one table section against its keys and split column names from options."""
    check_section(path.name, section, keys, table)
    source = check_source(path.name, section, table)  # 'path', or 'url' with 'table' or 'query'
    if "aliases" in table:
        check_aliases(f"{path.name}: [{section}]", table["aliases"])
    written = os.path.normpath(table["path"]) if "path" in table else None
    file_path = (path.parent / written).resolve() if written is not None else None
    columns = {k: v for k, v in table.items() if keys[k].column and isinstance(v, str)}
    lists = {k: tuple(v) for k, v in table.items() if keys[k].column and isinstance(v, list)}
    columns |= {k: v[0] for k, v in lists.items() if len(v) == 1}  # a list of one column is that column
    lists = {k: v for k, v in lists.items() if len(v) > 1}
    options = {k: v for k, v in table.items() if not keys[k].column and k not in _SOURCE_NAMES}
    return TableSpec(section=section, path=file_path, columns=columns, options=options, written=written,
                     column_lists=lists, **source)


def _table(path: Path, raw: dict[str, Any], section: str, keys: dict[str, Key]) -> TableSpec | None:
    return _spec(path, raw[section], section, keys) if section in raw else None


def _plans(path: Path, raw: dict[str, Any]) -> TableSpec | None:
    """``[plans]`` checked, with its default column names filled in (loaders.plan_manifest)."""
    if "plans" not in raw:
        return None
    check_section(path.name, "plans", PLANS, raw["plans"])
    return _spec(path, check_plan_table(path.name, raw["plans"]), "plans", PLANS)


def _check_spending(path: Path, spec: TableSpec) -> None:
    """What the schema cannot say: a year rule and some money."""
    if "year" not in spec.columns and "years" not in spec.options:
        raise _fail(path, "[spending] needs 'year' (a column) or 'years' (one column per year)")
    if "year" in spec.columns and "years" in spec.options:
        raise _fail(path, "[spending] has both 'year' (a column) and 'years' (a column per year); remove one")
    if not ({"amount", "budget", "actual"} & spec.columns.keys()) and "years" not in spec.options:
        raise _fail(path, "[spending] needs 'amount', or 'budget' and/or 'actual' (column names)")


def _indicators(path: Path, raw: dict[str, Any]) -> tuple[tuple[TableSpec, ...], dict[str, IndicatorMeta]]:
    """``[indicators]`` (one table) or ``[[indicators]]`` (several), checked, and their merged meta.

    Several tables are named "indicators #1", "indicators #2"... in messages, in
    the order the manifest gives them.
    """
    given = raw.get("indicators")
    if given is None:
        return (), {}
    if isinstance(given, list):
        if not given:
            raise _fail(path, "[[indicators]] is empty; remove 'indicators = []' or add [[indicators]] tables")
        tables = [(f"indicators #{i}", t) for i, t in enumerate(given, start=1)]
    else:
        tables = [("indicators", given)]
    specs = []
    for section, table in tables:
        check_section(path.name, section, INDICATORS, table)
        for key, meta in table.get("meta", {}).items():
            check_section(path.name, f"{section}.meta.{key}", META, meta)
        check_indicator_table(path.name, section, table)
        specs.append(_spec(path, table, section, INDICATORS))
    return tuple(specs), merge_meta(path.name, tables)


def _layers(path: Path, raw: dict[str, Any]) -> tuple[TableSpec, ...]:
    """``[districts]`` (one layer, key "districts") or ``[[layers]]`` (several); the default first."""
    if "layers" in raw and "districts" in raw:
        raise _fail(path, "give either [districts] (one boundary layer) or [[layers]] (several), not both")
    if "layers" not in raw:
        if "districts" not in raw:
            raise _fail(path, "a manifest needs a [districts] table (or [[layers]]) with 'path' and 'id'; "
                              "add one naming the boundary file and its key column")
        single = _spec(path, raw["districts"], "districts", DISTRICTS)
        return (replace(single, options={**single.options, "key": DEFAULT_LAYER, "label": "Districts"}),)
    given = raw["layers"]
    if not given:
        raise _fail(path, "[[layers]] is empty; add [[layers]] tables, each like [districts] with a 'key'")
    specs = []
    for i, table in enumerate(given, start=1):
        spec = _spec(path, table, f"layers #{i}", LAYERS)
        label = str(table.get("label") or table["key"])
        specs.append(replace(spec, options={**spec.options, "key": table["key"].strip(), "label": label}))
    keys = [s.options["key"] for s in specs]
    if len(set(keys)) != len(keys):
        raise _fail(path, f"[[layers]] keys must differ; got {', '.join(keys)}")
    defaults = [s for s in specs if s.options.get("default") is True]
    if len(defaults) > 1:
        raise _fail(path, "only one of [[layers]] may say default = true")
    return tuple(defaults + [s for s in specs if s not in defaults])


def _check_layer_refs(path: Path, manifest: "Manifest") -> None:
    keys = [s.options["key"] for s in manifest.layers]
    for spec in (manifest.population, manifest.spending, *manifest.indicators):
        if spec is not None and spec.options.get("layer") is not None and spec.options["layer"] not in keys:
            raise _fail(path, f"[{spec.section}] layer = {spec.options['layer']!r} names no boundary layer; "
                              f"set it to one of: {', '.join(keys)}")


def _parse(path: Path) -> dict[str, Any]:
    """The manifest's TOML, or LoadError: not a file, too big, not UTF-8, not TOML, nested too deep."""
    regular_file(path, path.name, fix="give the path of a manifest file (TOML)", limit=MAX_MANIFEST_BYTES,
                 too_big="a manifest is a few kB of TOML; check that this is the manifest")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"is not UTF-8 text (byte {exc.start}); save the manifest as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, f"is not valid TOML: {exc}; fix that line (text values go in double quotes)") from None
    except RecursionError:
        raise _fail(path, "is not a manifest: its arrays or tables are nested too deeply to read (a manifest "
                          "needs three levels at most, like [indicators.meta.KEY]); remove the deep value") from None


def read_manifest(path: str | Path) -> Manifest:
    """Parse and check a manifest; raise LoadError with the file, section and key on any mistake."""
    path = Path(path).absolute()
    raw = _parse(path)
    check_section(path.name, "top level", TOP, raw)
    path = path.resolve()
    layers = _layers(path, raw)
    spending = _table(path, raw, "spending", SPENDING)
    if spending is not None:
        _check_spending(path, spending)
    indicators, meta = _indicators(path, raw)
    manifest = Manifest(
        path=path,
        name=str(raw.get("name", path.stem)),
        currency=str(raw.get("currency", "USD")),
        note=str(raw.get("note", "")),
        source=str(raw.get("source", "")),
        as_of=str(raw.get("as_of", "")),
        refresh_months=raw.get("refresh_months"),
        districts=layers[0],
        population=_table(path, raw, "population", POPULATION),
        spending=spending,
        indicators=indicators,
        plans=_plans(path, raw),
        indicator_meta=meta,
        layers=layers,
        engine=str(raw.get("engine", "auto")),
        draft=raw.get("draft", False) is True,
        citywide_label=str(raw.get("citywide_label", "Citywide")).strip(),
    )
    _check_layer_refs(path, manifest)
    return manifest
