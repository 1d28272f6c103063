"""Load a whole city from its manifest into a validated Dataset with its load report."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.boundaries import read_boundaries
from loaders.indicators import read_indicators
from loaders.keyreport import missing_districts, unmatched_keys
from loaders.manifest import read_manifest
from loaders.model import SPENDING_COLUMNS, Dataset
from loaders.population import apply_population
from loaders.report import LoadReport
from loaders.spending import read_spending
from loaders.tables import read_source


def _empty_spending() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in SPENDING_COLUMNS})
    for col in ("budget_cents", "actual_cents"):
        frame[col] = frame[col].astype("Int64")
    frame["fiscal_year"] = frame["fiscal_year"].astype(int)
    return frame


def load_dataset(path: str | Path) -> tuple[Dataset, dict[str, int]]:
    """Read every table a manifest names; return the Dataset and the rejected cents per amount.

    Raises LoadError (with file, row and column) when the data cannot be loaded at
    all; everything less serious goes into the report and loading carries on.
    """
    manifest = read_manifest(path)
    report = LoadReport(dataset=manifest.name, manifest=str(manifest.path))
    districts, table = read_boundaries(manifest.districts)
    report.tables.append(table)
    population_year = manifest.districts.options.get("population_year")
    if manifest.population is not None:
        districts, from_table = apply_population(districts, manifest.population, report)
        population_year = from_table or manifest.population.options.get("population_year")
    if districts["population"].isna().all():
        report.warnings.append("no population: per-resident measures are unavailable")
    ids = list(districts["district_id"])
    spending, rejected = _empty_spending(), {}
    if manifest.spending is not None:
        spending, table, rejected = read_spending(manifest.spending, ids)
        report.tables.append(table)
        amount = "actual_cents" if spending["actual_cents"].notna().any() else "budget_cents"
        unmatched = unmatched_keys("spending", spending, ids, amount)
        report.unmatched.extend(unmatched)
        report.missing.extend(missing_districts("spending", spending, districts, unmatched))
    dataset = Dataset(name=manifest.name, currency=manifest.currency, districts=districts,
                      spending=spending, report=report, note=manifest.note,
                      source=manifest.source, as_of=manifest.as_of,
                      population_year=population_year,
                      boundaries_from=manifest.districts.options.get("valid_from"))
    if manifest.indicators:
        dataset.indicators, dataset.indicator_meta = read_indicators(manifest.indicators, manifest.indicator_meta,
                                                                     districts, report)
    if manifest.plans is not None:
        dataset.plans = read_source(manifest.plans)
    if population_year is not None and dataset.fiscal_years:
        span = f"FY{dataset.fiscal_years[0]}–FY{dataset.fiscal_years[-1]}"
        if abs(dataset.fiscal_years[-1] - population_year) > 3:
            report.warnings.append(f"per-resident figures divide {span} spending by {population_year} population")
    early = [y for y in dataset.fiscal_years if dataset.boundaries_from and y < dataset.boundaries_from]
    if early:
        report.warnings.append(f"spending of FY{early[0]}–FY{early[-1]} predates these boundaries "
                               f"(valid from FY{dataset.boundaries_from}); maps of those years are approximate")
    return dataset, rejected

