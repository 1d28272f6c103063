"""The "Add your data" page: files in, columns confirmed, rules accepted, a workspace dataset out.

Uploads (or files picked from ``BUDGETMAP_IMPORT``) are written under a safe name
into this session's draft folder in the workspace; the page writes a draft
manifest beside them and loads it with the ordinary loaders, so the live summary
and the suggested rules are exactly what ``python -m budgetmap check`` says of
the saved dataset. ``session_state`` holds only selections: the draft's token,
the chosen file names and the accepted rules' TOML lines.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from budgetmap import workspace
from budgetmap.access import Role
from budgetmap.dataset import (guess_columns, preview_boundaries, preview_layers, preview_sheets, preview_table,
                               upload_suffixes)
from budgetmap.model.errors import LoadError
from budgetmap.tomlmerge import merge_toml
from ui import add_indicators, add_review, auth, errors
from ui.pickers import NONE, chooser as _chooser, pick as _pick
from ui.text import md
from ui import grid

PREVIEW_ROWS = 20


def _draft() -> tuple[str, Path]:
    token, folder = workspace.draft(st.session_state.get("add_token"))
    st.session_state["add_token"] = token
    return token, folder


def _file(role: str, label: str, suffixes: tuple[str, ...], folder: Path) -> str | None:
    """The chosen file's safe name in the draft folder, from an upload or the import folder."""
    source = workspace.import_folder()
    how = "Upload"
    if source is not None:
        how = st.radio(f"{label}: where from", ["Upload", "From the import folder"], key=f"add_{role}_how",
                       horizontal=True)
    if how == "Upload":
        upload = st.file_uploader(label, type=[s.lstrip(".") for s in suffixes], key=f"add_{role}_upload",
                                  max_upload_size=workspace.MAX_UPLOAD_MB)
        if upload is not None and st.session_state.get(f"add_{role}_id") != upload.file_id:
            try:
                if upload.size > workspace.MAX_UPLOAD_BYTES:  # the browser checks too, but a client may skip it
                    raise ValueError(f"the file is over the {workspace.MAX_UPLOAD_MB} MB limit")
                st.session_state[f"add_{role}"] = workspace.store(folder, upload.name, upload.getvalue()).name
                st.session_state[f"add_{role}_id"] = upload.file_id
            except (ValueError, OSError) as exc:
                st.error(md(f"{upload.name}: {exc}"))
                return None
        if upload is None:
            return None
    else:
        names = workspace.importable(source, suffixes)
        picked = st.selectbox(f"{label} (import folder)", [NONE, *names], key=f"add_{role}_import")
        if picked == NONE:
            return None
        if st.session_state.get(f"add_{role}_id") != f"import:{picked}":
            try:
                st.session_state[f"add_{role}"] = workspace.copy_in(folder, source / picked).name
                st.session_state[f"add_{role}_id"] = f"import:{picked}"
            except (ValueError, OSError) as exc:
                st.error(md(f"{picked}: {exc}"))
                return None
    name = st.session_state.get(f"add_{role}")
    return name if name and (folder / name).is_file() else None


def _preview(frame: pd.DataFrame, what: str) -> None:
    st.caption(md(f"{what}: {len(frame):,} rows, columns {', '.join(map(str, frame.columns))}"))
    grid.show(frame.head(PREVIEW_ROWS), hide_index=True)


def _read(folder: Path, boundary: str, table: str) -> tuple | None:
    """(layer, sheet, attributes, table frame), or None after showing the loaders' message.

    A bar follows the reads: the boundaries (a step), then the table by the share
    read (of its text for CSV, of its row groups for Parquet), each file read once.
    """
    bar = st.progress(0.0, text=f"Reading {md(boundary)}…")

    def table_progress(fraction: float, what: str) -> None:
        bar.progress(0.3 + 0.7 * min(max(fraction, 0.0), 1.0), text=md(what))
    try:
        layer = _chooser("Boundary layer", preview_layers(folder / boundary), "add_layer")
        attributes = preview_boundaries(folder / boundary, layer)
        bar.progress(0.3, text=f"Read {md(boundary)}: {len(attributes):,} features; reading {md(table)}…")
        sheet = _chooser("Sheet", preview_sheets(folder / table), "add_sheet")
        frame = preview_table(folder / table, sheet, table_progress)
        bar.progress(1.0, text=f"Read {md(boundary)} ({len(attributes):,} features) and {md(table)} "
                               f"({len(frame):,} rows)")
        return layer, sheet, attributes, frame
    except LoadError as exc:
        st.error(md(errors.plain(str(exc), [folder])))
    except Exception as exc:  # noqa: BLE001 - a broken upload is a message, never a traceback
        st.error(md(errors.message(exc, folder / "manifest.toml", loading=True)))
    return None


