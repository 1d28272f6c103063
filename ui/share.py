"""Sharing a view: its permalink, with a copy button."""
from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from budgetmap.permalink import permalink
from budgetmap.view import SpendingView

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
    """The view's permalink in a code box, whose copy button puts it on the clipboard."""
    link = permalink(base_url(), page, dataset_key, view)
    st.caption("Link to this view (the copy button is at the box's right)")
    st.code(link, language=None, wrap_lines=True)
    return link
