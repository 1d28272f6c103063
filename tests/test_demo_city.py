"""The bundled demo city: rebuilt from scratch it must match the committed files
byte for byte (the builder is deterministic), and its contents must carry what the
app relies on: valid districts, the planted reconciliation cases, five fiscal
years and the pavement goals."""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata.build_demo import DEMO_DIR, FILES, build  # noqa: E402


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    build(out)
    return out


@pytest.fixture(scope="module")
def spending() -> pd.DataFrame:
    return pd.read_csv(DEMO_DIR / "spending.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return pd.read_csv(DEMO_DIR / "indicators.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", FILES)
def test_rebuild_is_byte_identical(rebuilt: Path, name: str) -> None:
    assert (rebuilt / name).read_bytes() == (DEMO_DIR / name).read_bytes(), (
        f"{name} differs from a fresh build; run `python -m geodata.build_demo` and commit")


def test_districts_are_valid_and_unique() -> None:
    districts = gpd.read_file(DEMO_DIR / "districts.geojson")
    assert districts.crs.to_epsg() == 4326
    assert 24 <= len(districts) <= 36
    assert districts["district_id"].is_unique
    assert districts["district_id"].str.fullmatch(r"D\d\d").all()
    assert shapely.is_valid(districts.geometry.values).all()
    assert not districts.geometry.is_empty.any()
    assert set(districts.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (districts["population"] > 0).all()
    assert 350_000 <= districts["population"].sum() <= 600_000
    assert {"St. Anne's", "Mill & Quarry"} <= set(districts["name"])
    assert (districts[["street_miles_busy", "street_miles_local"]] > 0).all().all()


def test_spending_has_the_planted_cases(spending: pd.DataFrame) -> None:
    ids = set(gpd.read_file(DEMO_DIR / "districts.geojson")["district_id"])
    assert (spending["district"] == "D99").sum() == 1
    assert "D99" not in ids
    assert (spending["district"] == "Citywide").any()
    assert (spending["district"] == "").any()
    unexpected = set(spending["district"]) - ids - {"", "Citywide", "D99"}
    assert not unexpected
    assert spending["department"].nunique() >= 6
    assert sorted(spending["fiscal_year"].astype(int).unique()) == [2021, 2022, 2023, 2024, 2025]
    assert set(spending["quarter"]) == {"Q1", "Q2", "Q3", "Q4"}
    assert spending["budget"].str.fullmatch(r"-?\d+\.\d\d").all()
    assert spending["actual"].str.fullmatch(r"-?\d+\.\d\d").all()
    assert (DEMO_DIR / "spending.csv").stat().st_size < 1_500_000


def test_year_totals_grow(spending: pd.DataFrame) -> None:
    totals = spending["budget"].astype(float).groupby(spending["fiscal_year"]).sum()
    growth = totals.pct_change().dropna()
    assert growth.between(0.0, 0.08).all(), growth


def test_capital_projects_have_plans(spending: pd.DataFrame) -> None:
    plans = pd.read_csv(DEMO_DIR / "plans.csv")
    projects = spending.loc[spending["project"] != ""]
    assert 15 <= projects["project"].nunique() <= 25
    assert (projects.groupby("project")["district"].nunique() == 1).all()
    assert set(plans["project"]) == set(projects["project"])
    assert plans["planned_cumulative_rate"].between(0, 1).all()
    assert (plans.groupby("project")["planned_cumulative_rate"].max() == 1.0).all()


def test_pavement_indicators_and_targets(indicators: pd.DataFrame) -> None:
    goals = {"pavement_busy_good_fair": 80, "pavement_local_good_fair": 70,
             "pavement_busy_poor": 2, "pavement_local_poor": 11}
    for key, goal in goals.items():
        rows = indicators[indicators["indicator"] == key]
        assert not rows.empty, key
        assert (rows["target"].astype(float) == goal).all(), key
        citywide = rows[rows["district"] == ""]
        assert sorted(citywide["fiscal_year"].astype(int)) == [2021, 2022, 2023, 2024, 2025]
    busy = indicators[(indicators["indicator"] == "pavement_busy_good_fair") & (indicators["district"] != "")]
    meets = busy["actual"].astype(float) >= 80
    assert meets.any() and meets.mean() < 0.5   # some districts meet the goal, most do not


@pytest.mark.parametrize("key,goal,miles,meeting,citywide", [
    ("pavement_busy_good_fair", 80, "street_miles_busy", 10, 75.7),
    ("pavement_local_good_fair", 70, "street_miles_local", 8, 66.7),
])
def test_2025_spread_around_the_goals(indicators, key, goal, miles, meeting, citywide):
    """A believable spread: about a third of the districts make the goal, the city does not."""
    rows = indicators[(indicators["indicator"] == key) & (indicators["fiscal_year"] == "2025")]
    districts = rows[rows["district"] != ""]
    assert len(districts) == 31
    assert int((districts["actual"].astype(float) >= goal).sum()) == meeting
    city = float(rows.loc[rows["district"] == "", "actual"].iloc[0])
    assert city == citywide and city < goal
    lengths = gpd.read_file(DEMO_DIR / "districts.geojson").set_index("district_id")[miles]
    weighted = (districts["actual"].astype(float) * districts["district"].map(lengths).to_numpy()).sum() / \
        districts["district"].map(lengths).sum()
    assert round(weighted, 1) == citywide, "the citywide row is the street-mile weighted mean"


def test_manifest_describes_every_indicator(indicators: pd.DataFrame) -> None:
    manifest = tomllib.loads((DEMO_DIR / "manifest.toml").read_text(encoding="utf-8"))
    assert manifest["name"] == "Riverbend (demo city)"
    assert manifest["currency"] == "USD"
    assert "invented" in manifest["note"]
    assert manifest["districts"]["keep"] == ["street_miles_busy", "street_miles_local"]
    assert manifest["spending"]["citywide"] == ["Citywide"]
    assert manifest["spending"]["period"] == "quarter"
    meta = manifest["indicators"]["meta"]
    assert set(meta) == set(indicators["indicator"])
    for key, table in meta.items():
        if table["rollup"] == "weighted":
            assert table["weight"] in manifest["districts"]["keep"], key
        rows = indicators[indicators["indicator"] == key]
        assert (rows["target"].astype(float) == table["target"]).all(), f"{key}: meta target and rows agree"
    for section in ("districts", "spending", "indicators", "plans"):
        assert (DEMO_DIR / manifest[section]["path"]).is_file()
