"""Hearing lists: the prepared views a budget hearing steps through on the projector.

A slide is a permalink in pieces (map kind, dataset key, URL parameters) plus a
title, so a saved list is a small JSON file anyone can read, mail and reload,
and every slide opens in the app exactly as it was prepared.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from budgetmap.permalink import PAGES, params_from_view, view_from_params
from budgetmap.targets import mapped_indicators, meta_for
from budgetmap.view import SpendingView
from budgetmap.model import Dataset

FORMAT = "budgetmap hearing list"
KINDS = ("spending", "target", "change", "bivariate")


class HearingListError(ValueError):
    """A hearing list that cannot be read; the message names the slide."""


@dataclass(frozen=True)
class Slide:
    kind: str  # a map kind (budgetmap.maps.MAP_KINDS)
    dataset: str  # catalogue key
    params: dict[str, Any] = field(default_factory=dict)  # URL parameters of the view
    title: str = ""

    @property
    def view(self) -> SpendingView:
        return view_from_params(_Params(self.params))


class _Params(dict):
    def get_all(self, key: str) -> list:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def slide(kind: str, dataset_key: str, view: SpendingView, title: str = "") -> Slide:
    return Slide(kind, dataset_key, params_from_view(view), title)


def to_json(slides: list[Slide]) -> str:
    """The file a hearing list is saved as."""
    return json.dumps({"format": FORMAT, "version": 1, "slides": [asdict(s) for s in slides]},
                      indent=2, ensure_ascii=False)


def from_json(text: str | bytes) -> list[Slide]:
    """Read a saved list; raises HearingListError naming the slide that is wrong."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HearingListError(f"not a hearing list (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("slides"), list):
        raise HearingListError(f"not a hearing list: expected {{\"format\": \"{FORMAT}\", \"slides\": [...]}}")
    slides = []
    for number, raw in enumerate(data["slides"], start=1):
        if not isinstance(raw, dict):
            raise HearingListError(f"slide {number} is not an object")
        kind, key = raw.get("kind"), raw.get("dataset")
        if kind not in KINDS:
            raise HearingListError(f"slide {number}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(key, str) or not key:
            raise HearingListError(f"slide {number}: 'dataset' must name a dataset")
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise HearingListError(f"slide {number}: 'params' must be an object of URL parameters")
        slides.append(Slide(kind, key, params, str(raw.get("title", ""))))
    return slides


def default_slides(dataset_key: str, dataset: Dataset) -> list[Slide]:
    """A ready-made list for any dataset: money per resident, its change, each goal, money vs results."""
    years = dataset.fiscal_years
    has_people = bool(dataset.districts["population"].notna().any())
    view = SpendingView(measure="per_capita" if has_people else "total")
    slides = [slide("spending", dataset_key, view, "Where the money goes")]
    if len(years) > 1:
        slides.append(slide("change", dataset_key, view.with_(base_year=years[0]), "How it changed"))
    for key in mapped_indicators(dataset)[:3]:
        slides.append(slide("target", dataset_key, SpendingView(indicator=key),
                            f"Against the goal: {meta_for(dataset, key).label}"))
    if has_people and mapped_indicators(dataset):
        slides.append(slide("bivariate", dataset_key, SpendingView(indicator=mapped_indicators(dataset)[0]),
                            "Money against results"))
    return slides


def page_of(item: Slide) -> str:
    return PAGES[item.kind]
