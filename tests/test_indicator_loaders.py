"""Indicator tables: the three shapes (columns, kind, counts), weights, city goals, several
tables, missing markers and constants, on small hand-written files in the 2x2 test city
(districts A..D). Every expected number is worked out in the comment beside it."""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from loaders.dataset import load_dataset
from loaders.problems import LoadError


def indicator_city(city, files: dict[str, str], sections: str, miles: list[float] | None = None) -> Path:
    """The test city plus indicator files and manifest sections; ``miles`` adds a kept district column."""
    manifest = city(manifest_extra=sections)
    for name, text in files.items():
        (manifest.parent / name).write_text(text, encoding="utf-8")
    if miles is not None:
        geo = manifest.parent / "districts.geojson"
        frame = gpd.read_file(geo)
        frame["miles"] = miles
        frame.to_file(geo)
        manifest.write_text(manifest.read_text().replace('population = "pop"\n',
                                                         'population = "pop"\nkeep = ["miles"]\n'))
    return manifest


def load(manifest: Path):
    dataset = load_dataset(manifest)
    return dataset


def rows_of(dataset, indicator: str) -> pd.DataFrame:
    frame = dataset.indicators
    return frame[frame["indicator"] == indicator].set_index(
        frame.loc[frame["indicator"] == indicator, "district_id"].fillna("city"))


COLUMNS = ("indicator,year,district,actual,estimate,target\n"
           "paving,2024,A,70,,80\n"
           "paving,2024,B,,65,80\n"
           "paving,2024,,68,,\n")
COLUMNS_TABLE = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\n'
                 'district = "district"\nactual = "actual"\nestimate = "estimate"\ntarget = "target"\n')


def test_estimate_and_district_weights(city):
    sections = COLUMNS_TABLE + '[indicators.meta.paving]\nrollup = "weighted"\nweight = "miles"\n'
    dataset = load(indicator_city(city, {"ind.csv": COLUMNS}, sections, miles=[1.5, 2.0, 0.0, 4.0]))
    rows = rows_of(dataset, "paving")
    assert rows.loc["B", "estimate"] == 65 and np.isnan(rows.loc["B", "actual"])
    assert rows.loc["A", "weight"] == 1.5 and rows.loc["B", "weight"] == 2.0
    assert np.isnan(rows.loc["city", "weight"]), "citywide rows have no district weight"
    assert dataset.indicators["fiscal_year"].dtype == np.int64


def test_unweighted_indicators_have_no_weight(city):
    dataset = load(indicator_city(city, {"ind.csv": COLUMNS}, COLUMNS_TABLE, miles=[1.5, 2.0, 0.0, 4.0]))
    assert dataset.indicators["weight"].isna().all()


def test_weight_from_the_tables_own_column(city):
    text = "indicator,year,district,actual,w\nramps,2024,A,50,10\nramps,2024,B,20,30\n"
    sections = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\ndistrict = "district"\n'
                'actual = "actual"\nweight = "w"\n[indicators.meta.ramps]\nrollup = "weighted"\nweight = "w"\n')
    rows = rows_of(load(indicator_city(city, {"ind.csv": text}, sections)), "ramps")
    assert rows["weight"].to_dict() == {"A": 10.0, "B": 30.0}


@pytest.mark.parametrize("meta_weight,needle", [
    ('weight = "miles"', "weight = 'miles', which is not a district column"),
    ("", "and no weight"),
])
def test_weighted_without_a_weight_names_section_and_indicator(city, meta_weight, needle):
    sections = COLUMNS_TABLE + f'[indicators.meta.paving]\nrollup = "weighted"\n{meta_weight}\n'
    with pytest.raises(LoadError) as err:
        load(indicator_city(city, {"ind.csv": COLUMNS}, sections))
    assert "[indicators]" in str(err.value) and "'paving'" in str(err.value) and needle in str(err.value)


def test_meta_weight_must_be_the_tables_weight_column(city):
    text = "indicator,year,district,actual,w\nramps,2024,A,50,10\n"
    sections = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\ndistrict = "district"\n'
                'actual = "actual"\nweight = "w"\n[indicators.meta.ramps]\nrollup = "weighted"\nweight = "miles"\n')
    with pytest.raises(LoadError, match="neither a district column nor this table's weight column 'w'"):
        load(indicator_city(city, {"ind.csv": text}, sections))


