"""Cells that would load wrong numbers silently: populations, indicator values, duplicates, amounts, keys."""
from __future__ import annotations

from pathlib import Path

from corpus import case
from corpus.city import BASE_TOTAL, SPENDING, SPENDING_HEADER, SPENDING_ROWS, cents, csv_text, write_city
from corpus.manifest_cases import INDICATORS, META

POPULATION = '[population]\npath = "population.csv"\ndistrict = "district"\npopulation = "population"\n'


def _population(folder: Path, rows: list[tuple[str, str]]) -> Path:
    return write_city(folder, extra=POPULATION, files={"population.csv": csv_text(("district", "population"), rows)})


@case("population_inf_huge_negative_text", 0, total=BASE_TOTAL,
      says=("population.csv, row 3, column 'population': 'inf'", "row 4, column 'population': '1e308'",
            "row 5, column 'population': '-5'", "'many'"))
def _pop_bad(folder: Path) -> Path:
    return _population(folder, [("A", "1000"), ("B", "inf"), ("C", "1e308"), ("D", "-5"), ("A ", "many")])


@case("population_key_twice", 0, total=BASE_TOTAL,
      says=("population.csv, row 4, column 'district'", "row 2 is used"))
def _pop_twice(folder: Path) -> Path:
    return _population(folder, [("A", "1000"), ("B", "2000"), ("A", "500"), ("C", "3000"), ("D", "4000")])


@case("population_nan_and_blank", 0, total=BASE_TOTAL, says=("no population",))
def _pop_blank(folder: Path) -> Path:
    return _population(folder, [("A", "nan"), ("B", ""), ("C", "n/a"), ("D", "-")])


@case("population_in_boundaries_inf", 0, total=BASE_TOTAL,
      says=("districts.geojson, row 2, column 'pop': 'inf'", "row 3, column 'pop': '-1'"))
def _pop_boundary(folder: Path) -> Path:
    from corpus.geometry_cases import _city, _features

    features = _features()
    features[1]["properties"]["pop"] = "inf"
    features[2]["properties"]["pop"] = -1
    return _city(folder, features)


def _indicators(folder: Path, values: list[str], **parts: str) -> Path:
    rows = [("2024", d, "pct", v, "75") for d, v in zip("ABCD", values)]
    text = csv_text(("year", "district", "indicator", "actual", "target"), rows)
    return write_city(folder, extra=INDICATORS + META, files={"indicators.csv": text}, **parts)


@case("indicator_inf_and_huge", 0, total=BASE_TOTAL,
      says=("indicators.csv, row 3, column 'actual': 'inf'", "row 4, column 'actual': '1e308'",
            "row 5, column 'actual': '-Infinity'"))
def _ind_inf(folder: Path) -> Path:
    return _indicators(folder, ["50", "inf", "1e308", "-Infinity"])


@case("indicator_header_only", 2, file="indicators.csv", says=("no rows",))
def _ind_header(folder: Path) -> Path:
    return _indicators(folder, [])


@case("indicator_all_rejected", 0, total=BASE_TOTAL, says=("row 2, column 'actual'", "row 5"))
def _ind_rejected(folder: Path) -> Path:
    return _indicators(folder, ["high", "low", "inf", "12,5"])


@case("spending_all_rejected", 2, file="spending.csv", says=("no row", "row 2, column 'year'"))
def _all_rejected(folder: Path) -> Path:
    return write_city(folder, rows=[("soon", d, p, a) for _, d, p, a in SPENDING_ROWS])


DUPLICATED = [*SPENDING_ROWS, SPENDING_ROWS[0], SPENDING_ROWS[1], SPENDING_ROWS[0]]


@case("spending_duplicates_kept", 0, total=cents(r[3] for r in DUPLICATED),
      says=("3 rows repeat an earlier row exactly", "rows 10, 11, 12", "4,001.00 actual", "duplicates = \"drop\""))
def _dupes(folder: Path) -> Path:
    return write_city(folder, rows=DUPLICATED)


@case("spending_duplicates_dropped", 0, total=cents(r[3] for r in DUPLICATED),
      says=("spending.csv, row 10", "repeats row 2 exactly", "row 11", "repeats row 3"))
def _dupes_dropped(folder: Path) -> Path:
    return write_city(folder, rows=DUPLICATED, spending=SPENDING + 'duplicates = "drop"\n')


WIDE = """[spending]
path = "wide.csv"
district = "district"
years = ["FY2023", "FY2024"]
department = "dept"
"""


@case("spending_wide_bad_cells", 0, total=cents(["100", "200", "300", "7.5"]),
      says=("wide.csv, row 3, column 'FY2024': '12x'", "row 4, column 'FY2023'", "no amount"))
def _wide(folder: Path) -> Path:
    rows = [("A", "Parks", "100", "200"), ("B", "Parks", "300", "12x"), ("C", "Roads", "n/a", "7.5")]
    return write_city(folder, spending=WIDE, files={"wide.csv": csv_text(("district", "dept", "FY2023", "FY2024"), rows)})


