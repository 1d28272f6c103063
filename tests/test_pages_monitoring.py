"""AppTest for the monitoring page and the home page's warning count, on the demo city.

The demo's watch list is held to ``monitor.watch`` (which tests/test_warnings_demo.py
holds to the raw files): at the latest period, FY2025 Q4, Northgate Precinct
Renovation alone is red; FY2022 Q1 replays three red projects.
"""
from __future__ import annotations

import pytest
from conftest import DEMO
from test_pages import map_args, run

from budgetmap import monitor
from budgetmap.dataset import open_dataset
from budgetmap.opinions import OpinionStore

PAGE = "app_pages/9_Monitoring.py"


@pytest.fixture(scope="module")
def demo():
    return open_dataset(DEMO)


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETMAP_WORKSPACE", str(tmp_path))
    return tmp_path


def _listed(at) -> list[tuple[str, str, str]]:
    frame = next(df.value for df in at.dataframe if "Project" in df.value.columns and "Planned trend" in df.value.columns)
    return [(p, s.split()[-1].lower(), d) for p, s, d in zip(frame["Project"], frame["Severity"], frame["District"])]


def _expected(demo, year: int, period: str) -> list[tuple[str, str, str]]:
    found = monitor.watch(demo, monitor.find_period(demo, year, period))
    return [(w.project, w.severity, w.district_name) for w in found.warnings]


def test_page_draws_the_warning_map_and_the_watch_list(demo, workspace):
    at = run(PAGE)
    assert not at.exception
    args = map_args(at)
    assert len(args["styles"]) == len(demo.districts) == len(args["ids"])
    assert args["labels"]["D29"] == "Northgate: 100.0%"
    assert _listed(at) == _expected(demo, 2025, "Q4") == [("Northgate Precinct Renovation", "red", "Northgate")]
    assert at.selectbox(key="f_watch_period").value == "2025Q4", "the latest period first"
    frame = next(df.value for df in at.dataframe if "Planned trend" in df.value.columns)
    assert frame["Shortfall"].iloc[0] == pytest.approx(2_732_502.29)
    assert frame["Story"].iloc[0].endswith("/District_story?dataset=demo&district=D29")
    assert len(frame["Planned trend"].iloc[0]) == len(frame["Actual trend"].iloc[0]) >= 2
    codes = [c.value for c in at.code]
    assert any(c.startswith("Police: 1 project behind plan at FY2025 Q4: Northgate Precinct Renovation") for c in codes)
    assert {b.proto.label for b in at.get("download_button")} >= {"Watch list CSV", "Watch list Excel",
                                                                   "Digest PDF (map, list, notices, opinions)"}


def test_period_picker_replays_an_earlier_period(demo, workspace):
    at = run(PAGE)
    before = map_args(at)["styles"]
    at.selectbox(key="f_watch_period").set_value("2022Q1").run()
    assert not at.exception
    assert _listed(at) == _expected(demo, 2022, "Q1")
    assert len(_listed(at)) == 3
    after = map_args(at)["styles"]
    assert after != before and after["D07"] != before["D07"]
    assert at.query_params["period"] == "2022Q1"


@pytest.mark.parametrize("params", [{"period": "2022Q1"}, {"year": "2022", "period": "Q1"}])
def test_the_address_opens_the_replayed_period(demo, workspace, params):
    at = run(PAGE, **params)
    assert not at.exception
    assert at.selectbox(key="f_watch_period").value == "2022Q1"
    assert _listed(at) == _expected(demo, 2022, "Q1")


def test_severity_and_department_filters_narrow_the_list(demo, workspace):
    at = run(PAGE, period="2022Q2")
    assert {s for _, s, _ in _listed(at)} == {"red", "amber"}
    at.multiselect(key="f_watch_severity").set_value(["amber"]).run()
    assert _listed(at) == [("Riverside Water Main Replacement", "amber", "Riverside")]
    at.multiselect(key="f_watch_severity").set_value([]).run()
    at.multiselect(key="f_watch_dept").set_value(["Housing"]).run()
    assert _listed(at) == [("Timber Ridge Affordable Housing Site", "red", "Timber Ridge")]


