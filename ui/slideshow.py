"""The Hearing page's pieces: one slide (title card, map, large legend), stepping, the list file."""
from __future__ import annotations

import re

import streamlit as st

from budgetmap.fields import Reading, against
from budgetmap.hearing import (MAX_BYTES, MAX_SLIDES, SLIDE_KINDS, HearingListError, Slide, from_json, to_json,
                               two_years)
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
    """Title card, then the map (or two years' maps) with one legend in large type; a slide that
    cannot be drawn as prepared says why (the others still show)."""
    entry = next((e for e in data.catalogue() if e.key == item.dataset), None)
    if entry is None:
        st.error(f"Slide {number}: its dataset {md(item.dataset)} is not available here.")
        return
    if entry.error:
        st.error(f"Slide {number}: its dataset cannot be opened: {md(entry.error)}")
        return
    kind = SLIDE_KINDS[item.kind]
    try:
        dataset = data.load(entry.path)
        reading = against(dataset, Reading(hearing.projector_view(item.view)), kind.map_kind, every=True)
        if reading.problems:
            st.error(f"Slide {number} cannot be shown as prepared: {md(reading.problems[0].text())}")
            return
        if kind.maps == 2:
            specs = [data.spending_spec(entry.path, v) for v in two_years(dataset, reading.view)]
        else:
            specs = [data.map_spec(item.kind, entry.path, reading.view)]
    except Exception as exc:  # noqa: BLE001 - one slide's failure must not end the hearing
        st.error(f"Slide {number}: {md(errors.message(exc, entry.path, loading=True))}")
        return
    if any(spec is None for spec in specs):
        st.warning("This dataset cannot draw this slide's map.")
        return
    last = specs[-1]
    subtitle = last.subtitle if len(specs) == 1 else "Both years on the same classes: one legend reads both maps"
    st.markdown(f'<div class="bm-card bm-slide-head"><h1>{html(item.title or last.title)}</h1>'
                f'<p>{html(subtitle)}</p></div>', unsafe_allow_html=True)
    *map_cols, legend_col = st.columns([5, 3] if len(specs) == 1 else [4, 4, 3], gap="small")
    for i, (column, spec) in enumerate(zip(map_cols, specs)):
        with column:
            if len(specs) > 1:
                st.markdown(f'<p class="bm-map-title">{html(spec.subtitle.split(" · ")[0])}</p>',
                            unsafe_allow_html=True)
            geometry = data.geometry(entry.path, spec.layer)
            mapview.district_map(spec, geometry, key=f"slide_map_{item.dataset}_{i}",
                                 height=hearing.MAP_PX[len(specs)],
                                 outline_weight=geometry.outline_weight * hearing.OUTLINE_SCALE)
    with legend_col:
        hearing.legend(specs)
    st.markdown(f'<p class="bm-summary">{" ".join(html(describe(spec)) for spec in specs)}</p>',
                unsafe_allow_html=True)


def list_tools(slides: list[Slide], ready_made: bool) -> None:
    """Save the list to a file, load one, or start again (below the slide, off the projector's view)."""
    st.toggle("High-contrast colours (for a washed-out projector)", key=hearing.CONTRAST,
              help="Every money map of the list in the high-contrast palette: neighbouring classes differ "
                   "most in lightness, which a projector keeps when it loses colour.")
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
    st.page_link("app_pages/1_Spending_map.py", label="Leave the hearing: back to the spending map")
