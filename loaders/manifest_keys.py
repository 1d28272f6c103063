"""Every key of every manifest section, with its type and meaning: the table validation and docs read.

Allowed values and the join-rule keys come from the registries that use them
(``ROLLUPS``, ``DIRECTIONS``, ``KEY_RULES``, ``ENGINES``, ``DUPLICATES``), so adding
a roll-up or a join rule adds it to the manifest checks and to docs/reference.md
at once. ``column=True`` marks the keys whose value
is a column of the table: those go into ``TableSpec.columns``, the rest into
``options``.
"""
from __future__ import annotations

from budgetmap.model.dataset import DIRECTIONS
from budgetmap.rollups import ROLLUPS
from loaders.keyrules import KEY_RULES, MATCH_ALSO, MATCH_ON
from loaders.schema import (ALIASES, AS_OF, BOOL, COLUMN, COLUMNS, CRS, FILLED, FILLED_TEXTS, FISCAL_YEAR, GOALS,
                            KINDS, LABEL, LABEL_COLUMNS, MARKERS, MONTH, NUMBER, PATH, POINTS, POINTS_BY_NAME, REFRESH_MONTHS,
                            SHARES,
                            TABLE, TEXT, TEXTS, URL, YEAR, Key, Type, choice, section)

ENGINES = ("auto", "pandas", "duckdb")
#: What to do with spending rows that repeat an earlier row cell for cell.
DUPLICATES = {"keep": "count them as often as they appear (and list them in the load report)",
              "drop": "use the first and reject the repeats, listed by row, their money counted as rejected"}
AMOUNT_VALUES = ("actual", "budget")
VALUE_KEYS = ("actual", "target", "standard", "estimate")  # the indicator values a table may fill


def _keys(*keys: Key) -> dict[str, Key]:
    return {k.name: k for k in keys}


def _col(name: str, doc: str, required: bool = False) -> Key:
    return Key(name, COLUMN, doc, column=True, required=required)


SOURCE = (
    Key("path", PATH, "the file, relative to the manifest's folder; or give `url` (a database)"),
    Key("url", URL, "a PostgreSQL database instead of a file; never with a password (PGPASSWORD or ~/.pgpass)"),
    Key("table", FILLED, "with `url`: the table, \"schema.name\" or \"name\"", example='"gis.council_districts"'),
    Key("query", FILLED, "with `url`: a read-only SELECT instead of `table`", example='"SELECT ward, cost FROM x"'),
)
READING = (
    Key("sheet", FILLED, "Excel: the sheet to read (default: the first)", example='"Sheet1"'),
    Key("encoding", FILLED, "text files: the encoding, like \"latin-1\" (default: UTF-8, then Windows-1252)",
        example='"latin-1"'),
    Key("gis_layer", FILLED, "a table read from a GIS file with several layers: the layer to read", example='"kpm"'),
)
DIGITS = Type("number of digits", "a whole number of digits (1 to 64)", "5",
               lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 64)
WORDS = Type("text or list of text", "a text or a non-empty list of texts", '"District" or ["District", "Ward"]',
             lambda v: isinstance(v, str) or (isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v)))
RESIDENTS = Type("number of residents", "a whole number of residents (0 or more)", "1000",
                 lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0)
PAIRS = Type("table of column = column", 'a table of "table column" = "boundary column" (text = text)',
             '{ state = "STATE_NAME" }',
             lambda v: isinstance(v, dict) and bool(v) and all(k.strip() and isinstance(x, str) and x.strip()
                                                              for k, x in v.items()))
#: The join rules (loaders.keyrules.KEY_RULES, the registry the matcher and the rule finder read), one key each.
RULES = (*(Key(r.key, {"bool": BOOL, "int": DIGITS, "texts": WORDS}[r.kind],
               f"join rule: {r.label} ({r.example}); docs/reference.md, Join rules") for r in KEY_RULES.values()),
         Key(MATCH_ON, FILLED, "join rule: compare keys with this boundary column instead of the id "
             "(`name`, or a column of the boundary file)", example='"NAME"'),
         Key(MATCH_ALSO, PAIRS, "join rule: also compare these table columns with these boundary columns, "
             "so a repeated name is told apart (\"Washington\" and the state); keys are then written "
             "`Washington \\| Oregon` in the report and in `aliases`", example='{ state = "STATE_NAME" }'))
ALIAS = Key("aliases", ALIASES, "key as written -> district id, one step: a target must be a district id, "
                                "never another alias's key (chains and cycles are refused)")
CITYWIDE = Key("citywide", TEXTS, "district values meaning the whole city (default: citywide, city-wide, city wide, "
                                  "all districts); case is ignored")
TABLE_LAYER = Key("layer", FILLED, "the boundary layer (a `[[layers]]` key) the district keys belong to "
                                   "(default: the default layer)", example='"council"')

