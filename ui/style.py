"""The app's few global style rules, sent once per run by the router (no layout space: style only).

Why: what Streamlit's theme cannot say. Its data grid draws on a canvas and shows no
focus ring when it takes keyboard focus, so a keyboard user cannot see where they are
(WCAG 2.4.7; tests/browser/test_keyboard_browser.py checks every Tab stop).
"""
from __future__ import annotations

import streamlit as st

FOCUS = "#1d4f91"  # the theme's primary colour: 8.6:1 on white

CSS = f"""<style>
[data-testid="stDataFrame"]:focus-within {{ outline: 3px solid {FOCUS}; outline-offset: 2px; }}
</style>"""


def apply() -> None:
    """Add the global rules to the page (a style-only st.html takes no room in the layout)."""
    st.html(CSS)
