"""Per warning on the monitoring page: the project's history (plan and actual by period) and reviewer opinions.

Opinions live in the workspace (``budgetmap.opinions``, SQLite). Once sign-in is
configured only reviewers may add one (``budgetmap.access``); everyone still reads them.
A store that cannot be read or written shows a message, never a traceback, and
the rest of the page keeps working.
"""
from __future__ import annotations

import logging
import sqlite3

import pandas as pd
import streamlit as st

from budgetmap import fmt, monitor, workspace
from budgetmap.access import Role
from budgetmap.model import Dataset
from budgetmap.opinions import MAX_AUTHOR, MAX_TEXT, Opinion, OpinionError, OpinionStore
from ui import auth
from ui.text import md
from ui import grid

LOG = logging.getLogger("budgetmap.ui")


def store() -> OpinionStore:
    return OpinionStore.in_workspace(workspace.root())


def opinions(dataset_key: str) -> list[Opinion]:
    """Every opinion on this dataset (oldest first); none, with a message, when the store cannot be read."""
    try:
        return store().for_dataset(dataset_key)
    except (sqlite3.Error, OSError) as exc:
        LOG.warning("opinions could not be read: %s", exc)
        st.error(f"Reviewer opinions cannot be read just now ({md(type(exc).__name__)}): the watch list is "
                 "complete, the opinions are missing from it.")
        return []


def history(dataset: Dataset, w: monitor.ProjectWarning) -> pd.DataFrame:
    """The project's plan by period, with the actual rate through the monitored period."""
    actual = {p.period: p.actual_rate for p in w.series}
    plan = dataset.plans.project(w.project) if dataset.plans is not None else None
    steps = [(s.period, float(s.planned)) for s in plan.steps] if plan else [(p.period, p.planned_rate)
                                                                           for p in w.series]
    return pd.DataFrame([{"Period": period.name, "Planned": planned * 100,
                          "Actual": actual[period] * 100 if period in actual else None,
                          "Behind (points)": (planned - actual[period]) * 100 if period in actual else None}
                         for period, planned in steps])


def _add(dataset_key: str, w: monitor.ProjectWarning, form_key: str) -> None:
    me = auth.access()
    if not me.can(Role.REVIEWER):  # the form is shown to reviewers only; checked again on submit
        st.session_state[f"{form_key}_error"] = "giving an opinion needs the reviewer role"
        return
    # signed in, the opinion is the signed-in reviewer's: the name is not typed, so it cannot be someone else's
    author = me.who[:MAX_AUTHOR] if me.signed_in else st.session_state.get(f"{form_key}_author", "")
    text = st.session_state.get(f"{form_key}_text", "")
    try:
        store().add(dataset_key, w.project, w.period.year, w.period.label, author, text)
    except OpinionError as exc:
        st.session_state[f"{form_key}_error"] = str(exc)
        return
    except (sqlite3.Error, OSError) as exc:
        LOG.warning("an opinion could not be saved: %s", exc)
        st.session_state[f"{form_key}_error"] = (f"the opinion could not be saved ({type(exc).__name__}); "
                                                 "try again, or tell the administrator")
        return
    st.session_state[f"{form_key}_error"] = ""
    st.session_state[f"{form_key}_author"] = ""
    st.session_state[f"{form_key}_text"] = ""
    st.session_state[f"{form_key}_saved"] = True


def panel(dataset: Dataset, dataset_key: str, w: monitor.ProjectWarning, said: list[Opinion], index: int,
          currency: str) -> None:
    """One warning's expander: history table, opinions given (all periods) and the form to add one."""
    title = (f"{monitor.SEVERITIES[w.severity].label}: {w.project}, {fmt.money_cents(w.shortfall_cents, currency)} "
             f"short ({len(said)} opinion{'s' if len(said) != 1 else ''})")
    with st.expander(md(title)):
        st.markdown(f"**{md(w.department)}**, {md(w.district_name or 'no district')}: planned "
                    f"{w.planned_rate:.1%}, actual {w.actual_rate:.1%} at {md(w.period.name)}.")
        grid.show(history(dataset, w), hide_index=True, width="stretch", column_config={
            "Planned": st.column_config.NumberColumn(format="%.1f%%"),
            "Actual": st.column_config.NumberColumn(format="%.1f%%"),
            "Behind (points)": st.column_config.NumberColumn(format="%.1f")})
        st.markdown("**Reviewer opinions**")
        if not said:
            st.caption("No opinion yet.")
        for o in said:
            st.markdown(f"*{md(o.created.date().isoformat())}, FY{o.year} {md(o.period)}*, **{md(o.author)}**: "
                        f"{md(o.text)}")
        key = f"opinion_{index}"
        if st.session_state.pop(f"{key}_saved", False):
            st.success("Opinion saved.")
        if st.session_state.get(f"{key}_error"):
            st.error(f"Not saved: {md(st.session_state[f'{key}_error'])}")
        me = auth.access()
        if not me.can(Role.REVIEWER):
            st.caption("Signed-in reviewers can add an opinion here.")
            return
        with st.form(key, clear_on_submit=False, border=True):
            if me.signed_in:
                st.caption(md(f"Reviewer: {me.who}"))
            else:
                st.text_input("Reviewer", key=f"{key}_author", max_chars=MAX_AUTHOR)
            st.text_area("Opinion", key=f"{key}_text", max_chars=MAX_TEXT)
            st.form_submit_button(f"Add an opinion on {md(w.project)}", on_click=_add, args=(dataset_key, w, key))


def panels(dataset: Dataset, dataset_key: str, found: monitor.Watch, given: list[Opinion]) -> None:
    """A history-and-opinions panel per warning, in the watch list's order (``given``: the dataset's opinions)."""
    if not found.warnings:
        return
    st.subheader("Project history and reviewer opinions")
    for i, w in enumerate(found.warnings):
        panel(dataset, dataset_key, w, [o for o in given if o.project == w.project], i, found.currency)
