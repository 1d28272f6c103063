"""One map view from typed-in values (command-line flags, a budget book's table), checked and drawn.

The app ignores a malformed URL value and falls back to the default, which is
right for a shared link but wrong for a script: a typo in a book must not print
a different map than the one asked for. So values here use the URL's own names
and parsers (``budgetmap.permalink.URL_FIELDS``) but anything they refuse, and
anything the data does not have (a year, department, indicator or district), is
a ViewError with a one-line message naming the value and what would be accepted.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from budgetmap.classify import SCHEMES
from budgetmap.compare import COMPARE_MODES
from budgetmap.diverging import DIVERGING
from budgetmap.maps import MAP_KINDS
from budgetmap.mapspec import MapSpec
from budgetmap.measures import MEASURES, available
from budgetmap.palettes import PALETTES
from budgetmap.permalink import LISTS, URL_FIELDS, permalink
from budgetmap.render.static import render
from budgetmap.targets import indicator_layer, indicator_years, mapped_indicators
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from budgetmap.model.years import fiscal_year_of_label

DEMO_MANIFEST = Path(__file__).resolve().parents[1] / "geodata" / "demo" / "manifest.toml"
YEARS = {"year", "since", "lock", "base"}
CHOICES: dict[str, Iterable[str]] = {
    "measure": MEASURES, "measure2": MEASURES, "amount": ("actual", "budget"), "scheme": SCHEMES,
    "palette": PALETTES, "compare": COMPARE_MODES, "change": ("absolute", "percent"), "div": DIVERGING,
}
EXPECTED = {"k": "a whole number from 2 to 9", "breaks": "numbers", "year": "a fiscal year such as 2016 or FY 2015-16"}


class ViewError(ValueError):
    """A view that cannot be drawn as asked; the message is one line, fit to print."""


def _listing(values: Iterable[Any], most: int = 12) -> str:
    items = [str(v) for v in values]
    shown = ", ".join(items[:most])
    return shown + (f", … ({len(items)} in all)" if len(items) > most else "") if items else "none"


def _refusal(label: str, raw: Any, name: str) -> ViewError:
    if name in CHOICES:
        return ViewError(f"{label}: unknown value {raw!r} (choose from {_listing(CHOICES[name])})")
    wanted = EXPECTED.get("year" if name in YEARS else name, "a value")
    return ViewError(f"{label}: {raw!r} is not {wanted}")


def parse_view(values: Mapping[str, Any], *, prefix: str = "") -> SpendingView:
    """A view from URL-named values ("measure", "year", "dept", ...); None values are left at the default.

    ``prefix`` is how the caller's user spells a name ("--" for flags), for messages.
    Lists may be given as one value or many; years in any form the loaders read.
    """
    changes: dict[str, Any] = {}
    for name, raw in values.items():
        if raw is None or (name in LISTS and raw in ((), [])):
            continue
        label = f"{prefix}{name}"
        if name not in URL_FIELDS:
            raise ViewError(f"unknown setting {label!r} (known: {_listing(URL_FIELDS, most=99)})")
        field, parse = URL_FIELDS[name]
        if name in LISTS:
            text: Any = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])]
        else:
            text = str(raw)
        if name in YEARS:
            year = fiscal_year_of_label(text)
            text = str(year) if year is not None else ""
        try:
            value = parse(text) if text not in ("", []) else None
        except (TypeError, ValueError):
            value = None
        if value is None:
            raise _refusal(label, raw, name)
        changes[field] = value
    view = SpendingView().with_(**changes)
    if view.scheme == "manual" and not view.manual_breaks:
        raise ViewError(f"{prefix}scheme manual needs {prefix}breaks (the upper bounds of the classes)")
    return view


def _known(label: str, chosen: Iterable[Any], present: Iterable[Any], what: str) -> None:
    have = list(present)
    for value in chosen:
        if value not in have:
            raise ViewError(f"{label}: the data has no {what} {value!r} (it has: {_listing(have)})")


def check_view(dataset: Dataset, kind: str, view: SpendingView, *, prefix: str = "") -> SpendingView:
    """Refuse what the data does not have; a district may be named by id or by its exact name."""
    if kind not in MAP_KINDS:
        raise ViewError(f"{prefix}map: unknown value {kind!r} (choose from {_listing(MAP_KINDS)})")
    if view.layer is not None:
        _known(f"{prefix}layer", [view.layer], dataset.layer_keys(), "boundary layer")
    districts = dataset.layer(view.layer).districts
    measures = [m.key for m in available(bool(districts["population"].notna().any()))]
    if kind != "target":
        _known(f"{prefix}measure", [view.measure], measures, "measure")
    for label, chosen, column in (("dept", view.departments, "department"), ("program", view.programs, "program"),
                                  ("fund", view.funds, "fund")):
        _known(prefix + label, chosen, dataset.categories(column), column)
    years = dataset.fiscal_years
    layer = indicator_layer(dataset, view.layer)
    indicators = mapped_indicators(dataset, layer)
    if kind in ("target", "bivariate"):
        if not indicators:
            raise ViewError(f"the data has no indicator by district, so there is no {kind} map")
        _known(f"{prefix}indicator", [view.indicator] if view.indicator else [], indicators, "indicator")
    if kind == "target" and view.fiscal_year is not None:
        key = view.indicator or indicators[0]
        _known(f"{prefix}year", [view.fiscal_year], indicator_years(dataset, key, layer), f"{key} year")
    elif view.fiscal_year is not None:
        _known(f"{prefix}year", [view.fiscal_year], years, "fiscal year")
    for label, year in (("since", view.since), ("lock", view.classes_from), ("base", view.base_year)):
        if year is not None:
            _known(prefix + label, [year], years, "fiscal year")
    later = view.fiscal_year if view.fiscal_year is not None else (years[-1] if years else None)
    if kind == "change" and view.base_year is not None and later is not None and view.base_year >= later:
        raise ViewError(f"{prefix}base: FY{view.base_year} is not earlier than FY{later}")
    if view.selected is not None:
        ids = list(districts["district_id"])
        if view.selected not in ids:
            named = districts.loc[districts["name"] == view.selected, "district_id"].tolist()
            if len(named) != 1:
                raise ViewError(f"{prefix}district: no district has the id or name {view.selected!r} "
                                f"(ids: {_listing(ids)})")
            view = view.with_(selected=named[0])
    return view


def build(dataset: Dataset, kind: str, view: SpendingView, *, prefix: str = "") -> tuple[SpendingView, MapSpec]:
    """(checked view, its MapSpec); a ViewError when the data cannot make this map."""
    view = check_view(dataset, kind, view, prefix=prefix)
    spec = MAP_KINDS[kind](dataset, view)
    if spec is None:
        why = {"change": "it needs two fiscal years", "target": "no indicator has district values",
               "bivariate": "no indicator pairs with per-resident spending"}.get(kind, "the data cannot support it")
        raise ViewError(f"no {kind} map for this view: {why}")
    return view, spec


def pinned(view: SpendingView, spec: MapSpec) -> SpendingView:
    """The view with the years and indicator the map actually shows, so its link keeps showing them.

    A view without a year means "the latest"; once the data gains a year, a link
    from an old snapshot would open a different map unless the year is written in.
    """
    meta = spec.meta
    changes = {"fiscal_year": meta.get("fiscal_year", meta.get("spending_year")),
               "indicator": meta.get("indicator"), "base_year": meta.get("base_year")}
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
    return render(spec, dataset.layer(spec.layer).districts, fmt, permalink=url, dpi=dpi), url
