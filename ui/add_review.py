"""The second half of "Add your data": the live summary, the suggested rules, saving and removing.

The summary is the load report's reconciliation of the draft dataset, so "N of M
rows matched, $X of $Y on the map" is the same arithmetic every map's
reconciliation line uses, to the cent.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from budgetmap import fmt, workspace
from budgetmap.model import Dataset
from budgetmap.reconcile import reconciliation_line
from budgetmap.access import Role
from ui import add_indicators, auth, data, errors
from ui.text import md
from ui import grid


_DRAFT_HELP = "A draft is listed only for signed-in editors; viewers and anonymous visitors never see it."


def summary_text(dataset: Dataset) -> str:
    """'3 of 4 rows matched, $1,200.00 of $1,500.00 on the map' for the draft's spending table."""
    report = dataset.report
    table = next((t for t in report.tables if t.table == "spending"), None)
    rec = report.reconciliation
    if table is None or rec is None:
        return "The spending table was not read."
    unmatched_rows = sum(u.rows for u in report.unmatched if u.table == "spending")
    matched = max(table.rows_used - unmatched_rows, 0)
    return (f"{matched:,} of {table.rows_read:,} rows matched, {fmt.money_cents(rec.districts, rec.currency)} of "
            f"{fmt.money_cents(rec.input_total, rec.currency)} on the map")


def _load(manifest: Path) -> Dataset | None:
    try:
        return data.load_draft(str(manifest))
    except Exception as exc:  # noqa: BLE001 - the loaders' message, never a traceback
        st.error(md(errors.message(exc, manifest, loading=True)))
        return None


def _rules(dataset: Dataset) -> None:
    """Each suggested rule with the keys and money it brings onto the map, accepted with one click."""
    suggestions = [r for r in dataset.report.suggested_rules if r.rules]
    if not suggestions:
        return
    st.subheader("Suggested join rules")
    for i, rule in enumerate(suggestions):
        money = fmt.money_cents(rule.amount_cents, rule.currency or dataset.currency)
        gain = f"{money} onto the map" if rule.table == "spending" else f"{rule.rows:,} rows onto the map"
        left, right = st.columns([5, 1])
        left.markdown(md(f"{rule.table.capitalize()} table: {rule.description} — {rule.keys:,} keys, {gain}"))
        left.code(rule.toml, language="toml")
        if right.button("Accept", key=f"add_accept_{i}"):
            st.session_state.setdefault("add_rules", []).append(rule.toml)
            st.rerun()


def review(manifest: Path, text: str, name: str, files: list[str]) -> None:
    """Load the draft, say how much joined, offer the rules, the download and the save."""
    dataset = _load(manifest)
    if dataset is None:
        return
    rec = dataset.report.reconciliation
    st.subheader("Summary")
    st.markdown(f"**{md(summary_text(dataset))}**")
    if rec is not None:
        st.caption(md(reconciliation_line(rec)))
    results = add_indicators.summary_text(dataset)
    if results:
        st.markdown(md(results))
    unmatched = [u for u in dataset.report.unmatched if u.table in ("spending", "indicators")]
    if unmatched:
        with st.expander(f"Keys that match no district ({len(unmatched):,})"):
            grid.show([{"table": u.table, "key": u.key, "rows": u.rows,
                           "amount": fmt.money_cents(u.amount_cents, dataset.currency)
                           if u.table == "spending" else ""} for u in unmatched], hide_index=True)
    _rules(dataset)
    st.subheader("Save")
    # deferred: the draft's text changes with every choice, and a media file per rerun would be
    # dropped while the page still points at it (a 404 in the browser)
    st.download_button("Download the manifest", lambda: text, file_name=workspace.MANIFEST,
                       mime="application/toml", key="add_download", on_click="ignore")
    unpublished = st.checkbox("Save as a draft", key="add_draft", help=_DRAFT_HELP)
    if st.button("Save to the workspace", key="add_save", type="primary"):
        try:
            saved = workspace.save(manifest.parent, name, files, text, unpublished=unpublished)
        except OSError as exc:
            st.error(md(errors.message(exc, manifest)))
            return
        data.refresh()
        key = saved.parent.name
        shown_to = "signed-in editors' dataset picker" if unpublished else "dataset picker of every page"
        st.success(md(f"Saved as '{name}' (key {key}){' as a draft' if unpublished else ''}. It is in the "
                      f"{shown_to}."))
        st.markdown(f"[Open it on the spending map](Spending_map?dataset={key})")


def _mark(folder: str, widget: str) -> None:
    """The Draft toggle's callback: mark or publish the workspace folder, then list again."""
    if not auth.access().can(Role.EDITOR):  # the page is editors' only; checked again at the moment of change
        return
    workspace.mark_draft(folder, bool(st.session_state.get(widget)))
    data.refresh()


def manage() -> None:
    """The workspace's datasets, each with a Draft toggle and a Remove button."""
    entries = [e for e in data.catalogue() if e.workspace]
    st.subheader("Datasets in the workspace")
    if not auth.configured():
        st.caption("Sign-in is not configured on this server, so drafts are listed for everyone (marked "
                   "'draft'); configure it to keep them to editors (README: Drafts and sign-in).")
    if not entries:
        st.caption("No dataset saved yet.")
        return
    for entry in entries:
        left, middle, right = st.columns([4, 1, 1])
        left.markdown(md(f"{entry.label} (key {entry.key})") + (f" — {md(entry.error)}" if entry.error else ""))
        folder, widget = Path(entry.path).parent, f"add_draft_{entry.key}"
        st.session_state[widget] = workspace.is_draft(folder.name, folder.parent)
        middle.toggle("Draft", key=widget, on_change=_mark, args=(folder.name, widget), help=_DRAFT_HELP)
        if right.button("Remove", key=f"add_remove_{entry.key}"):
            if workspace.remove(Path(entry.path).parent.name):
                data.refresh()
                st.rerun()
            st.error(md(f"{entry.key}: not found in the workspace"))
