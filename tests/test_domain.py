"""Measures, classification, palettes, ranks and MapSpec on hand-checked numbers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from budgetmap import fmt
from budgetmap.classify import SCHEMES, parse_breaks
from budgetmap.dataset import open_dataset
from budgetmap.mapspec import NO_DATA_CLASS, ZERO_CLASS, ranks
from budgetmap.measures import MEASURES
from budgetmap.palettes import NO_DATA, PALETTES, ZERO
from budgetmap.spending_map import build_spending_map, district_values
from budgetmap.view import SpendingView


def test_measures_on_hand_checked_numbers():
    frame = pd.DataFrame({"dollars": [100.0, 300.0, np.nan], "population": [10, 0, 5],
                          "area_km2": [2.0, 3.0, 1.0]})
    assert MEASURES["total"].compute(frame).tolist()[:2] == [100.0, 300.0]
    per = MEASURES["per_capita"].compute(frame)
    assert per[0] == 10.0 and np.isnan(per[1]), "zero population is no data, not infinity"
    assert MEASURES["per_km2"].compute(frame).tolist()[:2] == [50.0, 100.0]
    assert MEASURES["share"].compute(frame).tolist()[:2] == [25.0, 75.0]


@pytest.mark.parametrize("key", sorted(SCHEMES))
def test_every_scheme_puts_every_value_in_a_class(key):
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100, np.nan])
    classes = SCHEMES[key].classify(values, 4, (5, 50))
    assert classes.index[-1] == -1
    assert (classes.index[:-1] >= 0).all()
    assert classes.bounds[-1] == 100
    for value, cls in zip(values[:-1], classes.index[:-1]):
        lower = classes.bounds[cls - 1] if cls else classes.minimum
        assert lower <= value <= classes.bounds[cls]
    assert sum(classes.counts()) == 10


def test_manual_breaks_are_used_and_max_is_closed():
    classes = SCHEMES["manual"].classify(np.array([10.0, 150, 260, 999]), 5, (100, 250))
    assert classes.bounds == (100.0, 250.0, 999.0)
    assert classes.index.tolist() == [0, 1, 2, 2]


def test_fewer_distinct_values_than_classes():
    classes = SCHEMES["quantiles"].classify(np.array([7.0, 7.0, 7.0]), 5)
    assert classes.bounds == (7.0,) and classes.index.tolist() == [0, 0, 0]


def test_parse_breaks():
    assert parse_breaks("250, 100; $500") == (100.0, 250.0, 500.0)
    with pytest.raises(ValueError, match="'abc'"):
        parse_breaks("100, abc")


@pytest.mark.parametrize("key", sorted(PALETTES))
def test_palettes_are_distinct_from_zero_and_no_data(key):
    colors = PALETTES[key].colors(9)
    assert len(set(colors)) == 9
    assert ZERO not in colors and NO_DATA not in colors


def test_ranks_share_ties_and_skip_nan():
    assert ranks(np.array([5.0, np.nan, 9.0, 5.0])) == [2, None, 1, 2]


def test_money_formats():
    assert fmt.money_cents(-123456) == "-$1,234.56"
    assert fmt.money(1234.5, "EUR", cents=True) == "€1,234.50"
    assert fmt.compact_money(1_250_000) == "$1.2M"
    assert fmt.money(float("nan")) == "no data"
    assert [fmt.fine_money(v) for v in (12.345, 1812.4, 250_000)] == ["$12.35", "$1,812", "$250K"]


def test_spending_map_zero_and_no_data_swatches(city):
    dataset = open_dataset(city())
    # FY2023: A has 900, C has exactly 0, B and D have no rows
    spec = build_spending_map(dataset, SpendingView(measure="total", fiscal_year=2023))
    by_id = {f.district_id: f for f in spec.features}
    assert by_id["C"].class_index == ZERO_CLASS and by_id["C"].fill == ZERO
    assert by_id["B"].class_index == NO_DATA_CLASS and by_id["B"].fill == NO_DATA
    kinds = {e.kind: e.count for e in spec.legend if e.kind != "class"}
    assert kinds == {"zero": 1, "no_data": 2}
    assert sum(e.count for e in spec.legend) == len(spec.features)


def test_per_capita_values_and_reconciliation_line(city):
    dataset = open_dataset(city())
    spec = build_spending_map(dataset, SpendingView(measure="per_capita", fiscal_year=2024))
    by_id = {f.district_id: f for f in spec.features}
    assert by_id["A"].value == pytest.approx(1000.50 / 1000)
    assert by_id["B"].value == pytest.approx((2000 - 500.25) / 2000)
    assert by_id["B"].rank == 2 and by_id["A"].rank == 1
    assert spec.reconciliation_text.startswith("Total $2,847.35 = $2,500.25 in districts + $300.00 citywide")
    assert "$7.00 with an unknown district" in spec.reconciliation_text
    assert "$40.10 with no location" in spec.reconciliation_text


def test_filters_change_values(city):
    dataset = open_dataset(city())
    everything, _ = district_values(dataset, SpendingView(measure="total", fiscal_year=2024))
    roads, totals = district_values(dataset, SpendingView(measure="total", fiscal_year=2024,
                                                          departments=("Roads",)))
    assert everything.set_index("district_id").loc["B", "cents"] == 149975
    assert roads.set_index("district_id").loc["B", "cents"] == -50025
    assert roads.set_index("district_id").loc["A", "cents"] is None
    assert totals.reconciliation.input_total == -50025 + 30000  # the Roads rows of 2024: B and citywide


def test_map_descriptions_say_what_the_reader_needs(city):
    dataset = open_dataset(city())
    spec = build_spending_map(dataset, SpendingView(measure="per_capita", fiscal_year=2024))
    assert "Test data" in spec.notes
    assert any("divided by district population" in n for n in spec.notes)
    assert spec.subtitle.startswith("FY2024")