def test_city_goal_fills_rows_without_a_target(city):
    text = "indicator,year,district,actual,target\nparks,2023,A,50,\nparks,2024,A,55,\nparks,2024,B,60,99\n"
    sections = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\ndistrict = "district"\n'
                'actual = "actual"\ntarget = "target"\n'
                '[indicators.meta.parks]\ntarget = 70\ntargets = { "2024" = 75, "FY 2024-25" = 77 }\n')
    dataset = load(indicator_city(city, {"ind.csv": text}, sections))
    got = dataset.indicators.set_index(["fiscal_year", "district_id"])["target"].to_dict()
    # 2023: the standing goal 70; 2024: the year's own goal 75; B keeps the row's own 99
    assert got == {(2023, "A"): 70.0, (2024, "A"): 75.0, (2024, "B"): 99.0}
    assert dataset.indicator_meta["parks"].targets == ((2024, 75.0), (2025, 77.0))
    assert any("2 row(s) take their target from the manifest" in n for n in dataset.report.tables[-1].notes)


KPM = ("Measure,FY,Type,Amount\n"
       "Trips walked  ,2015-16,Actual,24\n"      # row 2; the trailing spaces go
       "Trips walked,2015-16,Target,25\n"        # row 3
       "Trips walked,2016-17,Target,27\n"        # row 4
       "Trips walked,2015-16,Actual,99\n"        # row 5: repeats row 2, not used
       "Trips walked,2016-17,Budget,1\n"         # row 6: a kind the manifest does not name
       "Bridges,2015-16,Estimate,0.0\n"          # row 7: 0 = not reported
       "Bridges,2015-16,Actual,84\n"             # row 8
       "Bridges,2016-17,Target,0\n")             # row 9: not reported, and nothing else that year
KIND_TABLE = ('[indicators]\npath = "kpm.csv"\nindicator = "Measure"\nyear = "FY"\nkind = "Type"\n'
              'value = "Amount"\nkinds = { actual = "Actual", estimate = "Estimate", target = "Target" }\n'
              'missing = [0]\n')


def test_kind_table_is_pivoted_and_its_mistakes_listed(city):
    dataset = load(indicator_city(city, {"kpm.csv": KPM}, KIND_TABLE))
    frame = dataset.indicators.set_index(["indicator", "fiscal_year"])
    assert frame.loc[("Trips walked", 2016), ["actual", "target"]].tolist() == [24.0, 25.0]
    assert frame.loc[("Trips walked", 2017), "target"] == 27.0
    assert frame.loc[("Bridges", 2016), "actual"] == 84.0 and np.isnan(frame.loc[("Bridges", 2016), "estimate"])
    assert ("Bridges", 2017) not in frame.index, "a year with no value at all is left out"
    assert frame["district_id"].isna().all(), "no district column: citywide"
    table = dataset.report.tables[-1]
    assert (table.rows_read, table.rows_used, table.cells_missing) == (8, 5, 2)  # rows 5, 6, 9 not used
    by_row = {p.row: p for p in table.problems}
    assert set(by_row) == {5, 6}
    assert "repeats row 2" in by_row[5].reason and "row 2 is used" in by_row[5].reason
    assert by_row[6].column == "Type" and by_row[6].value == "Budget" and "not a kind" in by_row[6].reason
    notes = " ".join(table.notes)
    assert "2 cell(s) read as not reported (missing = [0]" in notes
    assert "1 indicator-year(s) (1 row(s)) have no value at all" in notes and "'Bridges' FY2017" in notes


def test_kind_table_needs_kinds_and_value(tmp_path, city):
    sections = '[indicators]\npath = "kpm.csv"\nindicator = "Measure"\nyear = "FY"\nkind = "Type"\nvalue = "Amount"\n'
    with pytest.raises(LoadError, match=r"\[indicators\] needs 'kinds' with 'kind'"):
        load(indicator_city(city, {"kpm.csv": KPM}, sections))


def test_missing_markers_match_numbers_however_written_and_text_ignoring_case(city):
    text = "indicator,year,actual,target\nx,2021,0.00,n/r\nx,2022,5,N/R\nx,2023,0,7\n"
    sections = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\nactual = "actual"\n'
                'target = "target"\nmissing = [0, "n/r"]\n')
    dataset = load(indicator_city(city, {"ind.csv": text}, sections))
    table = dataset.report.tables[-1]
    assert table.cells_missing == 4 and table.problems == []
    assert dataset.indicators.set_index("fiscal_year")["actual"].dropna().to_dict() == {2022: 5.0}
    assert dataset.report.to_dict()["tables"][-1]["cells_missing"] == 4


