"""Read a dataset manifest (TOML): which files a city has and what their columns mean.

A new city needs a manifest, not code. Every key the loaders understand is listed
in the ``*_KEYS`` tables below (the indicator ones live in loaders.indicator_manifest
with their checks), so a typo in a manifest is reported instead of silently ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomllib

from loaders.indicator_manifest import INDICATOR_KEYS, check_indicator_table, merge_meta
from budgetmap.model import IndicatorMeta
from loaders.keyrules import RULE_KEYS, check_rules
from loaders.problems import LoadError
from loaders.sources import SOURCE_KEYS, check_source, database_name

TOP_KEYS = {"name", "currency", "note", "source", "as_of", "districts", "layers", "population",
            "spending", "indicators", "plans", "engine"}
DISTRICT_KEYS = {*SOURCE_KEYS, "id", "name", "population", "crs", "layer", "keep", "area_km2", "valid_from",
                 "population_year"}
#: A [[layers]] entry is a [districts] table with a key, a label and an optional default flag.
LAYER_KEYS = DISTRICT_KEYS | {"key", "label", "default"}
DEFAULT_LAYER = "districts"  # the key of a lone [districts] table
ENGINES = ("auto", "pandas", "duckdb")
POPULATION_KEYS = {*SOURCE_KEYS, "district", "population", "year", "population_year", "aliases", "sheet",
                   "encoding", "layer", *RULE_KEYS}
SPENDING_KEYS = {*SOURCE_KEYS, "district", "citywide", "year", "years", "amount", "budget",
                 "actual", "values", "department", "program", "fund", "project", "period",
                 "aliases", "sheet", "encoding", "layer", "lon", "lat", "geometry", "crs", *RULE_KEYS}
PLAN_KEYS = {*SOURCE_KEYS, "sheet", "encoding"}
DEFAULT_CITYWIDE = ("citywide", "city-wide", "city wide", "all districts")


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

    @property
    def display_name(self) -> str:
        """How messages name the source: the file name, or "table s.t on host:port/db" (no password)."""
        if self.url is None:
            return self.path.name if self.path is not None else self.section
        what = f"table {self.table}" if self.table is not None else f"query of [{self.section}]"
        return f"{what} on {database_name(self.url)}"

    def column(self, key: str) -> str | None:
        return self.columns.get(key)


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
    population: TableSpec | None = None
    spending: TableSpec | None = None
    indicators: tuple[TableSpec, ...] = ()  # one per [indicators] or [[indicators]] table
    plans: TableSpec | None = None
    indicator_meta: dict[str, IndicatorMeta] = field(default_factory=dict)  # from every table's meta
    layers: tuple[TableSpec, ...] = ()  # every boundary layer, the default first
    engine: str = "auto"  # which ledger holds the line items: auto (by size), pandas or duckdb

    def layer_of(self, spec: TableSpec | None) -> str:
        """The boundary layer a table's district keys belong to (its ``layer`` key, else the default)."""
        return str(spec.options.get("layer") or self.layers[0].options["key"]) if spec else self.layers[0].options["key"]


def _fail(path: Path, message: str) -> LoadError:
    return LoadError(f"{path.name}: {message}")


def _check_keys(path: Path, section: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(unknown)} in [{section}]; "
                          f"allowed: {', '.join(sorted(allowed))}")


def _table(path: Path, raw: dict[str, Any], section: str, allowed: set[str],
           required: tuple[str, ...]) -> TableSpec | None:
    """Build a TableSpec, splitting column names (strings) from options (lists, tables)."""
    table = raw.get(section)
    if table is None:
        return None
    return _spec(path, table, section, allowed, required)


def _spec(path: Path, table: Any, section: str, allowed: set[str], required: tuple[str, ...]) -> TableSpec:
    if not isinstance(table, dict):
        raise _fail(path, f"[{section}] must be a table")
    _check_keys(path, section, table, allowed)
    source = check_source(path.name, section, table)  # 'path', or 'url' with 'table' or 'query'
    for key in required:
        if key not in table and key != "path":
            raise _fail(path, f"[{section}] needs '{key}'")
    file_path = (path.parent / str(table["path"])).resolve() if "path" in table else None
    columns = {k: v for k, v in table.items() if isinstance(v, str) and k not in
               {"crs", "layer", "gis_layer", "sheet", "encoding", "key", "label", *SOURCE_KEYS, *RULE_KEYS}}
    wrong = check_rules(f"[{section}]", table)
    if wrong:
        raise _fail(path, wrong)
    options = {k: v for k, v in table.items() if k not in columns and k not in SOURCE_KEYS}
    return TableSpec(section=section, path=file_path, columns=columns, options=options, **source)


