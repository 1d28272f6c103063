"""The layout every map page shares: map beside its legend, district list and selection."""
from __future__ import annotations

import streamlit as st

from budgetmap.mapspec import MapSpec
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from ui import data, downloads, hearing, mapview, share, sidebar, state
from ui.text import md

STORY_PAGE = "app_pages/4_District_story.py"


def open_page(title: str) -> tuple[data.Entry, Dataset, SpendingView]:
    """Every map page's start: page config, the dataset picker (stops the page if it cannot
    load) and the view to start from."""
    entry, dataset = open_dataset(title)
    return entry, dataset, start_view(dataset)


def open_dataset(title: str) -> tuple[data.Entry, Dataset]:
    """Page config and the dataset picker, without reading a view from the address: the home
    page leaves the address's view to the first map page opened (which says what it did not use)."""
    st.set_page_config(page_title=f"{title} · budgetmap", layout="wide")
    picked = sidebar.pick_dataset()
    if picked is None:
        st.stop()
    return picked


def start_view(dataset: Dataset) -> SpendingView:
    """The view the page starts from, with the shared district selection seeded from it."""
    start = state.initial_view(dataset)
    state.seed("selected", start.selected)
    return start


def map_block(spec: MapSpec, entry: data.Entry, view: SpendingView, kind: str,
              key: str = "district_map", height: int = 560, first_screen: bool = False) -> None:
    """Map (3/4) with its written summary, and a side panel (1/4): legend, district list,
    the selection, a story link and the view's permalink. ``first_screen``: the map and its
    legend only, in the same places, until the map has painted (ui/first_paint.py)."""
    map_col, side_col = st.columns([3, 1], gap="medium")
    with map_col:
        mapview.district_map(spec, data.geometry(entry.path, spec.layer), key=key, height=height,
                             report_paint=first_screen)
        if not first_screen:
            mapview.summary(spec)
    with side_col:
        mapview.legend(spec)
        if first_screen:
            return
        st.divider()
        mapview.district_picker(spec)
        mapview.selected_panel(spec)
        story_link(spec)
        if not hearing.is_on():
            st.divider()
            tools(spec, entry, view, kind)


def tools(spec: MapSpec, entry: data.Entry, view: SpendingView, kind: str, key: str = "") -> None:
    """Permalink, downloads and 'add to the hearing list' for one map."""
    link = share.link_box(kind, entry.key, view)
    downloads.menu(spec, data.load(entry.path), view, link, key=f"dl_{kind}{key}")
    hearing.add_button("spending" if kind == "story" else kind, entry.key, view, spec.title)


def story_link(spec: MapSpec) -> None:
    feature = spec.feature(spec.selected) if spec.selected else None
    if feature is not None:
        st.page_link(STORY_PAGE, label=f"Open the story of {md(feature.name)}", icon=":material/menu_book:")


def header(spec: MapSpec, dataset: Dataset, empty: str = "") -> None:
    """Title, subtitle and the notes a reader needs, in an always-present container
    (notes that come and go must not remount the map below them)."""
    st.title(md(spec.title))
    st.caption(md(spec.subtitle))
    with st.container():
        if empty:
            st.info(md(empty))
        mapview.notes(spec)
