"""The Clusters page's pieces: what the statistics are of, their choices, and the table behind the map.

The table is read from the map's own statistics (``MapSpec.meta["stats"]``, the
JSON of ``python -m budgetmap stats``), so it cannot disagree with the map, the
summary under it, or the command line.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetmap import fmt
from budgetmap.mapspec import MapSpec
from budgetmap.measures import MEASURES
from budgetmap.model import Dataset
from budgetmap.stats.outliers import OUTLIER_RULES
from budgetmap.stats.spatial import STATISTICS
from budgetmap.stats.weights import WEIGHTS
from budgetmap.targets import indicator_layers
from budgetmap.view import SpendingView
from ui import indicator_filters, sidebar
from ui.state import seed
from ui import grid

ROW_PX = 35  # st.dataframe's row height
WHOLE_ROWS = 60  # up to this many districts the table is shown whole
SUBJECTS = {"measure": "Spending", "indicator": "An indicator"}


def subject(dataset: Dataset, start: SpendingView) -> SpendingView | None:
    """'Statistics of' spending (its sidebar filters) or an indicator (its picker); None: no indicator."""
    options = list(SUBJECTS) if indicator_layers(dataset) else ["measure"]
    with st.sidebar:
        seed("c_of", start.stats_of if start.stats_of in options else options[0])
        of = st.radio("Statistics of", options, key="c_of", format_func=SUBJECTS.get, horizontal=True)
    if of == "indicator":
        view = indicator_filters.pick_indicator(dataset, start, lock=False, palette=False)
        return view.with_(stats_of="indicator") if view is not None else None
    return sidebar.spending_filters(dataset, start, span=True, classes=False).with_(stats_of="measure")


def choices(view: SpendingView) -> SpendingView:
    """Statistic, weights, outlier rule, and smoothing for per-resident spending (sidebar)."""
    with st.sidebar:
        st.subheader("Statistics")
        seed("c_stat", view.statistic)
        statistic = st.radio("Map", list(STATISTICS), key="c_stat", format_func=STATISTICS.get)
        seed("c_weights", view.weights)
        weights = st.selectbox("Neighbours (spatial weights)", list(WEIGHTS), key="c_weights",
                               format_func=lambda k: WEIGHTS[k].label,
                               help="Who counts as a district's neighbour; row-standardised.")
        seed("c_outliers", view.outlier_rule)
        rule = st.selectbox("Outlier rule", list(OUTLIER_RULES), key="c_outliers",
                            format_func=lambda k: OUTLIER_RULES[k].label)
        smoothing = "off"
        if view.stats_of == "measure" and MEASURES[view.measure].needs == "population":
            seed("c_smooth", view.smoothing == "on")
            smoothing = "on" if st.toggle("Smooth the rates (empirical Bayes)", key="c_smooth",
                                          help="Draws each district's rate towards that of all districts "
                                               "together, the more the fewer its residents; raw and smoothed are "
                                               "both shown.") else "off"
    return view.with_(statistic=statistic, weights=weights, outlier_rule=rule, smoothing=smoothing)


def _offers_smoothing(view: SpendingView, smoothing: bool) -> bool:
    """Whether the smoothing switch applies: asked for, and a measure divided by residents."""
    return smoothing and MEASURES[view.measure].needs == "population"


def settled(view: SpendingView, *, smoothing: bool = True) -> SpendingView:
    """The view ``flag_choices`` returns while its widgets still hold their seeded values
    (a session's first screen draws the map before the widgets exist: ui/first_paint.py)."""
    on = _offers_smoothing(view, smoothing) and view.smoothing == "on"
    return view.with_(smoothing="on" if on else "off")


def flag_choices(view: SpendingView, *, smoothing: bool = True) -> SpendingView:
    """The outlier rule every map outlines by and, for per-resident spending, smoothing (sidebar)."""
    with st.sidebar.expander("Outliers and small numbers"):
        seed("m_outliers", view.outlier_rule)
        rule = st.selectbox("Outlier rule", list(OUTLIER_RULES), key="m_outliers",
                            format_func=lambda k: OUTLIER_RULES[k].label,
                            help="Outliers get a thick dashed outline; districts with too few residents a dotted one.")
        smooth = "off"
        if _offers_smoothing(view, smoothing):
            seed("m_smooth", view.smoothing == "on")
            smooth = "on" if st.toggle("Show smoothed rates (empirical Bayes)", key="m_smooth",
                                       help="Adds each district's smoothed rate beside the raw one; "
                                            "outliers are then judged on the smoothed rates.") else "off"
    return view.with_(outlier_rule=rule, smoothing=smooth)


def table(spec: MapSpec) -> pd.DataFrame:
    """District, value, smoothed, quadrant, p, Gi*, outlier, small numbers: one row per district."""
    stats = spec.meta["stats"]
    lisa, gi = stats["lisa"], stats["gi"]
    rows = []
    for district, name in stats["names"].items():
        tested = lisa.get(district)
        rows.append({
            "District": name, "ID": district, "Value": stats["values"][district],
            "Smoothed": (stats.get("smoothed") or {}).get(district),
            "Quadrant": tested["quadrant"] if tested else ("island" if district in stats["islands"] else "no data"),
            "LISA p": tested["p_sim"] if tested else None,
            "Significant": bool(tested and tested["significant"]),
            "Gi*": gi[district]["class"] if district in gi else None,
            "Gi* p": gi[district]["p_sim"] if district in gi else None,
            "Outlier": district in stats["outliers"], "Small numbers": district in stats["small_numbers"]})
    frame = pd.DataFrame(rows)
    if "smoothed" not in stats:
        frame = frame.drop(columns="Smoothed")
    # a city's few dozen districts are shown whole (no inner scrolling); a county's scroll
    height = (len(frame) + 1) * ROW_PX + 3 if len(frame) <= WHOLE_ROWS else "auto"
    grid.show(frame, hide_index=True, width="stretch", height=height,
              column_config={"Value": st.column_config.NumberColumn(spec.value_label, format="%,.2f"),
                                "LISA p": st.column_config.NumberColumn(format="%.3f"),
                                "Gi* p": st.column_config.NumberColumn(format="%.3f")})
    return frame


def moran(spec: MapSpec) -> None:
    """Global Moran's I beside the map, with its permutation p-value and what it is computed over."""
    stats = spec.meta["stats"]
    m = stats["moran"]
    cols = st.columns(3)
    cols[0].metric("Moran's I", f"{m['I']:.3f}" if m["I"] is not None else "—",
                   help="Above its expected value: like values sit together; below: neighbours differ.")
    cols[1].metric("Pseudo p-value", f"{m['p_sim']:.3f}" if m["p_sim"] is not None else "—",
                   help=f"{stats['permutations']} permutations, seed {stats['seed']}.")
    cols[2].metric("Districts tested", fmt.of(stats['n'], stats['districts']),
                   help="A value and at least one neighbour with a value.")
