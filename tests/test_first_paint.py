"""A session's first screen (ui/first_paint.py): the map and its legend first, the rest on the next run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetmap.render.leaflet import read_args
from ui import first_paint

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def progressive(monkeypatch):
    monkeypatch.delenv(first_paint.ENV, raising=False)  # tests/conftest.py sets "whole" for AppTest


def _map_args(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.json_args) for el in at.get("component_instance")
            if el.proto.component_name.endswith("budgetmap_map")]


def _router() -> AppTest:
    """The app through its router, whose begin() tells the session's first run (the home page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["dataset"] = "demo"
    return at


def _page(page: str) -> AppTest:
    """One page as the router's first run of a session would run it (AppTest cannot open a session
    on another page than the router's default before a first run)."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.query_params["dataset"] = "demo"
    at.session_state[first_paint._FIRST] = True
    return at


def _rerun(at: AppTest) -> AppTest:
    """A later run of the same session, as the router's begin() marks it (AppTest's later runs
    of a navigation app run the page, not app.py again; a real server runs app.py every time)."""
    at.session_state[first_paint._FIRST] = False
    return at.run()


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_the_first_run_draws_the_map_and_legend_only_then_the_whole_page(progressive):
    at = _page("app_pages/1_Spending_map.py").run()
    assert not at.exception
    args = _map_args(at)
    assert len(args) == 1 and args[0]["report_paint"] is True
    assert any('aria-label="Legend: ' in m.value for m in at.markdown)
    assert "The numbers behind the map" not in _subheaders(at)
    assert not at.select_slider  # the filters come with the rest
    first_fills = read_args(args[0])["styles"]
    assert len(first_fills) == 31

    _rerun(at)  # what the map's report of its paint starts
    assert not at.exception
    assert "The numbers behind the map" in _subheaders(at)
    assert [s.label for s in at.select_slider] == ["Fiscal year"]
    whole = _map_args(at)
    assert whole[0]["report_paint"] is False
    # the same view: the map keeps its colours when the rest of the page arrives
    assert read_args(whole[0])["styles"] == first_fills


def test_a_permalinked_view_is_the_first_screen_too(progressive):
    at = _page("app_pages/1_Spending_map.py")
    at.query_params.update({"measure": "total", "year": "2021"})
    at.run()
    first = read_args(_map_args(at)[0])
    _rerun(at)
    whole = read_args(_map_args(at)[0])
    assert first["styles"] == whole["styles"] and first["title"] == whole["title"]
    assert "FY2021" in whole["title"] or "2021" in " ".join(t.value for t in at.caption)


def test_the_home_page_first_screen_has_both_maps_and_nothing_below(progressive):
    at = _router().run()
    assert not at.exception
    args = _map_args(at)
    assert len(args) == 2
    assert [a["report_paint"] for a in args] == [True, False], "one map reports: one rerun draws the rest, not two"
    assert "Every dollar accounted for" not in _subheaders(at)
    _rerun(at)
    assert "Every dollar accounted for" in _subheaders(at)
    assert not any(a["report_paint"] for a in _map_args(at))


def test_no_pages_folder_beside_the_router():
    # a pages/ folder puts Streamlit 1.67 in its old folder mode until a session calls st.navigation:
    # a fresh server's first permalink would run its page file alone, without app.py (docs/architecture.md)
    assert not (ROOT / "pages").exists()
    assert (ROOT / "app_pages" / "0_Home.py").exists()


def test_the_whole_switch_draws_whole_pages_from_the_first_run(progressive, monkeypatch):
    monkeypatch.setenv(first_paint.ENV, "whole")
    at = _page("app_pages/1_Spending_map.py").run()
    assert "The numbers behind the map" in _subheaders(at)
    assert _map_args(at)[0]["report_paint"] is False
