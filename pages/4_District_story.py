"""District story: one district's money and results over the years."""
import streamlit as st

from budgetmap.spending_map import resolve_year, subtitle
from ui import data, layout, mapview, sidebar, state, story
from ui.text import md

st.set_page_config(page_title="District story · budgetmap", layout="wide")
picked = sidebar.pick_dataset()
if picked is None:
    st.stop()
entry, dataset = picked
start = layout.start_view()
view = start.with_(selected=st.session_state.get("selected"))
spec = data.spending_spec(entry.path, view)
state.publish(view, entry.key)

st.title("District story")
st.caption(md(f"Money shown with the spending map's filters: {subtitle(dataset, view, resolve_year(dataset, view))}."))
pick_col, map_col = st.columns([1, 2], gap="medium")
with pick_col:
    mapview.district_picker(spec)
    mapview.selected_panel(spec)
with map_col:
    mapview.district_map(spec, data.geometry(entry.path), key="story_map", height=360)
if spec.selected:
    story.show(dataset, spec.selected, view, resolve_year(dataset, view))
