"""Read one indicator table, whatever its shape, into the model's rows.

Performance data is published in three shapes and the manifest says which:

* columns: one row per indicator, year and district, with a column per value
  (``actual``, ``target``, ``standard``, ``estimate``);
* kind: one value per row and a column saying what it is (Portland's Budget in
  Brief: ``Budget Type`` = Actual / Estimate / Target), pivoted here;
* counts: rows of category counts (corners with improved / unimproved curb
  ramps), from which the actual share and its weight (the total) are computed.

Whatever the shape, each (indicator, year, district) gets one row, a repeated one
is a problem naming both rows, and every row read is either used, listed as a
problem, reported as an unmatched key, or counted in a note.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from loaders.indicator_manifest import VALUE_KEYS, indicator_name
from loaders.joins import match_keys, table_keys
from loaders.keyrules import join_args
from loaders.keyreport import unmatched_keys
from loaders.manifest import DEFAULT_CITYWIDE, TableSpec
from budgetmap.model import INDICATOR_COLUMNS
from loaders.problems import LoadError, RowProblem
from budgetmap.model import TableReport, UnmatchedKey
from loaders.tables import first_row, read_source, require_columns, with_source_rows
from loaders.periods import parse_periods
from loaders.values import fiscal_year_of_label, parse_fiscal_years, parse_numbers
from budgetmap.model.periods import DEFAULT_YEAR_START

#: dkey: the district id, "" for a citywide row; pkey: the period's label ("Q2"), "" for an annual value
KEY = ["indicator", "fiscal_year", "dkey", "pkey"]
COLUMN_KEYS = ("district", "year", "indicator", *VALUE_KEYS, "weight", "kind", "value", "count", "category", "period")
_EXAMPLES = 3


@dataclass
class IndicatorRows:
    """One table's rows in the model's columns, its report, and where its own weights came from."""

    frame: pd.DataFrame
    report: TableReport
    weight_column: str | None = None  # the file column behind ``weight`` (weight or count), if any
    unmatched: list[UnmatchedKey] = field(default_factory=list)
    joined: pd.DataFrame | None = None  # distinct (raw_district, district_id, location): for rule suggestions


def _absent(value: str, what: str) -> str:
    """Reason for a required cell that is blank, or holds a "no value" marker such as "-" or "n/a"."""
    return f"the {what} is missing" if not value.strip() else f"stands for no {what}; one is needed"


def _keys(frame: pd.DataFrame, spec: TableSpec, districts: gpd.GeoDataFrame,
          year_start: int) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Indicator, year, district (and period, for in-year values) of every row, and which rows have them all."""
    file, rows, constant = spec.display_name, frame["source_row"], spec.options.get("constant", {})
    problems: list[RowProblem] = []
    name_col, year_col, district_col = spec.column("indicator"), spec.column("year"), spec.column("district")
    if name_col:
        codes, uniques = pd.factorize(frame[name_col], use_na_sentinel=False)  # a few names over many rows: each cleaned once
        names = pd.Series(np.array([indicator_name(u) for u in uniques] or [""], dtype=object)[codes],
                          index=frame.index)
        problems += [RowProblem(file, int(r), name_col, "", "the indicator name is missing") for r in rows[names.eq("")]]
    else:
        names = pd.Series(indicator_name(constant["indicator"]), index=frame.index, dtype=object)
    if year_col:
        years, found = parse_fiscal_years(frame[year_col], file=file, column=year_col, rows=rows)
        empty = years.isna() & ~rows.isin([p.row for p in found])  # blank, "-", "n/a"...
        problems += found + [RowProblem(file, int(r), year_col, v, _absent(v, "fiscal year"))
                             for r, v in zip(rows[empty], frame.loc[empty, year_col])]
    else:
        years = pd.Series(fiscal_year_of_label(str(constant["year"])), index=frame.index, dtype="Int64")
    raw = table_keys(frame, district_col, spec.options, file, spec.section)
    district_id, location = match_keys(raw, districts["district_id"], spec.options.get("aliases", {}),
                                       spec.options.get("citywide", DEFAULT_CITYWIDE),
                                       **join_args(spec.options, districts, f"[{spec.section}] ({spec.display_name})"))
    keys = pd.DataFrame({"indicator": names.astype(object), "fiscal_year": years, "district_id": district_id,
                         "location": location, "raw_district": raw.astype(str).str.strip(),
                         "source_row": rows})
    keys["dkey"] = keys["district_id"].fillna("").astype(object)
    keys["pkey"], bad_period = "", pd.Series(False, index=frame.index)
    if spec.column("period"):  # in-year values; a blank period cell is the year's annual value
        periods, found = parse_periods(frame[spec.columns["period"]], years, file=file,
                                       column=spec.columns["period"], rows=rows, year_start=year_start, groups=names)
        problems += found
        keys["pkey"] = [p.label if p is not None else "" for p in periods]
        bad_period = rows.isin([p.row for p in found])
    keys["ok"] = names.ne("") & years.notna() & location.isin(["district", "citywide", "no_location"]) & ~bad_period
    return keys, problems


