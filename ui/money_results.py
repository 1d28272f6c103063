"""The money-against-results pieces: 3x3 legend, linked scatter, regression panel with its control, reading."""
from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from budgetmap import fmt
from budgetmap.bivariate import LEVELS, Pairing, readings
from budgetmap.mapspec import MapSpec
from budgetmap.model import Dataset
from budgetmap.targets import indicator_layer, meta_for
from budgetmap.scatter_axis import SCATTER_AXES, spending_axis, suggested
from budgetmap.view import SpendingView
from ui.state import seed

if TYPE_CHECKING:
    from budgetmap.stats.money import MoneyAndResults
from ui.text import html, md


def axis_choice(view: SpendingView, pairing: Pairing) -> SpendingView:
    """The scatter's spending axis (sidebar); the data's suggestion until the user picks one."""
    data_says = suggested(pairing.frame["spending"].to_numpy(float))
    with st.sidebar:
        seed("mr_axis", view.scatter_axis or data_says)
        picked = st.radio("Spending axis of the scatter", list(SCATTER_AXES), key="mr_axis",
                          format_func=lambda k: SCATTER_AXES[k].label,
                          help="Logarithmic or clipped when a few districts spend far more than the rest.")
    # the address names the axis only when it is not the one the data suggests
    return view.with_(scatter_axis=None if picked == data_says else picked)


def grid_legend(spec: MapSpec) -> None:
    """The 3x3 key: spending rises to the right, results rise upwards."""
    grid = spec.meta["grid"]
    cells = "".join(
        f'<div title="{html(LEVELS[x])} spending, {html(LEVELS[y])} result" '
        f'style="width:2.2em;height:2.2em;background:{html(grid[y][x])}"></div>'
        for y in (2, 1, 0) for x in range(3))
    st.markdown(
        '<div class="bm-bivariate" style="display:flex;gap:.6em;align-items:center">'
        '<div style="writing-mode:vertical-rl;transform:rotate(180deg)">better result →</div>'
        f'<div><div style="display:grid;grid-template-columns:repeat(3,2.2em);gap:2px">{cells}</div>'
        '<div>more spending per resident →</div></div></div>', unsafe_allow_html=True)
    st.caption("Hatched districts miss the goal.")


def scatter(spec: MapSpec, pairing: Pairing, currency: str, key: str = "scatter",
            spec_axis: str | None = None) -> None:
    """Spending (x) against gap to goal (y), coloured as on the map; a click selects the district.

    ``spec_axis`` is the view's scatter axis (None: the data's suggestion)."""
    frame = pairing.frame.dropna(subset=["spending", "gap"]).copy()
    fills = {f.district_id: f.fill for f in spec.features}
    frame["fill"] = frame["district_id"].map(fills)
    frame["chosen"] = frame["district_id"] == spec.selected
    frame = frame[["district_id", "name", "spending", "gap", "fill", "chosen"]]
    axis = spending_axis(frame["spending"].to_numpy(float), spec_axis)
    scale = alt.Scale(type=axis.scale, domain=list(axis.domain), clamp=True) if axis.domain else \
        alt.Scale(type=axis.scale, constant=axis.constant) if axis.constant else alt.Scale(type=axis.scale)
    pick = alt.selection_point(name="pick", fields=["district_id"], on="click")
    points = alt.Chart(frame).mark_circle(stroke="#000").encode(
        x=alt.X("spending:Q", scale=scale,
                title=f"{', '.join(pairing.departments) or 'All'} spending per resident ({currency})"
                      + ("" if axis.key == "linear" else f", {SCATTER_AXES[axis.key].label.lower()}")),
        y=alt.Y("gap:Q", title="Gap to goal (above 0: goal met)"),
        color=alt.Color("fill:N", scale=None),
        size=alt.condition("datum.chosen", alt.value(260), alt.value(90)),
        strokeWidth=alt.condition("datum.chosen", alt.value(3), alt.value(0.5)),
        tooltip=[alt.Tooltip("name:N", title="District"), alt.Tooltip("spending:Q", format=",.2f"),
                 alt.Tooltip("gap:Q", format="+,.2f")],
    ).add_params(pick)
    rules = alt.Chart(pd.DataFrame({"goal": [0.0]})).mark_rule(strokeDash=[4, 4]).encode(y="goal:Q") + \
        alt.Chart(pd.DataFrame({"avg": [pairing.average]})).mark_rule(strokeDash=[2, 2]).encode(x="avg:Q")
    event = st.altair_chart(points + rules, on_select="rerun", selection_mode="pick", key=key, width="stretch")
    if axis.beyond:
        st.caption(md(f"{axis.beyond:,} district{'s' if axis.beyond != 1 else ''} above "
                      f"{fmt.money(axis.cap, currency)} per resident "
                      f"{'are' if axis.beyond != 1 else 'is'} drawn at the right edge."))
    chosen = (event or {}).get("selection", {}).get("pick") or []
    clicked = chosen[0].get("district_id") if chosen else None
    # the chart keeps its selection across reruns: act only when it changes, so a later
    # click on the map is not undone by the chart's older one
    if clicked != st.session_state.get(f"{key}_seen"):
        st.session_state[f"{key}_seen"] = clicked
        if clicked and clicked != spec.selected:
            st.session_state["selected"] = clicked
            st.rerun()


