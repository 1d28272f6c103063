"""Sharing a view: its permalink, as a plain link to copy.

The link is an ordinary anchor (right-click > Copy link, or select its text), not
``st.code``: a code box pulls Streamlit's syntax highlighter (1.5 MB of JavaScript)
into the first load of every map page just to offer a copy button.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from budgetmap.permalink import permalink
from budgetmap.view import SpendingView
from ui.text import html

FALLBACK_BASE = "http://localhost:8501"


def base_url() -> str:
    """scheme://host[:port] of the address the browser used (as a proxy forwards it)."""
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - outside a browser session (tests, bare mode)
        url = ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else FALLBACK_BASE


def link(page: str, dataset_key: str, view: SpendingView) -> str:
    """The view's permalink on the address the browser is using."""
    return permalink(base_url(), page, dataset_key, view)


def link_box(page: str, dataset_key: str, view: SpendingView) -> str:
    """The view's permalink as a link whose text is the address itself, so copying the
    text or the link gives the same URL (escaped: a dataset key is data)."""
    link = permalink(base_url(), page, dataset_key, view)
    st.markdown(f'<p class="bm-permalink-box" style="font-size:.875rem;margin-bottom:.25rem">'
                f'Link to this view (right-click it and copy the link, or select the text):<br>'
                f'<a class="bm-permalink" href="{html(link)}" target="_self" '
                f'style="word-break:break-all;font-family:monospace">{html(link)}</a></p>',
                unsafe_allow_html=True)
    return link
