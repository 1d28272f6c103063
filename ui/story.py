"""Draw a district's story (budgetmap.story): headline, money, results, rank."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetmap.story import headline, indicator_history, per_resident_vs_city, spending_by_department
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from ui.text import md


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
            st.dataframe(per_head.round(2), width="stretch")
        else:
            st.caption("No population is known for this district, so there is no per-resident figure.")


def _results(history: pd.DataFrame) -> None:
    st.subheader("Results against goals")
    if history.empty:
        st.caption("This dataset has no indicators for this district.")
        return
    latest = history.sort_values("Fiscal year").groupby("indicator").tail(1)
    st.dataframe(latest[["Indicator", "Fiscal year", "Value", "Goal", "Gap", "Meets goal", "Rank"]],
                 hide_index=True, width="stretch")
    labels = dict(zip(history["indicator"], history["Indicator"]))
    key = st.selectbox("Trend of", list(labels), format_func=labels.get, key="story_indicator")
    trend = history[history["indicator"] == key].set_index("Fiscal year")[["value", "target"]]
    st.line_chart(trend.rename(columns={"value": "This district", "target": "Goal"}), x_label="Fiscal year")
