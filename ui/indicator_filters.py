"""Sidebar widgets for the indicator pages: indicator, year, locked classes, palette."""
from __future__ import annotations

import streamlit as st

from budgetmap.diverging import DIVERGING
from budgetmap.target_map import resolve_indicator, resolve_indicator_year
from budgetmap.targets import indicator_layers, indicator_years, mapped_indicators, meta_for
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from ui.sidebar import layer_picker
from ui.state import seed


def pick_indicator(dataset: Dataset, start: SpendingView, *, lock: bool = True,
                   palette: bool = True) -> SpendingView | None:
    """Indicator and year widgets (plus class lock and palette); None when there is no indicator."""
    key = resolve_indicator(dataset, start)
    if key is None:
        return None
    with st.sidebar:
        layer = layer_picker(dataset, start, indicator_layers(dataset),
                             help="Which set of districts the indicators are mapped on.")
        keys = mapped_indicators(dataset, layer)
        key = resolve_indicator(dataset, start.with_(layer=layer))
        seed("t_indicator", key)
        if st.session_state.get("t_indicator") not in keys:
            st.session_state["t_indicator"] = key
        key = st.selectbox("Indicator", keys, key="t_indicator",
                           format_func=lambda k: meta_for(dataset, k).label)
        years = indicator_years(dataset, key, layer)
        year = resolve_indicator_year(dataset, key, start.fiscal_year, layer)
        if st.session_state.get("t_year") not in years:
            st.session_state["t_year"] = year
        if len(years) > 1:
            year = st.select_slider("Fiscal year", years, key="t_year", format_func=lambda y: f"FY{y}")
        else:
            st.caption(f"Fiscal year: FY{year} (the only year with data)")
        classes_from = _lock(years, start) if lock and len(years) > 1 else None
        chosen = start.diverging
        if palette:
            seed("t_diverging", start.diverging)
            chosen = st.selectbox("Palette (colour-blind safe)", list(DIVERGING), key="t_diverging",
                                  format_func=lambda k: DIVERGING[k][0])
    return start.with_(indicator=key, fiscal_year=year, layer=layer, classes_from=classes_from, diverging=chosen,
                       selected=st.session_state.get("selected", start.selected))


def _lock(years: list[int], start: SpendingView) -> int | None:
    """'Lock classes to a year': keeps colours comparable while the year slider moves."""
    seed("t_lock", start.classes_from is not None)
    if not st.toggle("Lock classes to one year", key="t_lock",
                     help="Keep the class breaks of one year while you move the year slider. "
                          "Districts outside them are flagged."):
        return None
    first = start.classes_from if start.classes_from in years else years[0]
    if st.session_state.get("t_lock_year") not in years:
        st.session_state["t_lock_year"] = first
    return st.selectbox("Classes from", years, key="t_lock_year", format_func=lambda y: f"FY{y}")
