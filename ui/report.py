"""The load report on screen: the same facts the CLI prints, in tables."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from budgetmap import fmt
from budgetmap.reconcile import reconciliation_line
from budgetmap.report_text import ENGINE_TEXT
from budgetmap.report_text import aliases_snippet
from budgetmap.model import LoadReport
from ui.text import md
from ui import grid


def summary(report: LoadReport, citywide: str = fmt.CITYWIDE) -> None:
    """Row counts per table and the reconciliation, compact, for the home page."""
    rows = [{"Table": t.table, "File": t.file, "Rows read": t.rows_read, "Used": t.rows_used,
             "Not used": t.rows_rejected, "Problems": t.problem_count} for t in report.tables]
    grid.show(pd.DataFrame(rows), hide_index=True, width="stretch")
    if report.reconciliation:
        st.caption(md(reconciliation_line(report.reconciliation, citywide)))
    st.caption(md(f"Line items held by {ENGINE_TEXT.get(report.engine, report.engine)}."))
    for warning in report.warnings:
        st.warning(md(warning))


def details(report: LoadReport, citywide: str = fmt.CITYWIDE, currency: str = "USD") -> None:
    """Every problem, unmatched key and missing district, with suggestions."""
    summary(report, citywide)
    for table in report.tables:
        with st.expander(f"{table.table} — {table.file}: {fmt.count(table.problem_count)} problem(s), "
                         f"{fmt.count(len(table.notes))} note(s)", expanded=bool(table.problem_count)):
            for note in table.notes:
                st.markdown(f"- {md(note)}")
            if table.problems:
                grid.show(pd.DataFrame([{"Row": p.row, "Column": p.column, "Value": p.value,
                                            "Problem": p.reason} for p in table.problems]),
                          hide_index=True, width="stretch")
    st.subheader("Joins")
    if not report.unmatched and not report.missing:
        st.success("Every key matched a district, and every district has data.")
    if report.unmatched:
        st.markdown("**Keys that match no district**")
        keys = pd.DataFrame([{"Table": u.table, "Key": u.key, "Rows": u.rows,
                              "Amount": None if u.amount_cents is None else fmt.money_cents(u.amount_cents, currency),
                              "Did you mean": u.suggestion, "Why": u.why} for u in report.unmatched])
        grid.show(keys.dropna(axis=1, how="all"), hide_index=True, width="stretch")
        for table in sorted({u.table for u in report.unmatched}):
            snippet = aliases_snippet(table, [u for u in report.unmatched if u.table == table])
            if snippet:
                st.markdown("To accept the suggestions, add this to the manifest:")
                st.code(snippet, language="toml")
    if report.missing:
        st.markdown("**Districts with no data**")
        grid.show(pd.DataFrame([{"Table": m.table, "District": m.district_id, "Name": m.name,
                                    "Perhaps": m.suggestion, "Why": m.why} for m in report.missing]),
                  hide_index=True, width="stretch")
    st.download_button("Download the report (JSON)", json.dumps(report.to_dict(), indent=2),
                       file_name="load_report.json", mime="application/json")
