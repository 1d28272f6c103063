"""The citywide measures table (budgetmap.citywide) under the target map."""
from __future__ import annotations

import streamlit as st

from budgetmap.citywide import citywide_table, latest_reported
from budgetmap.model import Dataset

SHOWN = ["Measure", "Department", "Fiscal year", "Value", "Goal", "Gap", "Meets goal"]


def section(dataset: Dataset) -> bool:
    """Citywide-only measures against their goals; False when the dataset has none."""
    table = citywide_table(dataset)
    if table.empty:
        return False
    st.subheader("Citywide measures against their goals")
    latest = latest_reported(table)
    met = (latest["Meets goal"] == "yes").sum()
    judged = (latest["Meets goal"] != "—").sum()
    st.caption(f"{len(latest)} measures reported for the whole city; in its latest year with a goal, "
               f"{met} of {judged} meet it. Estimates stand in where no actual was reported yet.")
    st.dataframe(latest[SHOWN], hide_index=True, width="stretch")
    with st.expander("Every year"):
        st.dataframe(table[SHOWN], hide_index=True, width="stretch")
    return True
