"""Selections in the URL and in session state (selections only, never data).

On a session's first run the widgets are seeded from the URL; after each run the
URL is rewritten from the widgets, so a copied address reopens the same view.
"""
from __future__ import annotations

import streamlit as st

from budgetmap.fields import against
from budgetmap.model import Dataset
from budgetmap.permalink import LISTS, URL_FIELDS, params_from_view, read_params  # noqa: F401 (re-exported)
from budgetmap.view import SpendingView
from ui.text import md

MAX_NOTES = 3  # a hostile address may hold dozens of bad values; the first few say enough


def seed(key: str, value: object) -> None:
    """Give a widget its first value (from the URL or the last view) without overriding a choice."""
    if key not in st.session_state:
        st.session_state[key] = value


def initial_view(dataset: Dataset) -> SpendingView:
    """The view to start from: the URL's on a session's first run, else the last one shown.

    The URL's values are checked against the dataset (budgetmap.fields): anything
    malformed or absent from the data falls back to the default, with a note.
    Streamlit forgets a page's widget values while another page is open, so the
    last view (a selection, not data) is what the widgets are seeded from.
    """
    if "url_view" not in st.session_state:
        reading = against(dataset, read_params(st.query_params))
        st.session_state["url_view"] = reading.view
        for problem in reading.problems[:MAX_NOTES]:
            st.toast(f"Not used from the address: {md(problem.text())}")
        if len(reading.problems) > MAX_NOTES:
            st.toast(f"… and {len(reading.problems) - MAX_NOTES} more settings from the address were not used.")
    return st.session_state["url_view"]


def publish(view: SpendingView, dataset_key: str) -> None:
    """Remember the current view and rewrite the URL to carry it."""
    st.session_state["url_view"] = view
    wanted = {"dataset": dataset_key, **params_from_view(view)}
    if st.session_state.get("hearing"):
        wanted["hearing"] = "1"
    current = {k: st.query_params.get_all(k) if k in LISTS else st.query_params.get(k)
               for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
