"""One map view from typed-in values (command-line flags, a budget book's table), checked and drawn.

The app ignores a malformed URL value and falls back to the default, which is
right for a shared link but wrong for a script: a typo in a book must not print
a different map than the one asked for. So values here are read by the same
table as the URL (``budgetmap.fields``) but anything it refuses, and anything the
data does not have (a year, department, indicator or district), is a ViewError
with a one-line message naming the value and what would be accepted.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from budgetmap.fields import Reading, against, listing, read
from budgetmap.maps import MAP_KINDS
from budgetmap.mapspec import MapSpec
from budgetmap.permalink import permalink
from budgetmap.render.furniture import context_for
from budgetmap.render.static import render
from budgetmap.view import SpendingView
from budgetmap.model import Dataset

DEMO_MANIFEST = Path(__file__).resolve().parents[1] / "geodata" / "demo" / "manifest.toml"


class ViewError(ValueError):
    """A view that cannot be drawn as asked; the message is one line, fit to print."""


def _refuse(reading: Reading, prefix: str) -> None:
    if reading.problems:
        raise ViewError(reading.problems[0].text(prefix))


def parse_view(values: Mapping[str, Any], *, prefix: str = "") -> SpendingView:
    """A view from URL-named values ("measure", "year", "dept", ...); None values are left at the default.

    ``prefix`` is how the caller's user spells a name ("--" for flags), for messages.
    Lists may be given as one value or many; years in any form the loaders read.
    """
    reading = read({name: raw for name, raw in values.items() if raw is not None})
    _refuse(reading, prefix)
    return reading.view


def check_view(dataset: Dataset, kind: str, view: SpendingView, *, prefix: str = "") -> SpendingView:
    """Refuse what the data does not have; a district may be named by id or by its exact name."""
    if kind not in MAP_KINDS:
        raise ViewError(f"{prefix}map: unknown value {kind!r} (choose from {listing(MAP_KINDS)})")
    reading = against(dataset, Reading(view), kind, every=True)
    _refuse(reading, prefix)
    return reading.view


def build(dataset: Dataset, kind: str, view: SpendingView, *, prefix: str = "") -> tuple[SpendingView, MapSpec]:
    """(checked view, its MapSpec); a ViewError when the data cannot make this map."""
    view = check_view(dataset, kind, view, prefix=prefix)
    spec = MAP_KINDS[kind](dataset, view)
    if spec is None:
        why = {"change": "it needs two fiscal years", "target": "no indicator has district values",
               "bivariate": "no indicator pairs with per-resident spending",
               "warning": "the dataset has no plan period to monitor",
               "cluster": "no indicator has district values"}.get(kind, "the data cannot support it")
        raise ViewError(f"no {kind} map for this view: {why}")
    return view, spec


def pinned(view: SpendingView, spec: MapSpec) -> SpendingView:
    """The view with the years and indicator the map actually shows, so its link keeps showing them.

    A view without a year means "the latest"; once the data gains a year, a link
    from an old snapshot would open a different map unless the year is written in.
    """
    meta = spec.meta
    changes = {"fiscal_year": meta.get("fiscal_year", meta.get("spending_year")),
               "indicator": meta.get("indicator"), "base_year": meta.get("base_year"),
               "watch_period": meta.get("period") if spec.kind == "warning" else None}
    return view.with_(**{k: v for k, v in changes.items() if v is not None and getattr(view, k) is None})


def dataset_key(manifest: str | Path) -> str:
    """The app's catalogue key of a manifest: "demo" for the bundled city, else the file's stem."""
    path = Path(manifest).resolve()
    return "demo" if path == DEMO_MANIFEST else path.stem


def link(base_url: str, kind: str, key: str, view: SpendingView, spec: MapSpec) -> str:
    """The permalink printed on a snapshot: the app's address of the same map."""
    return permalink(base_url, kind, key, pinned(view, spec))


def snapshot(dataset: Dataset, kind: str, view: SpendingView, fmt: str, *, key: str,
             base_url: str, dpi: int = 300, title: str = "", prefix: str = "") -> tuple[bytes, str]:
    """(the page of one view, the permalink printed on it); ``title`` replaces the map's own."""
    view, spec = build(dataset, kind, view, prefix=prefix)
    if title:
        spec = dataclasses.replace(spec, title=title)
    url = link(base_url, kind, key, view, spec)
    return render(spec, dataset.layer(spec.layer).districts, fmt, permalink=url, dpi=dpi,
                  context=context_for(dataset, spec.layer)), url
