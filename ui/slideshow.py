"""The Hearing page's pieces: one slide (title card, map, large legend), stepping, the list file."""
from __future__ import annotations

import re

import streamlit as st

from budgetmap.fields import Reading, against
from budgetmap.hearing import MAX_BYTES, MAX_SLIDES, HearingListError, Slide, from_json, to_json
from budgetmap.summary import describe
from ui import data, errors, hearing, mapview
from ui.text import html, md

STEP = "slide"


def current(count: int) -> int:
    """The slide shown (0-based), seeded from ?slide= (1-based) and kept in range."""
    if STEP not in st.session_state:
        raw = st.query_params.get(STEP, "1")
        st.session_state[STEP] = int(raw) - 1 if re.fullmatch(r"[0-9]{1,4}", str(raw)) else 0
    st.session_state[STEP] = min(max(st.session_state[STEP], 0), max(count - 1, 0))
    return st.session_state[STEP]


def stepper(index: int, count: int) -> None:
    """Previous / next buttons, also on Page Up / Page Down (what presentation clickers send)."""
    back, where, forward = st.columns([1, 2, 1])
    if back.button("◀ Previous", shortcut="PageUp", disabled=index == 0, key="slide_prev"):
        st.session_state[STEP] = index - 1
        st.rerun()
    where.markdown(f'<p class="bm-step" style="text-align:center">Slide {index + 1} of {count} · '
                   'Page Down for the next, Page Up for the previous</p>', unsafe_allow_html=True)
    if forward.button("Next ▶", shortcut="PageDown", disabled=index >= count - 1, key="slide_next"):
        st.session_state[STEP] = index + 1
        st.rerun()


def show(item: Slide, number: int = 1) -> None:
    """Title card, then the map with its legend in large type; a slide that cannot be drawn
    as prepared says why (the others still show)."""
    entry = next((e for e in data.catalogue() if e.key == item.dataset), None)
    if entry is None:
        st.error(f"Slide {number}: its dataset {md(item.dataset)} is not available here.")
        return
    if entry.error:
        st.error(f"Slide {number}: its dataset cannot be opened: {md(entry.error)}")
        return
    try:
        reading = against(data.load(entry.path), Reading(item.view), item.kind, every=True)
        if reading.problems:
            st.error(f"Slide {number} cannot be shown as prepared: {md(reading.problems[0].text())}")
            return
        spec = data.map_spec(item.kind, entry.path, reading.view)
    except Exception as exc:  # noqa: BLE001 - one slide's failure must not end the hearing
        st.error(f"Slide {number}: {md(errors.message(exc, entry.path, loading=True))}")
        return
    if spec is None:
        st.warning("This dataset cannot draw this slide's map.")
        return
    st.markdown(f'<div class="bm-card"><h1>{html(item.title or spec.title)}</h1>'
                f'<p>{html(spec.subtitle)}</p></div>', unsafe_allow_html=True)
    map_col, legend_col = st.columns([5, 3], gap="medium")
    with map_col:
        mapview.district_map(spec, data.geometry(entry.path, spec.layer), key=f"slide_map_{item.dataset}", height=400)
    with legend_col:
        mapview.legend(spec)
    st.markdown(f'<p class="bm-summary">{html(describe(spec))}</p>', unsafe_allow_html=True)


def list_tools(slides: list[Slide], ready_made: bool) -> None:
    """Save the list to a file, load one, or start again (below the slide, off the projector's view)."""
    with st.expander("The hearing list: save, load, clear"):
        if ready_made:
            st.caption("A ready-made list for this dataset. Add your own views with “Add to the hearing "
                       "list” on any map page.")
        for number, item in enumerate(slides, start=1):
            st.markdown(f"{number}. {md(item.title or item.kind)} — {md(item.dataset)}")
        st.download_button("Save the list (JSON)", to_json(slides), file_name="hearing.json",
                           mime="application/json", key="hearing_save")
        upload = st.file_uploader("Load a list", type=["json"], key="hearing_load",
                                  max_upload_size=max(MAX_BYTES // 1024 // 1024, 1),
                                  help=f"A list saved from this page: at most {MAX_SLIDES} slides.")
        if upload is not None and st.session_state.get("hearing_loaded") != upload.file_id:
            try:
                if upload.size > MAX_BYTES:  # the browser checks too, but a client may skip it
                    raise HearingListError(f"the file is {upload.size / 1024 / 1024:.1f} MB; a hearing list "
                                           f"is at most {MAX_BYTES // 1024 // 1024} MB ({MAX_SLIDES} slides)")
                st.session_state[hearing.LIST] = from_json(upload.getvalue())
            except HearingListError as exc:
                st.error(f"{md(upload.name)}: {md(exc)}")
            else:
                st.session_state["hearing_loaded"] = upload.file_id
                st.session_state[STEP] = 0
                st.rerun()
        if st.button("Clear the list (use the ready-made one)", key="hearing_clear"):
            st.session_state[hearing.LIST] = []
            st.session_state[STEP] = 0
            st.rerun()
    st.page_link("pages/1_Spending_map.py", label="Leave the hearing: back to the spending map")
