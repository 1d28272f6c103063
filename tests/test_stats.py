"""The statistics domain on hand-made grid cities: every expected number worked out by hand in the comments."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.stats.analysis import analyse
from budgetmap.stats.outliers import outliers
from budgetmap.stats.rates import small_numbers
from budgetmap.stats.report import to_dict
from budgetmap.stats.values import indicator_values, measure_values
from budgetmap.stats.weights import neighbours
from budgetmap.stats.words import summary
from budgetmap.view import SpendingView
from devtools.gridcity import YEAR, grid, write_grid_city

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # esda's notice about a future default


def _score(tmp_path, cells, values, **kwargs):
    dataset = open_dataset(write_grid_city(tmp_path, cells, indicator=values, **kwargs))
    return dataset, indicator_values(dataset, SpendingView(indicator="score"))


# -- weights ---------------------------------------------------------------------------------------------

def test_weights_on_a_three_by_three_grid(tmp_path):
    cells = grid(3, 3)  # D04 is the centre, D00 a corner, D01 an edge cell
    dataset = open_dataset(write_grid_city(tmp_path, cells, indicator={i: 1.0 for i in cells}))
    ids = list(cells)
    queen = neighbours(dataset.districts, ids, "queen").weights
    rook = neighbours(dataset.districts, ids, "rook").weights
    knn = neighbours(dataset.districts, ids, "knn").weights
    assert sorted(queen.neighbors["D04"]) == [i for i in ids if i != "D04"]
    assert queen.weights["D04"] == [1 / 8] * 8  # row-standardised
    assert sorted(queen.neighbors["D00"]) == ["D01", "D03", "D04"]
    assert sorted(rook.neighbors["D04"]) == ["D01", "D03", "D05", "D07"]
    assert sorted(rook.neighbors["D00"]) == ["D01", "D03"] and rook.weights["D00"] == [0.5, 0.5]
    assert all(len(knn.neighbors[i]) == 4 for i in ids)
    assert sorted(knn.neighbors["D04"]) == ["D01", "D03", "D05", "D07"]  # the four at one cell's distance


def test_islands_are_named_and_left_out_not_dropped(tmp_path):
    # a 2x2 block D00..D03; E far away (an island); F touches only G, which has no value
    cells = grid(2, 2) | {"E": (10, 10), "F": (5, 0), "G": (6, 0)}
    values = {"D00": 1.0, "D01": 2.0, "D02": 3.0, "D03": 4.0, "E": 9.0, "F": 5.0, "G": None}
    dataset, score = _score(tmp_path, cells, values)
    result = analyse(dataset, score)
    assert result.islands == ("E", "F")
    assert result.no_data == ("G",)
    assert [r.district_id for r in result.lisa] == ["D00", "D01", "D02", "D03"]
    assert result.moran.n == 4 and result.moran.EI == pytest.approx(-1 / 3)
    assert "Not tested (no neighbour with a value): Cell E and Cell F." in summary(result)
    table = result.table().set_index("district_id")
    assert table.loc["E", "island"] and pd.isna(table.loc["E", "quadrant"]) and table.loc["E", "value"] == 9.0
    knn = analyse(dataset, score, weights="knn")  # nearest neighbours leave no one alone
    assert knn.islands == () and len(knn.lisa) == 6


# -- Moran's I, LISA, Gi* ------------------------------------------------------------------------------------

def test_morans_i_and_quadrants_on_a_row_of_four(tmp_path):
    """Values 1, 2, 3, 4 in a row. z = -1.5, -0.5, 0.5, 1.5; row-standardised lags = -0.5, -0.5, 0.5, 0.5;
    sum z*lag = 0.75 + 0.25 + 0.25 + 0.75 = 2; sum z^2 = 5; n = S0 = 4: I = 2 / 5 = 0.4; EI = -1/3.
    Each of the first two is low among low neighbours (LL), the last two HH."""
    cells = {f"R{k}": (k, 0) for k in range(4)}
    dataset, score = _score(tmp_path, cells, {f"R{k}": k + 1.0 for k in range(4)})
    result = analyse(dataset, score, weights="rook")
    assert result.moran.I == pytest.approx(0.4)
    assert result.moran.EI == pytest.approx(-1 / 3)
    assert [r.code for r in result.lisa] == ["LL", "LL", "HH", "HH"]
    assert 0 < result.moran.p_sim <= 1


def _block(tmp_path, high: float = 10.0):
    """A 6x6 grid, the bottom-left 3x3 block high, the rest low with small differences."""
    cells = grid(6, 6)
    values = {i: (high if c < 3 and r < 3 else 1.0) + 0.01 * ((c * 7 + r * 3) % 5) for i, (c, r) in cells.items()}
    return _score(tmp_path, cells, values)


def test_a_high_block_is_a_significant_high_high_cluster_and_a_hot_spot(tmp_path):
    dataset, score = _block(tmp_path)
    result = analyse(dataset, score)
    assert result.moran.significant() and result.moran.I > 0.3
    hh = set(result.clusters("HH"))
    assert "D00" in hh and hh <= {"D00", "D01", "D02", "D06", "D07", "D08", "D12", "D13", "D14"}
    gi = {r.district_id: r.code for r in result.gi}
    assert gi["D00"] == "hot" and gi["D35"] in ("cold", "ns")
    text = summary(result)
    assert text.startswith(f"Score clusters: high-high in {len(hh)} districts (Cell D00")
    assert f"Moran's I {result.moran.I:.2f}, p = {result.moran.p_sim:.3f}." in text


def test_results_are_reproducible_run_to_run(tmp_path):
    dataset, score = _block(tmp_path)
    first, second = analyse(dataset, score), analyse(dataset, score)
    assert first.moran == second.moran and first.lisa == second.lisa and first.gi == second.gi
    np.random.seed(1)
    before = np.random.random()
    np.random.seed(1)
    analyse(dataset, score)
    assert np.random.random() == before  # the seeded global generator is put back as it was


def test_no_pattern_reads_no_significant_clustering(tmp_path):
    cells = grid(6, 6)
    order = np.random.default_rng(7).permutation(36)
    dataset, score = _score(tmp_path, cells, {i: float(order[k]) for k, i in enumerate(cells)})
    result = analyse(dataset, score)
    assert not result.moran.significant()  # this arrangement's p is above 0.05 with seed 12345
    assert summary(result).startswith(f"Score: no significant clustering (Moran's I {result.moran.I:.2f}, "
                                      f"p = {result.moran.p_sim:.3f}, queen contiguity).")


def test_every_district_alike_is_not_tested(tmp_path):
    cells = grid(3, 3)
    dataset, score = _score(tmp_path, cells, {i: 5.0 for i in cells})
    result = analyse(dataset, score)
    assert result.moran is None and result.lisa == () and to_dict(result)["moran"]["I"] is None
    assert "too few districts with a value and a neighbour, or no differences" in summary(result)


# -- outliers and small numbers ----------------------------------------------------------------------------

def test_tukey_fences_by_hand():
    """1..9 and 16: quartiles at positions 2.25 and 6.75 (linear): 3.25 and 7.75; IQR 4.5;
    fences 3.25 - 6.75 = -3.5 and 7.75 + 6.75 = 14.5: 16 is out."""
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 16, np.nan])
    found = outliers(values, "tukey")
    assert (found.fences.low, found.fences.high) == (-3.5, 14.5)
    assert found.mask.tolist() == [False] * 9 + [True, False]


def test_median_mad_by_hand():
    """1..9 and 16: median 5.5; absolute deviations .5 .5 1.5 1.5 2.5 2.5 3.5 3.5 4.5 10.5, median 2.5;
    scaled x 1.4826 = 3.7065; fences 5.5 -/+ 3.5 x 3.7065 = -7.47 and 18.47: 16 is not out (Tukey's is)."""
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 16.0])
    found = outliers(values, "mad")
    assert found.fences.high == pytest.approx(5.5 + 3.5 * 2.5 * 1.482602218505602)
    assert not found.mask.any()
    assert outliers(np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0]), "mad").mask.tolist() == [False] * 9 + [True]