DISTRICTS = _keys(
    *SOURCE,
    _col("id", "the district key column", required=True),
    Key("name", LABEL_COLUMNS, "the label column, or several joined by \", \" (blanks skipped): [\"NAME\", "
        "\"STATE_NAME\"] gives \"Washington, Oregon\" (default: the id); a label several districts share is shown "
        "with the id", column=True),
    _col("population", "a population column"),
    _col("area_km2", "an area column in km² (default: computed in EPSG:6933)"),
    Key("crs", CRS, "the coordinates' CRS when the file declares none or a wrong one"),
    Key("layer", FILLED, "the layer to read from a file with several (GeoPackage, some zips); required then",
        example='"wards"'),
    Key("keep", TEXTS, "extra numeric columns to keep (roll-up weights such as street miles)",
        example='["street_miles_busy"]'),
    Key("valid_from", YEAR, "the first fiscal year these boundaries apply to"),
    Key("vintage", FILLED, "which edition of the boundaries, printed on snapshots and book pages as "
        "\"Boundaries: …\" (default: \"vintage not stated\")", example='"2023 council districts"'),
    Key("population_year", YEAR, "the year the population counts"),
    Key("min_population", RESIDENTS, "districts with fewer residents are flagged as too small to trust "
        "(statistics, docs/analysis.md; default: no flag)"),
)
LAYERS = _keys(
    *DISTRICTS.values(),
    Key("key", FILLED, "short name used by tables' `layer` and by ?layer= in the URL", required=True,
        example='"council"'),
    Key("label", TEXT, "shown in the layer picker (default: the key)", example='"Council districts"'),
    Key("default", BOOL, "the default layer (default: the first)"),
)
POPULATION = _keys(
    *SOURCE, *READING,
    _col("district", "the district key column", required=True),
    _col("population", "the population column; one row per district (a repeat is listed, the first used)",
         required=True),
    _col("year", "a year column: the latest year is used"),
    Key("population_year", YEAR, "the year the population counts, when there is no year column"),
    ALIAS, TABLE_LAYER, *RULES,
)
SPENDING = _keys(
    *SOURCE, *READING,
    _col("district", "the district key column; empty = no location"),
    CITYWIDE,
    _col("year", "the fiscal year column (or `years`)"),
    Key("years", COLUMNS, "wide tables: one amount column per fiscal year, named by the year"),
    Key("values", choice(AMOUNT_VALUES), "with `years`: what the year columns hold (default: actual)"),
    _col("amount", "the amount column (read as actual)"),
    _col("budget", "the budget column"),
    _col("actual", "the actual (spent) column"),
    *(_col(c, f"the {c} column (optional)") for c in ("department", "program", "fund", "project", "period")),
    ALIAS, TABLE_LAYER,
    _col("lon", "rows located by coordinates: the longitude (or x) column, with `lat`"),
    _col("lat", "the latitude (or y) column, with `lon`"),
    _col("geometry", "rows located by a WKT point column instead of `lon`/`lat`"),
    Key("crs", CRS, "the coordinates' CRS when they are not longitude/latitude"),
    Key("duplicates", choice(tuple(DUPLICATES)), "rows that repeat an earlier row exactly: "
        + "; ".join(f"`{k}` {v}" for k, v in DUPLICATES.items()) + " (default: keep)"),
    *RULES,
)
CONSTANT = _keys(
    Key("indicator", FILLED, "the indicator every row is (no indicator column)", example='"curb_ramps_improved"'),
    Key("year", FISCAL_YEAR, "the fiscal year every row is (no year column)"),
)
META = _keys(
    Key("label", TEXT, "the indicator's name on screen", example='"Busy streets in good or fair condition"'),
    Key("unit", TEXT, "its unit, like \"%\"", example='"%"'),
    Key("department", TEXT, "the department whose money it sets against (Money vs results)",
        example='"Transportation"'),
    Key("direction", choice(tuple(DIRECTIONS)), "which way is better (default: higher)"),
    Key("rollup", choice(tuple(ROLLUPS)), "how districts make the citywide figure (default: mean)"),
    Key("weight", FILLED, "with rollup = \"weighted\": a kept district column, else the table's weight column",
        example='"street_miles_busy"'),
    Key("target", NUMBER, "the city's goal, every year"),
    Key("targets", GOALS, "goals for particular fiscal years (before `target`)"),
    Key("source", TEXT, "where the figures come from"),
    Key("note", TEXT, "shown with the indicator"),
    Key("path", SHARES, "in-year values: the share of the way from baseline to target by the end of each quarter "
        "(4 numbers) or month (12); default: a straight line"),
)
INDICATORS = _keys(
    *SOURCE, *READING,
    _col("district", "the district key column (none: every row is citywide; an empty cell: citywide)"),
    _col("year", "the fiscal year column (or constant.year)"),
    _col("indicator", "the indicator name column (or constant.indicator)"),
    *(_col(v, f"the {v} value column") for v in VALUE_KEYS),
    _col("weight", "a per-row weight for rollup = \"weighted\""),
    _col("period", "in-year values: the quarter or month column (a blank cell: the annual value); "
         "checked against a path to the annual target"),
    _col("kind", "kind tables: the column naming each row's kind"),
    _col("value", "kind tables: the column holding the number"),
    Key("kinds", KINDS, "kind tables: kind (actual, target, standard, estimate) -> value(s) of the kind column"),
    _col("count", "counts tables: the count column"),
    _col("category", "counts tables: the category column"),
    Key("numerator", FILLED_TEXTS, "counts tables: the categories counted as \"yes\""),
    Key("missing", MARKERS, "cell values meaning \"not reported\" (read as blank, counted)"),
    Key("constant", TABLE, "indicator and/or year for files without such a column", inline=CONSTANT),
    Key("meta", TABLE, "one table per indicator, `[indicators.meta.KEY]` (keys below)"),
    ALIAS, CITYWIDE, TABLE_LAYER, *RULES,
)
#: How ``[plans] planned`` numbers are read.
PLAN_UNITS = {"auto": "fractions when most numbers are at most 1, else percent (a cell with % is percent)",
              "fraction": "0 to 1", "percent": "0 to 100"}
