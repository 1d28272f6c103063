"""The home page's pieces: the dataset at a glance, its two maps side by side, and its figures.

The maps are small and linked: a click on a district opens its story
(``layout.STORY_PAGE``). The spending map shows the default spending view and the
target map the dataset's main indicator with a goal (``budgetmap.home``), each
with a link to its full page, where the filters are.
"""
from __future__ import annotations

import datetime

import streamlit as st

from budgetmap import fmt, home
from budgetmap.dataset import primary_amount
from budgetmap.freshness import long_date, overdue
from budgetmap.mapspec import MapSpec
from budgetmap.measures import available
from budgetmap.model import Dataset, SpendingQuery
from budgetmap.model.periods import as_of_date
from budgetmap.reconcile import reconciliation_line
from budgetmap.view import SpendingView
from ui import data, first_paint, layout, mapview, monitoring
from ui.text import md

MAP_HEIGHT = 270  # both maps and their legends (classes and marks) whole above the fold at 1280x720
SPENDING_KEY, TARGET_KEY = "home_spending_map", "home_target_map"


def header(dataset: Dataset) -> None:
    """Name, source and date, the dataset's note, and the freshness note when an update is overdue."""
    st.title(md(dataset.name))
    facts = []
    if dataset.source:
        facts.append(f"Source: {dataset.source}")
    if dataset.as_of:
        day = as_of_date(dataset.as_of)
        facts.append(f"Data as of {long_date(day) if day else dataset.as_of}")
    facts.append(f"{len(dataset.districts):,} districts")
    st.caption(md(" · ".join(facts)))
    late = overdue(dataset.as_of, dataset.refresh_months, datetime.date.today())
    if late is not None:
        st.warning(md(late.text()), icon=":material/update:")
    if dataset.note:
        st.info(md(dataset.note))


#: Less empty space above the title than Streamlit's default, so both maps fit whole above the
#: fold at 1280x720 (the home page only; hearing mode sets its own).
STYLE = """<style>
[data-testid="stMainBlockContainer"], .block-container {padding-top: 1.25rem !important;}
</style>"""


def caption(spec: MapSpec) -> str:
    """One short line under a small map's heading: the year and, for targets, the goal and how many meet it."""
    if spec.kind != "target":
        return spec.subtitle
    city = spec.meta
    return (f"FY{city['fiscal_year']} · goal {city['goal_text']} · {city['meeting']:,} of {city['with_data']:,} "
            "districts meet it")


def heading(spec: MapSpec) -> str:
    """The small map's heading: the measure, without the dataset's name the page title already gives."""
    return spec.value_label if spec.kind == "target" else spec.measure_label


def _map_card(spec: MapSpec, entry: data.Entry, key: str, page: str, link: str, first_screen: bool,
              reports: bool) -> None:
    """One small map: its heading, the map (a click opens the district's story), a compact legend,
    a link (``first_screen``: the link comes with the rest of the page, ui/first_paint.py, once the
    map that ``reports`` its paint has painted: one map reports, so the rest costs one rerun, not two)."""
    st.markdown(f"**{md(heading(spec))}**  \n{md(caption(spec))}")
    mapview.district_map(spec, data.geometry(entry.path, spec.layer), key=key, height=MAP_HEIGHT,
                         opens=layout.STORY_PAGE, report_paint=first_screen and reports)
    mapview.legend(spec, compact=True)
    if not first_screen:
        st.page_link(page, label=link, icon=":material/open_in_full:")


def maps(entry: data.Entry, dataset: Dataset, first_screen: bool = False) -> MapSpec | None:
    """The spending map and the main target map side by side (the spending map alone when there
    are no goals); returns the target map's description, or None."""
    # as the spending map page starts: the default measure (per resident), or the first the data supports
    keys = [m.key for m in available(bool(dataset.districts["population"].notna().any()))]
    spending = data.spending_spec(entry.path, SpendingView(measure=SpendingView().measure if
                                                            SpendingView().measure in keys else keys[0]))
    main = home.main_indicator(dataset)
    target = data.map_spec("target", entry.path, SpendingView(indicator=main)) if main else None
    left, right = st.columns(2, gap="medium") if target is not None else (st.container(), None)
    with left:
        _map_card(spending, entry, SPENDING_KEY, "app_pages/1_Spending_map.py", "Open the spending map", first_screen,
                  reports=True)
    if target is not None and right is not None:
        with right:
            _map_card(target, entry, TARGET_KEY, "app_pages/3_Targets.py", "Open the targets map", first_screen,
                      reports=False)
    st.caption("Click a district on either map to open its story.")
    return target


def key_figures(dataset: Dataset) -> None:
    """Spending in the latest year, per resident, and the population it is divided by."""
    years = dataset.fiscal_years
    if not years:
        return
    latest = SpendingQuery(amount=primary_amount(dataset), years=(years[-1],))
    total = int(dataset.sums(latest, by=())["cents"].iloc[0])
    population = dataset.districts["population"].sum(min_count=1)
    cols = st.columns(3)
    cols[0].metric(f"Spending FY{years[-1]}", fmt.compact_money(total / 100, dataset.currency))
    cols[1].metric("Population", fmt.count(population))
    if population and population > 0:
        cols[2].metric("Per resident", fmt.money(total / 100 / population, dataset.currency, cents=True))


def rollups(dataset: Dataset) -> bool:
    """Every measure's citywide figure against its goal; False when the dataset has no goals."""
    table = home.rollup_table(dataset)
    if table.empty:
        return False
    label = dataset.citywide_label
    table = table.rename(columns={"Citywide": label})
    st.subheader(f"{label} results against goals")
    met = int((table["Meets goal"] == "yes").sum())
    judged = int(table["Meets goal"].isin(["yes", "no"]).sum())
    st.caption(f"Each measure in its latest year: {fmt.of(met, judged)} meet the goal. District values are "
               "rolled up by each measure's rule; the Targets page maps them.")
    # a plain HTML table (escaped, headed rows): the data grid's JavaScript is not worth it for a few rows
    st.markdown(mapview.figures_html(table, f"{label} figure of each measure against its goal",
                                   row_header="Measure"),
                unsafe_allow_html=True)
    return True


def accounts(dataset: Dataset) -> None:
    """The reconciliation line (every dollar read, to the cent) and the way to the full load report."""
    st.subheader("Every dollar accounted for")
    if dataset.report.reconciliation:
        st.markdown(md(reconciliation_line(dataset.report.reconciliation, dataset.citywide_label)))
    report = dataset.report
    rejected = sum(t.rows_rejected for t in report.tables)
    st.caption(f"The load report: {fmt.plural(rejected, 'row')} not used, "
               f"{fmt.plural(len(report.unmatched), 'key')} that match no district, "
               f"{fmt.plural(len(report.warnings), 'warning')}.")
    st.page_link("app_pages/2_Load_report.py", label="Full load report: every problem and unmatched key",
                 icon=":material/receipt_long:")


def page(entry: data.Entry, dataset: Dataset) -> None:
    """The whole home page, top to bottom."""
    st.markdown(STYLE, unsafe_allow_html=True)
    header(dataset)
    first = first_paint.map_first()  # a session's first screen: the two maps, then the rest
    maps(entry, dataset, first)
    if first:
        return
    key_figures(dataset)
    monitoring.home_count(dataset)
    rollups(dataset)
    accounts(dataset)
    st.page_link("app_pages/7_Hearing.py", label="Hearing mode: step through prepared views on a projector",
                 icon=":material/co_present:")
