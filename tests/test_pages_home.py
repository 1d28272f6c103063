"""The home page (app_pages/0_Home.py, ui/home.py) and the navigation (app.py, ui/navigation.py), with AppTest."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetmap.permalink import PAGES as PERMALINK_PAGES
from budgetmap.render.leaflet import read_args
from conftest import ROOT, write_city
from ui import navigation

TIMEOUT = 90
GOALS = """
[indicators]
path = "indicators.csv"
indicator = "indicator"
year = "year"
district = "district"
actual = "actual"
target = "target"

[indicators.meta.score]
label = "Score of the parks"
unit = "%"
"""


def run(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def maps(at: AppTest) -> list[dict]:
    return [read_args(json.loads(c.proto.json_args)) for c in at.get("component_instance")]


def shown(at: AppTest) -> str:
    """Every text on the page, markdown escaping undone."""
    parts = [e.value for kind in ("markdown", "caption", "warning", "info", "title", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(parts).replace("\\", "")


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Factory: a 4-district city keyed 'town' with the given top-level lines (and district goals)."""
    from ui import data

    def make(top: str = "", goals: bool = True) -> None:
        manifest = write_city(tmp_path / "town", manifest_extra=top + (GOALS if goals else ""))
        if goals:
            (manifest.parent / "indicators.csv").write_text("indicator,year,district,actual,target\n" + "".join(
                f"score,2024,{d},{v},50\n" for d, v in zip("ABCD", (40, 55, 60, 45))), encoding="utf-8")
        monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest.rename(manifest.with_name("town.toml"))))
        data.refresh()
    yield make
    data.refresh()


def test_the_demo_home_page_shows_both_maps_goals_accounts_source_and_date():
    at = run()
    assert not at.exception
    spending, target = maps(at)
    assert len(spending["ids"]) == len(target["ids"]) == 31
    assert spending["tooltips"] != target["tooltips"], "one map of money, one of results"
    assert target["patterns"], "the target map hatches the districts that miss the goal"
    text = shown(at)
    assert "**Spending per resident**" in "\n".join(m.value for m in at.markdown), "as the spending map opens"
    assert "Source: budgetmap demo generator" in text and "Data as of 30 June 2025" in text
    assert "Busy streets in good or fair condition" in text and "goal 80.0% · 10 of 31 districts meet it" in text
    table = next(m.value for m in at.markdown if "bm-figures" in m.value)
    assert "<th scope=\"row\">Library visits per resident</th>" in table and "18 of 31" in table
    assert "Every dollar accounted for" in text
    line = next(m.value for m in at.markdown if m.value.replace("\\", "").startswith("Total $"))
    assert "in districts" in line and "citywide" in line and "with no location" in line
    assert not at.warning, "the demo says nothing of its update schedule: no freshness note"
    links = {p.proto.page for p in at.get("page_link")}
    assert {"Spending_map", "Targets", "Monitoring", "Load_report"} <= links


def test_an_old_dataset_gets_a_freshness_note_and_a_fresh_one_does_not(city):
    city('as_of = "2020-01-31"\nrefresh_months = 12\nsource = "Town finance office"\n')
    old = run(dataset="town")
    assert not old.exception
    notes = [w.value.replace("\\", "") for w in old.warning]
    assert notes == ["This data is as of 31 January 2020 and is updated every 12 months (yearly): a newer "
                     "edition was due by 31 January 2021. Check with the publisher before relying on it."]
    assert "Source: Town finance office" in shown(old)
    today = datetime.date.today().isoformat()
    city(f'as_of = "{today}"\nrefresh_months = 12\n')
    fresh = run(dataset="town")
    assert not fresh.exception
    assert not fresh.warning
    assert "Data as of" in shown(fresh)


def test_a_dataset_without_goals_has_the_spending_map_alone(city):
    city(goals=False)
    at = run(dataset="town")
    assert not at.exception
    (only,) = maps(at)
    assert set(only["ids"]) == set("ABCD")
    assert set(only["styles"]) == set("ABCD") and only["tooltips"]["B"] != only["tooltips"]["A"]
    assert "Citywide results against goals" not in shown(at)
    assert "Targets" not in {p.proto.page for p in at.get("page_link")}


