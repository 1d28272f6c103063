"""budgetmap home: choose a dataset and see the city at a glance."""
import streamlit as st

from budgetmap import fmt
from budgetmap.dataset import primary_amount
from budgetmap.model import SpendingQuery
from ui import monitoring, report, sidebar
from ui.text import md

st.set_page_config(page_title="budgetmap", layout="wide")  # a :material: page_icon is fetched from a font CDN
picked = sidebar.pick_dataset()
if picked is None:
    st.stop()
entry, dataset = picked

st.title(md(dataset.name))
if dataset.note:
    st.info(md(dataset.note))
years = dataset.fiscal_years
amount = primary_amount(dataset)
cols = st.columns(4)
cols[0].metric("Districts", f"{len(dataset.districts):,}")
population = dataset.districts["population"].sum(min_count=1)
cols[1].metric("Population", fmt.count(population))
if years:
    latest = SpendingQuery(amount=amount, years=(years[-1],))
    total = int(dataset.sums(latest, by=())["cents"].iloc[0])
    cols[2].metric(f"Spending FY{years[-1]}", fmt.compact_money(total / 100, dataset.currency))
    if population and population > 0:
        cols[3].metric("Per resident", fmt.money(total / 100 / population, dataset.currency, cents=True))
    by_dept = dataset.sums(latest, by=("department",)).set_index("department")["cents"].astype(float) / 100
    if len(by_dept) > 1:
        st.subheader(f"Spending by department, FY{years[-1]}")
        st.bar_chart(by_dept.rename("amount"), horizontal=True, sort="-amount", y_label="",
                     x_label=dataset.currency)
    st.page_link("pages/1_Spending_map.py", label="Open the spending map", icon=":material/map:")
if not dataset.indicators.empty:
    st.page_link("pages/3_Targets.py", label="Results against goals, by district", icon=":material/flag:")
monitoring.home_count(dataset)
st.page_link("pages/7_Hearing.py", label="Hearing mode: step through prepared views on a projector",
             icon=":material/co_present:")

st.subheader("Load report")
report.summary(dataset.report, dataset.citywide_label)
st.page_link("pages/2_Load_report.py", label="Full load report: every problem and unmatched key", icon=":material/receipt_long:")
