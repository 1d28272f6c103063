"""The optional third file of "Add your data": an indicator table (results by district, with goals).

With it, the saved dataset has targets, district stories' results and Money vs
results, not only spending maps. The key column is guessed by content exactly as
for spending (its values against the boundary ids and names), the rest by header
and content; the person confirms each. Indicator metadata (labels, direction,
roll-up) is left at its defaults: the downloaded manifest is where to add it.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from budgetmap.dataset import guess_indicator_columns, preview_sheets, preview_table
from budgetmap.model import Dataset
from budgetmap.model.errors import LoadError
from ui import errors
from ui.pickers import chooser, pick
from ui.text import md


def read(folder: Path, name: str) -> tuple[str | None, pd.DataFrame] | None:
    """(sheet, the indicator table as text cells), or None after showing the loaders' message."""
    try:
        sheet = chooser("Indicator sheet", preview_sheets(folder / name), "add_ind_sheet")
        frame = preview_table(folder / name, sheet)
    except LoadError as exc:
        st.error(md(errors.plain(str(exc), [folder])))
        return None
    except Exception as exc:  # noqa: BLE001 - a broken upload is a message, never a traceback
        st.error(md(errors.message(exc, folder / "manifest.toml", loading=True)))
        return None
    return sheet, frame


def columns(attributes: pd.DataFrame, frame: pd.DataFrame, name: str, sheet: str | None) -> dict[str, str]:
    """The pickers, each at its guess: the ``[indicators]`` keys of the manifest (path included)."""
    g = guess_indicator_columns(attributes, frame)
    cols = [str(c) for c in frame.columns]
    st.markdown("**Indicator table**")
    left, right = st.columns(2)
    with left:
        keys = {"district": pick("District key column", cols, g.key, "add_ind_key"),
                "year": pick("Fiscal year column", cols, g.year, "add_ind_year"),
                "indicator": pick("Indicator name column", cols, g.indicator, "add_ind_name")}
    with right:
        keys |= {"actual": pick("Result column", cols, g.actual, "add_ind_actual"),
                 "target": pick("Goal column", cols, g.target, "add_ind_target", True)}
    return {"path": name, **({"sheet": sheet} if sheet else {}), **keys}


def summary_text(dataset: Dataset) -> str | None:
    """'12 of 14 indicator rows matched a district; 3 indicators' for the draft, or None without the table."""
    table = next((t for t in dataset.report.tables if t.table == "indicators"), None)
    if table is None:
        return None
    matched = table.rows_used   # an indicator row that names no district is not used (spending's are: off the map)
    count = int(dataset.indicator_rows["indicator"].nunique())
    return (f"{matched:,} of {table.rows_read:,} indicator rows matched a district; "
            f"{count:,} indicator{'s' if count != 1 else ''}")
