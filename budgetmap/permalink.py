"""Views as URL parameters and back: the permalink of any map, for the app, snapshots and books.

URL_FIELDS is the one table the URL code reads; the app writes the address from it
after every run, snapshots print the same address, and opening it rebuilds the view.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from budgetmap.classify import SCHEMES
from budgetmap.compare import COMPARE_MODES
from budgetmap.diverging import DIVERGING
from budgetmap.measures import MEASURES
from budgetmap.palettes import PALETTES
from budgetmap.view import SpendingView


def _year(value: Any) -> int | None:
    return int(value) if str(value).isdigit() else None


#: URL parameter -> (view field, parser). Parsers return None for anything malformed.
URL_FIELDS: dict[str, tuple[str, Any]] = {
    "measure": ("measure", lambda v: v if v in MEASURES else None),
    "year": ("fiscal_year", _year),
    "amount": ("amount", lambda v: v if v in ("actual", "budget") else None),
    "dept": ("departments", lambda v: tuple(v)),
    "program": ("programs", lambda v: tuple(v)),
    "fund": ("funds", lambda v: tuple(v)),
    "scheme": ("scheme", lambda v: v if v in SCHEMES else None),
    "k": ("k", lambda v: int(v) if str(v).isdigit() and 2 <= int(v) <= 9 else None),
    "breaks": ("manual_breaks", lambda v: tuple(float(x) for x in v)),
    "palette": ("palette", lambda v: v if v in PALETTES else None),
    "district": ("selected", lambda v: v or None),
    "since": ("since", _year),
    "lock": ("classes_from", _year),
    "indicator": ("indicator", lambda v: v or None),
    "base": ("base_year", _year),
    "compare": ("compare", lambda v: v if v in COMPARE_MODES else None),
    "change": ("change", lambda v: v if v in ("absolute", "percent") else None),
    "measure2": ("second_measure", lambda v: v if v in MEASURES else None),
    "div": ("diverging", lambda v: v if v in DIVERGING else None),
    "layer": ("layer", lambda v: v if isinstance(v, str) and v.strip() and len(v) <= 100 else None),
}
LISTS = {"dept", "program", "fund", "breaks"}

#: map kind -> the app page that draws it (the path part of a permalink)
PAGES: dict[str, str] = {"spending": "Spending_map", "target": "Targets", "change": "Compare_years",
                         "bivariate": "Money_vs_results", "story": "District_story"}


def view_from_params(params: Mapping[str, Any]) -> SpendingView:
    """Parse URL parameters into a view, ignoring anything malformed."""
    changes = {}
    for name, (field, parse) in URL_FIELDS.items():
        raw = params.get_all(name) if hasattr(params, "get_all") and name in LISTS else params.get(name)
        if name in LISTS and isinstance(raw, str):
            raw = [raw]
        if raw in (None, "", []):
            continue
        try:
            value = parse(raw)
        except (TypeError, ValueError):
            continue
        if value is not None:
            changes[field] = value
    return SpendingView().with_(**changes)


def params_from_view(view: SpendingView) -> dict[str, Any]:
    """The URL parameters that differ from the defaults (lists for repeatable ones)."""
    default = SpendingView()
    out: dict[str, Any] = {}
    for name, (field, _) in URL_FIELDS.items():
        value = getattr(view, field)
        if value == getattr(default, field) or value in (None, ()):
            continue
        out[name] = [str(v) for v in value] if name in LISTS else str(value)
    return out


def permalink(base_url: str, page: str, dataset_key: str, view: SpendingView) -> str:
    """The address that reopens ``view`` of ``dataset_key`` on ``page`` (a PAGES key or a page path)."""
    path = PAGES.get(page, page)
    query = urlencode({"dataset": dataset_key, **params_from_view(view)}, doseq=True)
    return f"{base_url.rstrip('/')}/{path}?{query}"
