"""AppTest for the targets, district story, compare and money-vs-results pages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamlit.testing.v1 import AppTest

from budgetmap.render.leaflet import read_args
from conftest import write_city
from test_pages import run


def maps(at: AppTest) -> list[dict]:
    """Arguments of every map component on the page, in page order."""
    return [read_args(json.loads(c.proto.json_args)) for c in at.get("component_instance")]


def texts(at: AppTest) -> str:
    """Every markdown and caption on the page, with markdown escapes undone."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]).replace("\\", "")


def test_targets_page_maps_the_goal_and_hatches_the_misses():
    at = run("app_pages/3_Targets.py", indicator="pavement_busy_good_fair", year="2025")
    assert not at.exception
    (args,) = maps(at)
    assert len(args["styles"]) == len(args["ids"]) == 31
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Goal"] == "80.0%"
    meeting, of = metrics["Districts meeting the goal"].split(" of ")
    assert 0 < int(meeting) < int(of) == 31
    assert len(args["patterns"]) == 31 - int(meeting), "every district that misses is hatched"
    assert "Goal: 80.0% (FY2025)" in texts(at), "the legend names the goal and its year"
    tip = next(iter(args["tooltips"].values()))
    assert [row[0] for row in tip[1:4]] == ["Busy streets in good or fair condition", "Goal", "Gap"]


def test_targets_page_indicator_choice_changes_the_map():
    at = run("app_pages/3_Targets.py")
    before = maps(at)[0]
    at.selectbox(key="t_indicator").set_value("response_time_min").run()
    assert not at.exception
    after = maps(at)[0]
    assert after["styles"] != before["styles"]
    assert at.query_params["indicator"] == ["response_time_min"] or \
        at.query_params["indicator"] == "response_time_min"


def test_targets_page_selected_district_opens_its_story():
    at = run("app_pages/3_Targets.py", district="D04")
    assert not at.exception
    assert maps(at)[0]["selected"] == "D04"
    assert any("district story" in h.value for h in at.header)
    assert any("goals in their latest year" in m.value for m in at.markdown)


def test_targets_page_without_indicators_says_so(tmp_path: Path, monkeypatch):
    manifest = write_city(tmp_path / "plain")
    renamed = manifest.with_name("plain.toml")
    manifest.rename(renamed)
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    at = run("app_pages/3_Targets.py", dataset="plain")
    assert not at.exception
    assert any("no indicators" in i.value for i in at.info)


def test_story_page_reopens_from_the_url():
    at = run("app_pages/4_District_story.py", district="D07")
    assert not at.exception
    assert maps(at)[0]["selected"] == "D07"
    assert any(h.value.endswith("district story") for h in at.header)
    assert len(at.get("vega_lite_chart")) >= 3, "money by department, per resident, indicator trend"
    picker = at.selectbox[[s.label for s in at.selectbox].index("District")]
    picker.set_value("D02").run()
    assert maps(at)[0]["selected"] == "D02"
    assert "per resident in FY2025" in texts(at)
    at.select_slider(key="f_year").set_value(2022).run()
    assert not at.exception
    assert "per resident in FY2022" in texts(at), "the story follows the year slider"


def test_compare_page_change_map_and_side_by_side_share_breaks():
    at = run("app_pages/5_Compare_years.py", base="2021", year="2025")
    assert not at.exception
    (change,) = maps(at)
    assert "FY2021" in texts(at) and "Change" in texts(at)
    at.radio(key="c_mode").set_value("side_years").run()
    assert not at.exception
    left, right = maps(at)
    assert left["geometry"]["key"] == right["geometry"]["key"]
    legends = [m.value for m in at.markdown if 'class="bm-legend"' in m.value]
    assert len(legends) == 2
    ranges = [[part.split("</span>")[0] for part in legend.split("<span>")[1:6]] for legend in legends]
    assert ranges[0] == ranges[1], "both years are drawn with the earlier year's class breaks"
    assert change["styles"] != left["styles"]
    at.radio(key="c_mode").set_value("side_measures").run()
    at.selectbox(key="c_measure2").set_value("share").run()
    assert not at.exception
    per_head, share = maps(at)
    assert per_head["styles"] != share["styles"]
    assert "Share of located spending" in texts(at)


