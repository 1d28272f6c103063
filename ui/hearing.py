"""Hearing mode: projector styling, the switch and URL flag, and the hearing list in session.

The list in session state holds slides (selections: map kind, dataset key, URL
parameters), never data; each slide is rebuilt from the cached dataset when shown.
"""
from __future__ import annotations

import streamlit as st

from budgetmap.hearing import Slide, slide
from budgetmap.view import SpendingView

FLAG = "hearing"
LIST = "hearing_slides"
LEGEND_PX = 26  # legend and labels readable from the back of a room at 1280x720

#: Hides the sidebar and Streamlit's chrome; large, high-contrast type.
STYLE = f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{display: none !important;}}
.stApp, .stApp p, .stApp li, .stApp label, .stApp span {{color: #000 !important;}}
.stApp {{background: #fff !important;}}
.stApp p, .stApp li {{font-size: 22px;}}
.block-container {{padding-top: 1rem !important; max-width: 100% !important;}}
.bm-legend, .bm-legend span, .bm-legend b {{font-size: {LEGEND_PX}px !important; line-height: 1.3;}}
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
