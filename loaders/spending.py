"""Read a spending table (long or wide) into the model's spending frame.

Money is parsed to integer cents and every row is accounted for: used rows go
into the frame with their location (district, citywide, unmatched, no location);
rows that cannot be used are listed with file, row and column, and whatever
money they carry is counted as ``rejected`` in the reconciliation.
"""
from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from budgetmap import fmt
from budgetmap.model import CATEGORY_COLUMNS, exact_sum
from budgetmap.sources.frame import LINE_COLUMNS, key_columns
from loaders.joins import match_keys, table_keys
from loaders import keypairs
from loaders.keyrules import active, join_args
from loaders.manifest import DEFAULT_CITYWIDE, TableSpec
from loaders.duplicates import note, repeats
from loaders.points import has_points, locate_points
from loaders.progress import Progress, nothing, part
from loaders.problems import RowProblem
from budgetmap.model import TableReport
from loaders.tables import melt_years, read_source, require_columns, with_source_rows
from loaders.values import fiscal_year_of_label, parse_amounts, parse_fiscal_years


#: Rows refused as a whole (no amount, or money with no fiscal year) are listed, the first ones,
#: up to this many each; the rest are counted in the totals of the reconciliation.
MAX_ROW_PROBLEMS = 200
NO_AMOUNT = "row has no amount"
NO_YEAR = "row has no fiscal year; its money is counted as rejected"


def _long_frame(spec: TableSpec, progress: Progress) -> tuple[pd.DataFrame, int, dict[int, int]]:
    """The table in long form (one amount per row), the number of lines read, and its repeated rows."""
    frame = with_source_rows(read_source(spec, progress=progress))
    found = repeats(frame, [c for c in frame.columns if c != "source_row"])
    needed = {k: v for k, v in spec.columns.items() if k != "values"}
    years = spec.options.get("years")
    if years:
        require_columns(frame, {**needed, **{f"years[{i}]": c for i, c in enumerate(years)}},
                        file=spec.display_name, section=spec.section)
        read = len(frame)
        long = melt_years(frame, years, file=spec.display_name, value_name="__amount")
        long = long[long["__amount"].astype(str).str.strip() != ""]
        label = {fiscal_year_of_label(c): c for c in years}
        long["__column"] = long["fiscal_year"].map(label)  # messages name the file's own column
        return long.reset_index(drop=True), read, found
    require_columns(frame, needed, file=spec.display_name, section=spec.section)
    return frame, len(frame), found


def _amount_columns(spec: TableSpec) -> dict[str, str]:
    """Model column -> file column for the money in this table."""
    if spec.options.get("years"):
        return {f"{spec.options.get('values', 'actual')}_cents": "__amount"}
    out = {}
    if "actual" in spec.columns:
        out["actual_cents"] = spec.columns["actual"]
    elif "amount" in spec.columns:
        out["actual_cents"] = spec.columns["amount"]
    if "budget" in spec.columns:
        out["budget_cents"] = spec.columns["budget"]
    return out


def _years(frame: pd.DataFrame, spec: TableSpec) -> tuple[pd.Series, list[RowProblem]]:
    if "fiscal_year" in frame.columns and spec.options.get("years"):
        return frame["fiscal_year"].astype("Int64"), []
    return parse_fiscal_years(frame[spec.columns["year"]], file=spec.display_name,
                              column=spec.columns["year"], rows=frame["source_row"])


def _parse_money(frame: pd.DataFrame, spec: TableSpec) -> tuple[dict[str, pd.Series], list[RowProblem]]:
    money: dict[str, pd.Series] = {}
    problems: list[RowProblem] = []
    for model_col, file_col in _amount_columns(spec).items():
        values, found = parse_amounts(frame[file_col], file=spec.display_name, column=file_col,
                                      rows=frame["source_row"])
        money[model_col] = values
        if "__column" in frame.columns:  # wide table: name the year column, not our own
            where = {(int(r), str(v).strip()): c for r, v, c in
                     zip(frame["source_row"], frame[file_col], frame["__column"])}
            found = [RowProblem(p.file, p.row, where.get((p.row, p.value), p.column), p.value, p.reason)
                     for p in found]
        problems.extend(found)
    return money, problems