PLANS = _keys(
    *SOURCE, *READING,
    _col("project", "the project column, named as in the spending table's `project` column (default: \"project\")"),
    _col("year", "the fiscal year column (default: \"fiscal_year\")"),
    _col("period", "the quarter or month column (default: \"quarter\"); spellings in docs/architecture.md, "
         "Early warning"),
    _col("planned", "the planned cumulative spend rate column (default: \"planned_cumulative_rate\")"),
    _col("planned_amount", "instead of `planned`: the planned cumulative spending column (money)"),
    _col("budget", "the project's total budget column (default: the sum of the project's budget in spending, "
         "all years)"),
    Key("planned_unit", choice(tuple(PLAN_UNITS)), "what `planned` holds: "
        + "; ".join(f"`{k}` {v}" for k, v in PLAN_UNITS.items()) + " (default: auto)"),
    Key("tolerance", POINTS, "percentage points behind plan that are still amber; more is red (default: 10)"),
    Key("tolerance_by_department", POINTS_BY_NAME, "a department's own tolerance, under "
        "`[plans.tolerance_by_department]`", example='{ "Parks & Recreation" = 5 }'),
    Key("grace", POINTS, "percentage points behind plan that still count as on plan (default: 0)"),
    Key("year_start", MONTH, "the calendar month a fiscal year starts in (default: 7, July: FY2025 runs from "
        "July 2024 to June 2025)"),
)
TOP = _keys(
    Key("name", TEXT, "the dataset's name (default: the manifest's file name)", example='"Portland council districts"'),
    Key("currency", TEXT, "the amounts' currency code (default: USD)", example='"USD"'),
    Key("note", TEXT, "shown on screen"),
    Key("source", TEXT, "who published the data (printed on snapshots)", example='"City budget office"'),
    Key("as_of", AS_OF, "the date the data describes (printed on snapshots)"),
    Key("refresh_months", REFRESH_MONTHS, "how often the data is updated, counted from `as_of`: the home page "
        "says so when a newer edition is overdue (12 = yearly; default: no freshness note)"),
    Key("engine", choice(ENGINES), "which ledger holds the line items: auto = DuckDB from 1,000,000 rows"),
    Key("citywide_label", LABEL, "what the app calls the whole place, on screen and in snapshots, the book "
        "and the CLI (default: Citywide); input files keep the `citywide` keys of `[spending]`",
        example='"Statewide"'),
    Key("draft", BOOL, "true: only signed-in editors see the dataset in the app (default: false, published)"),
    Key("districts", section("districts"), "one boundary layer (or `[[layers]]`)"),
    Key("layers", section("layers", True), "several boundary layers"),
    Key("population", section("population"), "a population table"),
    Key("spending", section("spending"), "the spending table"),
    Key("indicators", section("indicators", None), "one indicator table, or several `[[indicators]]`"),
    Key("plans", section("plans"), "spending plans (early warning)"),
)

#: Section name -> its keys, in the order the docs show them.
SECTIONS = {"top level": TOP, "districts": DISTRICTS, "layers": LAYERS, "population": POPULATION,
            "spending": SPENDING, "indicators": INDICATORS, "indicators.meta.KEY": META, "plans": PLANS}


DOCS_START = "<!-- manifest keys: generated from loaders/manifest_keys.py; python -m loaders.manifest_keys -->"
DOCS_END = "<!-- end of manifest keys -->"


def docs_block() -> str:
    """The "Manifest keys" tables of docs/reference.md, between their markers."""
    from loaders.schema import markdown

    return f"{DOCS_START}\n{markdown(SECTIONS)}{DOCS_END}"


if __name__ == "__main__":  # rewrite the tables in docs/reference.md
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs" / "reference.md"
    text = docs.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(DOCS_START) + ".*?" + re.escape(DOCS_END), re.S)
    docs.write_text(pattern.sub(lambda _: docs_block(), text), encoding="utf-8")
