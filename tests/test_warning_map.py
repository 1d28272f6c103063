"""The early-warning map kind: shares and counts worked out by hand on a four-district plan town.

Alpha holds Bridge (budget 1,000,000; planned 40% by FY2025 Q2, 250,000 spent: red,
150,000 short) and Park (3,000,000, on plan): 1,000,000 of 4,000,000 behind = 25%.
Bravo holds Pool (2,000,000; planned 35%, 30% spent: amber, 100,000 short): 100%.
Charlie holds Library (500,000, on plan): 0 behind. Delta has no project: no data.
At Q1 every project is exactly on plan.
"""
from __future__ import annotations

import geopandas as gpd
import pytest
from plancity import plan_city

from budgetmap import monitor
from budgetmap.dataset import open_dataset
from budgetmap.exports import to_csv
from budgetmap.maps import MAP_KINDS
from budgetmap.palettes import NO_DATA, ZERO
from budgetmap.permalink import params_from_view, view_from_params
from budgetmap.render.standalone import standalone_html
from budgetmap.render.static import render
from budgetmap.snapshot import build, parse_view
from budgetmap.summary import describe
from budgetmap.view import SpendingView

SPENDING = ("2025,Q1,Roads,Bridge,A,400000,100000\n"
            "2025,Q2,Roads,Bridge,A,600000,150000\n"
            "2025,Q1,Parks,Park,A,3000000,300000\n"
            "2025,Q2,Parks,Park,A,0,900000\n"
            "2025,Q1,Parks,Pool,B,2000000,200000\n"
            "2025,Q2,Parks,Pool,B,0,400000\n"
            "2025,Q1,Culture,Library,C,500000,50000\n"
            "2025,Q2,Culture,Library,C,0,200000\n")
PLANS = ("project,fiscal_year,quarter,planned_cumulative_rate\n"
         "Bridge,2025,Q1,0.10\nBridge,2025,Q2,0.40\n"
         "Park,2025,Q1,0.10\nPark,2025,Q2,0.40\n"
         "Pool,2025,Q1,0.10\nPool,2025,Q2,0.35\n"
         "Library,2025,Q1,0.10\nLibrary,2025,Q2,0.40\n")


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    return open_dataset(plan_city(tmp_path_factory.mktemp("warnmap"), spending=SPENDING, plans=PLANS))


def _values(spec):
    return {f.district_id: f.value for f in spec.features}


def test_share_of_project_budget_behind_plan_by_hand(town):
    spec = MAP_KINDS["warning"](town, SpendingView())
    assert spec.kind == "warning" and spec.meta["period"] == "2025Q2"
    assert _values(spec) == {"A": 0.25, "B": 1.0, "C": 0.0, "D": None}
    alpha = dict(spec.feature("A").details)
    assert alpha["Behind plan"] == "25.0% of $4,000,000.00" and alpha["Shortfall"] == "$150,000.00"
    assert alpha["Projects behind"] == "1 of 2" and alpha["Which"] == "Bridge (red)"
    assert dict(spec.feature("B").details)["Shortfall"] == "$100,000.00"
    assert spec.feature("C").fill == ZERO and spec.feature("D").fill == NO_DATA
    assert spec.feature("C").label != spec.feature("D").label, "0 behind and no project read differently"


def test_legend_counts_match_what_is_drawn(town):
    spec = MAP_KINDS["warning"](town, SpendingView())
    by_fill: dict[str, int] = {}
    for f in spec.features:
        by_fill[f.fill] = by_fill.get(f.fill, 0) + 1
    assert {e.fill: e.count for e in spec.legend if e.count} == by_fill
    kinds = {e.kind: e.count for e in spec.legend if e.kind != "class"}
    assert kinds == {"zero": 1, "no_data": 1}
    assert [e.label for e in spec.legend if e.kind != "class"] == ["No project behind plan", "No monitored project"]


def test_count_of_projects_behind_plan(town):
    spec = MAP_KINDS["warning"](town, SpendingView(behind="count"))
    assert _values(spec) == {"A": 1.0, "B": 1.0, "C": 0.0, "D": None}
    assert spec.measure_label == "Projects behind plan"


def test_an_earlier_period_replays_what_was_known_then(town):
    spec = MAP_KINDS["warning"](town, SpendingView(watch_period="2025Q1"))
    assert _values(spec) == {"A": 0.0, "B": 0.0, "C": 0.0, "D": None}
    assert "as of FY2025 Q1" in spec.subtitle and "0 red, 0 amber" in spec.subtitle
    assert describe(spec).startswith("No district has money behind plan at FY2025 Q1")


