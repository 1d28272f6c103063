"""The district map component and what sits around it: legend, selection, table.

The component is declared from budgetmap/render/frontend, whose Leaflet comes
from the npm registry at set-up and is served by this app: no CDN, no internet.
"""
from __future__ import annotations

import os

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from budgetmap.export_rows import figures
from budgetmap.mapspec import MapSpec
from budgetmap.render import mapfiles
from budgetmap.render.leaflet import FRONTEND, LayerGeometry, component_args, text_file
from budgetmap.summary import describe
from ui.text import html, md

_component = components.declare_component("budgetmap_map", path=str(FRONTEND))
# the map's static files (geometry bands, words): served by the app from the cache folder, gzipped
_files = components.declare_component("budgetmap_files", path=str(mapfiles.folder()))
HATCH_CSS = ("repeating-linear-gradient(45deg,rgba(26,26,26,.6) 0 2px,rgba(255,255,255,.7) 2px 4px,"
             "transparent 4px 7px)")  # as the map's pattern: dark and light lines
TILE_ENV = "BUDGETMAP_TILE_URL"  # e.g. a local tile server; no basemap unless set


def _basemap() -> dict[str, str] | None:
    url = os.environ.get(TILE_ENV)
    if not url or not st.sidebar.toggle("Basemap tiles", value=False, key="f_basemap"):
        return None
    return {"url": url, "attribution": os.environ.get("BUDGETMAP_TILE_ATTRIBUTION", "")}


def district_map(spec: MapSpec, geometry: LayerGeometry, key: str = "district_map",
                 height: int = 560) -> None:
    """Draw the map; a click on a district stores it as the selection and reruns.

    The shapes and the map's words are static files the browser fetches (and keeps);
    the arguments carry only per-district arrays, so a repaint stays small at any size.
    """
    args = component_args(spec, geometry, files=f"../{_files.name}/", text_name=text_file(spec, geometry),
                          height=height, basemap=_basemap())
    value = _component(key=key, default=None, **args)
    if _new_click(value, key) and value.get("selected") != st.session_state.get("selected"):
        st.session_state["selected"] = value.get("selected")
        st.rerun()


def _new_click(value: object, key: str) -> bool:
    """True once per click: the map reports a click counter per mounted instance (nonce)."""
    if not isinstance(value, dict) or not value.get("clicks"):
        return False
    seen = st.session_state.get(f"{key}_seen", (None, 0))
    current = (value.get("nonce"), int(value["clicks"]))
    if current[0] == seen[0] and current[1] <= seen[1]:
        return False
    st.session_state[f"{key}_seen"] = current
    return True


def legend(spec: MapSpec) -> None:
    """Class ranges with counts, and the zero and no-data swatches, as escaped HTML."""
    rows = []
    for entry in spec.legend:
        border = "1px solid #4d4d4d" if entry.kind != "class" else "1px solid #ffffff00"
        dash = ";border-style:dashed" if entry.kind == "no_data" else ""
        if entry.kind == "mark":  # an outline style, drawn as the map draws it (MARKS), never a colour
            border = f"3px {'dashed' if entry.pattern == 'outlier' else 'dotted'} #000000"
        hatch = f";background-image:{HATCH_CSS}" if entry.pattern == "hatch" else ""
        rows.append(
            f'<div class="bm-legend-row" data-kind="{html(entry.kind)}" data-pattern="{html(entry.pattern)}" '
            f'style="display:flex;align-items:center;gap:.5em">'
            f'<span style="display:inline-block;width:1.4em;height:1em;background-color:{html(entry.fill)};'
            f'border:{border}{dash}{hatch}"></span><span>{html(entry.label)}</span>'
            f'<span style="color:#555">({entry.count})</span></div>')
    st.markdown(f'<div class="bm-legend" role="list" aria-label="Legend"><b>{html(spec.measure_label)}</b>'
                + "".join(rows) + "</div>", unsafe_allow_html=True)


def selected_panel(spec: MapSpec) -> None:
    """The selected district's figures, or a hint to click one."""
    feature = spec.feature(spec.selected) if spec.selected else None
    if feature is None:
        st.info("Click a district on the map (or pick one below) to see its figures.")
        return
    st.markdown(f"### {md(feature.name)}")
    for label, value in feature.details:
        st.markdown(f"**{md(label)}:** {md(value)}")


def district_picker(spec: MapSpec) -> None:
    """A list alternative to clicking on the map (keyboard- and screen-reader-friendly)."""
    ids = [f.district_id for f in sorted(spec.features, key=lambda f: f.name)]
    names = {f.district_id: f.name for f in spec.features}
    current = spec.selected if spec.selected in names else None
    choice = st.selectbox("District", [None, *ids], index=([None, *ids].index(current)),
                          format_func=lambda d: "—" if d is None else names[d], key=f"pick_{current}")
    if choice != current:
        st.session_state["selected"] = choice
        st.rerun()


def figures_table(spec: MapSpec) -> pd.DataFrame:
    """The numbers behind the map, one row per district, best rank first."""
    frame = pd.DataFrame(figures(spec))
    frame["Rank"] = frame["Rank"].astype("Int64")
    st.dataframe(frame, hide_index=True, width="stretch")
    return frame


def summary(spec: MapSpec) -> None:
    """The map in words (budgetmap.summary), for screen readers and people who skim."""
    st.markdown(f'<p class="bm-summary" role="note">{html(describe(spec))}</p>', unsafe_allow_html=True)


def notes(spec: MapSpec) -> None:
    """What a reader must know to read the map right (illustrative data, denominators)."""
    for note in spec.notes:
        st.caption(md(note))


def reconciliation(spec: MapSpec) -> None:
    """Where every dollar of the filtered view went, to the cent."""
    st.markdown(f"**Reconciliation:** {md(spec.reconciliation_text)}")
