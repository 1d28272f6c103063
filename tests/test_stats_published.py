"""Published results reproduced through a manifest, like any city's data.

The oracles are the figures PySAL and mapclassify document for the example data
their wheels ship (no download):

* esda, ``esda/moran.py`` (``Moran`` docstring) and ``esda/tests/test_moran.py``
  (``TestMoran.test_moran``): St Louis region county homicide rates 1988-93
  (``stl_hom``, HR8893, the 78 counties of ``stl.gal``): I = 0.24365582621771659,
  EI = -0.012987012987012988 (= -1/77), p_norm = 0.00013573931385468807 one-tailed.
* esda, same places (``test_sids``, "SIDS example replicating OpenGeoda"): North
  Carolina SIDS rates 1974 (``sids2``, SIDR74, ``sids2.gal``): I = 0.24772519320480135.
* esda, ``esda/smoothing.py`` (``Empirical_Bayes`` docstring): the St Louis 1979-84
  homicides (HC7984) over population (PO7984), first ten smoothed rates.
* mapclassify, ``mapclassify/classifiers.py`` docstrings and
  ``mapclassify/tests/test_mapclassify.py``: breaks of the California employment
  densities (``mapclassify.load_example()``, 58 counties) for Quantiles k=5,
  EqualInterval k=5 and FisherJenks k=5.

Both GAL files turn out to be *rook* contiguity of their shapefiles (stl's
README calls stl.gal "queen"; queen adds four pairs of St Louis counties that
meet only at a corner across the Mississippi, and I is then 0.195), so the
published I values are reproduced with ``--weights rook``, and the test says
which pairs differ. Columbus's ``columbus.gal`` is queen contiguity and our
queen weights match it exactly.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from budgetmap.dataset import open_dataset
from budgetmap.stats.analysis import analyse
from budgetmap.stats.values import indicator_values, measure_values
from budgetmap.stats.weights import neighbours
from budgetmap.view import SpendingView
from devtools.pysalcity import YEAR, example_frame, write_example_city

STL_I = 0.24365582621771659
STL_EI = -0.012987012987012988
SIDS_I = 0.24772519320480135
#: esda's Empirical_Bayes docstring: eb.r[:10] for stl_hom.csv columns 10 (HC7984) and 13 (PO7984).
STL_EB_FIRST_TEN = [2.36718950e-05, 4.54539167e-05, 4.78114019e-05, 2.76907146e-05, 6.58989323e-05,
                    3.66494122e-05, 5.79952721e-05, 2.03064590e-05, 3.31152999e-05, 3.02748380e-05]


def _gal(name: str) -> dict[str, set[str]]:
    """A bundled GAL file's neighbours, ids as written."""
    import libpysal

    w = libpysal.io.open(libpysal.examples.get_path(name)).read()
    return {str(i): {str(j) for j in w.neighbors[i]} for i in w.id_order}


@pytest.fixture(scope="module")
def stl(tmp_path_factory):
    frame = example_frame("stl", "stl_hom.shp")
    folder = tmp_path_factory.mktemp("stl")
    manifest = write_example_city(folder, frame, id_column="POLY_ID_OG", name_column="NAME",
                                  indicators={"homicide_rate_8893": "HR8893"},
                                  population="PO8893", spending="HC8893")
    return manifest, open_dataset(manifest), frame