def _numbers(frame: pd.DataFrame, spec: TableSpec, key: str, missing: list) -> tuple[pd.Series, list[RowProblem], int]:
    column = spec.column(key)
    if column is None:
        return pd.Series(np.nan, index=frame.index), [], 0
    return parse_numbers(frame[column], file=spec.display_name, column=column, rows=frame["source_row"],
                         missing=missing)


def _weights(frame: pd.DataFrame, spec: TableSpec, key: str) -> tuple[pd.Series, list[RowProblem]]:
    """A weight or count column: numbers that cannot be negative."""
    values, problems, _ = _numbers(frame, spec, key, [])
    column = spec.column(key)
    if column is None:
        return values, problems
    negative = values < 0
    problems += [RowProblem(spec.display_name, int(r), column, str(v), "is negative; a weight or count cannot be")
                 for r, v in zip(frame.loc[negative, "source_row"], frame.loc[negative, column])]
    return values.where(~negative), problems


def _kinds(frame: pd.DataFrame, spec: TableSpec) -> tuple[pd.Series, list[RowProblem]]:
    """The model column each row's value belongs to; None (and a problem) for kinds the manifest does not name."""
    names = {}
    for key, labels in spec.options["kinds"].items():
        for label in [labels] if isinstance(labels, str) else labels:
            names[label.strip().casefold()] = key
    column = spec.columns["kind"]
    text = frame[column].str.strip()
    kind = text.str.casefold().map(names)
    listed = ", ".join(f"{k} = {v!r}" for k, v in spec.options["kinds"].items())
    problems = [RowProblem(spec.display_name, int(r), column, t,
                           f"{'is not a kind' if t else 'the kind is missing; it must be one'} the manifest "
                           f"names (kinds: {listed})")
                for r, t in zip(frame.loc[kind.isna(), "source_row"], text[kind.isna()])]
    return kind.astype(object).where(kind.notna(), None), problems


def _place(row: pd.Series) -> str:
    where = f"district {row['dkey']}" if row["dkey"] else "citywide"
    return f"{where}, period {row['pkey']}" if row.get("pkey") else where


def _repeats(rows: pd.DataFrame, spec: TableSpec, sub: str | None) -> tuple[np.ndarray, list[RowProblem]]:
    """Rows repeating an earlier one's indicator, year, district (and kind or category): the first is used."""
    cols = KEY + ([sub] if sub else [])
    candidates = rows[rows["ok"]]
    first = candidates.groupby(cols, sort=False, dropna=False)["source_row"].transform("first")
    repeat = candidates.duplicated(cols, keep="first")
    column = spec.column(sub or "indicator")
    problems = []
    for i in candidates.index[repeat]:
        row, was = candidates.loc[i], int(first[i])
        extra = f", {sub} {row['sub_text']!r}" if sub else ""
        problems.append(RowProblem(spec.display_name, int(row["source_row"]), column, None,
                                   f"repeats row {was} (indicator {row['indicator']!r}, fiscal year "
                                   f"{row['fiscal_year']}, {_place(row)}{extra}); row {was} is used, this row is not"))
    return rows.index.isin(candidates.index[repeat]), problems


