"""Spending map: where the money goes, per district, with the numbers behind it."""
import streamlit as st

from ui import clusters, data, first_paint, layout, mapview, sidebar, state

entry, dataset, start = layout.open_page("Spending map")
first = first_paint.map_first()  # a session's first screen: the map and its legend, then the rest
view = clusters.settled(start) if first else clusters.flag_choices(sidebar.spending_filters(dataset, start))
spec = data.spending_spec(entry.path, view)
if not first:
    state.publish(view, entry.key)

layout.header(spec, dataset, empty="This dataset has boundaries but no spending table: every district "
              "shows as no data." if not dataset.has_spending else "")
layout.map_block(spec, entry, view, "spending", first_screen=first)
if not first:
    mapview.reconciliation(spec)
    st.subheader("The numbers behind the map")
    mapview.figures_table(spec)
