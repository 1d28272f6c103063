"""Sidebar widgets of the compare page: mode, earlier year, kind of change, second measure."""
from __future__ import annotations

import streamlit as st

from budgetmap.compare import COMPARE_MODES, base_year
from budgetmap.diverging import DIVERGING
from budgetmap.measures import MEASURES, available
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from ui.state import seed


def compare_filters(dataset: Dataset, view: SpendingView) -> SpendingView:
    """Add the comparison choices to a spending view."""
    with st.sidebar:
        st.subheader("Compare")
        seed("c_mode", view.compare)
        mode = st.radio("Show", list(COMPARE_MODES), key="c_mode", format_func=COMPARE_MODES.get)
        if mode == "side_measures":
            measures = [m.key for m in available(dataset.layer(view.layer).districts["population"].notna().any())]
            if st.session_state.get("c_measure2") not in measures:
                st.session_state["c_measure2"] = view.second_measure if view.second_measure in measures else "total"
            second = st.selectbox("Right-hand measure", measures, key="c_measure2",
                                  format_func=lambda k: MEASURES[k].label)
            return view.with_(compare=mode, second_measure=second)
        earlier = [y for y in dataset.fiscal_years if view.fiscal_year is None or y < view.fiscal_year]
        if not earlier:
            st.caption("Pick a later fiscal year above: there is no earlier year to compare with.")
            return view.with_(compare=mode, base_year=None)
        if st.session_state.get("c_base") not in earlier:
            st.session_state["c_base"] = base_year(dataset, view) or earlier[0]
        base = st.selectbox("Compare with", earlier, key="c_base", format_func=lambda y: f"FY{y}")
        change = view.change
        if mode == "change":
            seed("c_change", view.change)
            change = st.radio("Change as", ["absolute", "percent"], key="c_change", horizontal=True,
                              format_func=str.capitalize)
            seed("c_div", view.diverging)
            palette = st.selectbox("Change palette", list(DIVERGING), key="c_div",
                                   format_func=lambda k: DIVERGING[k][0])
            view = view.with_(diverging=palette)
    return view.with_(compare=mode, base_year=base, change=change)
