"""The district map component and what sits around it: legend, selection, table.

The component is declared from budgetmap/render/frontend, whose Leaflet comes
from the npm registry at set-up and is served by this app: no CDN, no internet.
"""
from __future__ import annotations

import hashlib
import heapq
import math
import os
import unicodedata
from decimal import Decimal
from dataclasses import replace
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from budgetmap import exports, fmt
from budgetmap.export_rows import figures
from budgetmap.mapspec import MapSpec
from budgetmap.render import mapfiles
from budgetmap.render.leaflet import FRONTEND, LayerGeometry, component_args, text_file
from budgetmap.summary import describe
from ui.text import html, md
from ui import grid

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
                 height: int = 560, outline_weight: float | None = None, opens: str | None = None,
                 report_paint: bool = False) -> None:
    """Draw the map; a click on a district stores it as the selection and reruns, or, with
    ``opens`` (a page file), opens that page with the district selected (the home page's maps).
    ``report_paint``: the map reports its first paint, which draws the rest of a session's
    first screen (ui/first_paint.py).

    The shapes (and a big map's words) are static files the browser fetches (and keeps);
    the arguments carry only per-district arrays, so a repaint stays small at any size.
    """
    args = component_args(spec, geometry, files=f"../{_files.name}/", text_name=text_file(spec, geometry),
                          height=height, basemap=_basemap(), outline_weight=outline_weight)
    value = _component(key=key, default=None, report_paint=report_paint, **args)
    if not _new_click(value, key):
        return
    if opens is not None and value.get("selected"):
        st.session_state["selected"] = value.get("selected")
        st.switch_page(opens)
    if value.get("selected") != st.session_state.get("selected"):
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


def legend(spec: MapSpec, compact: bool = False) -> None:
    """Class ranges with counts, and the zero and no-data swatches, as escaped HTML; ``compact``
    (under a small map) runs the rows side by side and leaves out swatches no district has."""
    rows = []
    for entry in spec.legend:
        if compact and entry.kind != "class" and not entry.count:
            continue
        border = "1px solid #4d4d4d" if entry.kind != "class" else "1px solid #ffffff00"
        dash = ";border-style:dashed" if entry.kind == "no_data" else ""
        if entry.kind == "mark":  # an outline style, drawn as the map draws it (MARKS), never a colour
            border = f"3px {'dashed' if entry.pattern == 'outlier' else 'dotted'} #000000"
        hatch = f";background-image:{HATCH_CSS}" if entry.pattern == "hatch" else ""
        rows.append(
            f'<div class="bm-legend-row" role="listitem" data-kind="{html(entry.kind)}" '
            f'data-pattern="{html(entry.pattern)}" '
            f'style="display:flex;align-items:center;gap:.5em">'
            f'<span style="display:inline-block;width:1.4em;height:1em;background-color:{html(entry.fill)};'
            f'border:{border}{dash}{hatch}"></span><span>{html(entry.label)}</span>'
            f'<span style="color:#555">({entry.count})</span></div>')
    # the title sits outside the list: a role=list holds only its listitems (axe aria-required-children);
    # compact: no title (the small map's heading names the measure), the rows side by side
    title = f"<b>{html(spec.measure_label)}</b>" if not compact else ""
    style = ' style="display:flex;flex-wrap:wrap;gap:.15em 1.1em;font-size:.85em"' if compact else ""
    st.markdown(f'<div class="bm-legend">{title}'
                f'<div role="list" aria-label="Legend: {html(spec.measure_label)}"{style}>'
                + "".join(rows) + "</div></div>", unsafe_allow_html=True)


def selected_panel(spec: MapSpec) -> None:
    """The selected district's figures, or a hint to click one."""
    feature = spec.feature(spec.selected) if spec.selected else None
    if feature is None:
        st.info("Click a district on the map (or pick one below) to see its figures.")
        return
    st.markdown(f"### {md(feature.name)}")
    for label, value in feature.details:
        st.markdown(f"**{md(label)}:** {md(value)}")


#: Above this many districts the picker searches (PICK_MATCHES options) instead of listing all:
#: a selectbox of 10,000 names sends ~150 KB on every rerun and is unusable to scroll.
PICK_LIST_MAX = 300
PICK_MATCHES = 20
#: The figures table is drawn whole up to this many rows (cities have 4 to ~100 districts);
#: above it, the top and bottom FIGURES_EDGE rows, the whole table on demand and as CSV.
FIGURES_FULL_MAX = 100
FIGURES_EDGE = 10


def district_picker(spec: MapSpec) -> None:
    """A list alternative to clicking on the map (keyboard- and screen-reader-friendly);
    on a big map a search box comes first and the list holds its best matches."""
    names = {f.district_id: f.name for f in spec.features}
    current = spec.selected if spec.selected in names else None
    help_text = None
    if len(names) <= PICK_LIST_MAX:
        ids = [f.district_id for f in sorted(spec.features, key=lambda f: f.name)]
    else:
        query = st.text_input(f"Find a district (of {len(names):,}) by part of its name or ID",
                              key="pick_search", placeholder="name or ID")
        ids = best_matches(spec, query, PICK_MATCHES)
        if current is not None and current not in ids:
            ids = [current, *ids]
        help_text = (f"The best matches for “{query.strip()}”" if query.strip() else
                     "Type part of a district's name or ID above to list it here")
    options = [None, *ids]
    # keyed by the selection and the options, so a click on the map or a new search starts it afresh
    choice = st.selectbox("District", options, index=options.index(current), help=help_text,
                          format_func=lambda d: "—" if d is None else names[d],
                          key=f"pick_{current}" if help_text is None else f"pick_{current}_{_digest(ids)}")
    if choice != current:
        st.session_state["selected"] = choice
        st.rerun()


