"""Gap, direction, roll-up rules, diverging and locked classes, target and change maps.

Every expected number below is worked out by hand in the comment beside it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from budgetmap import diverging
from budgetmap.compare import build_change_map, change_values, side_by_side
from budgetmap.dataset import open_dataset
from budgetmap.rollups import ROLLUPS
from budgetmap.spending_map import build_spending_map, district_values
from budgetmap.target_map import build_target_map
from budgetmap.targets import city_summary, district_frame, gap, meets
from budgetmap.view import SpendingView

INDICATORS = """indicator,year,district,actual,target
streets,2024,A,50,60
streets,2024,B,80,60
streets,2024,C,70,60
streets,2024,D,20,60
streets,2023,A,65,60
streets,2023,B,61,60
streets,2023,C,40,60
streets,2023,D,59,60
waits,2024,A,5,6
waits,2024,B,6,6
waits,2024,C,7,6
waits,2024,D,9,6
"""
INDICATOR_SECTION = """
[indicators]
path = "indicators.csv"
indicator = "indicator"
year = "year"
district = "district"
actual = "actual"
target = "target"

[indicators.meta.streets]
label = "Streets in good condition"
unit = "%"
direction = "higher"
rollup = "population"

[indicators.meta.waits]
label = "Wait"
unit = "min"
direction = "lower"
rollup = "mean"
"""


@pytest.fixture
def targets_city(city):
    """The 4-district test city (populations 1000, 2000, 0, 4000) with two indicators."""
    manifest = city(manifest_extra=INDICATOR_SECTION)
    (manifest.parent / "indicators.csv").write_text(INDICATORS, encoding="utf-8")
    return open_dataset(manifest)


def test_gap_is_positive_when_better_whichever_the_direction():
    assert gap(50.0, 80.0, "higher") == -30.0  # Portland 2016-17: 50% against a goal of 80%
    assert gap(83.0, 80.0, "higher") == 3.0
    assert gap(7.0, 6.0, "lower") == -1.0  # a 7-minute response misses a 6-minute goal by 1
    assert gap(5.0, 6.0, "lower") == 1.0
    assert np.isnan(gap(np.nan, 80.0, "higher"))


def test_meeting_the_goal_exactly_counts_as_meeting_it():
    assert meets(np.array([-0.1, 0.0, 3.0, np.nan])).tolist() == [False, True, True, False]


def test_rollup_rules_on_hand_checked_numbers():
    values, population, weights = np.array([50.0, np.nan, 90.0]), np.array([3000, 5000, 1000]), np.array([1, 9, 3])
    # population-weighted: (50*3000 + 90*1000) / 4000 = 60; the district without a value is left out
    assert ROLLUPS["population"].apply(values, population, weights) == 60.0
    assert ROLLUPS["mean"].apply(values, population, weights) == 70.0  # (50 + 90) / 2
    assert ROLLUPS["sum"].apply(values, population, weights) == 140.0
    assert ROLLUPS["weighted"].apply(values, population, weights) == 80.0  # (50*1 + 90*3) / 4
    assert np.isnan(ROLLUPS["mean"].apply(np.array([np.nan]), np.array([1]), np.array([1])))


def test_city_summary_uses_the_population_weighted_rule(targets_city):
    summary = city_summary(targets_city, "streets", 2024)
    # (50*1000 + 80*2000 + 70*0 + 20*4000) / 7000 = 290000 / 7000, not the plain mean 55
    assert summary.value == pytest.approx(290000 / 7000)
    assert summary.value != pytest.approx(55.0)
    assert summary.goal == 60.0  # every district shares it
    assert (summary.meeting, summary.with_data) == (2, 4)  # B (80) and C (70)


def test_direction_lower_flips_who_meets_the_goal(targets_city):
    frame = district_frame(targets_city, "waits", 2024).set_index("district_id")
    assert frame["gap"].to_dict() == {"A": 1.0, "B": 0.0, "C": -1.0, "D": -3.0}
    assert frame["meets"].to_dict() == {"A": True, "B": True, "C": False, "D": False}
    assert city_summary(targets_city, "waits", 2024).value == 6.75  # plain mean of 5, 6, 7, 9


def test_diverging_classes_break_exactly_at_the_centre():
    values = np.array([-29.2, -10.0, -0.01, 0.0, 1.0, 2.6, np.nan])
    classes = diverging.classify(values)
    below = classes.index[:3]
    at_or_above = classes.index[3:6]
    assert below.max() < len(classes.low) <= at_or_above.min(), "no class holds both sides of the goal"
    assert classes.index[-1] == -1
    assert classes.low == (-30.0, -20.0, -10.0)  # round steps of 10 reach 29.2 in three classes
    assert classes.high == (1.0, 2.0, 3.0)


def test_locked_diverging_classes_flag_values_beyond_them():
    locked = diverging.classify(np.array([-4.0, -1.0, 2.0]))
    later = diverging.classify(np.array([-9.0, -1.0, 5.0, 1.0]), locked=(locked.low, locked.high))
    assert later.low == locked.low and later.high == locked.high
    assert later.outside.tolist() == [True, False, True, False]
    assert later.index[0] == 0 and later.index[2] == later.count - 1, "outside values sit in the end classes"


def test_target_map_colours_by_side_hatches_misses_and_names_the_goal(targets_city):
    spec = build_target_map(targets_city, SpendingView(indicator="streets", fiscal_year=2024))
    low_colours = {e.fill for e in spec.legend if e.kind == "class" and e.pattern == "hatch"}
    by_id = {f.district_id: f for f in spec.features}
    assert {d for d, f in by_id.items() if f.pattern == "hatch"} == {"A", "D"}
    assert by_id["A"].fill in low_colours and by_id["B"].fill not in low_colours
    assert spec.measure_label == "Goal: 60.0% (FY2024)"
    assert dict(by_id["D"].details)["Gap"] == "40 points short of the goal"
    assert [r[0] for r in spec.tooltip_rows(by_id["D"])[1:]] == ["Streets in good condition", "Goal", "Gap"]
    assert "2 of 4 districts with data meet it" in spec.subtitle


def test_target_map_with_locked_classes_reports_districts_outside(targets_city):
    spec = build_target_map(targets_city, SpendingView(indicator="streets", fiscal_year=2024, classes_from=2023))
    # 2023 gaps +5, +1, -20, -1 give round classes from -20 to +5 (steps of 10 below, 2.5 above);
    # of the 2024 gaps -10, +20, +10, -40 only A's fits: B, C and D are flagged
    assert spec.meta["outside"] == 3
    assert any("locked to FY2023" in n for n in spec.notes)


def test_locked_spending_classes_keep_the_other_years_breaks(targets_city):
    earlier = build_spending_map(targets_city, SpendingView(measure="total", fiscal_year=2023))
    later = build_spending_map(targets_city, SpendingView(measure="total", fiscal_year=2024, classes_from=2023))
    assert later.breaks == earlier.breaks == (900.0,)
    # 2024: A 1000.50 and B 1499.75 lie above FY2023's top (900): hatched and flagged
    assert {f.district_id for f in later.features if f.pattern == "hatch"} == {"A", "B"}
    assert later.meta["outside"] == 2


def test_cumulative_years_add_up(targets_city):
    frame, _ = district_values(targets_city, SpendingView(measure="total", fiscal_year=2024, since=2023))
    totals = dict(zip(frame["district_id"], frame["value"]))
    assert totals["A"] == pytest.approx(1900.50)  # 900 + 1000.50
    spec = build_spending_map(targets_city, SpendingView(measure="total", fiscal_year=2024, since=2023))
    assert spec.subtitle.startswith("FY2023–FY2024 added up (2 years)")


def test_change_map_absolute_and_percent(targets_city):
    view = SpendingView(measure="total", fiscal_year=2024, base_year=2023)
    a, b, change = change_values(targets_city, view)
    assert change[0] == pytest.approx(100.50)  # A: 1000.50 - 900
    assert change[1] == pytest.approx(1499.75)  # B: nothing in 2023 counts as zero
    pct = change_values(targets_city, view.with_(change="percent"))[2]
    assert pct[0] == pytest.approx(100.50 / 900 * 100)
    assert np.isnan(pct[1]), "no percent change from nothing"
    spec = build_change_map(targets_city, view)
    assert spec.meta["base_year"] == 2023 and "FY2023 to FY2024" in spec.title


def test_side_by_side_years_share_the_earlier_years_breaks(targets_city):
    view = SpendingView(measure="total", fiscal_year=2024, base_year=2023, compare="side_years")
    left, right = side_by_side(targets_city, view)
    assert (left.fiscal_year, right.fiscal_year, right.classes_from) == (2023, 2024, 2023)
    assert build_spending_map(targets_city, left).breaks == build_spending_map(targets_city, right).breaks


def test_demo_pavement_goals_have_districts_on_both_sides(demo_manifest: Path):
    dataset = open_dataset(demo_manifest)
    for key, goal in (("pavement_busy_good_fair", 80.0), ("pavement_local_good_fair", 70.0)):
        summary = city_summary(dataset, key, 2025)
        assert summary.goal == goal
        assert 3 <= summary.meeting <= summary.with_data - 10, "a believable spread above and below the goal"
        assert summary.value < goal, "like Portland, the city as a whole misses it"
        reported = summary.reported
        assert reported == pytest.approx(summary.value, abs=0.05), "our roll-up equals the data's own"


def test_story_money_per_resident_against_all_districts(targets_city):
    from budgetmap.story import headline, per_resident_vs_city, spending_by_department
    view = SpendingView(measure="total")
    per_head = per_resident_vs_city(targets_city, "A", view)
    assert per_head.loc[2024, "This district"] == pytest.approx(1000.50 / 1000)
    # all money located in districts / residents of districts with a population (C has none):
    # (1000.50 + 2000 - 500.25) / (1000 + 2000 + 4000); citywide and unknown-district money is left out
    assert per_head.loc[2024, "All districts"] == pytest.approx(2500.25 / 7000)
    by_dept = spending_by_department(targets_city, "B", view)
    assert by_dept.loc[2024].to_dict() == {"Parks": 2000.0, "Roads": -500.25}
    assert by_dept.loc[2023].to_dict() == {"Parks": 0.0, "Roads": 0.0}
    text = headline(targets_city, "A", view, 2024).text
    assert text.startswith("Alpha: $1 per resident in FY2024, 180% above the average of all districts")
    assert text.endswith("meets 1 of 2 goals in their latest year")  # streets misses (50 < 60), waits meets


def test_money_against_results_groups_districts_in_plain_words(targets_city):
    from budgetmap.bivariate import build_bivariate_map, pair, readings
    view = SpendingView(indicator="streets", fiscal_year=2024)
    pairing = pair(targets_city, view)
    assert pairing.average == pytest.approx(2500.25 / 7000)
    groups = {title: names for title, _, names in readings(pairing)}
    # A spends 1.0005 a head (above average) and misses 60% (50%); B spends 0.75 and meets it (80%)
    assert groups["Spend more than average and still miss the goal"] == ["Alpha"]
    assert groups["Spend more than average and meet the goal"] == ["Bravo"]
    assert groups["Spend less than average and miss the goal"] == []
    spec = build_bivariate_map(targets_city, view)
    by_id = {f.district_id: f for f in spec.features}
    assert by_id["C"].class_index == -1 and by_id["D"].class_index == -1, "no population or no money: no data"
    assert by_id["A"].pattern == "hatch" and by_id["B"].pattern == ""
    # D misses the goal (20 < 60) but has no money, so it is drawn as no data, not hatched: the legend
    # counts the one hatched district (it used to count D too, 2,311 against 2,299 drawn on the counties)
    hatch = next(e for e in spec.legend if e.kind == "pattern")
    assert hatch.count == 1 and by_id["D"].pattern == ""


def test_all_years_at_once_agrees_with_one_year_at_a_time(demo_manifest: Path):
    from budgetmap.targets import district_gaps, indicator_years, mapped_indicators
    dataset = open_dataset(demo_manifest)
    every = district_gaps(dataset).set_index(["indicator", "fiscal_year", "district_id"])
    checked = 0
    for key in mapped_indicators(dataset):
        for year in indicator_years(dataset, key):
            one = district_frame(dataset, key, year).dropna(subset=["value"])
            for row in one.itertuples():
                assert every.loc[(key, year, row.district_id), "gap"] == pytest.approx(row.gap)
                assert bool(every.loc[(key, year, row.district_id), "meets"]) == bool(row.meets)
                checked += 1
    assert checked == 7 * 5 * 31


def test_without_a_goal_districts_are_compared_with_the_citywide_figure(city):
    manifest = city(manifest_extra='\n[indicators]\npath = "ind.csv"\nindicator = "i"\nyear = "y"\n'
                                   'district = "d"\nactual = "a"\n')
    (manifest.parent / "ind.csv").write_text("i,y,d,a\nx,2024,A,5\nx,2024,B,7\n", encoding="utf-8")
    spec = build_target_map(open_dataset(manifest), SpendingView())
    # mean of 5 and 7 is 6: A is 1 worse, B 1 better; C and D have no value
    by_id = {f.district_id: f for f in spec.features}
    assert dict(by_id["A"].details)["Gap"] == "1 short of the citywide figure"
    assert (by_id["A"].pattern, by_id["B"].pattern) == ("hatch", "")
    assert by_id["C"].class_index == -1
    assert spec.measure_label == "No goal set: against the citywide 6.00 (FY2024)"
    assert any(e.label.startswith("worse by") for e in spec.legend)
