"""Population per district, from the boundary file or from a separate table.

Per-resident maps are only as good as this join, so the population table gets
the same diagnostics as spending: keys with no district, districts with no
population, and near-miss suggestions.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from loaders.joins import match_keys
from loaders.keyrules import join_args
from loaders.keyreport import missing_districts, suggest_rules, unmatched_keys
from loaders.manifest import TableSpec
from loaders.problems import RowProblem
from budgetmap.model import LoadReport, TableReport
from loaders.tables import read_source, require_columns, with_source_rows
from loaders.values import parse_fiscal_years


def _counts(values: pd.Series, spec: TableSpec, rows: pd.Series) -> tuple[pd.Series, list[RowProblem]]:
    text = values.astype(str).str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & text.ne("") | (numbers < 0)
    problems = [RowProblem(spec.display_name, int(r), spec.columns["population"], v,
                           "is not a population count")
                for r, v in zip(rows[bad], values[bad])]
    return numbers.where(~bad), problems


def apply_population(districts: gpd.GeoDataFrame, spec: TableSpec,
                     report: LoadReport) -> tuple[gpd.GeoDataFrame, int | None]:
    """Fill districts.population from the table; return the frame and the population year."""
    frame = with_source_rows(read_source(spec))
    require_columns(frame, spec.columns, file=spec.display_name, section=spec.section)
    table = TableReport("population", spec.display_name, rows_read=len(frame))
    counts, problems = _counts(frame[spec.columns["population"]], spec, frame["source_row"])
    year = None
    if spec.column("year"):
        years, year_problems = parse_fiscal_years(frame[spec.columns["year"]], file=spec.display_name,
                                                  column=spec.columns["year"])
        problems += year_problems
        if years.notna().any():
            year = int(years.max())
            keep = years.eq(year).fillna(False).to_numpy()
            table.notes.append(f"population of {year} used (latest year in the table)")
            frame, counts = frame[keep], counts[keep]
    ids, location = match_keys(frame[spec.columns["district"]], districts["district_id"],
                               spec.options.get("aliases", {}), (),
                               **join_args(spec.options, districts, f"[{spec.section}] ({spec.display_name})"))
    joined = pd.DataFrame({"raw_district": frame[spec.columns["district"]].astype(str).str.strip(),
                           "district_id": ids, "location": location, "population": counts})
    table.add_problems(problems)
    table.rows_used = int((joined["location"].eq("district") & joined["population"].notna()).sum())
    report.tables.append(table)
    unmatched = unmatched_keys("population", joined, list(districts["district_id"]))
    report.unmatched.extend(unmatched)
    report.missing.extend(missing_districts("population", joined, districts, unmatched))
    suggest_rules(report, "population", joined, districts, spec.options)
    by_district = joined[joined["location"] == "district"].groupby("district_id")["population"].sum(min_count=1)
    out = districts.copy()
    out["population"] = out["district_id"].map(by_district).astype(float)
    return out, year