def _columns(attributes: pd.DataFrame, frame: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """The column pickers, each starting at its guess: (districts keys, spending keys) of the manifest."""
    g = guess_columns(attributes, frame)
    b_cols, t_cols = [str(c) for c in attributes.columns], [str(c) for c in frame.columns]
    left, right = st.columns(2)
    with left:
        st.markdown("**Boundaries**")
        districts = {"id": _pick("District id column", b_cols, g.boundary_id, "add_col_id"),
                     "name": _pick("District name column", b_cols, g.boundary_name, "add_col_name", True),
                     "population": _pick("Population column (for per-resident maps)", b_cols, g.population,
                                         "add_col_pop", True)}
    with right:
        st.markdown("**Spending table**")
        spending = {"district": _pick("District key column", t_cols, g.key, "add_col_key"),
                    "year": _pick("Fiscal year column", t_cols, g.year, "add_col_year"),
                    "amount": _pick("Amount column", t_cols, g.amount, "add_col_amount"),
                    "department": _pick("Department column", t_cols, g.department, "add_col_dept", True)}
    if g.key:
        st.caption(md(f"Key column guessed by content: {g.key_share:.0%} of the values of '{g.key}' meet a "
                      "boundary id or name, ignoring case, spacing, a leading word and zero-padding."))
    return districts, spending


def manifest_for(name: str, boundary: str, table: str, layer: str | None, sheet: str | None,
                 districts: dict[str, str], spending: dict[str, str], rules: list[str],
                 indicators: dict[str, str] | None = None) -> str:
    """The draft manifest: the chosen files and columns, then each accepted rule merged key by key."""
    text = workspace.manifest_text(name, {"path": boundary, "layer": layer or "", **districts},
                                   {"path": table, "sheet": sheet or "", **spending}, indicators=indicators)
    for fragment in rules:
        text = merge_toml(text, fragment)
    return text


def _write(path: Path, text: str) -> None:
    """Write the draft manifest only when it changed (its modification time keys the dataset cache)."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def page() -> None:
    """The whole page (app_pages/8_Add_your_data.py only calls this); editors only once sign-in is configured."""
    auth.sidebar()
    st.title("Add your data")
    if not auth.require(Role.EDITOR, "adding and removing datasets"):
        return
    st.caption(md(f"Boundaries and a spending table become a dataset in the workspace; every session lists "
                  f"it. Files up to {workspace.MAX_UPLOAD_MB} MB."))
    _, folder = _draft()
    boundary_suffixes, table_suffixes = upload_suffixes()
    boundary = _file("boundary", "Boundaries (GeoJSON, zipped Shapefile, GeoPackage, TopoJSON, FlatGeobuf)",
                     boundary_suffixes, folder)
    table = _file("table", "Spending table (CSV, Excel, Parquet)", table_suffixes, folder)
    results = _file("indicators", "Indicator table, optional: results and goals by district (CSV, Excel, Parquet)",
                    table_suffixes, folder)
    if boundary and table:
        read = _read(folder, boundary, table)
        if read is not None:
            layer, sheet, attributes, frame = read
            results_read = add_indicators.read(folder, results) if results else None
            with st.expander("Preview", expanded=True):
                _preview(attributes, boundary)
                _preview(frame, table)
                if results_read is not None:
                    _preview(results_read[1], results)
            districts, spending = _columns(attributes, frame)
            indicators = add_indicators.columns(attributes, results_read[1], results, results_read[0]) \
                if results_read is not None else None
            name = st.text_input("Dataset name", value=Path(boundary).stem.replace("_", " ").title(),
                                 key="add_name", max_chars=80) or "My city"
            rules: list[str] = st.session_state.setdefault("add_rules", [])
            text = manifest_for(name, boundary, table, layer, sheet, districts, spending, rules, indicators)
            manifest = folder / workspace.MANIFEST
            _write(manifest, text)
            add_review.review(manifest, text, name, [boundary, table, *([results] if indicators else [])])
    add_review.manage()
