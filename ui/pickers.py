"""The column, layer and sheet pickers of "Add your data", shared by its spending and indicator parts."""
from __future__ import annotations

import streamlit as st

NONE = "(none)"


def pick(label: str, options: list[str], guess: str, key: str, optional: bool = False) -> str:
    """A column picker starting at the guess; '' for (none)."""
    choices = [NONE, *options] if optional else options
    index = choices.index(guess) if guess in choices else 0
    value = st.selectbox(label, choices, index=index, key=key)
    return "" if value == NONE else str(value)


def chooser(label: str, options: list[str], key: str) -> str | None:
    """A layer or sheet picker, shown only when the file has more than one."""
    if len(options) <= 1:
        return None
    return str(st.selectbox(label, options, key=key))
