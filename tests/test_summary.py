"""Written summaries under maps, checked against the map descriptions they summarise."""
from __future__ import annotations

from pathlib import Path

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.summary import describe
from budgetmap.view import SpendingView


def test_spending_summary_names_highest_lowest_and_missing(city):
    dataset = open_dataset(city())
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", fiscal_year=2024))
    # 2024 totals: A 1000.50, B 1499.75, C and D have no rows
    assert describe(spec) == ("Bravo has the highest total spending ($1,500) and Alpha the lowest ($1,000); "
                              "two districts have no data.")


def test_zero_is_reported_apart_from_no_data(city):
    dataset = open_dataset(city())
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="total", fiscal_year=2023))
    # 2023: A 900, C exactly 0, B and D nothing
    assert describe(spec) == ("Alpha has the highest total spending ($900); "
                              "two districts have no data and one district has zero."), "zero is not 'the lowest'"


def test_target_and_change_summaries_follow_the_map(demo_manifest: Path):
    dataset = open_dataset(demo_manifest)
    target = MAP_KINDS["target"](dataset, SpendingView(indicator="pavement_busy_good_fair", fiscal_year=2025))
    best = min((f for f in target.features if f.rank), key=lambda f: f.rank)
    text = describe(target)
    assert text.startswith(f"{target.meta['meeting']} of 31 districts meet the goal of 80.0%")
    assert f"{best.name} does best ({best.label}" in text
    change = MAP_KINDS["change"](dataset, SpendingView(base_year=2021, fiscal_year=2025))
    rose = sum(1 for f in change.features if f.value and f.value > 0)
    assert f"rose in {rose} and fell in {31 - rose} of 31 districts" in describe(change)
