"""Tables on screen that read like the rest of the app (budgetmap.fmt).

``st.dataframe`` draws a missing cell as the word "None" and a count as "10334";
``show`` gives every table the app's way of writing numbers: thousands separators
through the column's printf format (the grid still sorts by the number), and a
dash for a missing cell (a column with gaps is written as text by ``fmt``, since
the grid has no setting for the text of an empty cell).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from budgetmap import fmt

DASH = "—"
#: Columns holding years or identifiers: digits as written, no separators ("2025", not "2,025").
_PLAIN_WORDS = ("year", "fy", "row", "id", "code", "period")


def _plain(name: object) -> bool:
    words = str(name).lower().replace("_", " ").split()
    return any(w in _PLAIN_WORDS for w in words)


def _text(value: Any, whole: bool, plain: bool) -> str:
    if fmt.missing(value):
        return DASH
    if plain:
        return str(int(value)) if float(value).is_integer() else str(value)
    return fmt.count(value) if whole else fmt.number(value, 4)


_PRINTF = re.compile(r"^(?P<head>[^%]*)%(?P<comma>,?)(?P<digits>\.\d+)?(?P<kind>[dfi])(?P<tail>.*)$")


def _printf_text(value: Any, form: str) -> str:
    """A cell written as the grid would write it with ``form`` ('%,.2f', '%.1f%%'), or a dash."""
    if fmt.missing(value):
        return DASH
    match = _PRINTF.match(form.replace("%%", "\0"))
    if not match:
        return fmt.number(value, 4)
    spec = f"{match['comma']}{match['digits'] or ''}{'d' if match['kind'] in 'di' else 'f'}"
    number = int(round(value)) if spec.endswith("d") else float(value)
    return f"{match['head']}{number:{spec}}{match['tail']}".replace("\0", "%")


def _configured_with_gaps(column: pd.Series, config: Any) -> tuple[list[str], Any] | None:
    """A configured number column with gaps, as text in its own format, and a text column's config
    with the caller's label and help (the grid would draw the gaps as "None")."""
    form = (config or {}).get("type_config", {}).get("format") if isinstance(config, Mapping) else None
    if pd.api.types.is_bool_dtype(column) or not column.map(fmt.missing_text).any() or not isinstance(form, str):
        return None
    text = st.column_config.TextColumn(config.get("label"), help=config.get("help"), width=config.get("width"))
    return [_printf_text(v, form) for v in column], text


def prepared(frame: pd.DataFrame, configured: Mapping[str, Any] = ()) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame with dashes for missing cells, and a number format for each numeric column.

    Columns the caller configured keep their configuration, unless they have gaps: those
    are written as text in the caller's own format."""
    out, config = frame.copy(), {}
    for name in out.columns:
        if name in configured:
            gaps = _configured_with_gaps(out[name], configured[name])
            if gaps is not None:
                out[name], config[name] = gaps
            continue
        column = out[name]
        if pd.api.types.is_bool_dtype(column):
            continue
        if pd.api.types.is_numeric_dtype(column):
            values = column.dropna()
            whole = bool(len(values)) and bool((values == values.round()).all())
            plain = _plain(name)
            if column.isna().any():
                out[name] = [_text(v, whole, plain) for v in column]
            elif plain:
                config[name] = st.column_config.NumberColumn(format="%d" if whole else None)
            elif whole:
                config[name] = st.column_config.NumberColumn(format="%,d")
            elif len(values) and values.abs().max() >= 1000:
                config[name] = st.column_config.NumberColumn(format="%,.2f")
        elif (column.dtype == object or pd.api.types.is_string_dtype(column)) and column.map(fmt.missing_text).any():
            out[name] = [DASH if fmt.missing_text(v) else v for v in column]
    return out, config


def show(frame: pd.DataFrame | list[dict[str, Any]], column_config: Mapping[str, Any] | None = None,
         **kwargs: Any) -> Any:
    """``st.dataframe`` with the app's number formats and no "None" cells."""
    data = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
    configured = dict(column_config or {})
    data, config = prepared(data, configured)
    return st.dataframe(data, column_config={**configured, **config}, **kwargs)
