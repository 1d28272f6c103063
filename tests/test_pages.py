"""Page tests with streamlit.testing.v1.AppTest: every page runs, filters change the map."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetmap.render.leaflet import read_args
from conftest import HOSTILE_NAMES, ROOT, write_city

TIMEOUT = 60


def run(page: str, **params: str) -> AppTest:
    """Open a page through the main script, as the real app does (page links need it)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at if page == "app.py" else at.switch_page(page).run()


def map_args(at: AppTest) -> dict:
    """The Leaflet component's arguments: what the browser map will draw."""
    components = [c for c in at.get("component_instance")]
    assert len(components) == 1, "exactly one map on the page"
    return read_args(json.loads(components[0].proto.json_args))


def test_home_page_runs_and_shows_the_demo():
    at = run("app.py")
    assert not at.exception
    assert "Riverbend" in at.title[0].value
    assert any("Illustrative" in i.value for i in at.info)
    labels = [m.label for m in at.metric]
    assert "Population" in labels and "Per resident" in labels
    assert any("31 districts" in c.value for c in at.caption), "the district count is in the line under the title"


def test_load_report_page_runs():
    at = run("app_pages/2_Load_report.py")
    assert not at.exception
    assert "Load report" in at.title[0].value
    assert any("D99" in str(df.value.to_dict()) for df in at.dataframe)


def test_spending_map_draws_every_district():
    at = run("app_pages/1_Spending_map.py")
    assert not at.exception
    args = map_args(at)
    assert len(args["ids"]) == len(args["styles"]) >= 24
    assert all(color.startswith("#") for color in args["styles"].values())
    assert any("Reconciliation" in m.value for m in at.markdown)


def test_changing_the_year_changes_the_map_data():
    at = run("app_pages/1_Spending_map.py")
    before = map_args(at)
    assert at.select_slider(key="f_year").value == 2025, "the latest year is shown first"
    at.select_slider(key="f_year").set_value(2021).run()
    assert not at.exception
    after = map_args(at)
    assert after["tooltips"] != before["tooltips"]
    assert after["geometry"] == before["geometry"], "a filter change must not send new geometry"
    assert after["geometry"]["header"] is None, "the shapes are a static file, never in the arguments"
    assert len(json.dumps(after)) < 20_000, "a repaint of 31 districts is a few KB of arrays"


@pytest.mark.parametrize("widget,key", [("multiselect", "f_department"), ("selectbox", "f_measure")])
def test_changing_a_filter_changes_the_map_data(widget, key):
    at = run("app_pages/1_Spending_map.py")
    before = map_args(at)
    element = getattr(at, widget)(key=key)
    choice = [element.options[0]] if widget == "multiselect" else element.options[-1]
    element.set_value(choice).run()
    assert not at.exception
    assert map_args(at)["tooltips"] != before["tooltips"]


def test_url_selects_district_and_year():
    at = run("app_pages/1_Spending_map.py", year="2022", district="D03", measure="total")
    assert not at.exception
    assert at.select_slider(key="f_year").value == 2022
    assert map_args(at)["selected"] == "D03"
    assert any(h.value.startswith("### ") for h in at.markdown)


def test_picking_a_district_from_the_list_selects_it():
    at = run("app_pages/1_Spending_map.py")
    picker = at.selectbox[[s.label for s in at.selectbox].index("District")]
    picker.set_value("D05").run()
    assert not at.exception
    assert map_args(at)["selected"] == "D05"


def test_hostile_names_are_sent_as_plain_text(tmp_path: Path, monkeypatch):
    manifest = write_city(tmp_path / "hostile", names=HOSTILE_NAMES)
    renamed = manifest.with_name("hostile.toml")
    manifest.rename(renamed)
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    at = run("app_pages/1_Spending_map.py", dataset="hostile", year="2024")
    assert not at.exception
    args = map_args(at)
    names = {tip[0] for tip in args["tooltips"].values()}
    assert names == set(HOSTILE_NAMES), "names reach the browser unaltered, as data"
    for md in at.markdown:  # nothing from data is rendered as raw HTML by the page
        assert "<img" not in md.value.replace("&lt;img", "")


def test_broken_manifest_shows_a_message_not_a_traceback(tmp_path: Path, monkeypatch):
    manifest = write_city(tmp_path / "broken")
    (manifest.parent / "spending.csv").write_text("year,ward,cost\n2024,A,1\n", encoding="utf-8")
    renamed = manifest.with_name("broken.toml")
    manifest.rename(renamed)
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    at = run("app_pages/1_Spending_map.py", dataset="broken")
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # undo markdown escaping
    assert any("spending.csv" in text and "'district'" in text for text in shown), shown


@pytest.mark.parametrize("key", ["chicago_wards", "portland_council", "portland_neighborhoods"])
@pytest.mark.parametrize("page", ["app.py", "app_pages/1_Spending_map.py", "app_pages/2_Load_report.py"])
def test_real_cities_open_on_every_page(key, page):
    from conftest import needs_shared
    needs_shared()
    at = run(page, dataset=key)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    if page == "app_pages/1_Spending_map.py":
        args = map_args(at)
        assert len(args["styles"]) == len(args["ids"]) > 0
        no_spending = key == "portland_neighborhoods"
        assert any("no spending table" in i.value for i in at.info) == no_spending


def test_filters_survive_a_visit_to_another_page():
    at = run("app.py")  # the main script, so switch_page resolves app_pages/ as in the real app
    at.switch_page("app_pages/1_Spending_map.py").run()
    at.select_slider(key="f_year").set_value(2022).run()
    at.selectbox(key="f_measure").set_value("total").run()
    at.switch_page("app_pages/2_Load_report.py").run()
    assert not at.exception
    at.switch_page("app_pages/1_Spending_map.py").run()
    assert not at.exception
    assert at.select_slider(key="f_year").value == 2022
    assert at.selectbox(key="f_measure").value == "total"