def test_too_few_values_or_no_spread_name_no_outlier():
    assert not outliers(np.array([1.0, 2.0, 1000.0]), "tukey").mask.any()  # three values: not judged
    assert not outliers(np.array([5.0, 5, 5, 5, 5, 9]), "mad").mask.any()  # MAD 0: undefined, not judged


def test_small_numbers_by_hand():
    population = np.array([300, 999, 1000, np.nan, 0, 250_000])
    assert small_numbers(population, 1000).tolist() == [True, True, False, True, True, False]
    assert not small_numbers(population, None).any()


def test_min_population_comes_from_the_manifest(tmp_path):
    cells = grid(2, 2)
    pop = {"D00": 300, "D01": 999, "D02": 1000, "D03": 40_000}
    dataset, score = _score(tmp_path / "with", cells, {i: 1.0 + k for k, i in enumerate(cells)}, population=pop,
                            districts_extra="min_population = 1000")
    result = analyse(dataset, score)
    assert result.small_ids == ("D00", "D01") and score.min_population == 1000
    assert "Fewer than 1,000 residents, too few to trust a per-resident figure: Cell D00 and Cell D01." \
        in summary(result)
    _, plain = _score(tmp_path / "without", cells, {i: 1.0 for i in cells}, population=pop)
    assert plain.min_population is None


