"""Page tests (AppTest) for the statistics: the Clusters page, outlines and smoothing on the spending map,
the regression panel of Money vs results, and peer districts in the District story."""
from __future__ import annotations

import pytest
from conftest import DEMO
from test_pages import map_args, run

from budgetmap.cluster_map import build_cluster_map
from budgetmap.dataset import open_dataset
from budgetmap.map_flags import SMOOTHED
from budgetmap.stats.money import money_and_results
from budgetmap.stats.peers import peers
from budgetmap.view import SpendingView
from devtools.gridcity import YEAR, grid, write_grid_city

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
MONEY = "app_pages/6_Money_vs_results.py"


@pytest.fixture(scope="module")
def demo():
    return open_dataset(DEMO)


def _plain(text: str) -> str:
    """Markdown escapes undone (titles and captions escape data text)."""
    return text.replace("\\", "")


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_clusters_page_draws_the_lisa_map_its_statistics_and_table(demo):
    at = run("app_pages/10_Clusters.py", year="2025")
    assert not at.exception
    expected = build_cluster_map(demo, SpendingView(fiscal_year=2025))
    stats = expected.meta["stats"]
    assert _metric(at, "Moran's I") == f"{stats['moran']['I']:.3f}"
    assert _metric(at, "Districts tested") == f"{stats['n']} of {stats['districts']}"
    args = map_args(at)
    assert args["styles"] == {f.district_id: f.fill for f in expected.features}
    assert set(args["marks"]) == set(stats["outliers"]) == {"D01", "D06"}  # the demo's two outliers
    table = at.dataframe[0].value.set_index("ID")
    assert len(table) == 31 and table.loc["D02", "Quadrant"] == stats["lisa"]["D02"]["quadrant"]
    assert bool(table.loc["D01", "Outlier"]) and not bool(table.loc["D02", "Outlier"])
    assert any(stats["summary"].split(":")[0] in m.value and "bm-summary" in m.value for m in at.markdown)
    keys = {w.key for w in (*at.selectbox, *at.slider, *at.toggle)}
    assert not keys & {"f_scheme", "f_k", "f_palette", "f_lock"}, "no class widgets: the map is not classed"


def test_clusters_page_choices_reach_the_address_and_the_map():
    at = run("app_pages/10_Clusters.py")
    at.radio(key="c_stat").set_value("gi").run()
    at.selectbox(key="c_weights").set_value("knn").run()
    assert not at.exception
    assert at.query_params["stat"] == "gi" and at.query_params["weights"] == "knn"
    assert "Getis-Ord Gi*" in _plain(at.title[0].value)
    assert "4 nearest neighbours" in _plain(at.caption[0].value)
    at.toggle(key="c_smooth").set_value(True).run()
    assert at.query_params["smooth"] == "on" and "Smoothed" in at.dataframe[0].value.columns


def test_clusters_of_an_indicator_open_from_the_address():
    at = run("app_pages/10_Clusters.py", of="indicator", indicator="pavement_busy_good_fair")
    assert not at.exception
    assert "Busy streets in good or fair condition" in _plain(at.title[0].value)
    assert not any(t.key == "c_smooth" for t in at.toggle), "an indicator is not a per-resident rate: no smoothing"


def test_spending_map_outlines_the_demos_outliers_and_shows_smoothed_rates():
    at = run("app_pages/1_Spending_map.py", year="2025")
    args = map_args(at)
    assert sorted(args["marks"]) == ["D01", "D06"]
    assert any("Dashed: outlier by Tukey" in m.value for m in at.markdown if "bm-legend" in m.value)
    assert all(SMOOTHED not in dict(map(tuple, tip[1:])) for tip in args["tooltips"].values())
    at.toggle(key="m_smooth").set_value(True).run()
    assert not at.exception and at.query_params["smooth"] == "on"
    tips = map_args(at)["tooltips"]
    assert all(SMOOTHED in dict(map(tuple, tip[1:])) for tip in tips.values())
    table = next(m.value for m in at.markdown if 'class="bm-figures"' in m.value)  # the page's HTML table
    assert f'<th scope="col">{SMOOTHED}</th>' in table, "the figures table has the smoothed rate too"


def test_money_vs_results_shows_the_regression_and_takes_a_control(demo):
    at = run(MONEY)
    assert not at.exception
    view = SpendingView(indicator="pavement_busy_good_fair")
    result = money_and_results(demo, view)
    assert _metric(at, "Districts (n)") == str(result.n) == "31"
    assert _metric(at, "Correlation (r)") == f"{result.r:+.2f}"
    assert _metric(at, "R²") == f"{result.r_squared:.2f}"
    assert not at.warning
    at.selectbox(key="mr_control").set_value("density").run()
    assert at.query_params["control"] == "density"
    held = money_and_results(demo, view, "density")
    assert _metric(at, "Slope per $100 per resident") == f"{held.slope * 100:+,.2f} points"
    assert any("holding density fixed" in m.value for m in at.markdown if "bm-regression" in m.value)


def test_money_vs_results_warns_when_districts_are_too_few(tmp_path, monkeypatch):
    cells = grid(3, 2)  # six districts: fewer than the ten a conclusion needs
    manifest = write_grid_city(tmp_path / "few", cells, target=2.0,
                               indicator={i: 1.0 + k for k, i in enumerate(cells)},
                               spending={i: 1000.0 * (k + 1) ** 2 for k, i in enumerate(cells)})
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest.rename(manifest.with_name("fewcity.toml"))))
    at = run(MONEY, dataset="fewcity", year=str(YEAR))
    assert not at.exception
    assert any("Only 6 districts have both numbers: too few for a conclusion" in _plain(w.value) for w in at.warning)
    assert _metric(at, "Districts (n)") == "6"


def test_district_story_lists_peer_districts(demo):
    at = run("app_pages/4_District_story.py", district="D03")
    assert not at.exception
    table = at.dataframe[-1].value
    keys = at.multiselect(key="story_peer_indicators").value
    found = peers(demo, "D03", keys, 2025, 5)
    assert list(table["District"]) == ["This district: Mill & Quarry", *(p.name for p in found.peers)]
    at.number_input(key="story_peer_k").set_value(2).run()
    assert len(at.dataframe[-1].value) == 3