def test_spending_page_cumulative_years_and_locked_classes():
    at = run("app_pages/1_Spending_map.py", measure="total")
    at.toggle(key="f_lock").set_value(True).run()
    assert not at.exception
    assert "locked to FY2021" in texts(at)
    at.toggle(key="f_lock").set_value(False).run()
    at.toggle(key="f_span").set_value(True).run()
    assert not at.exception
    assert "added up (5 years)" in texts(at)


def test_money_vs_results_page_pairs_spending_with_the_goal():
    at = run("app_pages/6_Money_vs_results.py", indicator="pavement_busy_good_fair")
    assert not at.exception
    (args,) = maps(at)
    assert len(set(args["styles"].values())) > 3, "a 3x3 scheme, not one colour"
    assert len(at.get("vega_lite_chart")) == 1
    body = texts(at)
    assert "Spend more than average and still miss the goal" in body
    assert "Transportation spending" in body, "pavement is set against the department that pays for it"


def test_portland_curb_ramps_and_budget_in_brief_on_the_targets_page():
    from conftest import needs_shared
    needs_shared("portland", "improved_corners_by_district.geojson")
    needs_shared("portland", "budget_in_brief_kpm.csv")
    at = run("app_pages/3_Targets.py", dataset="portland_council")
    assert not at.exception and not at.error
    (args,) = maps(at)
    assert len(args["styles"]) == 4
    metrics = {m.label: m.value for m in at.metric}
    # improved corners / all corners counted, over the four districts (a weighted roll-up)
    assert metrics["Goal"] == "30.0%"
    assert metrics["Districts meeting the goal"] == "2 of 4"  # districts 1 (30.8%) and 3 (32.0%)
    assert any(s.value == "Citywide measures against their goals" for s in at.subheader)
    measures = [d.value for d in at.dataframe]
    assert any("Serious traffic injuries and deaths" in set(frame.get("Measure", [])) for frame in measures)


def test_chicago_has_no_indicators_and_says_so():
    from conftest import needs_shared
    needs_shared("chicago", "wards_2015_2023.geojson")
    at = run("app_pages/3_Targets.py", dataset="chicago_wards")
    assert not at.exception
    assert any("no indicators" in i.value for i in at.info)
    at.switch_page("app_pages/6_Money_vs_results.py").run()
    assert not at.exception
    assert any("needs three things by district" in i.value for i in at.info)


def test_hearing_page_steps_through_the_ready_made_list():
    at = run("app_pages/7_Hearing.py")
    assert not at.exception
    first = maps(at)[0]
    assert any("Where the money goes" in m.value for m in at.markdown)
    at.button(key="slide_next").click().run()
    assert not at.exception
    assert any("How it changed" in m.value for m in at.markdown)
    assert maps(at)[0]["styles"] != first["styles"]
    assert at.query_params["slide"] in ("2", ["2"])
    at.button(key="slide_prev").click().run()
    assert any("Where the money goes" in m.value for m in at.markdown)


def test_views_added_on_map_pages_make_the_hearing_list():
    at = run("app_pages/3_Targets.py", indicator="response_time_min")
    at.button(key="hearing_add_target").click().run()
    assert not at.exception
    at.switch_page("app_pages/7_Hearing.py").run()
    assert not at.exception
    assert any("Median emergency response time" in m.value for m in at.markdown)
    assert at.button(key="slide_next").disabled, "a list of one slide"


def test_hearing_switch_carries_into_the_url():
    at = run("app_pages/1_Spending_map.py", hearing="1")
    assert not at.exception
    assert at.toggle(key="hearing").value is True
    assert at.query_params["hearing"] in ("1", ["1"])
    assert any("display: none" in m.value for m in at.markdown), "the chrome is hidden"
    at.button(key="hearing_exit").click().run()
    assert not at.exception
    assert at.toggle(key="hearing").value is False
    assert "hearing" not in at.query_params