def test_constants_stand_in_for_missing_columns(city):
    text = "ward,score\nA,3\nB,4\n"
    sections = ('[indicators]\npath = "s.csv"\ndistrict = "ward"\nactual = "score"\n'
                'constant = { indicator = "survey", year = "FY 2023-24" }\n')
    frame = load(indicator_city(city, {"s.csv": text}, sections)).indicators
    assert frame[["indicator", "fiscal_year", "district_id", "actual"]].values.tolist() == [
        ["survey", 2024, "A", 3.0], ["survey", 2024, "B", 4.0]]


def geojson(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [15.0, 45.0]}}
        for p in features]})


CORNERS = [{"district": "Zone A", "style": "Improved", "n": 30}, {"district": "Zone A", "style": "Unimproved", "n": 90},
           {"district": "Zone B", "style": "improved", "n": 10}, {"district": "Zone B", "style": "None", "n": 30},
           {"district": "Zone B", "style": "Unknown", "n": 10}]
COUNTS_TABLE = ('[indicators]\npath = "corners.geojson"\ndistrict = "district"\ncount = "n"\ncategory = "style"\n'
                'numerator = ["Improved"]\nconstant = { indicator = "ramps", year = 2025 }\n'
                '[indicators.aliases]\n"Zone A" = "A"\n"Zone B" = "B"\n'
                '[indicators.meta.ramps]\nrollup = "weighted"\nweight = "n"\n')


def test_counts_give_the_share_and_its_weight(city):
    dataset = load(indicator_city(city, {"corners.geojson": geojson(CORNERS)}, COUNTS_TABLE))
    rows = rows_of(dataset, "ramps")
    assert rows.loc["A", "actual"] == pytest.approx(100 * 30 / 120)      # 25 %
    assert rows.loc["B", "actual"] == pytest.approx(100 * 10 / 50)       # 20 %, "improved" in any case
    assert rows["weight"].to_dict() == {"A": 120.0, "B": 50.0}
    city_share = np.average(rows["actual"], weights=rows["weight"])
    assert city_share == pytest.approx(100 * (30 + 10) / (120 + 50))      # 23.53 %: improved / all corners
    table = dataset.report.tables[-1]
    assert (table.rows_read, table.rows_used) == (5, 5)
    assert "counted only in the sum: None, Unimproved, Unknown" in " ".join(table.notes)


def test_counts_problems_name_the_feature(city):
    broken = [*CORNERS[:2], {"district": "Zone B", "style": "Improved", "n": None},
              {"district": "Zone B", "style": "Unimproved", "n": -3}]
    dataset = load(indicator_city(city, {"corners.geojson": geojson(broken)}, COUNTS_TABLE))
    table = dataset.report.tables[-1]
    assert [(p.row, p.column) for p in table.problems] == [(3, "n"), (4, "n")]  # features 3 and 4
    assert set(rows_of(dataset, "ramps").index) == {"A"}, "B's share cannot be known"
    assert table.rows_used == 2


def test_counts_numerator_that_matches_nothing_is_an_error(city):
    sections = COUNTS_TABLE.replace('numerator = ["Improved"]', 'numerator = ["Improvd"]')
    with pytest.raises(LoadError) as err:
        load(indicator_city(city, {"corners.geojson": geojson(CORNERS)}, sections))
    assert "corners.geojson" in str(err.value) and "'Improvd'" in str(err.value) and "'Unimproved'" in str(err.value)


def test_several_tables_each_reported_by_file_with_merged_meta(city):
    corners = COUNTS_TABLE.replace("[indicators]", "[[indicators]]")
    kpm = KIND_TABLE.replace("[indicators]", "[[indicators]]") + \
        '[indicators.meta."Trips walked"]\nlabel = "Trips made on foot"\n'
    dataset = load(indicator_city(city, {"corners.geojson": geojson(CORNERS), "kpm.csv": KPM}, corners + kpm))
    files = [t.file for t in dataset.report.tables if t.table == "indicators"]
    assert files == ["corners.geojson", "kpm.csv"]
    assert dataset.indicator_meta["Trips walked"].label == "Trips made on foot"
    assert dataset.indicator_meta["ramps"].rollup == "weighted"
    assert dataset.indicator_meta["Bridges"].label == "Bridges", "undescribed indicators get a plain description"
    assert set(dataset.indicators["indicator"]) == {"ramps", "Trips walked", "Bridges"}