def test_empirical_bayes_by_hand(tmp_path):
    """Dollars 2, 30, 5, 12 over 100, 1000, 50, 400 residents. City rate m = 49/1550 = 0.0316129;
    variance of rates weighted by residents 0.00016191 minus m / mean residents (0.0316129 / 387.5 =
    0.00008158) = 0.00008033; weight of each own rate v / (v + m / b): 0.2026, 0.7176, 0.1127, 0.5041;
    smoothed = w x own + (1 - w) x m: 0.0292598, 0.0304555, 0.0393224, 0.0307999. The 50-resident
    district (raw 0.1) moves most of the way to the city's rate."""
    cells = grid(4, 1)
    dataset = open_dataset(write_grid_city(
        tmp_path, cells, population=dict(zip(cells, [100, 1000, 50, 400])),
        spending=dict(zip(cells, [2.0, 30.0, 5.0, 12.0]))))
    values = measure_values(dataset, SpendingView(measure="per_capita", fiscal_year=YEAR))
    result = analyse(dataset, values)
    np.testing.assert_allclose(values.values, [0.02, 0.03, 0.1, 0.03])
    np.testing.assert_allclose(result.smoothed, [0.0292598425, 0.0304554750, 0.0393224299, 0.0307998694],
                               rtol=1e-8)
    smoothed = analyse(dataset, values, smooth=True, weights="rook")
    assert smoothed.smoothed_used and "Computed on empirical Bayes smoothed rates." in summary(smoothed)
    with pytest.raises(ValueError, match="not a per-resident rate"):
        analyse(dataset, measure_values(dataset, SpendingView(measure="total", fiscal_year=YEAR)), smooth=True)


# -- the numbers are the map's ----------------------------------------------------------------------------

@pytest.mark.parametrize("view", [
    SpendingView(measure="per_capita", fiscal_year=2024, departments=("Transportation",)),
    SpendingView(measure="total", fiscal_year=2025, since=2023, amount="budget"),
    SpendingView(measure="share", fiscal_year=2022),
])
def test_spending_values_are_the_spending_maps(view):
    dataset = open_dataset(DEMO)
    spec = MAP_KINDS["spending"](dataset, view)
    values = measure_values(dataset, view)
    assert values.ids == [f.district_id for f in spec.features]
    shown = [math.nan if f.value is None else f.value for f in spec.features]
    np.testing.assert_array_equal(values.values, shown)


@pytest.mark.parametrize("key", ["pavement_busy_good_fair", "response_time_min"])
def test_indicator_values_are_the_target_maps(key):
    dataset = open_dataset(DEMO)
    view = SpendingView(indicator=key, fiscal_year=2024)
    spec = MAP_KINDS["target"](dataset, view)
    values = indicator_values(dataset, view)
    shown = [math.nan if f.value is None else f.value for f in spec.features]
    np.testing.assert_array_equal(values.values, shown)
    assert values.years == spec.meta["fiscal_year"]
    gaps = indicator_values(dataset, view, on="gap")
    goal = spec.meta["goal"]
    sign = 1 if spec.meta["direction"] == "higher" else -1
    np.testing.assert_allclose(gaps.values, (np.array(shown) - goal) * sign)
