"""Hot spots and clusters of the spending measure or the indicator shown: LISA, Gi*, outliers."""
import streamlit as st

from ui import clusters, data, layout, mapview, state

entry, dataset, start = layout.open_page("Clusters")
view = clusters.subject(dataset, start)
if view is None:
    st.title("Hot spots and clusters")
    st.info("This dataset has no indicators by district: choose spending in the sidebar.")
    state.publish(start, entry.key)
    st.stop()
view = clusters.choices(view)
with st.spinner("Computing the statistics…"):
    spec = data.map_spec("cluster", entry.path, view)
state.publish(view, entry.key)
if spec is None:
    st.title("Hot spots and clusters")
    st.info("There are no district values to test for this choice.")
    st.stop()

layout.header(spec, dataset)
clusters.moran(spec)
layout.map_block(spec, entry, view, "cluster")
st.subheader("The statistics by district")
clusters.table(spec)
