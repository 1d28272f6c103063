"""Several boundary layers, line items located by coordinates, and exact money through the loader."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.export_rows import figures
from budgetmap.maps import MAP_KINDS
from budgetmap.model import SpendingQuery
from budgetmap.permalink import view_from_params
from budgetmap.view import SpendingView
from devtools.testcity import LAYERED_CANOPY, LAYERED_EXPECTED, LAYERED_RAMPS, write_layered_city
from loaders.problems import LoadError


@pytest.fixture
def town(tmp_path: Path):
    return open_dataset(write_layered_city(tmp_path / "town"))


@pytest.mark.parametrize("layer", ["wards", "halves"])
def test_points_land_in_the_district_of_every_layer(town, layer):
    totals = town.totals(SpendingQuery(years=(2025,), layer=layer))
    assert dict(totals.cents) == LAYERED_EXPECTED[layer]
    rec = totals.reconciliation
    assert rec.no_location == LAYERED_EXPECTED["no_location"]
    assert rec.input_total == LAYERED_EXPECTED["total"] and rec.balanced


def test_a_point_on_a_shared_corner_goes_to_the_smallest_id_once(town):
    corner = town.line_items(SpendingQuery(layer="wards"), limit=100)
    row = corner[corner["project"] == "Corner"]
    assert row["district_id"].tolist() == ["A"]  # touches A, B, C and D
    halves = town.line_items(SpendingQuery(layer="halves"), limit=100)
    assert halves.loc[halves["project"] == "Corner", "district_id"].tolist() == ["E"]  # touches W and E


def test_points_outside_or_unreadable_are_listed_with_their_rows(town):
    problems = {p.row: str(p) for p in town.report.table("spending").problems}
    assert "lies outside every district" in problems[5] and "'lon, lat'" in problems[5]
    assert "are not coordinates" in problems[6] and "'east, 12'" in problems[6]
    assert len(town.points) == 6  # every readable point is drawable, the one outside included


def test_layers_are_listed_and_the_default_is_first(town):
    assert town.layer_keys() == ["wards", "halves"] and town.default_layer == "wards"
    assert town.layer("halves").label == "East and west" and town.layer("nope").key == "wards"


def test_a_map_is_drawn_on_the_views_layer(town):
    spec = MAP_KINDS["spending"](town, SpendingView(measure="total", fiscal_year=2025, layer="halves"))
    assert spec.kind == "spending" and spec.layer == "halves"
    assert {f.district_id: f.value for f in spec.features} == {"W": 1000.0, "E": 500.25}
    assert view_from_params({"layer": "halves"}).layer == "halves"


def test_a_keyed_table_is_other_layer_money_on_the_other_layer(tmp_path):
    manifest = write_layered_city(tmp_path / "t")
    text = manifest.read_text().replace('lon = "lon"\nlat = "lat"\n', 'district = "ward"\n')
    manifest.write_text(text.replace('project = "project"', 'project = "project"\nlayer = "wards"'))
    (manifest.parent / "projects.csv").write_text("year,ward,cost,dept,project\n2025,A,10,Parks,P\n"
                                                  "2025,B,5.50,Parks,Q\n", encoding="utf-8")
    dataset = open_dataset(manifest)
    on_wards = dataset.totals(SpendingQuery(layer="wards")).reconciliation
    on_halves = dataset.totals(SpendingQuery(layer="halves")).reconciliation
    assert (on_wards.districts, on_wards.other_layer) == (1550, 0)
    assert (on_halves.districts, on_halves.other_layer, on_halves.input_total) == (0, 1550, 1550)
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", layer="halves"))
    assert "$15.50 keyed to another boundary layer" in spec.reconciliation_text


@pytest.mark.parametrize("change,message", [
    (lambda t: t.replace('key = "halves"', 'key = "wards"'), "keys must differ"),
    (lambda t: t.replace('project = "project"', 'project = "project"\nlayer = "zones"'), "names no boundary layer"),
    (lambda t: t.replace('[[layers]]\nkey = "wards"', '[districts]\nkey = "wards"', 1), "not both"),
    (lambda t: t.replace('key = "halves"\n', ''), r"\[layers #2\] needs 'key'"),
])
def test_layer_mistakes_are_one_clear_message(tmp_path, change, message):
    manifest = write_layered_city(tmp_path / "t")
    manifest.write_text(change(manifest.read_text()))
    with pytest.raises(LoadError, match=message):
        open_dataset(manifest)


def test_sums_past_int64_are_exact_from_file_to_map(city):
    spending = ("year,district,dept,program,fund,cost\n"
                "2024,A,Parks,Trees,General,90000000000000000.00\n"
                "2024,A,Parks,Trees,General,90000000000000000.00\n"
                "2024,B,Parks,Trees,General,0.01\n")
    dataset = open_dataset(city(spending=spending))
    rec = dataset.report.reconciliation
    assert rec.input_total == 2 * 9_000_000_000_000_000_000 + 1 and rec.districts == rec.input_total
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", fiscal_year=2024))
    assert spec.reconciliation_text.startswith("Total $180,000,000,000,000,000.01 = ")
    assert spec.feature("A").value == 1.8e17


def test_the_numbers_behind_a_target_map_keep_goal_value_and_numeric_rank(demo_manifest):
    dataset = open_dataset(demo_manifest)
    spec = MAP_KINDS["target"](dataset, SpendingView(indicator="pavement_busy_good_fair", fiscal_year=2025))
    rows = figures(spec)
    first = rows[0]
    assert {"Goal", "Gap", spec.value_label} <= set(first)  # the goal is kept; the value under its own name
    assert spec.measure_label not in first  # "Goal: 80.0% (FY2025)" is a legend title, not a column
    ranks = [r["Rank"] for r in rows if r["Rank"] is not None]
    assert ranks == sorted(ranks) and ranks[:3] == [1, 2, 3] and 10 in ranks[:12]
    by_id = {r["ID"]: r for r in rows}
    for feature in spec.features:  # every detail of every district is in its row, under its label
        assert by_id[feature.district_id][spec.value_label] == feature.value
        assert dict(feature.details)["Goal"] == by_id[feature.district_id]["Goal"]


def test_the_numbers_behind_a_change_map_keep_the_change(demo_manifest):
    dataset = open_dataset(demo_manifest)
    spec = MAP_KINDS["change"](dataset, SpendingView(measure="per_capita", fiscal_year=2025, base_year=2021))
    rows = figures(spec)
    assert all(r[spec.value_label] == spec.feature(r["ID"]).value for r in rows)
    assert {"FY2021", "FY2025"} <= set(rows[0])


def test_indicators_are_mapped_on_their_own_layer(town):
    from budgetmap.targets import indicator_layer, indicator_layers, mapped_indicators

    assert indicator_layers(town) == ["wards", "halves"]
    assert mapped_indicators(town) == ["ramps"] and mapped_indicators(town, "halves") == ["canopy"]
    assert indicator_layer(town, "halves") == "halves" and indicator_layer(town, "nope") is None
    spec = MAP_KINDS["target"](town, SpendingView(layer="halves", fiscal_year=2024))
    assert spec.layer == "halves" and spec.meta["indicator"] == "canopy" and spec.meta["fiscal_year"] == 2024
    assert {f.district_id: f.value for f in spec.features} == LAYERED_CANOPY[2024]
    assert spec.meta["meeting"] == 1 and spec.meta["goal"] == 40.0  # E (44%) meets 40%, W (28%) does not
    wards = MAP_KINDS["target"](town, SpendingView(indicator="canopy"))  # canopy is not on wards: ramps is
    assert wards.layer == "wards" and wards.meta["indicator"] == "ramps"
    assert {f.district_id: f.value for f in wards.features} == LAYERED_RAMPS[2025]


def test_money_vs_results_pairs_money_and_results_on_the_same_layer(town):
    from budgetmap.bivariate import pair

    pairing = pair(town, SpendingView(layer="halves", fiscal_year=2025))
    assert pairing is not None and pairing.indicator == "canopy" and pairing.departments == ("Parks",)
    by_id = pairing.frame.set_index("district_id")
    # FY2025 Parks money by half: W = the pond ($1,000), E = the corner ($300, smallest id on the border)
    assert by_id.loc["W", "spending"] == pytest.approx(1000 / 4000)
    assert by_id.loc["E", "spending"] == pytest.approx(300 / 6000)
    assert by_id["gap"].to_dict() == {"W": -10.0, "E": 5.0}
    spec = MAP_KINDS["bivariate"](town, SpendingView(layer="halves", fiscal_year=2025))
    assert spec.layer == "halves" and {f.district_id for f in spec.features} == {"W", "E"}


def test_a_story_reads_the_indicators_of_its_layer(town):
    from budgetmap.story import indicator_history

    history = indicator_history(town, "E", "halves")
    assert history[["indicator", "Fiscal year", "value"]].values.tolist() == [["canopy", 2024, 44.0],
                                                                             ["canopy", 2025, 45.0]]
    assert indicator_history(town, "E").empty  # E is no ward


def test_a_snapshot_refuses_an_unknown_layer(town):
    from budgetmap.snapshot import ViewError, check_view

    with pytest.raises(ViewError, match="layer"):
        check_view(town, "spending", SpendingView(layer="wardz"))
