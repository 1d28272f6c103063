"""The two real Portland indicator files through examples/portland_council.toml (skipped
when ../shared/data is absent). Expected numbers come from the files read independently
here with the json and csv modules, and from hand sums written out in the comments."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from conftest import ROOT, needs_shared
from loaders.dataset import load_dataset

MANIFEST = ROOT / "examples" / "portland_council.toml"
CURBS = "curb_ramps_improved"


@pytest.fixture(scope="module")
def portland():
    needs_shared("portland", "improved_corners_by_district.geojson")
    needs_shared("portland", "budget_in_brief_kpm.csv")
    dataset = load_dataset(MANIFEST)
    return dataset


def test_curb_ramps_per_district(portland):
    rows = portland.indicators[portland.indicators["indicator"] == CURBS].set_index("district_id")
    assert sorted(rows.index) == ["1", "2", "3", "4"], "'District 1' joins '1' through the aliases"
    assert rows.loc["1", "actual"] == pytest.approx(100 * 1476 / (1476 + 3310))   # 30.84 %
    assert rows.loc["1", "actual"] == pytest.approx(30.84, abs=0.005)
    assert rows["weight"].to_dict() == {"1": 4786.0, "2": 12874.0, "3": 13807.0, "4": 6962.0}
    assert (rows["fiscal_year"] == 2025).all(), "counted in autumn 2024: FY 2024-25"
    assert (rows["target"] == 30.0).all(), "the manifest's illustrative goal"
    assert portland.indicator_meta[CURBS].note.startswith("The 30% goal is illustrative")


def test_curb_ramps_citywide_is_improved_over_all_corners(portland):
    features = json.loads(needs_shared("portland", "improved_corners_by_district.geojson").read_text())["features"]
    improved = sum(f["properties"]["n"] for f in features if f["properties"]["ramp_style"] == "Improved")
    corners = sum(f["properties"]["n"] for f in features)
    assert (improved, corners) == (1476 + 3476 + 4412 + 2010, 38429)              # 11,374 of 38,429
    rows = portland.indicators[portland.indicators["indicator"] == CURBS]
    city = np.average(rows["actual"], weights=rows["weight"])
    assert city == pytest.approx(100 * 11374 / 38429)                             # 29.60 %: below 30
    assert portland.indicator_meta[CURBS].rollup == "weighted"
    table = next(t for t in portland.report.tables if t.file.endswith("/improved_corners_by_district.geojson"))  # as the manifest names it
    assert (table.rows_read, table.rows_used, table.problem_count) == (8, 8, 0)


def test_budget_in_brief_counts(portland):
    with open(needs_shared("portland", "budget_in_brief_kpm.csv"), newline="", encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    zeros = [r for r in lines if float(r["Amount"]) == 0]
    assert (len(lines), len(zeros)) == (192, 26)
    # 25 of the 26 zeros have an empty Units cell; the one "%" belongs to a measure whose
    # whole FY 2016-17 edition is 0 (row 120; rows 152 and 184 of the same measure say "")
    assert sum(r["Units"] == "" for r in zeros) == 25
    table = next(t for t in portland.report.tables if t.file.endswith("/budget_in_brief_kpm.csv"))
    assert (table.rows_read, table.cells_missing, table.problem_count) == (192, 26, 0)
    # 32 measures x 4 fiscal years (2014..2017) = 128 measure-years; 11 have only zeros:
    # 6 in FY2014 (a lone Actual), 2 in FY2015 (PDC, Auditor IPR: Estimate and Actual both 0)
    # and 3 in FY2017 (a lone Target): 13 lines, so 179 lines used and 117 rows
    assert table.rows_used == 179
    frame = portland.indicators[portland.indicators["indicator"] != CURBS]
    assert len(frame) == 117 and frame["indicator"].nunique() == 32
    assert frame["district_id"].isna().all(), "no district column: citywide"
    assert any("11 indicator-year(s) (13 row(s)) have no value at all" in n for n in table.notes)


def test_budget_in_brief_values(portland):
    frame = portland.indicators.set_index(["indicator", "fiscal_year"])
    fire = "Fire - Maximum response time to 90% of high priority calls"   # the file has a double space
    assert frame.loc[(fire, 2015), ["actual", "estimate"]].tolist() == [7.12, 7.11]
    assert frame.loc[(fire, 2016), ["target", "estimate"]].tolist() == [7.11, 7.1]
    bridges = "BOT - % of bridges in non-distressed condition"
    assert frame.loc[(bridges, 2015), "actual"] == 84 and np.isnan(frame.loc[(bridges, 2015), "estimate"])
    equity = "Equity - % of City management that are employees of color"  # trailing spaces in the file
    assert frame.loc[(equity, 2014), "actual"] == 14


def test_lower_is_better_measures_are_described(portland):
    lower = {k for k, m in portland.indicator_meta.items() if m.direction == "lower"}
    assert {"BES - Number of combined sewer overflow events", "BES - Number of sanitary sewer overflows",
            "Fire - Maximum response time to 90% of high priority calls",
            "Police - Part 1 person crimes per 1,000 residents",
            "PBOT - Total number of serious traffic injuries and fatalities citywide",
            "Water - Unplanned events leading to customers out of water (> 8 hrs.)",
            "OMF - Business license tax gap (in millions)",
            "FPDR - Tax levy rate per $1,000 of Real Market Value"} <= lower
    assert not [w for w in portland.report.warnings if "indicators.meta" in w], "every description matches a measure"
