"""Hearing lists: saved as a file, read back, and clear about what is wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.hearing import SLIDE_KINDS, HearingListError, default_slides, from_json, slide, to_json, two_years
from budgetmap.maps import MAP_KINDS
from budgetmap.palettes import PALETTES, contrast, ink
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
    assert kinds == ["spending", "change", "target", "target", "target", "bivariate", "two_years"]
    assert slides[2].view.indicator == "pavement_busy_good_fair"
    assert all(s.dataset == "demo" and s.title for s in slides)


def test_a_two_year_slide_is_fy_a_and_fy_b_on_the_same_classes(demo_manifest: Path):
    dataset = open_dataset(demo_manifest)
    item = from_json(to_json([slide("two_years", "demo", SpendingView(fiscal_year=2024, base_year=2022), "Two")]))[0]
    assert SLIDE_KINDS[item.kind].maps == 2
    left, right = two_years(dataset, item.view)
    assert (left.fiscal_year, right.fiscal_year) == (2022, 2024)
    a, b = MAP_KINDS["spending"](dataset, left), MAP_KINDS["spending"](dataset, right)
    classes = lambda spec: [(e.label, e.fill) for e in spec.legend if e.kind == "class"]  # noqa: E731
    assert classes(a) == classes(b), "one legend must read both maps"
    assert [e.count for e in a.legend] != [e.count for e in b.legend]  # two different years on it


def test_every_slide_kind_checks_its_view_against_a_map_kind():
    assert {k.map_kind for k in SLIDE_KINDS.values()} <= set(MAP_KINDS)


def _steps(colours):
    return [contrast(a, b) for a, b in zip(colours, colours[1:])]


@pytest.mark.parametrize("k", range(2, 10))
def test_the_high_contrast_palette_has_the_largest_steps_between_neighbouring_classes(k):
    colours = PALETTES["contrast"].colors(k)
    steps = _steps(colours)
    # evenly spaced in contrast from pale yellow to near-black: 16:1 overall, shared by k - 1 steps
    assert min(steps) >= 12 ** (1 / (k - 1)), steps
    for key, other in PALETTES.items():
        if key != "contrast":
            assert min(steps) > min(_steps(other.colors(k))), f"{key} has larger steps at k={k}"
    assert contrast(colours[0], "#ffffff") > 1.2  # the lightest class is not the white "zero"


@pytest.mark.parametrize("key", sorted(PALETTES))
def test_text_on_every_fill_meets_4_5_to_1(key):
    for k in range(1, 10):
        for fill in PALETTES[key].colors(k):
            assert contrast(ink(fill), fill) >= 4.5, (key, k, fill)


def test_contrast_is_the_wcag_ratio():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the well-known grey at AA
    assert ink("#081d58") == "#ffffff" and ink("#f2ea69") == "#000000"