def _cli(manifest, *flags: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "budgetmap", "stats", str(manifest), *flags, "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_st_louis_homicide_morans_i_through_the_cli(stl):
    manifest, _, _ = stl
    result = _cli(manifest, "--indicator", "homicide_rate_8893", "--year", str(YEAR), "--weights", "rook")
    assert result["n"] == 78 and result["islands"] == []
    assert result["moran"]["I"] == pytest.approx(STL_I, rel=1e-9)
    assert result["moran"]["EI"] == pytest.approx(STL_EI, rel=1e-12)
    # esda's normal-theory p is 0.00014 one-tailed; 999 shuffles cannot go below 0.001, and reach it or near it
    assert 0.001 <= result["moran"]["p_sim"] <= 0.005 and result["moran"]["significant"]


def test_st_louis_rook_weights_are_the_published_gal_and_queen_adds_four_corner_pairs(stl):
    _, dataset, _ = stl
    ids = list(dataset.districts["district_id"])
    rook = neighbours(dataset.districts, ids, "rook").weights
    queen = neighbours(dataset.districts, ids, "queen").weights
    gal = _gal("stl.gal")  # ids 1..78 are POLY_ID_OG, the ids we wrote
    assert {i: set(rook.neighbors[i]) for i in ids} == gal
    extra = {tuple(sorted((i, j), key=int)) for i in ids for j in queen.neighbors[i] if j not in gal[i]}
    names = dict(zip(dataset.districts["district_id"], dataset.districts["name"]))
    assert {tuple(names[k] for k in pair) for pair in extra} == {
        ("Madison", "St. Louis"), ("St. Charles", "St. Louis City"), ("Jackson", "Cape Girardeau"),
        ("Perry", "Union")}


def test_st_louis_spending_per_resident_is_the_same_rate(stl):
    """HC8893 homicides as 'spending' over PO8893 residents: per resident is HR8893 / 100,000
    (rounded to six decimals in the file), and Moran's I does not care about the scale."""
    _, dataset, frame = stl
    values = measure_values(dataset, SpendingView(measure="per_capita", fiscal_year=YEAR))
    by_id = dict(zip(values.ids, values.values))
    published = dict(zip(frame["POLY_ID_OG"].astype(str), frame["HR8893"]))
    assert max(abs(by_id[i] * 1e5 - published[i]) for i in published) < 1e-5
    result = analyse(dataset, values, weights="rook")
    assert result.moran.I == pytest.approx(STL_I, abs=1e-5)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # esda's notice about a future default
def test_st_louis_lisa_matches_esda_on_the_published_weights(stl):
    """Our LISA through the manifest (ids, order, weights from the polygons) against esda run directly on
    stl.gal and the file's column, with the same seed: same quadrant and p for every county."""
    import libpysal
    from esda.moran import Moran_Local

    from budgetmap.stats.spatial import PERMUTATIONS, QUADRANTS, SEED
    _, dataset, _ = stl
    result = analyse(dataset, indicator_values(dataset, SpendingView(indicator="homicide_rate_8893")),
                     weights="rook")
    w = libpysal.io.open(libpysal.examples.get_path("stl.gal")).read()
    table = libpysal.io.open(libpysal.examples.get_path("stl_hom.txt"))
    y = np.array(table.by_col["HR8893"])
    # stl_hom.txt lists the counties in stl.gal's id order
    direct = Moran_Local(y, w, transformation="r", permutations=PERMUTATIONS, seed=SEED, n_jobs=1)
    ours = {r.district_id: r for r in result.lisa}
    for k, county in enumerate(w.id_order):
        assert ours[str(county)].code == QUADRANTS[int(direct.q[k])][0]
        assert ours[str(county)].p_sim == pytest.approx(float(direct.p_sim[k]), abs=1e-6)
    assert sum(r.significant and r.code == "HH" for r in result.lisa) > 0


def test_st_louis_empirical_bayes_rates(tmp_path):
    frame = example_frame("stl", "stl_hom.shp")
    manifest = write_example_city(tmp_path, frame, id_column="POLY_ID_OG", name_column="NAME",
                                  indicators={"homicide_rate_7984": "HR7984"},
                                  population="PO7984", spending="HC7984")
    dataset = open_dataset(manifest)
    values = measure_values(dataset, SpendingView(measure="per_capita", fiscal_year=YEAR))
    result = analyse(dataset, values)
    smoothed = dict(zip(values.ids, result.smoothed))
    first_ten = [smoothed[str(i)] for i in frame["POLY_ID_OG"][:10]]  # stl_hom.csv's order
    np.testing.assert_allclose(first_ten, STL_EB_FIRST_TEN, rtol=1e-8)
    raw = dict(zip(values.ids, values.values))
    assert raw["1"] == pytest.approx(4 / 189087)  # Logan: 4 homicides, 189,087 residents, unsmoothed


def test_north_carolina_sids_morans_i(tmp_path):
    frame = example_frame("sids2", "sids2.shp")
    manifest = write_example_city(tmp_path, frame, id_column="FIPS", name_column="NAME",
                                  indicators={"sids_rate_74": "SIDR74"})
    result = _cli(manifest, "--indicator", "sids_rate_74", "--weights", "rook")
    assert result["moran"]["I"] == pytest.approx(SIDS_I, rel=1e-9)
    assert result["moran"]["EI"] == pytest.approx(-1 / 99)
    assert result["n"] == 100 and len(result["lisa"]) == 100
    dataset = open_dataset(manifest)
    ids = list(dataset.districts["district_id"])
    rook = neighbours(dataset.districts, ids, "rook").weights
    assert {i: set(rook.neighbors[i]) for i in ids} == _gal("sids2.gal")


def test_columbus_queen_weights_are_the_published_gal(tmp_path):
    frame = example_frame("columbus", "columbus.shp")
    manifest = write_example_city(tmp_path, frame, id_column="POLYID", name_column="NEIG",
                                  indicators={"crime": "CRIME"})
    dataset = open_dataset(manifest)
    ids = list(dataset.districts["district_id"])
    queen = neighbours(dataset.districts, ids, "queen")
    assert {i: set(queen.weights.neighbors[i]) for i in ids} == _gal("columbus.gal")
    row = queen.weights.weights["1"]  # POLYID 1 has two neighbours: each weighs a half
    assert row == [0.5, 0.5]


@pytest.mark.parametrize("scheme, bins, counts", [
    ("quantiles", [1.464, 5.798, 13.278, 54.616, 4111.45], [12, 11, 12, 11, 12]),
    ("equal_interval", [822.394, 1644.658, 2466.922, 3289.186, 4111.45], [57, 0, 0, 0, 1]),
    ("natural_breaks", [75.29, 192.05, 370.5, 722.85, 4111.45], [49, 3, 4, 1, 1]),
])
def test_mapclassify_documented_breaks_on_california_through_budgetmap_schemes(scheme, bins, counts):
    """mapclassify's docstrings: Quantiles(cal, k=5), EqualInterval(cal, k=5), FisherJenks(cal) (k=5)."""
    import mapclassify

    from budgetmap.classify import SCHEMES
    cal = np.asarray(mapclassify.load_example(), dtype=float)
    assert cal.size == 58
    classes = SCHEMES[scheme].classify(cal, 5)
    np.testing.assert_allclose(classes.bounds, bins, rtol=1e-9)
    assert classes.counts() == counts
