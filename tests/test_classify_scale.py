"""Class breaks at county and tract sizes: natural breaks from a fixed sample above a size, said on the map."""
from __future__ import annotations

import mapclassify
import numpy as np
import pytest

from budgetmap.classify import SCHEMES, NaturalBreaks

LIMIT = NaturalBreaks.EXACT_UP_TO  # at k = 5


def _clusters(n_per: int, centres=(10.0, 50.0, 200.0, 600.0, 2000.0), seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([c + rng.uniform(-2.0, 2.0, n_per) for c in centres])


def test_sampled_natural_breaks_find_separated_groups():
    """Five tight, far-apart groups of 1,000 values: each group is one class, as the exact method gives."""
    values = _clusters(1000)
    classes = SCHEMES["natural_breaks"].classify(values, 5)
    assert classes.counts() == [1000] * 5
    assert classes.bounds[-1] == values.max()
    assert classes.minimum == values.min()


def test_sampled_breaks_do_not_depend_on_district_order():
    values = np.random.default_rng(7).lognormal(3, 1, 3100)
    first = SCHEMES["natural_breaks"].classify(values, 7)
    shuffled = np.random.default_rng(8).permutation(values)
    again = SCHEMES["natural_breaks"].classify(shuffled, 7)
    assert first.bounds == again.bounds
    assert len(first.bounds) == 7


def test_the_map_note_says_breaks_come_from_a_sample():
    values = np.random.default_rng(1).lognormal(3, 1, 3100)
    values[:40] = np.nan  # no-data districts are not counted as values
    classes = SCHEMES["natural_breaks"].classify(values, 5)
    assert classes.note.startswith(f"Natural breaks from a sample of {LIMIT:,} of the 3,060 values")
    assert (classes.index[:40] == -1).all() and (classes.index[40:] >= 0).all()
    locked, _ = classes.apply(values[::-1])
    assert locked.note == classes.note  # another year classified with these breaks keeps the note


def test_the_sample_shrinks_as_classes_grow():
    sizes = [NaturalBreaks().size(k) for k in range(2, 10)]
    assert sizes == sorted(sizes, reverse=True) and sizes[3] == LIMIT and sizes[-1] == 113
    values = np.random.default_rng(6).lognormal(3, 1, 150)
    assert SCHEMES["natural_breaks"].classify(values, 9).note.startswith("Natural breaks from a sample of 113 of")
    assert SCHEMES["natural_breaks"].classify(values, 5).note == ""


def test_small_layers_get_exact_breaks_and_no_note():
    values = np.random.default_rng(2).lognormal(3, 1, LIMIT)
    classes = SCHEMES["natural_breaks"].classify(values, 5)
    assert classes.note == ""
    exact = mapclassify.FisherJenks(values, k=5).bins
    assert np.allclose(classes.bounds, exact)
    for key in ("quantiles", "equal_interval", "manual"):
        assert SCHEMES[key].classify(np.random.default_rng(4).normal(size=70_000), 5, (0.0,)).note == ""


def test_few_distinct_values_in_a_large_layer():
    values = np.repeat([1.0, 2.0, 30.0], 1000)
    classes = SCHEMES["natural_breaks"].classify(values, 7)
    assert classes.bounds == (1.0, 2.0, 30.0)
    assert classes.counts() == [1000, 1000, 1000]


@pytest.mark.parametrize("key", list(SCHEMES))
def test_every_scheme_classifies_a_tract_sized_layer(key):
    """70,000 values (US tracts) all get a class; how fast is bench/bench_classify.py's business."""
    values = np.random.default_rng(5).lognormal(3, 1, 70_000)
    values[::1000] = np.nan
    classes = SCHEMES[key].classify(values, 9, (10.0, 20.0))
    assert sum(classes.counts()) == 70_000 - 70
    assert (classes.index[::1000] == -1).all()
    assert len(classes.bounds) == (3 if key == "manual" else 9)