def _pivot(used: pd.DataFrame, spec: TableSpec) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Kind rows to one row per key, a column per kind; weights must agree within a key."""
    wide = used.set_index([*KEY, "kind"])["value"].unstack("kind").reindex(columns=list(VALUE_KEYS))
    problems: list[RowProblem] = []
    if spec.column("weight"):
        first = used.groupby(KEY, sort=False)["weight"].transform("first")
        differ = used["weight"].notna() & first.notna() & used["weight"].ne(first)
        problems += [RowProblem(spec.display_name, int(r), spec.columns["weight"], f"{w:g}",
                                f"differs from the weight {f:g} an earlier row gives the same indicator, year "
                                f"and district; {f:g} is used")
                     for r, w, f in zip(used.loc[differ, "source_row"], used.loc[differ, "weight"], first[differ])]
        wide["weight"] = used.groupby(KEY, sort=False)["weight"].first()
    else:
        wide["weight"] = np.nan
    return wide.reset_index(), problems


def _shares(used: pd.DataFrame, spec: TableSpec, report: TableReport) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Counts to actual = 100 x numerator / total, weight = total, per key."""
    numerator = {c.strip().casefold() for c in spec.options["numerator"]}
    category = spec.columns["category"]
    present = sorted(set(used["sub_text"]))
    counted = [c for c in present if c.casefold() in numerator]
    if used.size and not counted:
        raise LoadError(f"{spec.display_name}: no row has {', '.join(map(repr, spec.options['numerator']))} in column "
                        f"{category!r} (set by {spec.section}.numerator); the categories are: "
                        f"{', '.join(map(repr, present))}")
    others = [c for c in present if c not in counted]
    report.notes.append(f"actual = 100 x ({' + '.join(counted)}) / sum of column {spec.columns['count']!r}, "
                        f"weight = that sum" + (f"; counted only in the sum: {', '.join(others)}" if others else ""))
    top = used["count"].where(used["sub_text"].str.casefold().isin(numerator), 0.0)
    groups = used.assign(top=top, bad=used["count"].isna()).groupby(KEY, sort=False)
    out = groups.agg(total=("count", "sum"), top=("top", "sum"), bad=("bad", "any"),
                     source_row=("source_row", "first")).reset_index()
    good = ~out["bad"] & out["total"].gt(0)
    out["actual"] = (100.0 * out["top"] / out["total"]).where(good)
    out["weight"] = out["total"].where(~out["bad"])
    problems = [RowProblem(spec.display_name, int(r["source_row"]), spec.columns["count"], "0",
                           f"the counts for {r['indicator']!r}, fiscal year {r['fiscal_year']}, {_place(r)} add up "
                           "to 0, so no share can be computed")
                for _, r in out[~out["bad"] & out["total"].eq(0)].iterrows()]
    for key in ("target", "standard", "estimate"):
        out[key] = np.nan
    return out, problems