def test_one_indicator_described_twice_differently_is_an_error(city):
    one = '[[indicators]]\npath = "a.csv"\nindicator = "i"\nyear = "y"\nactual = "a"\n'
    sections = (one + '[indicators.meta.x]\nunit = "%"\n' + one.replace("a.csv", "b.csv") +
                '[indicators.meta.x]\nunit = "km"\n')
    with pytest.raises(LoadError) as err:
        load(indicator_city(city, {}, sections))
    message = str(err.value)
    assert "'x' is described twice" in message and "indicators #1" in message and "indicators #2" in message
    assert "unit: '%' vs 'km'" in message


def test_names_are_trimmed_and_a_stray_description_is_a_warning(city):
    sections = KIND_TABLE + '[indicators.meta."Trips  walked "]\nunit = "%"\n[indicators.meta."Bridgs"]\nunit = "%"\n'
    dataset = load(indicator_city(city, {"kpm.csv": KPM}, sections))
    assert dataset.indicator_meta["Trips walked"].unit == "%", "inner and outer spaces do not matter"
    assert any("'Bridgs', which no indicator table has; did you mean 'Bridges'?" in w
               for w in dataset.report.warnings)


def test_unmatched_districts_are_reported_per_table(city):
    text = "indicator,year,district,actual\nx,2024,A,1\nx,2024,Zone Q,2\n"
    one = ('[[indicators]]\npath = "FILE"\nindicator = "indicator"\nyear = "year"\ndistrict = "district"\n'
           'actual = "actual"\n')
    dataset = load(indicator_city(city, {"a.csv": text, "b.csv": text},
                                  one.replace("FILE", "a.csv") + one.replace("FILE", "b.csv")))
    assert sorted(u.table for u in dataset.report.unmatched if u.key == "Zone Q") == [
        "indicators (a.csv)", "indicators (b.csv)"]
    assert [t.rows_used for t in dataset.report.tables if t.table == "indicators"] == [1, 1]


def test_rows_without_a_name_or_year_are_listed(city):
    text = "indicator,year,district,actual\n,2024,A,1\nx,n/a,A,2\nx,,B,3\nx,someday,C,4\nx,2024,D,5\n"
    sections = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\ndistrict = "district"\n'
                'actual = "actual"\n')
    dataset = load(indicator_city(city, {"ind.csv": text}, sections))
    table = dataset.report.tables[-1]
    assert [(p.row, p.column) for p in table.problems] == [(2, "indicator"), (3, "year"), (4, "year"), (5, "year")]
    assert [p.reason for p in table.problems[1:3]] == ["stands for no fiscal year; one is needed",
                                                       "the fiscal year is missing"]
    assert (table.rows_read, table.rows_used) == (5, 1)
    assert dataset.indicators["district_id"].tolist() == ["D"]


def test_a_repeated_row_in_a_columns_table_is_named(city):
    text = "indicator,year,district,actual\nx,2024,,60\nx,2024,Citywide,61\nx,FY2024,A,5\nx,2024,A,6\n"
    sections = ('[indicators]\npath = "ind.csv"\nindicator = "indicator"\nyear = "year"\ndistrict = "district"\n'
                'actual = "actual"\n')
    dataset = load(indicator_city(city, {"ind.csv": text}, sections))
    problems = dataset.report.tables[-1].problems
    assert [p.row for p in problems] == [3, 5]   # "Citywide" repeats the blank (citywide) row 2; "FY2024" is 2024
    assert "repeats row 2 (indicator 'x', fiscal year 2024, citywide)" in problems[0].reason
    assert "repeats row 4" in problems[1].reason and "district A" in problems[1].reason
    assert sorted(dataset.indicators["actual"]) == [5.0, 60.0]


def test_kind_table_weights_must_agree_within_a_key(city):
    text = "m,y,d,t,v,miles\nx,2024,A,Actual,50,10\nx,2024,A,Target,60,12\nx,2024,B,Actual,40,5\n"
    sections = ('[indicators]\npath = "k.csv"\nindicator = "m"\nyear = "y"\ndistrict = "d"\nkind = "t"\n'
                'value = "v"\nkinds = { actual = "Actual", target = "Target" }\nweight = "miles"\n'
                '[indicators.meta.x]\nrollup = "weighted"\nweight = "miles"\n')
    dataset = load(indicator_city(city, {"k.csv": text}, sections))
    assert rows_of(dataset, "x")["weight"].to_dict() == {"A": 10.0, "B": 5.0}   # A: the first row's 10
    (problem,) = dataset.report.tables[-1].problems
    assert (problem.row, problem.column, problem.value) == (3, "miles", "12") and "10 is used" in problem.reason
