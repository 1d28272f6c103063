"""Load a whole city from its manifest into a validated Dataset with its load report."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from budgetmap import fmt
from budgetmap.model import Dataset, Layer, Ledger, LoadReport, Plans, Reconciliation, SpendingQuery, TableReport
from budgetmap.model.ledger import primary_amount
from budgetmap.freshness import refresh_problem
from budgetmap.model.periods import DEFAULT_YEAR_START
from budgetmap.sources.frame import FrameLedger, empty_frame, key_columns
from loaders.aliases import unused_aliases
from loaders.boundaries import read_boundaries
from loaders.files import regular_file
from loaders.indicators import read_indicators
from loaders.keyreport import missing_districts, suggest_rules, unmatched_keys
from loaders.ledger import AUTO_DUCKDB_ROWS, choose_engine, duckdb_ledger
from loaders.spending_duckdb import read_spending_duckdb
from loaders.manifest import Manifest, TableSpec, read_manifest
from loaders.plan_manifest import plan_settings
from loaders.plans import read_plans
from loaders.population import apply_population
from loaders.progress import Progress, nothing, part
from loaders.problems import LoadError
from loaders.spending import read_spending
from loaders.tables import read_source


def _population_year_note(report: LoadReport, table: TableReport, year: int | None, section: str) -> None:
    """Name the population's year on its table's report row, or say it is not stated and how to state it."""
    if section == "[population]":
        table = next((t for t in reversed(report.tables) if t.table == "population"), table)
    if year is None:
        table.notes.append(f"population year not stated: per-resident figures say so; add population_year = "
                           f"YYYY to {section} (or a year column) to name it")
    elif not any(str(year) in note and "population" in note for note in table.notes):
        table.notes.append(f"population of {year}")


def _partial_population(report: LoadReport, districts: pd.DataFrame, where: str) -> None:
    """Districts with no resident count to divide by (no population: a blank cell, a marker such as
    "n/a", a bad number, no row; or a population of 0), named in one warning: their per-resident
    values are blank, and the rows or keys behind them may be listed elsewhere in the report too."""
    population = districts["population"]
    without = districts.loc[population.isna() | population.eq(0), ["district_id", "name"]]
    if without.empty:
        return
    shown = fmt.first_few([f"{name} ({did})" if name != did else str(did)
                           for did, name in zip(without["district_id"], without["name"])])
    verb = "has" if len(without) == 1 else "have"
    report.warnings.append(f"{fmt.of(len(without), len(districts))} districts{where} {verb} no population or a "
                           f"population of 0: {shown}; they get no per-resident value (blank on per-resident maps)")


def _layer(manifest: Manifest, spec: TableSpec, report: LoadReport) -> Layer:
    """One boundary layer with its population (from the boundary file or a [population] table)."""
    districts, table = read_boundaries(spec)
    key = spec.options["key"]
    if len(manifest.layers) > 1:
        table.table = f"districts ({key})"  # the report tells the layers apart
    report.tables.append(table)
    population_year = spec.options.get("population_year")
    if manifest.population is not None and manifest.layer_of(manifest.population) == key:
        districts, from_table = apply_population(districts, manifest.population, report)
        population_year = from_table or manifest.population.options.get("population_year")
    where = "" if len(manifest.layers) == 1 else f" on layer '{key}'"
    if districts["population"].isna().all():
        report.warnings.append(f"no population{where}: per-resident measures are unavailable")
    else:
        _partial_population(report, districts, where)
        _population_year_note(report, table, population_year,
                              "[population]" if manifest.population is not None and
                              manifest.layer_of(manifest.population) == key else f"[{spec.section}]")
    return Layer(key=key, label=spec.options.get("label", key), districts=districts,
                 population_year=population_year, boundaries_from=spec.options.get("valid_from"),
                 min_population=spec.options.get("min_population"), vintage=spec.options.get("vintage"))


def _points(frame: pd.DataFrame) -> gpd.GeoDataFrame | None:
    """Line items that came with coordinates, as points to draw (one per row, EPSG:4326)."""
    if "point" not in frame.columns:
        return None
    located = frame[frame["point"].notna()]
    return gpd.GeoDataFrame(located[["project", "department", "fiscal_year", "actual_cents", "budget_cents",
                                     "source_row"]].reset_index(drop=True),
                            geometry=list(located["point"]), crs="EPSG:4326")


def _key_report(report: LoadReport, ledger: Ledger, layer: str, districts: gpd.GeoDataFrame,
                options: Mapping[str, Any], currency: str, pairs: Any = None) -> None:
    """Keys that match no district (with rows and money) and districts no row names, from the ledger's sums."""
    amount = primary_amount(ledger)
    groups = ledger.sums(SpendingQuery(amount=amount, layer=layer), by=("location", "raw_district", "district_id"))
    joined = pd.DataFrame({"location": groups["location"].to_numpy(dtype=object),
                           "raw_district": groups["raw_district"].to_numpy(dtype=object),
                           "district_id": groups["district_id"].to_numpy(dtype=object),
                           "rows": groups["rows"].to_numpy(dtype="int64")})
    joined[amount] = pd.Series(list(groups["cents"]), dtype=object)  # one row per key: rows says how many
    unmatched = unmatched_keys("spending", joined, list(districts["district_id"]), amount)
    report.unmatched.extend(unmatched)
    report.missing.extend(missing_districts("spending", joined, districts, unmatched))
    suggest_rules(report, "spending", joined, districts, options, currency, pairs)


