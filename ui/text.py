"""Putting data text on screen safely.

Streamlit's markdown turns `*`, `[..](..)` and `$..$` into formatting, links and
maths; a district named ``[x](javascript:..)`` or a figure like ``$5 … $9`` must
show as typed. Everything from data goes through ``md`` (markdown) or ``html``.
"""
from __future__ import annotations

import html as _html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Escape text for st.markdown / st.write / widget labels."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def html(text: object) -> str:
    """Escape text for an HTML fragment (quotes too, for attributes)."""
    return _html.escape(str(text), quote=True)