def read_spending(spec: TableSpec, layers: Mapping[str, gpd.GeoDataFrame], table_layer: str,
                  progress: Progress | None = None) -> tuple[pd.DataFrame, TableReport, dict[str, int]]:
    """Return (line item frame, table report, rejected cents per amount column).

    The frame has ``budgetmap.sources.frame.LINE_COLUMNS`` plus, for every layer, a
    district key and a location (``key_columns``). Rows keyed by district name the
    table's own layer and are "other_layer" on the others; rows located by
    coordinates are placed in every layer (``loaders.points``). ``progress`` hears the
    share of the file read, then the join.
    """
    frame, rows_read, found = _long_frame(spec, part(progress, 0.0, 0.8))
    frame = frame.reset_index(drop=True)
    report = TableReport("spending", spec.display_name, rows_read=rows_read)
    report.notes.extend(frame.attrs.get("notes", []))
    years, year_problems = _years(frame, spec)
    money, money_problems = _parse_money(frame, spec)
    out = pd.DataFrame({"fiscal_year": years.reset_index(drop=True)})
    for col in ("budget_cents", "actual_cents"):
        out[col] = money.get(col, pd.Series(pd.NA, index=frame.index, dtype="Int64")).reset_index(drop=True)
    for col in (*CATEGORY_COLUMNS, "period"):
        name = spec.column(col)
        out[col] = frame[name].astype(str).str.strip() if name else ""
    raw = table_keys(frame, spec.column("district"), spec.options, spec.display_name, spec.section)
    out["raw_district"] = raw.astype(str).str.strip()
    out["source_row"] = frame["source_row"].astype(int)
    point_problems: list[RowProblem] = []
    (progress or nothing)(0.85, "joining the keys to the districts")
    if has_points(spec):
        placed, point_problems, points = locate_points(frame, spec, layers)
        out["point"] = points.to_numpy()
        for layer in layers:
            out[key_columns(layer)[0]], out[key_columns(layer)[1]] = placed[layer]
    else:
        for layer, districts in layers.items():
            district, location = key_columns(layer)
            if layer == table_layer:
                out[district], out[location] = match_keys(
                    raw, list(districts["district_id"]), spec.options.get("aliases", {}),
                    spec.options.get("citywide", DEFAULT_CITYWIDE),
                    **join_args(spec.options, districts, f"[{spec.section}] ({spec.display_name})"))
            else:
                out[district], out[location] = None, "other_layer"
    no_money = out["budget_cents"].isna() & out["actual_cents"].isna()
    bad_year = out["fiscal_year"].isna()
    problems = year_problems + money_problems + point_problems
    missing = out.loc[no_money & ~bad_year, "source_row"].head(MAX_ROW_PROBLEMS)
    where = frame.loc[missing.index, "__column"] if "__column" in frame.columns else \
        pd.Series(", ".join(_amount_columns(spec).values()), index=missing.index)  # wide: the year's column
    problems += [RowProblem(spec.display_name, int(r), c, "", NO_AMOUNT) for r, c in zip(missing, where)]
    named = {p.row for p in year_problems}
    blank_year = out.loc[bad_year & ~no_money & ~out["source_row"].isin(named), "source_row"].head(MAX_ROW_PROBLEMS)
    if spec.column("year"):
        problems += [RowProblem(spec.display_name, int(r), spec.columns["year"], "", NO_YEAR) for r in blank_year]
    rejected = bad_year | no_money
    if found:
        repeated = out["source_row"].isin(list(found))
        if spec.options.get("duplicates", "keep") == "drop":
            problems += [RowProblem(spec.display_name, row, None, None, f"repeats row {first} exactly; dropped "
                                    "(duplicates = \"drop\" in the manifest), its money counted as rejected")
                         for row, first in sorted(found.items())]
            rejected |= repeated
        else:
            report.notes.append(note(found, {c: exact_sum(out.loc[repeated, c]) for c in _amount_columns(spec)}))
    report.add_problems(sorted(problems, key=lambda p: (p.row or 0)))
    rejected_cents = {col: exact_sum(out.loc[rejected, col]) for col in ("actual_cents", "budget_cents")}
    if keypairs.wanted(spec.options, spec.column("district")) and not has_points(spec):
        report.key_pairs = _pairs(frame[~rejected], out[~rejected], spec, layers[table_layer], table_layer)
    keys = [c for layer in layers for c in key_columns(layer)]
    extra = ["point"] if "point" in out.columns else []
    used = out.loc[~rejected, [*LINE_COLUMNS, *keys, *extra]].reset_index(drop=True)
    used["fiscal_year"] = used["fiscal_year"].astype("int64")
    report.rows_used = int(used["source_row"].nunique())
    for col in ("actual_cents", "budget_cents"):
        cents = exact_sum(out.loc[bad_year, col])
        if cents:
            report.notes.append(f"rows rejected for their fiscal year carry {fmt.cents_text(cents)} "
                                f"({col.removesuffix('_cents')}) that cannot be placed on a year's map")
    return used, report, rejected_cents


def _pairs(frame: pd.DataFrame, out: pd.DataFrame, spec: TableSpec, districts: gpd.GeoDataFrame,
           layer: str) -> keypairs.KeyPairs:
    """The (key, other column) pairs of the used rows, with the money the load report counts (actual, else budget)."""
    amount = "actual_cents" if out["actual_cents"].notna().any() or out["budget_cents"].isna().all() \
        else "budget_cents"
    columns = keypairs.candidate_columns([c for c in frame.columns if c != "fiscal_year"], spec.columns.values())
    return keypairs.from_frame(frame, out["raw_district"], out[key_columns(layer)[1]], out[amount], columns,
                               districts, active(spec.options))
