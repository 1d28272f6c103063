"""A session's first screen: the map first, the rest of the page once it has painted.

On a first visit most of the time to the map is the browser building Streamlit's page:
every widget and table is React work on the one main thread, and the map's frame waits
behind all of it. Without the sidebar filters, the figures table and the side panel, the
demo's spending map painted 1.2 s sooner (bench/README.md, bench_first_screen.py). So the
session's first run of a map page draws the title, the map and its legend; the map
reports its first paint (``report_paint``), and the rerun that report starts draws the
whole page around it (as does any other rerun: a widget touched meanwhile). The map is
not redrawn: the view and its arguments are the same.

Only the session's first run does this: later pages are drawn whole, since the browser
has Streamlit's code by then. Clients that run no JavaScript, so never report a paint
(Streamlit's AppTest, scripted load tests), set ``BUDGETMAP_FIRST_PAINT=whole`` and get
whole pages from the start.
"""
from __future__ import annotations

import os

import streamlit as st

ENV = "BUDGETMAP_FIRST_PAINT"
_SEEN = "_bm_session_ran"  # set by the session's first run
_FIRST = "_bm_first_run"  # whether the current run is the session's first


def begin() -> None:
    """At the start of every run (the router): note whether this is the session's first."""
    st.session_state[_FIRST] = _SEEN not in st.session_state
    st.session_state[_SEEN] = True


def map_first() -> bool:
    """True when this run should draw only the map and what reads it: the session's first run
    (see the module's text). The map's report of its paint is a new value, so a rerun: whole."""
    return bool(st.session_state.get(_FIRST)) and os.environ.get(ENV, "").strip().lower() != "whole"
