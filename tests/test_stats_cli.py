"""``python -m budgetmap stats``: its JSON contract against numbers worked out from the raw files."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal

import geopandas as gpd
import numpy as np
import pytest
from conftest import DEMO, ROOT

from devtools.gridcity import grid, write_grid_city

QUADRANT_CODES = {"HH", "LH", "LL", "HL"}


def stats(manifest, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetmap", "stats", str(manifest), *flags],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def as_json(manifest, *flags: str) -> dict:
    out = stats(manifest, *flags, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _demo_districts() -> gpd.GeoDataFrame:
    return gpd.read_file(DEMO.parent / "districts.geojson").set_index("district_id")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_indicator_json_matches_esda_on_the_raw_files():
    """The demo's response times for FY2025, read straight from indicators.csv, with queen weights built
    by libpysal from districts.geojson: Moran's I, every district's quadrant and p_sim agree."""
    import libpysal
    from esda.moran import Moran, Moran_Local

    result = as_json(DEMO, "--indicator", "response_time_min", "--year", "2025")
    districts = _demo_districts()
    with open(DEMO.parent / "indicators.csv", newline="", encoding="utf-8") as fh:
        raw = {r["district"]: float(r["actual"]) for r in csv.DictReader(fh)
               if r["indicator"] == "response_time_min" and r["fiscal_year"] == "2025" and r["district"]}
    ids = [i for i in districts.index if i in raw]
    w = libpysal.weights.Queen.from_dataframe(districts.loc[ids], use_index=True)
    w.transform = "r"
    y = np.array([raw[i] for i in ids])
    assert result["moran"]["I"] == pytest.approx(Moran(y, w, permutations=0).I, rel=1e-12)
    assert 0 < result["moran"]["p_sim"] <= 1 and result["moran"]["significant"] == (result["moran"]["p_sim"] < 0.05)
    assert set(result["lisa"]) == set(ids) and result["islands"] == [] and result["weights"] == "queen"
    local = Moran_Local(y, w, transformation="r", permutations=999, seed=12345, n_jobs=1)
    codes = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    for k, district in enumerate(ids):
        assert result["lisa"][district]["quadrant"] == codes[int(local.q[k])]
        assert result["lisa"][district]["p_sim"] == pytest.approx(float(local.p_sim[k]), abs=1e-6)
    assert result["summary"].startswith("Median emergency response time clusters: high-high in ")
    assert result == as_json(DEMO, "--indicator", "response_time_min", "--year", "2025")  # seeded: same again


def test_per_resident_json_matches_the_spending_file():
    """FY2025 actual spending per district summed with Decimal from spending.csv over population:
    the values, and the Tukey outliers of those values (numpy's quartiles, 1.5 IQR)."""
    result = as_json(DEMO, "--measure", "per_capita", "--year", "2025")
    districts = _demo_districts()
    money: dict[str, Decimal] = defaultdict(Decimal)
    with open(DEMO.parent / "spending.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["fiscal_year"] == "2025" and row["district"] in districts.index and row["actual"]:
                money[row["district"]] += Decimal(row["actual"])
    expected = {i: float(money[i]) / districts.loc[i, "population"] for i in districts.index}
    assert result["values"] == pytest.approx(expected, rel=1e-12)
    values = np.array(list(expected.values()))
    q1, q3 = np.percentile(values, [25, 75])
    out = [i for i, v in expected.items() if v < q1 - 1.5 * (q3 - q1) or v > q3 + 1.5 * (q3 - q1)]
    assert result["outliers"] == out and out  # the demo's Downtown spends far more per resident
    assert set(result["smoothed"]) == set(expected) and result["outlier_rule"] == "tukey"
    assert all(v["quadrant"] in QUADRANT_CODES for v in result["lisa"].values())


def test_islands_and_no_data_on_a_fixture(tmp_path):
    cells = grid(3, 3) | {"ISLE": (9, 9)}
    values = {i: float(k % 4) for k, i in enumerate(cells)} | {"D08": None}
    manifest = write_grid_city(tmp_path, cells, indicator=values)
    result = as_json(manifest, "--indicator", "score", "--weights", "rook")
    assert result["islands"] == ["ISLE"] and result["no_data"] == ["D08"]
    assert set(result["lisa"]) == {f"D0{k}" for k in range(8)}
    assert result["weights_label"] == "Rook contiguity" and result["row_standardised"] is True
    assert "Not tested (no neighbour with a value): Cell ISLE." in result["summary"]
    knn = as_json(manifest, "--indicator", "score", "--weights", "knn")
    assert knn["islands"] == [] and "ISLE" in knn["lisa"]


@pytest.mark.parametrize("flags, words", [
    (("--indicator", "nope"), "--indicator: 'nope' is not an indicator with district values in this data "
                              "(it has: pavement_busy_good_fair"),
    (("--measure", "per_person"), "--measure: 'per_person' is not a measure (choose from total, per_capita"),
    (("--measure", "total", "--year", "1999"), "--year: 1999 is not a fiscal year in this data (it has: 2021"),
    (("--indicator", "response_time_min", "--year", "2019"), "--year: 2019 is not a fiscal year in this data"),
    (("--measure", "total", "--smooth"), "--smooth: Total spending is not a per-resident rate"),
    (("--measure", "total", "--money"), "--money: give an --indicator"),
    (("--measure", "total", "--weights", "hex"), "invalid choice: 'hex' (choose from 'queen', 'rook', 'knn')"),
])
def test_refusals_are_one_line_and_exit_2(flags, words, capsys):
    from budgetmap.cli import main

    try:
        code = main(["stats", str(DEMO), *flags])
    except SystemExit as exc:  # argparse's own refusals exit from inside
        code = exc.code
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    assert out.err.count("\n") == 1 and words in out.err


def test_a_refusal_from_the_command_line_has_no_traceback():
    out = stats(DEMO, "--indicator", "nope", "--json")
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert out.stderr.startswith("error: --indicator: 'nope' is not an indicator")


def test_text_output_and_money():
    out = stats(DEMO, "--indicator", "response_time_min", "--money", "--control", "density")
    assert out.returncode == 0, out.stderr
    assert "Queen contiguity (row-standardised), 999 permutations (seed 12345)" in out.stdout
    assert "Median emergency response time clusters: high-high in " in out.stdout
    assert "Money and results: Across 31 districts, each extra $100 per resident of Fire & Rescue spending" \
        in out.stdout and "holding density fixed" in out.stdout
    result = as_json(DEMO, "--indicator", "response_time_min", "--money")
    assert result["money"]["n"] == 31 and result["money"]["confidence"] == 0.95
    low, high = result["money"]["slope_ci"]
    assert low < result["money"]["slope"] < high
