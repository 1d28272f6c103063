"""Read performance indicators (actual, target, standard per district and year)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from loaders.joins import match_keys
from loaders.keyreport import unmatched_keys
from loaders.manifest import TableSpec
from loaders.model import INDICATOR_COLUMNS, IndicatorMeta
from loaders.problems import RowProblem
from loaders.report import LoadReport, TableReport
from loaders.tables import read_table, require_columns, with_source_rows
from loaders.values import parse_fiscal_years


def _numbers(frame: pd.DataFrame, spec: TableSpec, key: str) -> tuple[pd.Series, list[RowProblem]]:
    column = spec.column(key)
    if column is None:
        return pd.Series(float("nan"), index=frame.index), []
    text = frame[column].astype(str).str.replace(r"[,%\s]", "", regex=True)
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.ne("") & ~text.str.upper().isin(["NA", "N/A", "-"])
    return values.astype(float), [RowProblem(spec.display_name, int(r), column, v, "is not a number")
                                  for r, v in zip(frame.loc[bad, "source_row"], frame.loc[bad, column])]


def read_indicators(spec: TableSpec, districts: gpd.GeoDataFrame,
                    report: LoadReport) -> tuple[pd.DataFrame, dict[str, IndicatorMeta]]:
    """Indicators in the model's long form; rows with no year, name or actual are listed, not used."""
    frame = with_source_rows(read_table(spec.path, display_name=spec.display_name,
                                        sheet=spec.options.get("sheet"),
                                        encoding=spec.options.get("encoding")))
    require_columns(frame, spec.columns, file=spec.display_name, section=spec.section)
    table = TableReport("indicators", spec.display_name, rows_read=len(frame))
    years, problems = parse_fiscal_years(frame[spec.columns["year"]], file=spec.display_name,
                                         column=spec.columns["year"])
    out = pd.DataFrame({"indicator": frame[spec.columns["indicator"]].astype(str).str.strip(),
                        "fiscal_year": years})
    for key in ("actual", "target", "standard", "estimate"):
        out[key], found = _numbers(frame, spec, key)
        problems += found
    raw = frame[spec.columns["district"]] if spec.column("district") else pd.Series("", index=frame.index)
    out["district_id"], out["location"] = match_keys(raw, districts["district_id"],
                                                     spec.options.get("aliases", {}),
                                                     spec.options.get("citywide", ()))
    out["raw_district"] = raw.astype(str).str.strip()
    report.unmatched.extend(unmatched_keys("indicators", out, list(districts["district_id"])))
    usable = out["fiscal_year"].notna() & out["indicator"].ne("") & out["location"].isin(
        ["district", "citywide", "no_location"])
    table.add_problems(problems)
    table.rows_used = int(usable.sum())
    report.tables.append(table)
    out["weight"] = float("nan")
    used = out.loc[usable, list(INDICATOR_COLUMNS)].reset_index(drop=True)
    used["fiscal_year"] = used["fiscal_year"].astype(int)
    meta = {key: IndicatorMeta(key=key, **({"label": key} | m))
            for key, m in spec.options.get("meta", {}).items()}
    for key in sorted(set(used["indicator"]) - set(meta)):
        meta[key] = IndicatorMeta(key=key, label=key)
    for key, m in meta.items():  # weighted roll-ups weigh district rows by a kept district column
        if m.rollup == "weighted" and m.weight in districts.columns:
            rows = used["indicator"].eq(key)
            used.loc[rows, "weight"] = used.loc[rows, "district_id"].map(
                districts.set_index("district_id")[m.weight]).astype(float)
    return used, meta