def control_choice(dataset: Dataset, view: SpendingView) -> SpendingView:
    """The regression's optional control: a numeric column of the district table, or density (sidebar)."""
    from budgetmap.stats.money import DENSITY, controls

    options = [None, *controls(dataset, indicator_layer(dataset, view.layer))]
    with st.sidebar:
        seed("mr_control", view.control if view.control in options else None)
        picked = st.selectbox("Hold fixed in the regression", options, key="mr_control",
                              format_func=lambda c: "nothing" if c is None else
                              "density (residents per km²)" if c == DENSITY else c,
                              help="A district column whose effect the slope is then net of.")
    return view.with_(control=picked)


def regression(result: MoneyAndResults | None, dataset: Dataset, spec: MapSpec) -> None:
    """Correlation, slope with its confidence interval, n and R²; the warning when districts are too few.

    ``result`` is ``budgetmap.stats.money.money_and_results`` of the map's view (None: no pairs)."""
    from budgetmap.stats.money import CONFIDENCE

    unit, currency = meta_for(dataset, spec.meta["indicator"]).unit, dataset.currency
    st.subheader("What money buys: the numbers")
    if result is None:
        st.info("No district has both spending and a gap to goal.")
        return
    if result.warning:
        st.warning(md(result.warning))
    if not np.isfinite(result.slope):
        return
    step, unit = result.step, "points" if unit == "%" else unit
    cols = st.columns(4)
    cols[0].metric("Correlation (r)", f"{result.r:+.2f}", help=f"Pearson's r; two-sided p = {result.r_p:.3f}.")
    cols[1].metric(f"Slope per {fmt.money(step, currency)} per resident",
                   f"{result.slope * step:+,.2f} {unit}".strip(),
                   help=f"{CONFIDENCE:.0%} confidence interval {result.slope_low * step:+,.2f} to "
                        f"{result.slope_high * step:+,.2f}" + (f", holding {result.control} fixed"
                                                               if result.control else ""))
    cols[2].metric("Districts (n)", f"{result.n}")
    cols[3].metric("R²", f"{result.r_squared:.2f}", help="Share of the gap's variation the line accounts for.")
    st.caption(md(f"{CONFIDENCE:.0%} CI of the slope: {result.slope_low * step:+,.2f} to "
                  f"{result.slope_high * step:+,.2f} {unit} per {fmt.money(step, currency)} per resident."))
    st.markdown(f'<p class="bm-regression" role="note">{html(result.sentence(unit, currency))}</p>',
                unsafe_allow_html=True)
    st.caption("Districts are few and not a random sample, and spending follows need as much as it buys "
               "results: the line describes, it does not prove.")


def reading(pairing: Pairing, currency: str) -> None:
    """The four groups, named, in words a council can read."""
    st.subheader("How to read it")
    for title, meaning, names in readings(pairing):
        listed = ", ".join(names) if names else "none"
        st.markdown(f"**{md(title)}** ({len(names)}) — {md(meaning)}: {md(listed)}.")
    st.caption(md(f"Average of all districts: {fmt.money(pairing.average, currency, cents=True)} per resident, "
                  f"FY{pairing.spending_year}; goal results from FY{pairing.indicator_year}."))
