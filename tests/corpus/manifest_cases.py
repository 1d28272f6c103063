"""Manifest mistakes: wrong types, unknown keys, impossible combinations, hostile TOML."""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from corpus import Case, add, case
from corpus.city import BASE_TOTAL, DISTRICTS, SPENDING, csv_text, manifest, write_city

INDICATORS = """[indicators]
path = "indicators.csv"
district = "district"
year = "year"
indicator = "indicator"
actual = "actual"
target = "target"
"""
INDICATOR_CSV = csv_text(("year", "district", "indicator", "actual", "target"),
                         [("2024", d, "pct", v, "75") for d, v in zip("ABCD", ("50", "60", "70", "80"))])
META = '[indicators.meta.pct]\nlabel = "Share"\nunit = "%"\n'


def _with(folder: Path, **parts: str) -> Path:
    return write_city(folder, files={"indicators.csv": INDICATOR_CSV}, **parts)


def _meta(line: str) -> dict[str, str]:
    return {"extra": INDICATORS + "[indicators.meta.pct]\n" + line + "\n"}


# (case, manifest parts, what the message must say); each refused, naming manifest.toml
TYPES: list[tuple[str, dict[str, str], tuple[str, ...]]] = [
    ("citywide_numbers", {"spending": SPENDING + "citywide = [1, 2]\n"},
     ("[spending]", "'citywide'", "a list of text", "found [1, 2]")),
    ("citywide_text", {"spending": SPENDING + 'citywide = "Citywide"\n'},
     ("[spending]", "'citywide'", "a list of text", 'found "Citywide"')),
    ("aliases_list", {"spending": SPENDING + "aliases = [1, 2]\n"},
     ("[spending]", "'aliases'", "a table", "found [1, 2]")),
    ("aliases_number_value", {"spending": SPENDING + "[spending.aliases]\n\"Z9\" = 5\n"},
     ("[spending]", "'aliases'", "text", '"Z9" = 5')),
    ("valid_from_list", {"districts": DISTRICTS + "valid_from = [2020]\n"},
     ("[districts]", "'valid_from'", "a year", "found [2020]")),
    ("valid_from_text", {"districts": DISTRICTS + 'valid_from = "2016"\n'},
     ("[districts]", "'valid_from'", "a year", 'found "2016"')),
    ("path_number", {"districts": DISTRICTS.replace('"districts.geojson"', "3")},
     ("[districts]", "'path'", "text", "found 3")),
    ("path_empty", {"districts": DISTRICTS.replace('"districts.geojson"', '""')},
     ("[districts]", "'path'", "empty")),
    ("path_list", {"spending": SPENDING.replace('"spending.csv"', '["spending.csv"]')},
     ("[spending]", "'path'", "text", 'found ["spending.csv"]')),
    ("path_spaces", {"spending": SPENDING.replace('"spending.csv"', '"   "')},
     ("[spending]", "'path'", "empty")),
    ("id_number", {"districts": DISTRICTS.replace('id = "id"', "id = 5")},
     ("[districts]", "'id'", "a column name", "found 5")),
    ("amount_boolean", {"spending": SPENDING.replace('amount = "amount"', "amount = true")},
     ("[spending]", "'amount'", "a column name", "found true")),
    ("top_name_number", {"top": "note = 5\n"}, ("top level", "'note'", "text", "found 5")),
    ("currency_list", {"top": 'source = ["USD"]\n'}, ("top level", "'source'", "text", 'found ["USD"]')),
    ("engine_unknown", {"top": 'engine = "spark"\n'},
     ("top level", "'engine'", "one of", '"auto"', 'found "spark"')),
    ("years_text", {"spending": SPENDING.replace('year = "year"', 'years = "2024"')},
     ("[spending]", "'years'", "a list of text", 'found "2024"')),
    ("years_numbers", {"spending": SPENDING.replace('year = "year"', "years = [2023, 2024]")},
     ("[spending]", "'years'", "a list of text", "found [2023, 2024]")),
    ("keep_text", {"districts": DISTRICTS + 'keep = "pop"\n'},
     ("[districts]", "'keep'", "a list of text", 'found "pop"')),
    ("population_year_text", {"districts": DISTRICTS + 'population_year = "2020"\n'},
     ("[districts]", "'population_year'", "a year", 'found "2020"')),
    ("population_year_float", {"districts": DISTRICTS + "population_year = 2020.5\n"},
     ("[districts]", "'population_year'", "a year", "found 2020.5")),
    ("population_year_far", {"districts": DISTRICTS + "population_year = 99999\n"},
     ("[districts]", "'population_year'", "a year", "found 99999")),
    ("layer_number", {"spending": SPENDING + "layer = 2\n"}, ("[spending]", "'layer'", "text", "found 2")),
    ("sheet_number", {"spending": SPENDING + "sheet = 1\n"}, ("[spending]", "'sheet'", "text", "found 1")),
    ("encoding_number", {"spending": SPENDING + "encoding = 8\n"},
     ("[spending]", "'encoding'", "text", "found 8")),
    ("crs_number", {"districts": DISTRICTS + "crs = 4326\n"},
     ("[districts]", "'crs'", '"EPSG:', "found 4326")),
    ("unknown_key_typo", {"spending": SPENDING + 'amout = "amount"\n'},
     ("[spending]", "amout", "did you mean 'amount'")),
    ("unknown_section_typo", {"extra": '[spendng]\npath = "x.csv"\n'},
     ("top level", "spendng", "did you mean 'spending'")),
    ("values_both", {"spending": SPENDING.replace('year = "year"\n', "").replace(
        'amount = "amount"\n', 'years = ["2024"]\nvalues = "both"\n')},
     ("[spending]", "'values'", '"actual"', '"budget"', 'found "both"')),
    ("duplicates_maybe", {"spending": SPENDING + 'duplicates = "maybe"\n'},
     ("[spending]", "'duplicates'", '"keep"', '"drop"', 'found "maybe"')),
    ("default_text", {"districts": "[[layers]]\n" + DISTRICTS.removeprefix("[districts]\n")
                      + 'key = "d"\ndefault = "yes"\n'},
     ("[layers #1]", "'default'", "true or false", 'found "yes"')),
    ("url_password", {"districts": '[districts]\nurl = "postgresql://u:hunter2@db.example/city"\n'
                      'table = "gis.d"\nid = "id"\n'},
     ("[districts]", "password", "PGPASSWORD")),
    ("spending_not_table", {"top": "spending = 5\n", "spending": None}, ("'spending'", "a table", "found 5")),
    ("districts_not_table", {"districts": 'districts = "districts.geojson"\n'},
     ("[districts]", "a table", 'found "districts.geojson"')),
    ("aliases_cycle", {"spending": SPENDING + '[spending.aliases]\n"A" = "B"\n"B" = "A"\n'},
     ("[spending]", "aliases", "cycle", '"A" -> "B" -> "A"', "district id")),
    ("aliases_chain", {"spending": SPENDING + '[spending.aliases]\n"Z9" = "Y9"\n"Y9" = "C"\n'},
     ("[spending]", "aliases", '"Z9" -> "Y9" -> "C"', "one step", '"Z9" = "C"')),
    ("meta_direction", _meta('direction = "up"'),
     ("[indicators.meta.pct]", "'direction'", '"higher"', '"lower"', 'found "up"')),
    ("meta_rollup", _meta('rollup = "median"'),
     ("[indicators.meta.pct]", "'rollup'", '"population"', '"weighted"', 'found "median"')),
    ("meta_target_text", _meta('target = "80%"'),
     ("[indicators.meta.pct]", "'target'", "a number", 'found "80%"')),
    ("meta_target_nan", _meta("target = nan"), ("[indicators.meta.pct]", "'target'", "a number", "found nan")),
    ("meta_label_number", _meta("label = 5"), ("[indicators.meta.pct]", "'label'", "text", "found 5")),
    ("meta_targets_list", _meta("targets = [80]"),
     ("[indicators.meta.pct]", "'targets'", "a table", "found [80]")),
    ("meta_not_table", {"extra": INDICATORS + "[indicators.meta]\npct = 5\n"},
     ("[indicators.meta.pct]", "a table", "found 5")),
    ("kinds_number", {"extra": INDICATORS.replace('actual = "actual"\ntarget = "target"\n',
                                                  'kind = "actual"\nvalue = "target"\nkinds = { actual = 5 }\n')},
     ("[indicators]", "'kinds'", "found actual = 5")),
    ("constant_year_bad", {"extra": INDICATORS.replace('year = "year"\n', "") + 'constant = { year = "soon" }\n'},
     ("[indicators]", "year", '"soon"', "fiscal year")),
    ("missing_tables", {"extra": INDICATORS + "missing = [{ a = 1 }]\n"},
     ("[indicators]", "'missing'", "a list of numbers or text", "found [{")),
    ("indicators_empty_list", {"top": "indicators = []\n"}, ("indicators", "empty")),
    ("population_columns_list", {"extra": '[population]\npath = "spending.csv"\ndistrict = "district"\n'
                                 'population = ["amount"]\n'},
     ("[population]", "'population'", "a column name", 'found ["amount"]')),
]

