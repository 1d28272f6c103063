"""Monitoring: projects behind their spending plan at an as-of period, on a map and in a watch list."""
import streamlit as st

from ui import data, layout, monitoring, reviews, share, state
from budgetmap import monitor, watch_period
from budgetmap.render.furniture import context_for

entry, dataset, start = layout.open_page("Monitoring")
if not monitor.monitored_periods(dataset):
    st.title("Monitoring")
    st.info("This dataset has no plan period to monitor. Add a [plans] table to its manifest "
            "(docs/architecture.md, Early warning) to set projects' spending against their plans.")
    state.publish(start, entry.key)
    st.stop()
view = monitoring.filters(dataset, start)
spec = data.map_spec("warning", entry.path, view)
state.publish(view, entry.key)
found = monitor.watch(dataset, watch_period.resolve(dataset, view), view.departments, view.severities)

layout.header(spec, dataset)
monitoring.tolerance_caption(found)
layout.map_block(spec, entry, view, "warning")
st.subheader(f"Watch list at {found.period.name}")
said = reviews.opinions(entry.key)
monitoring.watch_list(found, entry.key, view, said)
monitoring.downloads(found, said, spec, dataset.layer(spec.layer).districts, share.link("warning", entry.key, view),
                     context_for(dataset, spec.layer))
reviews.panels(dataset, entry.key, found, said)
monitoring.flags(found)
monitoring.notices(found)
