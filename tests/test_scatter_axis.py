"""The Money vs results scatter's spending axis: log when a few districts dwarf the rest, clipped on request."""
from __future__ import annotations

import numpy as np

from budgetmap.scatter_axis import spending_axis, suggested


def test_a_skewed_spread_suggests_the_log_axis_and_an_even_one_the_linear():
    # the counties' case: one district spends hundreds of times the median a head
    assert suggested(np.array([900.0, 1100, 1000, 1200, 729_000, np.nan])) == "log"
    # 20 x the median is the edge: 20,000 against a median of 1,000 stays linear, 20,001 does not
    assert suggested(np.array([1000.0, 1000, 1000, 20_000])) == "linear"
    assert suggested(np.array([1000.0, 1000, 1000, 20_001])) == "log"
    assert suggested(np.array([5.0, 0.0])) == "linear", "too few values to call skewed"


def test_the_clipped_axis_ends_at_the_99th_percentile_and_counts_what_is_beyond():
    values = np.array([*range(1, 101), 10_000], dtype=float)   # 101 values: the 99th percentile is 100
    axis = spending_axis(values, "clipped")
    assert (axis.domain, axis.beyond, axis.cap) == ((0.0, 100.0), 1, 100.0)
    refunds = spending_axis(np.array([-50.0, 10, 20, 30]), "clipped")
    assert refunds.domain[0] == -50.0, "negative spending stays inside the axis"


def test_no_choice_or_an_unknown_one_takes_the_suggestion():
    skewed = np.array([1.0, 1, 1, 1, 500])
    assert spending_axis(skewed, None).scale == "symlog"
    assert spending_axis(skewed, None).constant == 1.0, "linear up to the 10th percentile of positive values"
    assert spending_axis(skewed, "nonsense").key == "log"
    assert spending_axis(skewed, "linear").scale == "linear" and spending_axis(skewed, "linear").domain is None