for name, parts, says in TYPES:
    add(Case(f"manifest_{name}", partial(_with, **parts), 2, says=says, file="manifest.toml"))


@case("manifest_as_of_date", 0, total=BASE_TOTAL)
def _as_of_date(folder: Path) -> Path:
    return write_city(folder, top="as_of = 2025-06-30\n")  # a TOML date is a date: taken as such


@case("manifest_toml_deep_array", 2, file="manifest.toml", says=("nested", "deep"))
def _deep_array(folder: Path) -> Path:
    return write_city(folder, manifest_text='name = "x"\nx = ' + "[" * 20000 + "]" * 20000 + "\n")


@case("manifest_toml_deep_table", 2, file="manifest.toml", says=("nested", "deep"))
def _deep_table(folder: Path) -> Path:
    return write_city(folder, manifest_text="x = " + "{a = " * 20000 + "1" + "}" * 20000 + "\n")


@case("manifest_toml_syntax", 2, file="manifest.toml", says=("not valid TOML", "line 6"))
def _syntax(folder: Path) -> Path:
    return write_city(folder, manifest_text=manifest().replace('id = "id"', 'id = "id'))


@case("manifest_not_utf8", 2, file="manifest.toml", says=("UTF-8",))
def _not_utf8(folder: Path) -> Path:
    return write_city(folder, files={"manifest.toml": manifest().encode("utf-8").replace(b"Corpus", b"Corp\xe9s")})


@case("manifest_empty", 2, file="manifest.toml", says=("[districts]", "'path'", "'id'"))
def _empty(folder: Path) -> Path:
    return write_city(folder, manifest_text="")


@case("manifest_is_fifo", 2, file="manifest.toml", says=("not a regular file",))
def _fifo(folder: Path) -> Path:
    path = write_city(folder)
    path.unlink()
    os.mkfifo(path)
    return path


@case("manifest_is_folder", 2, file="manifest.toml", says=("is a folder",))
def _folder(folder: Path) -> Path:
    path = write_city(folder)
    path.unlink()
    path.mkdir()
    return path


@case("manifest_too_big", 2, file="manifest.toml", says=("MB", "manifest"))
def _too_big(folder: Path) -> Path:
    path = write_city(folder)
    with path.open("r+b") as handle:  # sparse: no disk used, but far over any manifest's size
        handle.truncate(200_000_000)
    return path
