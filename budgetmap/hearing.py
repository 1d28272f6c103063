"""Hearing lists: the prepared views a budget hearing steps through on the projector.

A slide is a permalink in pieces (map kind, dataset key, URL parameters) plus a
title, so a saved list is a small JSON file anyone can read, mail and reload,
and every slide opens in the app exactly as it was prepared.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from budgetmap.compare import side_by_side
from budgetmap.fields import MAX_TEXT, Refused, Text, read, shown
from budgetmap.permalink import PAGES, params_from_view
from budgetmap.targets import mapped_indicators, meta_for
from budgetmap.view import SpendingView
from budgetmap.model import Dataset

FORMAT = "budgetmap hearing list"


@dataclass(frozen=True)
class SlideKind:
    """What a slide of this kind draws: ``maps`` maps of the map kind ``map_kind``."""

    label: str
    map_kind: str  # a budgetmap.maps.MAP_KINDS key: what the slide's view is checked against
    maps: int = 1


#: The kinds of slide: one map of any map kind, or two years side by side with one legend.
#: The page, the file's validation and the docs read this table.
SLIDE_KINDS: dict[str, SlideKind] = {
    "spending": SlideKind("Spending map", "spending"),
    "target": SlideKind("Target map", "target"),
    "change": SlideKind("Change map", "change"),
    "bivariate": SlideKind("Money vs results", "bivariate"),
    "warning": SlideKind("Early warning", "warning"),
    "cluster": SlideKind("Clusters", "cluster"),
    "two_years": SlideKind("Two years side by side (one legend)", "change", maps=2),
}
KINDS = tuple(SLIDE_KINDS)
SLIDE_KEYS = ("kind", "dataset", "params", "title")
#: A hearing is a few dozen views: 200 slides at one a minute is over three hours,
#: and a saved slide is a few hundred bytes, so 1 MB holds 200 with room to spare.
MAX_SLIDES = 200
MAX_BYTES = 1024 * 1024


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
        return read(self.params).view


def slide(kind: str, dataset_key: str, view: SpendingView, title: str = "") -> Slide:
    return Slide(kind, dataset_key, params_from_view(view), title)


def to_json(slides: list[Slide]) -> str:
    """The file a hearing list is saved as."""
    return json.dumps({"format": FORMAT, "version": 1, "slides": [asdict(s) for s in slides]},
                      indent=2, ensure_ascii=False)


def from_json(text: str | bytes) -> list[Slide]:
    """Read a saved list; raises HearingListError naming the slide and the setting that is wrong.

    Every setting is read by the URL's table (budgetmap.fields), strictly: a list is
    prepared in advance, so a wrong value is said at once, not on the projector.
    """
    if len(text) > MAX_BYTES:
        raise HearingListError(f"the file is {len(text) / 1024 / 1024:.1f} MB; a hearing list is at most "
                               f"{MAX_BYTES // 1024 // 1024} MB ({MAX_SLIDES} slides)")
    try:
        data = json.loads(text)
    except RecursionError:
        raise HearingListError("not a hearing list (nested too deeply to read)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise HearingListError(f"not a hearing list (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("slides"), list):
        raise HearingListError(f"not a hearing list: expected {{\"format\": \"{FORMAT}\", \"slides\": [...]}}")
    if len(data["slides"]) > MAX_SLIDES:
        raise HearingListError(f"{len(data['slides']):,} slides; a hearing list holds at most {MAX_SLIDES}")
    return [_slide(number, raw) for number, raw in enumerate(data["slides"], start=1)]


def _slide(number: int, raw: Any) -> Slide:
    if not isinstance(raw, dict):
        raise HearingListError(f"slide {number} is not an object")
    unknown = [str(k)[:40] for k in raw if k not in SLIDE_KEYS]
    if unknown:
        raise HearingListError(f"slide {number}: unknown key(s) {', '.join(unknown[:5])} "
                               f"(a slide has {', '.join(SLIDE_KEYS)})")
    kind, key, title = raw.get("kind"), raw.get("dataset"), raw.get("title", "")
    if kind not in KINDS:
        raise HearingListError(f"slide {number}: kind {shown(kind)} is not one of {', '.join(KINDS)}")
    try:
        key = Text().take(key)
    except Refused as exc:
        raise HearingListError(f"slide {number}: 'dataset' must name a dataset ({exc})") from None
    if not isinstance(title, str) or len(title) > MAX_TEXT:
        raise HearingListError(f"slide {number}, title: must be text of at most {MAX_TEXT} characters")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise HearingListError(f"slide {number}: 'params' must be an object of URL parameters")
    reading = read(params)
    if reading.problems:
        raise HearingListError(f"slide {number}, {reading.problems[0].text()}")
    return Slide(kind, key, params, title)


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
    if len(years) > 1:
        slides.append(slide("two_years", dataset_key, view.with_(base_year=years[0]),
                            f"FY{years[0]} and FY{years[-1]} side by side"))
    return slides


def page_of(item: Slide) -> str:
    """The app page a slide's view opens on (two years open on Compare years)."""
    return PAGES[SLIDE_KINDS[item.kind].map_kind]


def two_years(dataset: Dataset, view: SpendingView) -> tuple[SpendingView, SpendingView]:
    """A two-year slide's views: FY A (``base_year``, else the first) and FY B (``year``, else the latest),
    both on FY A's class breaks, so one legend reads both maps."""
    return side_by_side(dataset, view.with_(compare="side_years"))
