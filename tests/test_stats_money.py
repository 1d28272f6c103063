"""What money buys and peer districts, on grid cities whose numbers are worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import DEMO

from budgetmap.bivariate import pair
from budgetmap.dataset import open_dataset
from budgetmap.stats.money import MIN_DISTRICTS, controls, money_and_results
from budgetmap.stats.peers import peers
from budgetmap.view import SpendingView
from devtools.gridcity import grid, write_grid_city


def _city(tmp_path, per_resident, gaps, **kwargs):
    cells = grid(len(per_resident), 1)
    ids = list(cells)
    manifest = write_grid_city(tmp_path, cells, population={i: 1000 for i in ids},
                               spending={i: 1000 * x for i, x in zip(ids, per_resident)},
                               indicator=dict(zip(ids, gaps)), target=0.0, **kwargs)
    return open_dataset(manifest), ids


def test_regression_by_hand_with_too_few_districts(tmp_path):
    """Spending 1..5 per resident, gaps 2, 4, 5, 4, 5 (goal 0). Means 3 and 4; Sxy = 4 + 0 + 0 + 0 + 2 = 6,
    Sxx = 10, Syy = 4 + 0 + 1 + 0 + 1 = 6: slope 0.6, intercept 4 - 1.8 = 2.2, r = 6 / sqrt(60) = 0.7746.
    Residuals -0.8, 0.6, 1.0, -0.6, -0.2: SSE 2.4, s^2 = 2.4 / 3 = 0.8, se(slope) = sqrt(0.08) = 0.28284;
    t(0.975, 3 df) = 3.18245: CI 0.6 -/+ 0.90013 = -0.30013 to 1.50013."""
    dataset, ids = _city(tmp_path, [1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    result = money_and_results(dataset, SpendingView(indicator="score"))
    assert result.ids == tuple(ids) and result.n == 5 and result.departments == ("Parks",)
    assert result.slope == pytest.approx(0.6)
    assert result.intercept == pytest.approx(2.2)
    assert result.r == pytest.approx(6 / math.sqrt(60))
    assert result.slope_low == pytest.approx(0.6 - 3.182446305 * math.sqrt(0.08), rel=1e-6)
    assert result.slope_high == pytest.approx(0.6 + 3.182446305 * math.sqrt(0.08), rel=1e-6)
    assert result.r_squared == pytest.approx(0.6)  # r^2 = 36 / 60
    assert result.warning.startswith("Only 5 districts have both numbers: too few for a conclusion")
    text = result.sentence("%")
    assert "Across 5 districts, each extra $1 per resident of Parks spending goes with a gap 0.60 points better" \
        in text and "95% CI -0.30 to 1.5" in text and "the interval includes zero" in text
    assert text.endswith(result.warning)


def test_the_pairs_are_the_money_vs_results_maps(tmp_path):
    dataset, _ = _city(tmp_path, [1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    view = SpendingView(indicator="score")
    frame = pair(dataset, view).frame
    np.testing.assert_allclose(frame["spending"], [1, 2, 3, 4, 5])
    np.testing.assert_allclose(frame["gap"], [2, 4, 5, 4, 5])


def test_a_control_column_is_held_fixed(tmp_path):
    """gap = 1 + 2 x spending + 3 x income exactly, over ten districts: slope 2, income's 3, R^2 1."""
    x = np.arange(1.0, 11.0)
    income = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3.0])
    cells = grid(10, 1)
    ids = list(cells)
    keep = {"income": dict(zip(ids, income))}
    dataset, _ = _city(tmp_path, x, 1 + 2 * x + 3 * income, keep=keep)
    assert "income" in controls(dataset) and "density" in controls(dataset)
    result = money_and_results(dataset, SpendingView(indicator="score"), control="income")
    assert result.n == MIN_DISTRICTS and result.warning == ""
    assert result.slope == pytest.approx(2.0) and result.control_slope == pytest.approx(3.0)
    assert result.r_squared == pytest.approx(1.0)
    assert "holding income fixed" in result.sentence("%")
    plain = money_and_results(dataset, SpendingView(indicator="score"))
    assert plain.slope != pytest.approx(2.0)  # without the control, income's part lands on the slope
    with pytest.raises(KeyError, match="not a numeric district column"):
        money_and_results(dataset, SpendingView(indicator="score"), control="name")


def test_no_variation_or_too_few_pairs_is_a_warning_not_a_number(tmp_path):
    dataset, _ = _city(tmp_path / "flat", [3, 3, 3, 3], [1, 2, 3, 4])
    flat = money_and_results(dataset, SpendingView(indicator="score"))
    assert math.isnan(flat.slope) and "same spending per resident" in flat.warning
    assert flat.sentence() == flat.warning and flat.to_dict()["slope"] is None
    dataset, _ = _city(tmp_path / "two", [1, 2], [1, 2])
    assert money_and_results(dataset, SpendingView(indicator="score")).warning.startswith("Only 2 district(s)")


def test_demo_money_and_results_has_enough_districts():
    dataset = open_dataset(DEMO)
    result = money_and_results(dataset, SpendingView(indicator="response_time_min", fiscal_year=2025))
    assert result.n == 31 and result.warning == "" and result.departments == ("Fire & Rescue",)
    assert result.slope_low < result.slope < result.slope_high


# -- peers ---------------------------------------------------------------------------------------------------

def _peer_city(tmp_path):
    cells = grid(6, 1)
    ids = list(cells)
    dataset = open_dataset(write_grid_city(tmp_path, cells, indicator=dict(zip(ids, [0, 1, 2, 3, 4, None]))))
    return dataset, ids


def test_peers_by_hand_with_ties_broken_by_id(tmp_path):
    """Scores 0, 1, 2, 3, 4 (D05 has none): mean 2, sd sqrt(2); z = (v - 2) / sqrt(2). From D02 (z = 0):
    D01 and D03 at 0.7071 (tie: D01 first), D00 and D04 at 1.4142."""
    dataset, _ = _peer_city(tmp_path)
    found = peers(dataset, "D02", ["score"], k=3)
    assert [p.district_id for p in found.peers] == ["D01", "D03", "D00"]
    np.testing.assert_allclose([p.distance for p in found.peers], [1 / math.sqrt(2)] * 2 + [math.sqrt(2)])
    assert found.left_out == ("D05",) and found.years == (2024,)
    assert peers(dataset, "D05", ["score"]).peers == ()  # no value: no peers


def test_peers_on_the_demo_are_standardised_across_indicators():
    dataset = open_dataset(DEMO)
    keys = ["pavement_busy_good_fair", "response_time_min"]
    found = peers(dataset, "D01", keys, year=2025, k=4)
    assert len(found.peers) == 4 and "D01" not in [p.district_id for p in found.peers]
    distances = [p.distance for p in found.peers]
    assert distances == sorted(distances)
    # a second indicator changes who is alike
    pavement_only = peers(dataset, "D01", ["pavement_busy_good_fair"], year=2025, k=4)
    assert [p.district_id for p in found.peers] != [p.district_id for p in pavement_only.peers]
