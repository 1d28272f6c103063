"""Selections in the URL and in session state (selections only, never data).

On a session's first run the widgets are seeded from the URL; after each run the
URL is rewritten from the widgets, so a copied address reopens the same view.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from budgetmap.classify import SCHEMES
from budgetmap.compare import COMPARE_MODES
from budgetmap.diverging import DIVERGING
from budgetmap.measures import MEASURES
from budgetmap.palettes import PALETTES
from budgetmap.view import SpendingView

#: URL parameter -> (view field, parser). The one table the URL code reads.
URL_FIELDS: dict[str, tuple[str, Any]] = {
    "measure": ("measure", lambda v: v if v in MEASURES else None),
    "year": ("fiscal_year", lambda v: int(v) if str(v).isdigit() else None),
    "amount": ("amount", lambda v: v if v in ("actual", "budget") else None),
    "dept": ("departments", lambda v: tuple(v)),
    "program": ("programs", lambda v: tuple(v)),
    "fund": ("funds", lambda v: tuple(v)),
    "scheme": ("scheme", lambda v: v if v in SCHEMES else None),
    "k": ("k", lambda v: int(v) if str(v).isdigit() and 2 <= int(v) <= 9 else None),
    "breaks": ("manual_breaks", lambda v: tuple(float(x) for x in v)),
    "palette": ("palette", lambda v: v if v in PALETTES else None),
    "district": ("selected", lambda v: v or None),
    "since": ("since", lambda v: int(v) if str(v).isdigit() else None),
    "lock": ("classes_from", lambda v: int(v) if str(v).isdigit() else None),
    "indicator": ("indicator", lambda v: v or None),
    "base": ("base_year", lambda v: int(v) if str(v).isdigit() else None),
    "compare": ("compare", lambda v: v if v in COMPARE_MODES else None),
    "change": ("change", lambda v: v if v in ("absolute", "percent") else None),
    "measure2": ("second_measure", lambda v: v if v in MEASURES else None),
    "div": ("diverging", lambda v: v if v in DIVERGING else None),
}
LISTS = {"dept", "program", "fund", "breaks"}


def view_from_params(params: Mapping[str, Any]) -> SpendingView:
    """Parse URL parameters into a view, ignoring anything malformed."""
    changes = {}
    for name, (field, parse) in URL_FIELDS.items():
        raw = params.get_all(name) if hasattr(params, "get_all") and name in LISTS else params.get(name)
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
    """The URL parameters that differ from the defaults."""
    default = SpendingView()
    out: dict[str, Any] = {}
    for name, (field, _) in URL_FIELDS.items():
        value = getattr(view, field)
        if value == getattr(default, field) or value in (None, ()):
            continue
        out[name] = [str(v) for v in value] if name in LISTS else str(value)
    return out


def initial_view() -> SpendingView:
    """The view to start from: the URL's on a session's first run, else the last one shown.

    Streamlit forgets a page's widget values while another page is open, so the
    last view (a selection, not data) is what the widgets are seeded from.
    """
    if "url_view" not in st.session_state:
        st.session_state["url_view"] = view_from_params(st.query_params)
    return st.session_state["url_view"]


def publish(view: SpendingView, dataset_key: str) -> None:
    """Remember the current view and rewrite the URL to carry it."""
    st.session_state["url_view"] = view
    wanted = {"dataset": dataset_key, **params_from_view(view)}
    current = {k: st.query_params.get_all(k) if k in LISTS else st.query_params.get(k)
               for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
