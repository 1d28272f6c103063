"""The monitoring page's pieces: as-of period and filters, the watch list, the flags and the notices.

Everything shown comes from ``budgetmap.monitor.watch`` at the view's period
(``budgetmap.watch_period``), the same call the ``warnings`` command makes, so
the page and ``warnings --json`` list the same projects. Session state holds the
widgets' selections only.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st

from budgetmap import digest, fmt, monitor, watch_export, watch_period
from budgetmap.mapspec import MapSpec
from budgetmap.opinions import Opinion
from budgetmap.model import Dataset
from budgetmap.monitor.notices import points
from budgetmap.permalink import permalink
from budgetmap.render.furniture import PageContext
from budgetmap.view import SpendingView
from budgetmap.warning_map import BEHIND
from budgetmap.watch_export import flag_sections
from ui.share import base_url
from ui.state import seed
from ui.text import md
from ui import grid

PAGE = "app_pages/9_Monitoring.py"


def plan_departments(dataset: Dataset) -> list[str]:
    """Departments that have a monitored project (the department filter's options)."""
    plans = dataset.plans
    return sorted({p.department for p in plans.projects}) if plans is not None else []


def filters(dataset: Dataset, start: SpendingView) -> SpendingView:
    """Sidebar widgets: as-of period (latest first), departments, severities and what the map counts."""
    periods = monitor.monitored_periods(dataset)
    texts = [watch_period.canonical(p) for p in periods]
    names = {watch_period.canonical(p): p.name for p in periods}
    first = watch_period.resolve(dataset, start)
    with st.sidebar:
        seed("f_watch_period", watch_period.canonical(first) if first else None)
        if st.session_state.get("f_watch_period") not in texts:
            st.session_state["f_watch_period"] = texts[-1]
        chosen = st.selectbox("As of", list(reversed(texts)), key="f_watch_period", format_func=names.get,
                              help="An earlier period replays what was known then: plans against the actual "
                                   "spending reported through that period.")
        options = plan_departments(dataset)
        seed("f_watch_dept", [d for d in start.departments if d in options])
        departments = tuple(st.multiselect("Department", options, key="f_watch_dept", placeholder="All"))
        seed("f_watch_severity", list(start.severities))
        severities = tuple(st.multiselect("Severity", list(monitor.SEVERITIES), key="f_watch_severity",
                                          placeholder="Red and amber",
                                          format_func=lambda k: monitor.SEVERITIES[k].label))
        seed("f_watch_behind", start.behind if start.behind in BEHIND else "share")
        behind = st.radio("The map shows", list(BEHIND), key="f_watch_behind", format_func=BEHIND.get)
    latest = chosen == texts[-1]
    return start.with_(watch_period=None if latest else chosen, departments=departments, severities=severities,
                       behind=behind, selected=st.session_state.get("selected", start.selected))


def story_url(dataset_key: str, view: SpendingView, district_id: str | None) -> str | None:
    """The district story of a warning's district (None when the project is in no district)."""
    if not district_id:
        return None
    return permalink(base_url(), "story", dataset_key, SpendingView(selected=district_id, layer=view.layer))


def watch_frame(found: monitor.Watch, dataset_key: str, view: SpendingView,
                said: Sequence[Opinion] = ()) -> pd.DataFrame:
    """The watch list as the page shows it: one row per project behind plan, red first, with its opinions."""
    rows = []
    for w in found.warnings:
        mine = [o for o in said if o.project == w.project]
        rows.append({
            "Severity": monitor.SEVERITIES[w.severity].label,   # words, not an emoji a projector may lack
            "Project": w.project, "Department": w.department, "District": w.district_name or "no district",
            "Planned": w.planned_rate * 100, "Actual": w.actual_rate * 100,
            "Points behind": w.shortfall_points, "Shortfall": w.shortfall_cents / 100,
            "Periods behind": w.periods_behind,
            "Planned trend": [p.planned_rate * 100 for p in w.series],
            "Actual trend": [p.actual_rate * 100 for p in w.series],
            "Opinions": len(mine),
            "Latest opinion": watch_export.opinion_line(mine[-1]) if mine else "",
            "Story": story_url(dataset_key, view, w.district_id)})
    return pd.DataFrame(rows)


def watch_list(found: monitor.Watch, dataset_key: str, view: SpendingView, said: list[Opinion]) -> pd.DataFrame:
    """The table of projects behind plan (with a small planned-vs-actual trend, opinions and a story link)."""
    frame = watch_frame(found, dataset_key, view, said)
    if frame.empty:
        st.success(f"No project is behind plan at {found.period.name}"
                   + (" with these filters." if view.departments or view.severities else "."))
        return frame
    symbol = "$" if found.currency in ("USD", "CAD", "AUD") else ""
    percent = st.column_config.NumberColumn(format="%.1f%%")
    trend = {"y_min": 0, "y_max": 100}
    grid.show(frame, hide_index=True, width="stretch", key="watch_table", column_config={
        "Planned": percent, "Actual": percent,
        "Points behind": st.column_config.NumberColumn(format="%.1f"),
        "Shortfall": st.column_config.NumberColumn(format=f"{symbol}%,.2f" if symbol else "%,.2f",
                                                   help=f"Planned minus actual spending, {found.currency}"),
        "Planned trend": st.column_config.LineChartColumn(help="Planned cumulative rate, plan start to now", **trend),
        "Actual trend": st.column_config.LineChartColumn(help="Actual cumulative rate, plan start to now", **trend),
        "Story": st.column_config.LinkColumn("District story", display_text="Open story")})
    return frame


def flags(found: monitor.Watch) -> None:
    """Over budget, no actuals reported and indicators off their path, each in its own section."""
    sections = dict(flag_sections(found))
    for title in ("Over budget", "No actuals reported", "Indicators off their in-year path"):
        st.subheader(title)
        rows = sections.get(title)
        if not rows:
            st.caption(f"Nothing to flag at {found.period.name}.")
            continue
        grid.show(pd.DataFrame([[float(c) if hasattr(c, "as_tuple") else c for c in r] for r in rows[1:]],
                                  columns=[str(c) for c in rows[0]]), hide_index=True, width="stretch")


def notices(found: monitor.Watch) -> None:
    """Each department's plain-language notice in a box whose copy button takes the text as it is."""
    st.subheader("Notices to departments")
    items = monitor.notices(found)
    if not items:
        st.caption(f"No department has a finding at {found.period.name}.")
    for item in items:
        st.code(item.text, language=None, wrap_lines=True)


def home_count(dataset: Dataset) -> None:
    """On the home page: red and amber warnings at the latest period, linking to the monitoring page."""
    if dataset.plans is None or not monitor.monitored_periods(dataset):
        return
    found = monitor.watch(dataset)
    counts = found.counts()
    cols = st.columns(3)
    cols[0].metric(f"Red warnings, {found.period.name}", fmt.count(counts['red']))
    cols[1].metric(f"Amber warnings, {found.period.name}", fmt.count(counts['amber']))
    cols[2].metric("Projects monitored", fmt.count(found.monitored))
    st.page_link(PAGE, label=f"Early warning: {counts['red']} red and {counts['amber']} amber at "
                             f"{md(found.period.name)}; open the watch list", icon=":material/warning:")


def tolerance_caption(found: monitor.Watch) -> None:
    settings = found.settings
    st.caption(md(f"Red: more than {points(float(settings.tolerance))} points behind plan; amber: more than "
                  f"{points(float(settings.grace))} and at most the tolerance. {found.monitored} "
                  f"projects monitored at {found.period.name}."))


def downloads(found: monitor.Watch, said: list[Opinion], spec: MapSpec | None, districts: gpd.GeoDataFrame,
              link: str, context: PageContext = PageContext()) -> None:
    """The watch list as CSV and Excel (formula-safe) and the PDF digest, each made when its button is pressed."""
    cols = st.columns(3)
    files = (("Watch list CSV", "csv", "text/csv", partial(watch_export.to_csv, found, said)),
             ("Watch list Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              partial(watch_export.to_xlsx, found, said)),
             ("Digest PDF (map, list, notices, opinions)", "pdf", "application/pdf",
              partial(digest.digest_pdf, spec, districts, found, said, permalink=link, context=context)))
    for col, (label, extension, mime, make) in zip(cols, files):
        col.download_button(label, data=make, file_name=watch_export.file_name(found, extension), mime=mime,
                            on_click="ignore", key=f"watch_dl_{extension}", icon=":material/download:",
                            width="stretch")