def test_opinions_are_added_shown_and_refused_when_empty(workspace):
    at = run(PAGE)
    assert any("No opinion yet." in c.value for c in at.caption)
    at.text_input(key="opinion_0_author").set_value("A. Reviewer")
    at.text_area(key="opinion_0_text").set_value("Tender slipped; **not** bold, <b>not</b> markup")
    at.button[[b.proto.label for b in at.button].index("Add an opinion on Northgate Precinct Renovation")].click()
    at.run()
    assert not at.exception
    assert any("Opinion saved" in s.value for s in at.success)
    (stored,) = OpinionStore.in_workspace(workspace).for_dataset("demo")
    assert (stored.project, stored.year, stored.period, stored.author) == (
        "Northgate Precinct Renovation", 2025, "Q4", "A. Reviewer")
    shown = " ".join(m.value for m in at.markdown)
    assert r"\*\*not\*\* bold, \<b\>not\</b\> markup" in shown, "the opinion shows as typed, escaped"
    assert "(1 opinion)" in " ".join(e.label for e in at.expander).replace("\\", "")
    frame = next(df.value for df in at.dataframe if "Planned trend" in df.value.columns)
    assert frame["Opinions"].iloc[0] == 1 and frame["Latest opinion"].iloc[0].endswith(
        "A. Reviewer: Tender slipped; **not** bold, <b>not</b> markup"), "the watch list row shows it, as text"
    at.text_input(key="opinion_0_author").set_value("B")
    at.text_area(key="opinion_0_text").set_value("   ")
    at.button[[b.proto.label for b in at.button].index("Add an opinion on Northgate Precinct Renovation")].click()
    at.run()
    assert any("the opinion is empty" in e.value for e in at.error)
    assert len(OpinionStore.in_workspace(workspace).for_dataset("demo")) == 1


def test_home_page_counts_red_and_amber_and_links_to_the_page(demo):
    at = run("app.py")
    metrics = {m.label: m.value for m in at.metric}
    counts = monitor.watch(demo).counts()
    assert metrics["Red warnings, FY2025 Q4"] == str(counts["red"]) == "1"
    assert metrics["Amber warnings, FY2025 Q4"] == "0"
    links = [(p.proto.page, p.proto.label) for p in at.get("page_link")]
    assert ("Monitoring", "Early warning: 1 red and 0 amber at FY2025 Q4; open the watch list") in links


def test_a_dataset_without_plans_says_how_to_add_them(tmp_path, monkeypatch):
    from conftest import write_city
    manifest = write_city(tmp_path / "noplans")
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest))
    from ui import data
    data.refresh()
    at = run(PAGE, dataset="manifest")
    assert not at.exception
    assert any("[plans]" in i.value for i in at.info)
    home = run("app.py", dataset="manifest")
    assert not any("warnings" in m.label for m in home.metric)
    data.refresh()


def test_hostile_names_stay_text_on_the_page(tmp_path, monkeypatch, workspace):
    from plancity import plan_city
    from test_watch_outputs import DEPARTMENT, DISTRICT, PLANS_TEXT, PROJECT, SPENDING_TEXT
    from ui import data
    manifest = plan_city(tmp_path / "hostile", spending=SPENDING_TEXT, plans=PLANS_TEXT,
                         names=[DISTRICT, "B", "C", "D"])
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest.rename(manifest.with_name("hostile_plans.toml"))))
    data.refresh()
    try:
        at = run(PAGE, dataset="hostile_plans")
        assert not at.exception
        assert map_args(at)["labels"]["A"] == f"{DISTRICT}: 100.0%", "sent as text, drawn with textContent"
        frame = next(df.value for df in at.dataframe if "Planned trend" in df.value.columns)
        assert list(frame["Project"]) == [PROJECT] and list(frame["Department"]) == [DEPARTMENT]
        shown = " ".join(m.value for m in at.markdown)
        assert r"\<img src=x onerror=alert\(1\)\>" in shown and "<img" not in shown.replace(r"\<img", "")
        assert any(c.value.startswith(f"{DEPARTMENT}: 1 project behind plan") for c in at.code)
        assert all("`" not in e.label.replace(r"\`", "") for e in at.expander)
    finally:
        data.refresh()