def _check_files(manifest: Manifest) -> None:
    """Every file the manifest names is a regular file, before any is opened (a named pipe would block)."""
    for spec in (*manifest.layers, manifest.population, manifest.spending, *manifest.indicators, manifest.plans):
        if spec is not None and spec.path is not None:
            regular_file(spec.path, spec.display_name, limit=None,
                         fix=f"point path under [{spec.section}] at the file (relative to the manifest's folder)")


def _no_rows(file: str) -> LoadError:
    return LoadError(f"{file}: has column names on row 1 but no rows under them; add the data, or point the "
                     "manifest at the file that holds it")


def _refuse_empty(table: TableReport, *, usable: bool = True) -> None:
    """A table with no rows is refused; so is a spending table with none usable (``usable``): nothing to map."""
    if table.rows_read == 0:
        raise _no_rows(table.file)
    if usable and table.rows_used == 0:
        shown = "; ".join(str(p).removeprefix(f"{table.file}, ") for p in table.problems[:3])
        more = f" (and {table.problem_count - 3:,} more)" if table.problem_count > 3 else ""
        raise LoadError(f"{table.file}: no row can be used: {shown}{more}; fix these cells (or the manifest's "
                        "column names) and check again", table.problems[0] if table.problems else None)


def _plans(manifest: Manifest, ledger: Ledger, report: LoadReport) -> Plans | None:
    """The [plans] table (early warning) against the spending table's projects; its report joins the others."""
    if manifest.plans is None:
        return None
    spending = manifest.spending
    column = spending.column("project") if spending is not None else None
    where = (f"{spending.display_name}, column {column!r}" if column else
             "[spending] sets no project column" if spending is not None else "the manifest has no [spending]")
    frame = read_source(manifest.plans)
    if frame.empty:
        raise _no_rows(manifest.plans.display_name)
    plans, table, warnings = read_plans(manifest.plans, frame, ledger, manifest.layer_of(spending),
                                        manifest.currency, where)
    report.tables.append(table)
    report.warnings.extend(warnings)
    return plans


