"""Compare: one year against another, or two measures, side by side or as a change map."""
import streamlit as st

from budgetmap.compare import side_by_side
from ui import compare_filters, data, downloads, layout, mapview, share, sidebar, state
from ui.text import md

entry, dataset, start = layout.open_page("Compare years")
view = compare_filters.compare_filters(dataset, sidebar.spending_filters(dataset, start, span=False))
state.publish(view, entry.key)

if view.compare == "change":
    spec = data.map_spec("change", entry.path, view)
    if spec is None:
        st.title("Compare years")
        st.info("This dataset has a single fiscal year (or none): there is nothing to compare yet.")
        st.stop()
    layout.header(spec, dataset)
    layout.map_block(spec, entry, view, "change")
    st.subheader("The numbers behind the map")
    mapview.figures_table(spec)
    st.stop()

left_view, right_view = side_by_side(dataset, view)
left, right = data.spending_spec(entry.path, left_view), data.spending_spec(entry.path, right_view)
st.title(md(f"{left.measure_label} and {right.measure_label}" if view.compare == "side_measures"
            else f"{left.measure_label}: {left.subtitle.split(' · ')[0]} and {right.subtitle.split(' · ')[0]}"))
st.caption("Both years use the earlier year's class breaks, so a colour means the same amount on both maps."
           if view.compare == "side_years" else "Each map has its own classes: the measures differ in units.")
link = share.link("change", entry.key, view)
columns = st.columns(2, gap="medium")
for column, spec, side, key in ((columns[0], left, left_view, "map_left"), (columns[1], right, right_view, "map_right")):
    with column:
        st.markdown(f"**{md(spec.title)}**  \n{md(spec.subtitle)}")
        mapview.district_map(spec, data.geometry(entry.path, spec.layer), key=key, height=440)
        mapview.summary(spec)
        mapview.legend(spec)
        mapview.notes(spec)
        downloads.menu(spec, dataset, side, link, key=f"dl_{key}")
mapview.district_picker(left)
mapview.selected_panel(right)
layout.story_link(right)
share.link_box("change", entry.key, view)
