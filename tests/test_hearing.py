"""Hearing lists: saved as a file, read back, and clear about what is wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.hearing import HearingListError, default_slides, from_json, slide, to_json
from budgetmap.view import SpendingView


def test_a_list_survives_a_round_trip_through_its_file():
    view = SpendingView(measure="total", fiscal_year=2022, departments=("Parks & Rec", "Roads"),
                        indicator="streets", classes_from=2021)
    slides = [slide("spending", "demo", view, "Money <b>&</b> $5"), slide("target", "chicago", SpendingView())]
    again = from_json(to_json(slides))
    assert again == slides
    assert again[0].view == view, "every selection of the view comes back"


@pytest.mark.parametrize("text, message", [
    ("not json", "not JSON"),
    ('{"slides": []}', "not a hearing list"),
    ('{"format": "budgetmap hearing list", "slides": [{"kind": "spending", "dataset": "demo"}, '
     '{"kind": "pie", "dataset": "demo"}]}', "slide 2: kind 'pie'"),
    ('{"format": "budgetmap hearing list", "slides": [{"kind": "target"}]}', "slide 1: 'dataset'"),
])
def test_a_bad_list_names_what_is_wrong(text, message):
    with pytest.raises(HearingListError, match=message):
        from_json(text)


def test_the_ready_made_list_covers_money_change_goals_and_both(demo_manifest: Path):
    slides = default_slides("demo", open_dataset(demo_manifest))
    kinds = [s.kind for s in slides]
    assert kinds == ["spending", "change", "target", "target", "target", "bivariate"]
    assert slides[2].view.indicator == "pavement_busy_good_fair"
    assert all(s.dataset == "demo" and s.title for s in slides)