@case("spending_wide_year_missing", 2, file="wide.csv", says=("'FY2024'", "years", "columns are"))
def _wide_missing(folder: Path) -> Path:
    return write_city(folder, spending=WIDE, files={"wide.csv": csv_text(("district", "dept", "FY2023"), [("A", "x", "1")])})


_HUGE = ["90000000000000000.00", "90000000000000000.00", "12.34"]


@case("spending_huge_amounts_exact", 0, total=cents(_HUGE))
def _huge(folder: Path) -> Path:
    return write_city(folder, rows=[("2024", d, "Parks", a) for d, a in zip("ABC", _HUGE)])


@case("spending_amount_too_large", 0, total=BASE_TOTAL, says=("row 10, column 'amount'", "too large"))
def _too_large(folder: Path) -> Path:
    return write_city(folder, rows=[*SPENDING_ROWS, ("2024", "A", "Parks", "1e20")])


@case("spending_decimal_comma", 0, total=BASE_TOTAL, says=("row 10, column 'amount': '12,5'", "decimal commas"))
def _comma(folder: Path) -> Path:
    return write_city(folder, rows=[*SPENDING_ROWS, ("2024", "A", "Parks", "12,5")])


@case("spending_year_out_of_range", 0, total=BASE_TOTAL + 1234,
      says=("row 10, column 'year': '1850'", "between 1900 and 2100"))
def _old_year(folder: Path) -> Path:
    return write_city(folder, rows=[*SPENDING_ROWS, ("1850", "A", "Parks", "12.34")])


@case("spending_year_column_missing", 2, file="spending.csv", says=("'fy'", "spending.year", "columns are"))
def _year_missing(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING.replace('year = "year"', 'year = "fy"'))


@case("spending_amount_case", 2, file="spending.csv", says=("'Amount'", "Did you mean 'amount'"))
def _amount_case(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING.replace('amount = "amount"', 'amount = "Amount"'))


@case("spending_alias_one_step", 0, total=BASE_TOTAL)
def _alias(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING + '[spending.aliases]\n"Z9" = "D"\n')


@case("spending_alias_to_nothing", 0, total=BASE_TOTAL, says=('"key": "Z9"',))
def _alias_nothing(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING + '[spending.aliases]\n"Z9" = "Q"\n')


@case("spending_formula_text", 0, total=BASE_TOTAL + 500)
def _formula(folder: Path) -> Path:
    return write_city(folder, rows=[*SPENDING_ROWS, ("2024", "A", "=HYPERLINK(\"http://x\")", "5")])


@case("spending_citywide_named", 0, total=BASE_TOTAL)
def _citywide(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING + 'citywide = ["Z9", "Citywide"]\n')


@case("spending_negative_zero_and_signs", 0, total=cents(["-0", "+5", "-3.10", "(2)"]))
def _signs(folder: Path) -> Path:
    return write_city(folder, rows=[("2024", "A", "Parks", a) for a in ("-0", "+5", "-3.10", "(2)")])


@case("spending_fiscal_year_labels", 0, total=BASE_TOTAL)
def _labels(folder: Path) -> Path:
    labels = {"2024": "FY 2023-24", "2023": "FY23"}
    return write_city(folder, rows=[(labels[y], d, p, a) for y, d, p, a in SPENDING_ROWS])


@case("spending_no_amount_rows", 0, total=BASE_TOTAL, says=("row 10", "no amount"))
def _no_amount(folder: Path) -> Path:
    return write_city(folder, rows=[*SPENDING_ROWS, ("2024", "A", "Parks", "n/a")])


@case("spending_long_cell", 0, total=BASE_TOTAL)
def _long_cell(folder: Path) -> Path:
    return write_city(folder, rows=[(y, d, p * 50_000 if k == 0 else p, a) for k, (y, d, p, a) in enumerate(SPENDING_ROWS)])


@case("plans_header_only", 2, file="plans.csv", says=("no rows",))
def _plans(folder: Path) -> Path:
    return write_city(folder, extra='[plans]\npath = "plans.csv"\n', files={"plans.csv": "project,quarter,rate\n"})


@case("spending_header_whitespace", 0, total=BASE_TOTAL)
def _header_spaces(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": csv_text([f"  {h} " for h in SPENDING_HEADER], SPENDING_ROWS)})


@case("spending_column_named_source_row", 2, file="spending.csv", says=("'source_row'", "rename"))
def _source_row(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": csv_text((*SPENDING_HEADER, "source_row"),
                                                              [(*r, "x") for r in SPENDING_ROWS])})


@case("spending_duplicate_blank_rows_are_not_duplicates", 0, total=BASE_TOTAL)
def _blank_rows(folder: Path) -> Path:
    text = csv_text(SPENDING_HEADER, SPENDING_ROWS).replace("\n", "\n,,,\n", 2)
    return write_city(folder, files={"spending.csv": text})


@case("spending_alias_of_a_district_id", 0, total=BASE_TOTAL,
      says=('[spending]: alias "A" = "B" is never used: "A" is a district id',))
def _alias_of_id(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING + '[spending.aliases]\n"A" = "B"\n')