def _check_spending(path: Path, spec: TableSpec) -> None:
    if "year" not in spec.columns and "years" not in spec.options:
        raise _fail(path, "[spending] needs 'year' (a column) or 'years' (one column per year)")
    if "years" in spec.options and not isinstance(spec.options["years"], list):
        raise _fail(path, "[spending] 'years' must be a list of column names")
    if not ({"amount", "budget", "actual"} & spec.columns.keys()) and "years" not in spec.options:
        raise _fail(path, "[spending] needs 'amount', or 'budget' and/or 'actual'")
    if spec.columns.get("values", "actual") not in ("actual", "budget"):
        raise _fail(path, "[spending] 'values' (what the year columns hold) must be 'actual' or 'budget'")
    citywide = spec.options.get("citywide", [])
    if not isinstance(citywide, list):
        raise _fail(path, "[spending] 'citywide' must be a list of values")


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
            raise _fail(path, "[[indicators]] is empty")
        tables = [(f"indicators #{i}", t) for i, t in enumerate(given, start=1)]
    else:
        tables = [("indicators", given)]
    specs = []
    for section, table in tables:
        if not isinstance(table, dict):
            raise _fail(path, f"[{section}] must be a table")
        _check_keys(path, section, table, INDICATOR_KEYS)
        check_indicator_table(path.name, section, table)
        specs.append(_spec(path, table, section, INDICATOR_KEYS, ("path",)))
    return tuple(specs), merge_meta(path.name, tables)


def _layers(path: Path, raw: dict[str, Any]) -> tuple[TableSpec, ...]:
    """``[districts]`` (one layer, key "districts") or ``[[layers]]`` (several); the default first."""
    if "layers" in raw and "districts" in raw:
        raise _fail(path, "give either [districts] (one boundary layer) or [[layers]] (several), not both")
    if "layers" not in raw:
        single = _table(path, raw, "districts", DISTRICT_KEYS, ("path", "id"))
        if single is None:
            raise _fail(path, "a manifest needs a [districts] table (or [[layers]]) with 'path' and 'id'")
        return (replace(single, options={**single.options, "key": DEFAULT_LAYER, "label": "Districts"}),)
    given = raw["layers"]
    if not isinstance(given, list) or not given:
        raise _fail(path, "[[layers]] must be a list of tables, each like [districts] with a 'key'")
    specs = []
    for i, table in enumerate(given, start=1):
        if not isinstance(table, dict) or not isinstance(table.get("key"), str) or not table["key"].strip():
            raise _fail(path, f"[[layers]] #{i} needs a 'key' (a short name such as \"council\")")
        spec = _spec(path, table, f"layers #{i}", LAYER_KEYS, ("path", "id", "key"))
        label = str(table.get("label") or table["key"])
        specs.append(replace(spec, options={**spec.options, "key": table["key"].strip(), "label": label}))
    keys = [s.options["key"] for s in specs]
    if len(set(keys)) != len(keys):
        raise _fail(path, f"[[layers]] keys must differ; got {', '.join(keys)}")
    defaults = [s for s in specs if s.options.get("default") is True]
    if len(defaults) > 1:
        raise _fail(path, "only one of [[layers]] may say default = true")
    return tuple(defaults + [s for s in specs if s not in defaults])


def _engine(path: Path, raw: dict[str, Any]) -> str:
    engine = raw.get("engine", "auto")
    if engine not in ENGINES:
        raise _fail(path, f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    return str(engine)


def _check_layer_refs(path: Path, manifest: "Manifest") -> None:
    keys = [s.options["key"] for s in manifest.layers]
    for spec in (manifest.population, manifest.spending, *manifest.indicators):
        if spec is not None and spec.options.get("layer") is not None and spec.options["layer"] not in keys:
            raise _fail(path, f"[{spec.section}] layer = {spec.options['layer']!r} names no boundary layer; "
                              f"layers are: {', '.join(keys)}")


def read_manifest(path: str | Path) -> Manifest:
    """Parse and check a manifest; raise LoadError with the file and key on any mistake."""
    path = Path(path).resolve()
    if not path.is_file():
        raise LoadError(f"{path}: manifest not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"is not valid TOML: {exc}") from None
    _check_keys(path, "top level", raw, TOP_KEYS)
    layers = _layers(path, raw)
    districts = layers[0]
    spending = _table(path, raw, "spending", SPENDING_KEYS, ("path",))
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
        districts=districts,
        population=_table(path, raw, "population", POPULATION_KEYS,
                          ("path", "district", "population")),
        spending=spending,
        indicators=indicators,
        plans=_table(path, raw, "plans", PLAN_KEYS, ("path",)),
        indicator_meta=meta,
        layers=layers,
        engine=_engine(path, raw),
    )
    _check_layer_refs(path, manifest)
    return manifest
