"""District story: one district's money and results over the years."""
import streamlit as st

from budgetmap.spending_map import resolve_year, subtitle
from ui import data, layout, mapview, sidebar, state, story
from ui.text import md

entry, dataset, start = layout.open_page("District story")
view = sidebar.spending_filters(dataset, start, span=False)
spec = data.spending_spec(entry.path, view)
state.publish(view, entry.key)

st.title("District story")
st.caption(md(f"Money shown with the filters in the sidebar: {subtitle(dataset, view, resolve_year(dataset, view))}."))
pick_col, map_col = st.columns([1, 2], gap="medium")
with pick_col:
    mapview.district_picker(spec)
    mapview.selected_panel(spec)
with map_col:
    mapview.district_map(spec, data.geometry(entry.path, spec.layer), key="story_map", height=360)
    mapview.summary(spec)
    layout.tools(spec, entry, view, "story")
if spec.selected:
    story.show(dataset, spec.selected, view, resolve_year(dataset, view))
