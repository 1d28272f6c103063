"""Spending map: where the money goes, per district, with the numbers behind it."""
import streamlit as st

from ui import data, mapview, sidebar, state
from ui.text import md

st.set_page_config(page_title="Spending map · budgetmap", layout="wide")
picked = sidebar.pick_dataset()
if picked is None:
    st.stop()
entry, dataset = picked
start = state.initial_view()
if "selected" not in st.session_state:
    st.session_state["selected"] = start.selected
view = sidebar.spending_filters(dataset, start)
spec = data.spending_spec(entry.path, view)
state.publish(view, entry.key)

st.title(md(spec.title))
st.caption(md(spec.subtitle))
with st.container():  # always present, so notes that come and go never remount the map
    if dataset.spending.empty:
        st.info("This dataset has boundaries but no spending table: every district shows as no data.")
    mapview.notes(spec)
map_col, side_col = st.columns([3, 1], gap="medium")
with map_col:
    mapview.district_map(spec, data.geometry(entry.path))
with side_col:
    mapview.legend(spec)
    st.divider()
    mapview.district_picker(spec)
    mapview.selected_panel(spec)
mapview.reconciliation(spec)
st.subheader("The numbers behind the map")
mapview.figures_table(spec)
