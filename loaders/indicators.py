"""Read every indicator table of a manifest into one frame, with weights and city goals filled.

Each table is read on its own (loaders.indicator_table); this module joins them
and applies what only the manifest's descriptions know: what a "weighted"
roll-up weighs each row by, and the city's goal for rows that carry none.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import difflib

import geopandas as gpd
import numpy as np
import pandas as pd

from loaders.keyreport import suggest_rules
from loaders.indicator_table import IndicatorRows, read_indicator_table
from loaders.manifest import TableSpec
from budgetmap.model import INDICATOR_COLUMNS, INDICATOR_PERIOD_COLUMNS, IndicatorMeta
from budgetmap.model.periods import DEFAULT_YEAR_START
from loaders.problems import LoadError
from budgetmap.model import LoadReport


def _district_weight(meta: IndicatorMeta, districts: gpd.GeoDataFrame) -> pd.Series | None:
    """The numeric district column a weighted roll-up names (e.g. kept street miles), if it is one."""
    column = meta.weight
    if column is None or column not in districts.columns or column in ("district_id", "name", "geometry"):
        return None
    return pd.to_numeric(districts.set_index("district_id")[column], errors="coerce").astype(float)


def _apply_weights(rows: IndicatorRows, spec: TableSpec, meta: dict[str, IndicatorMeta],
                   districts: gpd.GeoDataFrame) -> None:
    """Weights by the meta's rule: a district column first, else the table's own per-row weight.

    Rows of indicators that do not roll up by weight get NaN, as the model says.
    """
    frame = rows.frame
    weights = pd.Series(np.nan, index=frame.index)
    for key in frame["indicator"].unique():
        m = meta[key]
        if m.rollup != "weighted":
            continue
        mine = frame["indicator"].eq(key)
        by_district = _district_weight(m, districts)
        if by_district is not None:
            weights[mine] = frame.loc[mine, "district_id"].map(by_district).astype(float)
            continue
        where = f"[{spec.section}] ({spec.display_name}): indicator {key!r} has rollup = \"weighted\""
        if rows.weight_column is None:
            named = f"weight = {m.weight!r}, which is not a district column" if m.weight else "no weight"
            raise LoadError(f"{where} and {named}; list the district column under [districts] keep, or "
                            f"name the table's own weight column with weight = \"<column>\" in [{spec.section}]")
        if m.weight is not None and m.weight != rows.weight_column:
            raise LoadError(f"{where} and weight = {m.weight!r}, which is neither a district column nor "
                            f"this table's weight column {rows.weight_column!r}")
        weights[mine] = frame.loc[mine, "weight"]
    frame["weight"] = weights


def _fill_targets(rows: IndicatorRows, meta: dict[str, IndicatorMeta]) -> None:
    """A row without a target takes the city's goal for its year from the manifest, when there is one."""
    frame = rows.frame
    keys = frame[["indicator", "fiscal_year"]]
    pairs = keys.drop_duplicates()  # a few per table: the goal is looked up once per pair, not per row
    pairs = pairs.assign(goal=[meta[k].city_target(int(y)) for k, y in zip(pairs["indicator"], pairs["fiscal_year"])])
    goals = pd.Series(keys.merge(pairs, how="left", on=["indicator", "fiscal_year"])["goal"].to_numpy(dtype=float),
                      index=frame.index)
    fill = frame["target"].isna() & goals.notna()
    if fill.any():
        frame.loc[fill, "target"] = goals[fill]
        rows.report.notes.append(f"{int(fill.sum())} row(s) take their target from the manifest "
                                 "(indicators.meta target / targets)")


def _undescribed(meta: dict[str, IndicatorMeta], names: set[str]) -> list[str]:
    """Warnings for descriptions that match no indicator: usually a typo in a long name."""
    out = []
    for key in sorted(set(meta) - names):
        close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        out.append(f"indicators.meta describes {key!r}, which no indicator table has{hint}")
    return out


def read_indicators(specs: tuple[TableSpec, ...], meta: dict[str, IndicatorMeta],
                    layers: Mapping[str, gpd.GeoDataFrame], layer_of: Callable[[TableSpec], str],
                    report: LoadReport, year_start: int = DEFAULT_YEAR_START
                    ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, IndicatorMeta]]:
    """All indicator tables in the model's long form (with the ``layer`` their keys belong to).

    Returns (annual rows, in-year rows, descriptions): rows of a table with a
    ``period`` column whose period is given are in-year values
    (``INDICATOR_PERIOD_COLUMNS``), kept apart so every annual map still has one
    value per indicator, year and district. Indicators the manifest does not
    describe get a plain one (label = name); a description that matches no table
    is a warning.
    """
    parts = []
    for spec in specs:
        label = "indicators" if len(specs) == 1 else f"indicators ({spec.display_name})"
        districts = layers[layer_of(spec)]
        rows = read_indicator_table(spec, districts, label, year_start)
        report.tables.append(rows.report)
        report.unmatched.extend(rows.unmatched)
        if rows.joined is not None:
            suggest_rules(report, label, rows.joined, districts, spec.options)
        parts.append((spec, rows))
    meta = dict(meta)
    names = set().union(*(set(rows.frame["indicator"]) for _, rows in parts)) if parts else set()
    for key in sorted(names - set(meta)):
        meta[key] = IndicatorMeta(key=key, label=key)
    for spec, rows in parts:
        _apply_weights(rows, spec, meta, layers[layer_of(spec)])
        _fill_targets(rows, meta)
    report.warnings.extend(_undescribed(meta, names))
    frames = [rows.frame.assign(layer=layer_of(spec)) for spec, rows in parts if len(rows.frame)]
    every = pd.concat(frames, ignore_index=True) if frames else empty_indicators().assign(period="")
    annual, in_year = every[every["period"].eq("")], every[every["period"].ne("")]
    report.warnings.extend(_path_warnings(meta, in_year))
    return (annual.reset_index(drop=True)[list(INDICATOR_COLUMNS)],
            in_year.reset_index(drop=True)[list(INDICATOR_PERIOD_COLUMNS)], meta)


def _path_warnings(meta: dict[str, IndicatorMeta], in_year: pd.DataFrame) -> list[str]:
    """A manifest ``path`` whose length does not fit the indicator's periods (4 a year, or 12) is not used."""
    out = []
    for key in sorted(set(in_year["indicator"])):
        path = meta[key].path
        labels = in_year.loc[in_year["indicator"].eq(key), "period"]
        per_year = 12 if labels.str.startswith("M").any() else 4
        if path and len(path) != per_year:
            out.append(f"indicators.meta.{key} path has {len(path)} values but {key!r} is reported by "
                       f"{'month' if per_year == 12 else 'quarter'} ({per_year} a year): it is checked against "
                       "a straight line; give one value per period")
    return out


def empty_indicators() -> pd.DataFrame:
    """The indicators frame with no rows, with the model's column types."""
    types = {"indicator": object, "fiscal_year": "int64", "district_id": object, "layer": object}
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, float)) for c in INDICATOR_COLUMNS})