def _digest(ids: list[str]) -> str:
    return hashlib.blake2b("\0".join(ids).encode(), digest_size=6).hexdigest()


def best_matches(spec: MapSpec, query: str, limit: int) -> list[str]:
    """District ids whose name or id holds the query, best first: exact, then starting with
    it, then a word starting with it, then anywhere; ties by name. Case and accents aside."""
    needle = fold(query)
    if not needle:
        return []
    scored = []
    for f in spec.features:
        rank = min(_match_rank(fold(f.name), needle), _match_rank(fold(f.district_id), needle))
        if rank < NO_MATCH:
            scored.append((rank, f.name, f.district_id))
    return [district_id for _, _, district_id in heapq.nsmallest(limit, scored)]


def fold(text: str) -> str:
    """Lower case without accents, so "Mühlheim" is found by "muhl"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


NO_MATCH = 4


def _match_rank(text: str, needle: str) -> int:
    if text == needle:
        return 0
    if text.startswith(needle):
        return 1
    at = text.find(needle)
    if at < 0:
        return NO_MATCH
    return 2 if not text[at - 1].isalnum() else 3


def figures_table(spec: MapSpec) -> pd.DataFrame:
    """The numbers behind the map, one row per district, best rank first, as a plain HTML
    table (escaped; Streamlit's data grid is 1.4 MB of JavaScript the first screen would
    wait for). A big map shows its top and bottom rows, and the whole table on demand
    (a toggle: the grid, only then) or as a CSV file made when its button is pressed.
    Returns the rows shown."""
    if len(spec.features) <= FIGURES_FULL_MAX:
        frame = figures_frame(spec)
        st.markdown(figures_html(frame, f"The numbers behind the map: all {fmt.plural(len(frame), 'district')}"),
                    unsafe_allow_html=True)
        return frame
    count = len(spec.features)
    # only the rows shown are built on a rerun: figures() sorts stably by rank, and so does this
    order = sorted(spec.features, key=lambda f: (f.rank is None, f.rank or 0))
    edges = replace(spec, features=(*order[:FIGURES_EDGE], *order[-FIGURES_EDGE:]))
    shown = figures_frame(edges)
    st.markdown(figures_html(shown, f"The {FIGURES_EDGE} first and {FIGURES_EDGE} last of {count:,} "
                             "districts by rank", gap_after=FIGURES_EDGE), unsafe_allow_html=True)
    left, right = st.columns(2)
    everything = left.toggle(f"Show all {count:,} rows", key="figures_all")
    right.download_button(f"All {count:,} rows (CSV)", data=partial(figures_csv, spec),
                          file_name=exports.export_name(spec, "csv").replace(".csv", "-figures.csv"),
                          mime="text/csv", on_click="ignore", key="figures_csv", icon=":material/download:")
    if everything:
        shown = figures_frame(spec)
        grid.show(shown, hide_index=True, width="stretch")
    return shown


def figures_frame(spec: MapSpec) -> pd.DataFrame:
    """``export_rows.figures`` as a frame, the rank a whole number that may be missing."""
    frame = pd.DataFrame(figures(spec))
    frame["Rank"] = frame["Rank"].astype("Int64")
    return frame


def figures_html(frame: pd.DataFrame, caption: str, gap_after: int | None = None, row_header: str = "District") -> str:
    """An accessible table (caption, column headers, each row headed by its district), every
    cell escaped, numbers right-aligned; ``gap_after`` marks where rows are left out."""
    head = "".join(f'<th scope="col">{html(c)}</th>' for c in frame.columns)
    rows = []
    for i, record in enumerate(frame.itertuples(index=False)):
        if gap_after is not None and i == gap_after:
            rows.append(f'<tr class="bm-gap"><td colspan="{len(frame.columns)}">…</td></tr>')
        cells = []
        for column, value in zip(frame.columns, record):
            tag, end = ('th scope="row"', "th") if column == row_header else ("td", "td")
            align = ' style="text-align:right"' if _is_number(value) else ""
            cells.append(f"<{tag}{align}>{html(cell_text(value))}</{end}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="bm-figures"><caption>{html(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal, np.number)) and not isinstance(value, (bool, np.bool_))


def cell_text(value: object) -> str:
    """A cell as text: empty when missing, thousands separated, at most 4 decimals."""
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and not math.isfinite(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return fmt.count(value)
    if isinstance(value, (float, Decimal, np.floating)):
        return fmt.number(value, 4)
    return str(value)


def figures_csv(spec: MapSpec) -> bytes:
    """The whole figures table as CSV, text cells neutralised for spreadsheets."""
    frame = figures_frame(spec)
    safe = frame.apply(lambda column: column.map(exports.neutralise)
                       if column.dtype == object or pd.api.types.is_string_dtype(column) else column)
    return safe.to_csv(index=False).encode("utf-8-sig")


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
