"""Views as URL parameters and back: the permalink of any map, for the app, snapshots and books.

The settings and their forms are ``budgetmap.fields.FIELDS`` (re-exported here as
URL_FIELDS); the app writes the address from it after every run, snapshots print
the same address, and opening it rebuilds the view.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from budgetmap.fields import FIELDS, Reading, read
from budgetmap.view import SpendingView

#: URL parameter -> its Field (view attribute, form, limits, allowed values)
URL_FIELDS = FIELDS
LISTS = {name for name, spec in FIELDS.items() if spec.many}

#: map kind -> the app page that draws it (the path part of a permalink)
PAGES: dict[str, str] = {"spending": "Spending_map", "target": "Targets", "change": "Compare_years",
                         "bivariate": "Money_vs_results", "story": "District_story",
                         "warning": "Monitoring",
                         "cluster": "Clusters"}


def url_values(params: Mapping[str, Any]) -> dict[str, Any]:
    """The view settings present in URL parameters (all values of a repeatable one); other keys are not ours."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        if name not in params:
            continue
        raw = params.get_all(name) if hasattr(params, "get_all") and name in LISTS else params.get(name)
        if name in LISTS and isinstance(raw, list):
            raw = [v for v in raw if v != ""]
        out[name] = raw
    return out


def read_params(params: Mapping[str, Any]) -> Reading:
    """URL parameters as a view, with a problem for each value that was not used."""
    return read(url_values(params))


def view_from_params(params: Mapping[str, Any]) -> SpendingView:
    """Parse URL parameters into a view, ignoring anything malformed."""
    return read_params(params).view


def params_from_view(view: SpendingView) -> dict[str, Any]:
    """The URL parameters that differ from the defaults (lists for repeatable ones)."""
    default = SpendingView()
    out: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        value = getattr(view, spec.attr)
        if value == getattr(default, spec.attr) or value in (None, ()):
            continue
        out[name] = [str(v) for v in value] if name in LISTS else str(value)
    return out


def permalink(base_url: str, page: str, dataset_key: str, view: SpendingView) -> str:
    """The address that reopens ``view`` of ``dataset_key`` on ``page`` (a PAGES key or a page path)."""
    path = PAGES.get(page, page)
    query = urlencode({"dataset": dataset_key, **params_from_view(view)}, doseq=True)
    return f"{base_url.rstrip('/')}/{path}?{query}"