@pytest.mark.parametrize("page, params", [
    ("app_pages/1_Spending_map.py", {}), ("app_pages/3_Targets.py", {}), ("app_pages/4_District_story.py", {"district": "D02"}),
    ("app_pages/5_Compare_years.py", {}), ("app_pages/5_Compare_years.py", {"compare": "side_years"}),
    ("app_pages/6_Money_vs_results.py", {}),
])
def test_every_map_page_offers_every_download_and_a_link(page, params):
    from ui.downloads import EXPORTS
    at = run(page, **params)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    maps_drawn = len(maps(at))
    assert labels == [e.label for e in EXPORTS] * maps_drawn, "each map has the whole download menu"
    assert any('class="bm-permalink"' in m.value and "dataset=demo" in m.value for m in at.markdown), \
        "the permalink, as a link to copy"
    assert any('class="bm-summary"' in m.value for m in at.markdown), "the written summary"


def test_targets_page_offers_the_layers_with_indicators_and_maps_on_the_chosen_one(tmp_path: Path, monkeypatch):
    from devtools.testcity import LAYERED_CANOPY, write_layered_city

    manifest = write_layered_city(tmp_path / "town")
    renamed = manifest.with_name("layered.toml")
    manifest.rename(renamed)
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    at = run("app_pages/3_Targets.py", dataset="layered")
    assert not at.exception
    picker = at.selectbox(key="f_layer")
    assert picker.options == ["Wards", "East and west"] and picker.value == "wards"
    assert at.selectbox(key="t_indicator").value == "ramps"
    assert set(maps(at)[0]["styles"]) == {"A", "B", "C", "D"}
    picker.set_value("halves").run()
    assert not at.exception
    assert at.selectbox(key="t_indicator").value == "canopy"  # the only indicator of that layer
    assert set(maps(at)[0]["styles"]) == {"W", "E"}
    assert at.query_params["layer"] == "halves"
    table = next(m.value for m in at.markdown if 'class="bm-figures"' in m.value)
    assert f"{LAYERED_CANOPY[2025]['W']:.1f}%" in table


def _x_scale(at) -> dict:
    import json
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    layers = spec.get("layer") or [spec]
    return next(layer["encoding"]["x"].get("scale", {}) for layer in layers
                if layer.get("encoding", {}).get("x", {}).get("field") == "spending")


def test_money_vs_results_scatter_axis_follows_the_address():
    at = run("app_pages/6_Money_vs_results.py", indicator="pavement_busy_good_fair")
    assert _x_scale(at).get("type") == "linear", "the demo's spending is not skewed: linear by default"
    assert "axis" not in at.query_params
    at = run("app_pages/6_Money_vs_results.py", indicator="pavement_busy_good_fair", axis="log")
    assert not at.exception and _x_scale(at)["type"] == "symlog"
    assert at.query_params.get("axis") == ["log"] or at.query_params.get("axis") == "log"
    at = run("app_pages/6_Money_vs_results.py", indicator="pavement_busy_good_fair", axis="clipped")
    scale = _x_scale(at)
    assert scale["clamp"] is True and len(scale["domain"]) == 2
    assert any("drawn at the right edge" in c.value for c in at.caption)


def test_the_layer_chosen_on_one_page_is_the_next_pages_layer(tmp_path: Path, monkeypatch):
    """Each page's layer picker is another widget (its own help and choices): the choice must carry over."""
    from devtools.testcity import write_layered_city

    manifest = write_layered_city(tmp_path / "town")
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest.rename(manifest.with_name("layered.toml"))))
    at = run("app_pages/3_Targets.py", dataset="layered")
    at.selectbox(key="f_layer").set_value("halves").run()
    at.switch_page("app_pages/4_District_story.py").run()
    assert not at.exception
    assert at.selectbox(key="f_layer").value == "halves"
    assert set(maps(at)[0]["styles"]) == {"W", "E"}
    at.selectbox(key="f_layer").set_value("wards").run()
    assert at.selectbox(key="f_layer").value == "wards", "a choice made on the page is not undone"
    assert set(maps(at)[0]["styles"]) == {"A", "B", "C", "D"}
    at.switch_page("app_pages/1_Spending_map.py").run()
    assert at.selectbox(key="f_layer").value == "wards" and at.query_params.get("layer") is None
