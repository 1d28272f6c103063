"""Draw a district's story (budgetmap.story): headline, money, results, rank."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetmap import fmt
from budgetmap.targets import indicator_layer, mapped_indicators, meta_for
from budgetmap.story import headline, indicator_history, per_resident_vs_city, spending_by_department
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from ui.text import md
from ui import grid


def show(dataset: Dataset, district: str, view: SpendingView, year: int | None) -> None:
    """The whole story of one district, under the filters of the current view."""
    labels = dataset.layer(view.layer).labels
    if district not in labels:
        st.info("Pick a district from the list or click one on a map to read its story.")
        return
    st.header(md(f"{labels[district]} — district story"))
    per_head = per_resident_vs_city(dataset, district, view)
    history = indicator_history(dataset, district, view.layer)
    st.markdown(md(headline(dataset, district, view, year, per_head, history).text) + ".")
    _money(dataset, district, view, per_head)
    _results(history)
    _peers(dataset, district, view, year)


def _money(dataset: Dataset, district: str, view: SpendingView, per_head: pd.DataFrame) -> None:
    if not dataset.fiscal_years:
        st.caption("This dataset has no spending by year.")
        return
    by_dept_col, per_head_col = st.columns(2, gap="large")
    with by_dept_col:
        st.subheader("Spending by department")
        by_dept = spending_by_department(dataset, district, view)
        if by_dept.empty or not by_dept.to_numpy().any():
            st.caption("No spending is located in this district.")
        else:
            st.bar_chart(by_dept, y_label=dataset.currency, x_label="Fiscal year", stack=True)
    with per_head_col:
        st.subheader("Per resident, against all districts")
        if per_head["This district"].notna().any():
            st.line_chart(per_head, y_label=f"{dataset.currency} per resident", x_label="Fiscal year")
            grid.show(per_head.round(2), width="stretch")
        else:
            st.caption("No population is known for this district, so there is no per-resident figure.")


def _results(history: pd.DataFrame) -> None:
    st.subheader("Results against goals")
    if history.empty:
        st.caption("This dataset has no indicators for this district.")
        return
    latest = history.sort_values("Fiscal year").groupby("indicator").tail(1)
    grid.show(latest[["Indicator", "Fiscal year", "Value", "Goal", "Gap", "Meets goal", "Rank"]],
              hide_index=True, width="stretch")
    labels = dict(zip(history["indicator"], history["Indicator"]))
    key = st.selectbox("Trend of", list(labels), format_func=labels.get, key="story_indicator")
    trend = history[history["indicator"] == key].set_index("Fiscal year")[["value", "target"]]
    st.line_chart(trend.rename(columns={"value": "This district", "target": "Goal"}), x_label="Fiscal year")


def _peers(dataset: Dataset, district: str, view: SpendingView, year: int | None) -> None:
    """The k districts most like this one on the indicators chosen (z-scores), with their values."""
    from budgetmap.stats.peers import DEFAULT_PEERS, indicator_table, peers

    layer = indicator_layer(dataset, view.layer)
    keys = mapped_indicators(dataset, layer)
    if not keys:
        return
    st.subheader("Peer districts")
    pick_col, k_col = st.columns([3, 1])
    chosen = pick_col.multiselect("Most alike on", keys, default=keys, key="story_peer_indicators",
                                  format_func=lambda k: meta_for(dataset, k).label)
    k = k_col.number_input("How many", 1, 20, DEFAULT_PEERS, key="story_peer_k")
    if not chosen:
        st.caption("Choose at least one indicator to find the districts most like this one.")
        return
    found = peers(dataset, district, chosen, year, int(k), layer)
    if not found.peers:
        st.caption("This district has no value for every chosen indicator, so it has no peers on them.")
        return
    table, years = indicator_table(dataset, chosen, year, layer)
    values = table.set_index("district_id")
    labels = {key: f"{meta_for(dataset, key).label} (FY{y})" for key, y in zip(chosen, years)}
    rows = [{"District": "This district: " + str(values.loc[district, "name"]), "Distance (sd)": 0.0,
             **{labels[c]: values.loc[district, c] for c in chosen}}]
    rows += [{"District": p.name, "Distance (sd)": round(p.distance, 2), **{labels[c]: values.loc[p.district_id, c]
                                                                           for c in chosen}} for p in found.peers]
    grid.show(pd.DataFrame(rows), hide_index=True, width="stretch")
    left = f" {fmt.count(len(found.left_out))} district(s) without a value for every chosen indicator are left out." \
        if found.left_out else ""
    st.caption(md("Nearest first: distance in standard deviations over the chosen indicators, each standardised "
                  "across the districts." + left))
