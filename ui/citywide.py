"""The citywide measures table (budgetmap.citywide) under the target map."""
from __future__ import annotations

import streamlit as st

from budgetmap import fmt
from budgetmap.citywide import citywide_table, latest_reported
from budgetmap.model import Dataset
from ui.text import md
from ui import grid

SHOWN = ["Measure", "Department", "Fiscal year", "Value", "Goal", "Gap", "Meets goal"]


def section(dataset: Dataset) -> bool:
    """Citywide-only measures against their goals; False when the dataset has none."""
    table = citywide_table(dataset)
    if table.empty:
        return False
    st.subheader(md(f"{dataset.citywide_label} measures against their goals"))
    latest = latest_reported(table)
    met = (latest["Meets goal"] == "yes").sum()
    judged = (latest["Meets goal"] != "—").sum()
    st.caption(f"{fmt.plural(len(latest), 'measure')} reported for the whole place; in its latest year with a "
               f"goal, {fmt.of(met, judged)} meet it. Estimates stand in where no actual was reported yet.")
    grid.show(latest[SHOWN], hide_index=True, width="stretch")
    with st.expander("Every year"):
        grid.show(table[SHOWN], hide_index=True, width="stretch")
    return True
