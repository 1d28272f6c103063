"""Hearing mode: projector styling, the switch and URL flag, and the hearing list in session.

The list in session state holds slides (selections: map kind, dataset key, URL
parameters), never data; each slide is rebuilt from the cached dataset when shown.
"""
from __future__ import annotations

import streamlit as st

from budgetmap.hearing import Slide, slide
from budgetmap.mapspec import MapSpec
from budgetmap.palettes import ink
from budgetmap.view import SpendingView
from ui.mapview import HATCH_CSS
from ui.text import html

FLAG = "hearing"
LIST = "hearing_slides"
CONTRAST = "hearing_contrast"  # the high-contrast palette for every slide (a selection, not data)
LEGEND_PX = 26  # legend and labels readable from the back of a room at 1280x720
#: Map heights (px) that keep the stepper, the title card and the whole map inside 1280x720, by maps per slide.
MAP_PX = {1: 500, 2: 460}
OUTLINE_SCALE = 2.5  # outlines this many times the browser's usual weight: a projector softens thin lines

#: Hides the sidebar and Streamlit's chrome; large, high-contrast type.
STYLE = f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{display: none !important;}}
.stApp, .stApp p, .stApp li, .stApp label, .stApp span {{color: #000 !important;}}
.stApp {{background: #fff !important;}}
.stApp p, .stApp li {{font-size: 22px;}}
.block-container {{padding-top: 1rem !important; max-width: 100% !important;}}
.bm-legend, .bm-legend span, .bm-legend b {{font-size: {LEGEND_PX}px !important; line-height: 1.3;}}
.bm-slide-head h1 {{font-size: 34px !important; padding: 0 0 .1em 0 !important; margin: 0 !important;}}
.bm-slide-head p {{font-size: 20px !important; margin: 0 0 .3em 0 !important;}}
.bm-map-title {{font-size: 24px !important; font-weight: 700; margin: 0 !important;}}
.bm-step {{margin: 0 !important;}}
.bm-swatch {{display: inline-block; font-size: {LEGEND_PX}px; min-width: 3.2em; padding: .05em .3em; text-align: center;
  border: 2px solid #000; font-weight: 700;}}
.bm-summary {{font-size: 24px !important;}}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{color: #111 !important; font-size: 22px;}}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{font-size: 44px !important; font-weight: 700;}}
</style>"""


def is_on() -> bool:
    return bool(st.session_state.get(FLAG))


def switch() -> bool:
    """The sidebar switch (seeded from ?hearing=1); returns whether hearing mode is on."""
    if FLAG in st.session_state:
        st.session_state[FLAG] = st.session_state[FLAG]  # keep the switch across pages
    else:
        st.session_state[FLAG] = st.query_params.get(FLAG) == "1"
    st.sidebar.toggle("Hearing mode (projector)", key=FLAG,
                      help="Hides the sidebar and menus and uses large, high-contrast type. Also ?hearing=1.")
    if is_on():
        apply_style()
        st.button("Exit hearing mode", shortcut="Esc", key="hearing_exit", on_click=_exit)
    return is_on()


def _exit() -> None:
    st.session_state[FLAG] = False  # in a callback: before the switch is drawn again


def apply_style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)


def slides() -> list[Slide]:
    return list(st.session_state.get(LIST, []))


def add_button(kind: str, dataset_key: str, view: SpendingView, title: str) -> None:
    """'Add to the hearing list': keeps this view (not its data) for the projector."""
    count = len(slides())
    if st.button(f"Add to the hearing list ({count})", key=f"hearing_add_{kind}",
                 help="Step through the list on the Hearing page, with Page Down / Page Up."):
        st.session_state[LIST] = [*slides(), slide(kind, dataset_key, view.with_(selected=None), title)]
        st.toast(f"Added: {title}")
        st.rerun()


def legend(specs: list[MapSpec]) -> None:
    """The slide's one legend in projector type: each class's colour with its district count
    written on it (black or white, whichever reads better: at least 4.5:1), then its range.
    The swatch is a div: hearing mode's style paints every span black, dark fills included.

    On a two-year slide both maps share the earlier year's breaks, so one legend reads both;
    the swatch then shows each year's count ("3 / 5").
    """
    counts = [{(e.kind, e.label): e.count for e in spec.legend} for spec in specs]
    years = " / ".join(spec.subtitle.split(" · ")[0] for spec in specs) if len(specs) > 1 else ""
    rows = []
    for entry in specs[-1].legend:
        if entry.kind == "mark":
            continue  # outline styles (outliers) are for the desk, not the projector
        shown = " / ".join(str(c.get((entry.kind, entry.label), 0)) for c in counts)
        dash = "border-style:dashed;" if entry.kind == "no_data" else ""
        dash += f"background-image:{HATCH_CSS};" if entry.pattern == "hatch" else ""
        rows.append(f'<div class="bm-legend-row" role="listitem" data-kind="{html(entry.kind)}" '
                    f'style="display:flex;align-items:center;gap:.4em;margin:.15em 0">'
                    f'<div class="bm-swatch" style="background-color:{html(entry.fill)};color:{ink(entry.fill)};'
                    f'{dash}">{html(shown)}</div><span>{html(entry.label)}</span></div>')
    head = f'<b>{html(specs[-1].measure_label)}</b>'
    note = f'<span style="display:block">districts: {html(years)}</span>' if years else ""
    st.markdown(f'<div class="bm-legend" role="list" aria-label="Legend">{head}{note}{"".join(rows)}</div>',
                unsafe_allow_html=True)


def projector_view(view: SpendingView) -> SpendingView:
    """The view with the high-contrast palette when the hearing asks for it (a washed-out projector)."""
    return view.with_(palette="contrast") if st.session_state.get(CONTRAST) else view
