"""Population per district, from the boundary file or from a separate table.

Per-resident maps are only as good as this join, so the population table gets
the same diagnostics as spending: keys with no district, districts with no
population, and near-miss suggestions.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from loaders.joins import match_keys, table_keys
from loaders.keyrules import join_args
from loaders.keyreport import missing_districts, suggest_rules, unmatched_keys
from loaders.manifest import TableSpec
from loaders.problems import RowProblem
from budgetmap import fmt
from budgetmap.model import LoadReport, TableReport
from loaders.tables import first_row, read_source, require_columns, with_source_rows
from loaders.values import parse_counts, parse_fiscal_years


def _repeats(joined: pd.DataFrame, spec: TableSpec) -> tuple[pd.Series, list[RowProblem]]:
    """A district given twice (in the year used): the first row counts, each repeat is listed, not summed."""
    counted = joined[joined["location"].eq("district") & joined["population"].notna()]
    again = counted.index[counted["district_id"].duplicated(keep="first")]
    first = counted.groupby("district_id", sort=False)["row"].first()
    problems = []
    for i in again:
        district, was = joined.at[i, "district_id"], int(first[joined.at[i, "district_id"]])
        problems.append(RowProblem(spec.display_name, int(joined.at[i, "row"]), spec.columns["district"],
                                   joined.at[i, "raw_district"], f"repeats district {district!r} of row {was}; row "
                                   f"{was} is used, this row is not (one row per district: add the parts up "
                                   "in the file if they are parts)"))
    return pd.Series(joined.index.isin(again), index=joined.index), problems


def _blank_note(table: TableReport, joined: pd.DataFrame, listed: set[int | None]) -> None:
    """Rows of a district whose population cell is blank (or "n/a"): not problems, but not used either,
    so the report says which rows they are rather than leaving rows read and rows used apart."""
    blank = joined["location"].eq("district") & joined["population"].isna() & ~joined["row"].isin(listed)
    if not blank.any():
        return
    rows = [str(int(r)) for r in joined.loc[blank, "row"]]
    table.notes.append(f"{fmt.plural(len(rows), 'row')} ({fmt.first_few(rows)}) give{'s' if len(rows) == 1 else ''} "
                       "no population (a blank cell or a marker such as \"n/a\"): not used")


def apply_population(districts: gpd.GeoDataFrame, spec: TableSpec,
                     report: LoadReport) -> tuple[gpd.GeoDataFrame, int | None]:
    """Fill districts.population from the table; return the frame and the population year."""
    frame = with_source_rows(read_source(spec), first_row=first_row(spec.path))  # feature 1 in a GIS file
    require_columns(frame, spec.columns, file=spec.display_name, section=spec.section)
    table = TableReport("population", spec.display_name, rows_read=len(frame), notes=list(frame.attrs.get("notes", [])))
    counts, problems = parse_counts(frame[spec.columns["population"]], file=spec.display_name,
                                    column=spec.columns["population"], rows=frame["source_row"])
    year = None
    if spec.column("year"):
        years, year_problems = parse_fiscal_years(frame[spec.columns["year"]], file=spec.display_name,
                                                  column=spec.columns["year"], rows=frame["source_row"])
        problems += year_problems
        if years.notna().any():
            year = int(years.max())
            keep = years.eq(year).fillna(False).to_numpy()
            table.notes.append(f"population of {year} used (latest year in the table)")
            frame, counts = frame[keep], counts[keep]
    raw = table_keys(frame, spec.columns["district"], spec.options, spec.display_name, spec.section)
    ids, location = match_keys(raw, districts["district_id"], spec.options.get("aliases", {}), (),
                               **join_args(spec.options, districts, f"[{spec.section}] ({spec.display_name})"))
    joined = pd.DataFrame({"raw_district": raw.astype(str).str.strip(),
                           "district_id": ids, "location": location, "population": counts,
                           "row": frame["source_row"]})
    repeat, found = _repeats(joined, spec)
    _blank_note(table, joined, {p.row for p in problems})
    table.add_problems(sorted(problems + found, key=lambda p: p.row or 0))
    table.rows_used = int((joined["location"].eq("district") & joined["population"].notna() & ~repeat).sum())
    report.tables.append(table)
    unmatched = unmatched_keys("population", joined, list(districts["district_id"]))
    report.unmatched.extend(unmatched)
    report.missing.extend(missing_districts("population", joined, districts, unmatched))
    suggest_rules(report, "population", joined, districts, spec.options)
    used = joined[joined["location"].eq("district") & ~repeat]
    by_district = used.dropna(subset=["population"]).set_index("district_id")["population"]
    out = districts.copy()
    out["population"] = out["district_id"].map(by_district).astype(float)
    return out, year