def test_a_town_with_goals_maps_them_and_rolls_them_up(city):
    city()
    at = run(dataset="town")
    spending, target = maps(at)
    assert set(target["ids"]) == set("ABCD")
    assert set(target["patterns"]) == {"A", "D"}, "40 and 45 miss the goal of 50; 55 and 60 meet it"
    table = next(m.value for m in at.markdown if "bm-figures" in m.value)
    assert "Score of the parks" in table and "2 of 4" in table


def test_the_navigation_has_real_titles_and_the_permalink_paths():
    at = run()
    registered = {info["url_pathname"]: info for info in at._registered_pages.values()}  # no public accessor
    titles = {path: info["page_name"] for path, info in registered.items()}
    assert titles == {"": "Home", "Spending_map": "Spending map", "Targets": "Targets",
                      "Compare_years": "Compare years", "Money_vs_results": "Money vs results",
                      "Clusters": "Clusters", "District_story": "District story", "Monitoring": "Monitoring",
                      "Load_report": "Load report", "Hearing": "Hearing", "Add_your_data": "Add your data"}
    assert set(PERMALINK_PAGES.values()) <= set(registered), "every permalink's path is a page"
    assert "app" not in {t.casefold() for t in titles.values()} | set(registered)
    for path, info in registered.items():
        assert Path(info["script_path"]).resolve() == (ROOT / next(
            p.file for p in navigation.PAGES if p.url_path == path)).resolve()


def test_add_your_data_is_hidden_from_the_navigation_unless_one_may_edit():
    def hidden(may_edit: bool) -> set[str]:
        return {info.title for info, off in navigation.listing(may_edit) if off}
    assert hidden(False) == {"Add your data"}
    assert hidden(True) == set()


def test_a_click_on_a_home_map_opens_the_district_story():
    at = run()
    at.session_state["home_target_map"] = {"selected": "D07", "clicks": 1, "nonce": "x"}
    at.run()
    assert not at.exception
    assert "District story" in [t.value for t in at.title]
    assert at.session_state["selected"] == "D07"
    (story_map,) = maps(at)
    assert story_map["selected"] == "D07", "the story opens on the district clicked"


def test_hostile_names_and_labels_stay_text_on_the_home_page(tmp_path, monkeypatch):
    from conftest import HOSTILE_NAMES
    from ui import data
    manifest = write_city(tmp_path / "hostile", names=HOSTILE_NAMES, manifest_extra=GOALS.replace(
        'label = "Score of the parks"', 'label = "<b>Score</b> & $5 `${alert(4)}`"'))
    (manifest.parent / "indicators.csv").write_text("indicator,year,district,actual,target\n" + "".join(
        f"score,2024,{d},{v},50\n" for d, v in zip("ABCD", (40, 55, 60, 45))), encoding="utf-8")
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest.rename(manifest.with_name("hostile.toml"))))
    data.refresh()
    try:
        at = run(dataset="hostile")
    finally:
        data.refresh()
    assert not at.exception
    assert len(maps(at)) == 2, "the hostile label still gets its target map"
    for element in at.markdown:
        assert "<b>Score" not in element.value and "<img" not in element.value.replace("&lt;img", "")
    assert any("&lt;b&gt;Score&lt;/b&gt;" in m.value for m in at.markdown), "the label is shown, escaped"


def test_without_population_the_home_map_shows_total_spending(tmp_path, monkeypatch):
    from ui import data
    manifest = write_city(tmp_path / "nopop")
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('population = "pop"\n', "", 1),
                        encoding="utf-8")
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest.rename(manifest.with_name("nopop.toml"))))
    data.refresh()
    try:
        at = run(dataset="nopop")
    finally:
        data.refresh()
    assert not at.exception
    (only,) = maps(at)
    label, value = only["tooltips"]["B"][1]
    assert label == "Total spending" and ("1,500" in value or "1,499.75" in value), value  # 2,000 - 500.25
    assert any(m.value.startswith("**Total spending") for m in at.markdown)
