"""Money against results: does spending per resident follow the gap to the goal?"""
import streamlit as st

from ui import data, indicator_filters, layout, mapview, money_results, state

entry, dataset, start = layout.open_page("Money vs results")
view = indicator_filters.pick_indicator(dataset, start, lock=False, palette=False)
view = view.with_(scatter_axis=None) if view is not None else None   # the map does not depend on it
spec = data.map_spec("bivariate", entry.path, view) if view is not None else None
if spec is None:
    st.title("Money against results")
    st.info("Money against results needs three things by district: spending located in districts, "
            "population, and an indicator with a goal. This dataset lacks at least one of them "
            "(its load report says which).")
    state.publish(start, entry.key)
    st.stop()
pairing = data.pairing(entry.path, view)
shown = money_results.axis_choice(view.with_(scatter_axis=start.scatter_axis), pairing)
shown = money_results.control_choice(dataset, shown.with_(control=start.control))
state.publish(shown, entry.key)

layout.header(spec, dataset)
map_col, chart_col = st.columns(2, gap="medium")
with map_col:
    mapview.district_map(spec, data.geometry(entry.path, spec.layer), key="bivariate_map", height=480)
    mapview.summary(spec)
    money_results.grid_legend(spec)
with chart_col:
    money_results.scatter(spec, pairing, dataset.currency, spec_axis=shown.scatter_axis)
    mapview.district_picker(spec)
    mapview.selected_panel(spec)
    layout.story_link(spec)
    layout.tools(spec, entry, shown, "bivariate")
money_results.regression(data.money(entry.path, view.with_(control=shown.control)), dataset, spec)
money_results.reading(pairing, dataset.currency)
st.subheader("The numbers behind the map")
mapview.figures_table(spec)