def load_dataset(path: str | Path, progress: Progress | None = None) -> Dataset:
    """Read every table a manifest names into a Dataset whose report carries the whole-file reconciliation.

    Raises LoadError (with file, row and column) when the data cannot be loaded at
    all; everything less serious goes into the report and loading carries on.
    ``progress(fraction, what)`` hears each step: boundaries, the spending table (by
    the share read), the join, the search for join rules, the indicators.
    """
    progress = progress or nothing
    progress(0.0, "reading the manifest")
    manifest = read_manifest(path)
    _check_files(manifest)
    report = LoadReport(dataset=manifest.name, manifest=manifest.path.name)  # never the server's path
    layers = []
    for i, spec in enumerate(manifest.layers):
        progress(0.02 + 0.2 * i / len(manifest.layers), f"reading the boundaries ({spec.display_name})")
        layers.append(_layer(manifest, spec, report))
    layers = tuple(layers)
    boundaries = {layer.key: layer.districts for layer in layers}
    keys = [layer.key for layer in layers]
    engine = choose_engine(manifest.engine, manifest.spending)
    ledger, rejected, points = None, {}, None
    if manifest.spending is not None:
        table_layer = manifest.layer_of(manifest.spending)
        progress(0.25, f"reading the spending table ({manifest.spending.display_name})")
        if engine == "duckdb":
            ledger, table, rejected = read_spending_duckdb(manifest.spending, boundaries, table_layer)
        else:
            frame, table, rejected = read_spending(manifest.spending, boundaries, table_layer,
                                                   part(progress, 0.25, 0.7))
            points = _points(frame)
            frame = frame.drop(columns=["point"], errors="ignore")
            ledger = (duckdb_ledger(frame, keys) if len(frame) >= AUTO_DUCKDB_ROWS and manifest.engine == "auto"
                      else FrameLedger(frame, keys, keys[0]))
        report.tables.append(table)
        _refuse_empty(table)
        progress(0.75, "finding join rules for the keys that match no district")
        _key_report(report, ledger, table_layer, boundaries[table_layer], manifest.spending.options,
                    manifest.currency, table.key_pairs)
        table.key_pairs = None  # the finder's working note, not kept with the dataset
    if ledger is None:
        ledger = FrameLedger(empty_frame(keys), keys, keys[0])
    report.engine = ledger.engine
    indicators, in_year, meta = None, None, dict(manifest.indicator_meta)
    if manifest.indicators:
        progress(0.9, "reading the indicators")
        year_start = plan_settings(manifest.plans.options).year_start if manifest.plans else DEFAULT_YEAR_START
        indicators, in_year, meta = read_indicators(manifest.indicators, manifest.indicator_meta, boundaries,
                                                    manifest.layer_of, report, year_start)
    for table in report.tables:  # population and indicator tables: none may be empty
        _refuse_empty(table, usable=False)
    for spec in (manifest.population, manifest.spending, *manifest.indicators):
        if spec is not None and spec.options.get("aliases"):
            ids = boundaries[manifest.layer_of(spec)]["district_id"]
            report.warnings.extend(unused_aliases(f"[{spec.section}]", spec.options["aliases"], ids))
    plans = _plans(manifest, ledger, report)
    amount = primary_amount(ledger)
    whole = ledger.totals(SpendingQuery(amount=amount), manifest.currency).reconciliation
    report.reconciliation = Reconciliation(
        currency=manifest.currency, input_total=whole.input_total + rejected.get(amount, 0),
        districts=whole.districts, citywide=whole.citywide, unmatched=whole.unmatched,
        no_location=whole.no_location, other_layer=whole.other_layer, rejected=rejected.get(amount, 0))
    dataset = Dataset(name=manifest.name, currency=manifest.currency, layers=layers, ledger=ledger, report=report,
                      indicator_meta=meta, plans=plans, points=points, note=manifest.note,
                      source=manifest.source, as_of=manifest.as_of, citywide_label=manifest.citywide_label,
                      refresh_months=manifest.refresh_months,
                      **({"indicator_rows": indicators, "indicator_periods": in_year} if indicators is not None
                         else {}))
    _year_warnings(dataset, report)
    stale = refresh_problem(manifest.refresh_months, manifest.as_of, manifest.path.name)
    if stale:
        report.warnings.append(stale)
    progress(1.0, "loaded")
    return dataset


def _year_warnings(dataset: Dataset, report: LoadReport) -> None:
    years, population_year, start = dataset.fiscal_years, dataset.population_year, dataset.boundaries_from
    if population_year is not None and years:
        span = f"FY{years[0]}–FY{years[-1]}"
        if abs(years[-1] - population_year) > 3:
            report.warnings.append(f"per-resident figures divide {span} spending by {population_year} population")
    early = [y for y in years if start and y < start]
    if early:
        report.warnings.append(f"spending of FY{early[0]}–FY{early[-1]} predates these boundaries "
                               f"(valid from FY{start}); maps of those years are approximate")