def read_indicator_table(spec: TableSpec, districts: gpd.GeoDataFrame, join_label: str,
                         year_start: int = DEFAULT_YEAR_START) -> IndicatorRows:
    """Read, check and reshape one table; ``join_label`` names it in the join diagnostics.

    ``year_start`` (the fiscal year's first calendar month) reads month names of a period column.
    """
    frame = read_source(spec)
    frame = with_source_rows(frame, first_row=first_row(spec.path))
    require_columns(frame, {k: v for k, v in spec.columns.items() if k in COLUMN_KEYS},
                    file=spec.display_name, section=spec.section)
    report = TableReport("indicators", spec.display_name, rows_read=len(frame), notes=list(frame.attrs.get("notes", [])))
    rows, problems = _keys(frame, spec, districts, year_start)
    missing = list(spec.options.get("missing", []))
    form = "kind" if spec.column("kind") else "counts" if spec.column("count") else "columns"
    sub = None
    if form == "columns":
        for key in VALUE_KEYS:
            rows[key], found, n = _numbers(frame, spec, key, missing)
            problems += found
            report.cells_missing += n
        rows["weight"], found = _weights(frame, spec, "weight")
        problems += found
    elif form == "kind":
        rows["kind"], found = _kinds(frame, spec)
        rows["value"], more, report.cells_missing = _numbers(frame, spec, "value", missing)
        rows["weight"], weights = _weights(frame, spec, "weight")
        problems += found + more + weights
        rows["ok"] &= rows["kind"].notna()
        rows["sub_text"], sub = frame[spec.columns["kind"]].str.strip(), "kind"
    else:
        rows["count"], found = _weights(frame, spec, "count")
        blank = rows["count"].isna() & ~rows["source_row"].isin([p.row for p in found])  # "", "-", "n/a"...
        problems += found + [RowProblem(spec.display_name, int(r), spec.columns["count"], v, _absent(v, "count"))
                             for r, v in zip(rows.loc[blank, "source_row"], frame.loc[blank, spec.columns["count"]])]
        rows["sub_text"] = frame[spec.columns["category"]].str.strip()
        rows["category"], sub = rows["sub_text"].str.casefold(), "category"
    repeated, found = _repeats(rows, spec, sub)
    problems += found
    rows["ok"] &= ~repeated
    used = rows[rows["ok"]]
    if form == "kind":
        out, found = _pivot(used, spec)
    elif form == "counts":
        out, found = _shares(used, spec, report)
    else:
        out, found = used.copy(), []
    problems += found
    unmatched = unmatched_keys(join_label, rows, list(districts["district_id"]))
    return _finish(out, rows, spec, report, problems, missing, unmatched,
                   spec.column("weight") or spec.column("count"))


def _index(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[KEY].astype(object)) if len(frame) else \
        pd.MultiIndex.from_tuples([], names=KEY)


def _finish(out: pd.DataFrame, rows: pd.DataFrame, spec: TableSpec, report: TableReport,
            problems: list[RowProblem], missing: list, unmatched: list[UnmatchedKey],
            weight_column: str | None) -> IndicatorRows:
    """Drop keys with no value at all (saying so), count the rows used, and shape the model frame."""
    if report.cells_missing:
        report.notes.append(f"{report.cells_missing} cell(s) read as not reported "
                            f"(missing = {missing} in the manifest)")
    has_value = out[list(VALUE_KEYS)].notna().any(axis=1)
    keys = pd.MultiIndex.from_frame(rows[KEY].astype(object))
    empty = out[~has_value]
    if len(empty):
        behind = int((rows["ok"] & keys.isin(_index(empty))).sum())
        shown = "; ".join(f"{r['indicator']!r} FY{r['fiscal_year']} {_place(r)}" for _, r in empty.head(_EXAMPLES).iterrows())
        more = f" and {len(empty) - _EXAMPLES} more" if len(empty) > _EXAMPLES else ""
        report.notes.append(f"{len(empty)} indicator-year(s) ({behind} row(s)) have no value at all (every cell "
                            f"empty{' or read as missing' if missing else ''}) and are left out: {shown}{more}")
    out = out[has_value]
    report.rows_used = int((rows["ok"] & keys.isin(_index(out))).sum())
    if not spec.column("district"):
        report.notes.append("no district column: every row is a citywide figure")
    report.add_problems(sorted(problems, key=lambda p: p.row or 0))
    frame = out.assign(district_id=out["dkey"].where(out["dkey"].ne(""), None).astype(object), period=out["pkey"])
    frame = frame[[c for c in INDICATOR_COLUMNS if c != "layer"] + ["period"]].reset_index(drop=True)
    frame["fiscal_year"] = frame["fiscal_year"].astype(int)
    frame["indicator"] = frame["indicator"].astype(object)
    return IndicatorRows(frame, report, weight_column, unmatched,
                         rows[["raw_district", "district_id", "location"]].drop_duplicates())
