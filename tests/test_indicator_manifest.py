"""Manifest checks for indicator tables and descriptions: each mistake is named with its
section and key before any data file is read; and the number parser behind indicator cells."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from loaders.indicator_manifest import INDICATOR_KEYS, META_KEYS
from loaders.manifest import read_manifest
from loaders.problems import LoadError
from loaders.values import parse_numbers

DISTRICTS = '[districts]\npath = "d.geojson"\nid = "code"\n'
TABLE = '[indicators]\npath = "i.csv"\nindicator = "name"\nyear = "year"\nactual = "actual"\n'


def manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text(DISTRICTS + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text,needle", [
    (TABLE + '[indicators.meta.x]\ntarget = "80%"\n', "[indicators.meta.x] 'target' must be a number, like 80; found \"80%\""),
    (TABLE + '[indicators.meta.x]\ntargets = { "next year" = 80 }\n', "'next year' is not a fiscal year"),
    (TABLE + '[indicators.meta.x]\ntargets = { "2017" = "high" }\n', 'found 2017 = "high"'),
    (TABLE + '[indicators.meta.x]\ntargets = { "2017" = 1, "FY 2016-17" = 2 }\n', "fiscal year 2017 is given twice"),
    (TABLE + '[indicators.meta.x]\nsource = 12\n', "'source' must be text"),
    (TABLE + '[indicators.meta.x]\ngoal = 12\n', "unknown key 'goal'"),
    (TABLE + '[indicators.meta.x]\ndirection = "up"\n', '\'direction\' must be one of "higher", "lower", like "higher"; found "up"'),
    (TABLE + '[indicators.meta.x]\nrollup = "median"\n', '\'rollup\' must be one of "population", "weighted", "mean", "sum", like "population"; found "median"'),
])
def test_meta_mistakes_are_named(tmp_path, text, needle):
    with pytest.raises(LoadError) as err:
        read_manifest(manifest(tmp_path, text))
    assert str(err.value).startswith("city.toml: ") and needle in str(err.value)


@pytest.mark.parametrize("text,needle", [
    ('[indicators]\npath = "i.csv"\nyear = "y"\nactual = "a"\n', "needs 'indicator' as a column or in constant"),
    (TABLE + 'constant = { indicator = "x" }\n', "gives 'indicator' both as a column and in constant"),
    ('[indicators]\npath = "i.csv"\nactual = "a"\nconstant = { indicator = "x", year = "soon" }\n',
     "'constant.year' must be a fiscal year, like 2024 or \"FY 2023-24\"; found \"soon\""),
    ('[indicators]\npath = "i.csv"\nactual = "a"\nconstant = { indicator = "x", year = 2024, district = "A" }\n',
     "unknown key 'constant.district'; remove it or correct its name; the keys of constant are indicator, year"),
    ('[indicators]\npath = "i.csv"\nindicator = "n"\nyear = "y"\n', "needs at least one of actual, target"),
    (TABLE + 'kind = "type"\nvalue = "v"\nkinds = { actual = "A" }\n', "cannot have actual"),
    (TABLE.replace('actual = "actual"\n', 'kind = "type"\nvalue = "v"\nkinds = { done = "A" }\n'),
     "'kinds' has 'done'"),
    (TABLE.replace('actual = "actual"\n', 'kind = "type"\nvalue = "v"\nkinds = { actual = "A", target = "a" }\n'),
     "'a' is listed as both actual and target"),
    (TABLE + 'count = "n"\ncategory = "c"\nnumerator = ["yes"]\n', "cannot have actual"),
    (TABLE.replace('actual = "actual"\n', 'count = "n"\ncategory = "c"\nnumerator = "yes"\n'),
     "'numerator' must be a non-empty list of text, like [\"Improved\"]; found \"yes\""),
    (TABLE + 'missing = 0\n', "'missing' must be a list"),
    (TABLE + 'weight = 3\n', "'weight' must be a column name (text), like \"District\"; found 3"),
    ('[[indicators]]\npath = "a.csv"\nindicator = "n"\nyear = "y"\nactual = "a"\n[[indicators]]\npath = "b.csv"\n'
     'indicator = "n"\nyear = "y"\n', "[indicators #2] needs at least one of"),
])
def test_table_mistakes_are_named(tmp_path, text, needle):
    with pytest.raises(LoadError) as err:
        read_manifest(manifest(tmp_path, text))
    assert needle in str(err.value)


def test_one_table_or_several(tmp_path):
    one = read_manifest(manifest(tmp_path, TABLE))
    assert [s.section for s in one.indicators] == ["indicators"]
    several = read_manifest(manifest(tmp_path, TABLE.replace("[indicators]", "[[indicators]]") * 2))
    assert [s.section for s in several.indicators] == ["indicators #1", "indicators #2"]
    assert read_manifest(manifest(tmp_path, "")).indicators == ()


def test_meta_is_parsed_once_for_the_loaders(tmp_path):
    text = TABLE + ('[indicators.meta."  Curb  ramps "]\ntarget = 30\ntargets = { "FY 2016-17" = 25 }\n'
                    'source = "PortlandMaps"\nnote = "illustrative"\n')
    meta = read_manifest(manifest(tmp_path, text)).indicator_meta["Curb ramps"]
    assert (meta.label, meta.target, meta.targets) == ("Curb ramps", 30.0, ((2017, 25.0),))
    assert (meta.source, meta.note) == ("PortlandMaps", "illustrative")
    assert meta.city_target(2017) == 25.0 and meta.city_target(2018) == 30.0


def test_identical_descriptions_in_two_tables_are_fine(tmp_path):
    table = TABLE.replace("[indicators]", "[[indicators]]") + '[indicators.meta.x]\nunit = "%"\n'
    assert read_manifest(manifest(tmp_path, table * 2)).indicator_meta["x"].unit == "%"


def numbers(*cells: str, missing=()) -> tuple[list, list, int]:
    values, problems, marked = parse_numbers(pd.Series(list(cells)), file="f.csv", column="c",
                                             rows=range(2, 2 + len(cells)), missing=list(missing))
    return [None if pd.isna(v) else v for v in values], [(p.row, p.value) for p in problems], marked


def test_number_cells():
    assert numbers("72%", " 7.1 ", "1,234", "-", "N/A", "") == ([72.0, 7.1, 1234.0, None, None, None], [], 0)


def test_decimal_commas_and_words_are_refused_not_guessed():
    assert numbers("12,5", "high") == ([None, None], [(2, "12,5"), (3, "high")], 0)


def test_missing_markers_are_counted_only_where_a_cell_says_them():
    assert numbers("0", "0.0", "", "3", "tbd", "TBD", missing=[0, "tbd"]) == (
        [None, None, None, 3.0, None, None], [], 4)


def test_every_indicator_and_meta_key_is_documented():
    """docs/architecture.md shows each key in a TOML example that parses, so the docs keep up."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    examples = [tomllib.loads(block) for block in re.findall(r"```toml\n(.*?)```", text, re.S)]
    tables = [t for e in examples for t in (e.get("indicators") if isinstance(e.get("indicators"), list)
                                            else [e.get("indicators", {})])]
    shown = set().union(*(set(t) for t in tables))
    meta = set().union(*(set(m) for t in tables for m in t.get("meta", {}).values()))
    assert INDICATOR_KEYS - shown == set()
    assert META_KEYS - meta == set()
