"""Targets: districts against the goal of a performance indicator."""
import streamlit as st

from budgetmap import fmt
from ui import citywide, clusters, data, indicator_filters, layout, mapview, state, story
from ui.text import md

entry, dataset, start = layout.open_page("Targets")
view = indicator_filters.pick_indicator(dataset, start)
if view is None:
    st.title("Targets")
    if not citywide.section(dataset):
        st.info("This dataset has no indicators by district. Add an [indicators] table to its manifest "
                "(see docs/architecture.md) to map results against goals.")
    state.publish(start, entry.key)
    st.stop()
view = clusters.flag_choices(view, smoothing=False)
spec = data.map_spec("target", entry.path, view)
state.publish(view, entry.key)

layout.header(spec, dataset)
city = spec.meta
cols = st.columns(3)
cols[0].metric(md(dataset.citywide_label), city["city_text"], help="District values rolled up by the indicator's rule.")
cols[1].metric("Goal", city["goal_text"])
cols[2].metric("Districts meeting the goal", fmt.of(city['meeting'], city['with_data']))
layout.map_block(spec, entry, view, "target")
st.caption(md(city["rollup_note"]))
if spec.selected:
    story.show(dataset, spec.selected, view, view.fiscal_year)
st.subheader("The numbers behind the map")
mapview.figures_table(spec)
citywide.section(dataset)