def test_severity_and_department_filters(town):
    red = MAP_KINDS["warning"](town, SpendingView(severities=("red",)))
    assert _values(red) == {"A": 0.25, "B": 0.0, "C": 0.0, "D": None}
    parks = MAP_KINDS["warning"](town, SpendingView(departments=("Parks",)))
    assert _values(parks) == {"A": 0.0, "B": 1.0, "C": None, "D": None}, "Charlie has no Parks project"


def test_written_summary_names_the_districts_behind(town):
    text = describe(MAP_KINDS["warning"](town, SpendingView()))
    assert text == ("Two districts have money behind plan at FY2025 Q2: Bravo (100.0%), Alpha (25.0%); "
                    "one other district has monitored projects on plan.")


def test_period_in_the_url_in_both_spellings_and_a_bad_one_falls_back(town):
    from budgetmap.fields import against, read
    for values in ({"period": "2025Q1"}, {"period": "FY2025 Q1"}, {"year": "2025", "period": "Q1"}):
        reading = against(town, read(values), "warning")
        assert reading.problems == () and reading.view.watch_period == "2025Q1", values
    refused = against(town, read({"period": "2019Q3"}), "warning")
    assert refused.view.watch_period is None and "not a monitored period" in refused.problems[0].reason
    view = SpendingView(watch_period="2025Q1", severities=("red", "amber"), behind="count")

    class Params(dict):
        def get_all(self, key):
            value = self.get(key, [])
            return value if isinstance(value, list) else [value]
    assert view_from_params(Params(params_from_view(view))) == view


def test_snapshot_exports_and_standalone_accept_the_kind(town):
    view, spec = build(town, "warning", parse_view({"period": "2025Q2"}))
    assert view.watch_period == "2025Q2"
    assert render(spec, town.districts, "svg").startswith(b"<?xml")
    table = to_csv(spec).decode("utf-8-sig")
    assert "Share of project budget behind plan" in table and '"Bravo"' in table
    assert "Bridge (red)" in standalone_html(spec, town.districts)


def test_no_plans_means_no_warning_map(tmp_path):
    from conftest import write_city
    assert MAP_KINDS["warning"](open_dataset(write_city(tmp_path)), SpendingView()) is None


def test_located_projects_are_points_with_their_state_as_text(tmp_path):
    folder = tmp_path / "located"
    manifest = plan_city(folder, spending="", plans=PLANS)
    inside = gpd.read_file(folder / "districts.geojson").set_index("code").representative_point()
    rows = []
    for line in SPENDING.splitlines():
        year, quarter, dept, project, district, budget, actual = line.split(",")
        point = inside[district]
        rows.append(f"{year},{quarter},{dept},{project},{point.x:.6f},{point.y:.6f},{budget},{actual}\n")
    (folder / "spending.csv").write_text("year,quarter,dept,project,lon,lat,budget,actual\n" + "".join(rows),
                                         encoding="utf-8")
    manifest.write_text(manifest.read_text().replace('district = "district"\n', 'lon = "lon"\nlat = "lat"\n', 1))
    located = open_dataset(manifest)
    spec = MAP_KINDS["warning"](located, SpendingView())
    assert _values(spec) == {"A": 0.25, "B": 1.0, "C": 0.0, "D": None}, "points are placed in their districts"
    labels = sorted(p.label for p in spec.points)
    assert labels == ["Bridge (Roads): red, 15 points behind, $150,000.00 short",
                      "Library (Culture): not behind plan", "Park (Parks): not behind plan",
                      "Pool (Parks): amber, 5 points behind, $100,000.00 short"]
    bridge = next(p for p in spec.points if p.label.startswith("Bridge"))
    assert (bridge.lon, bridge.lat) == pytest.approx((inside["A"].x, inside["A"].y), abs=1e-6)
    assert len(monitor.watch(located).warnings) == 2


def test_snapshot_command_draws_a_replayed_warning_map_with_its_link(tmp_path, capsys):
    import re

    from conftest import DEMO

    from budgetmap.cli import main
    out = tmp_path / "warning.svg"
    code = main(["snapshot", str(DEMO), "--map", "warning", "--year", "2022", "--period", "Q1", "--severity", "red",
                 "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    link = re.search(r"^link: (\S+)$", printed.out, re.M).group(1)
    assert "/Monitoring?" in link and "period=2022Q1" in link and "severity=red" in link
    text = out.read_text(encoding="utf-8")
    assert "as of FY2022 Q1 · 3 red, 0 amber · severity: red" in text
