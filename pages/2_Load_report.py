"""Load report: what was read, used and refused, and how the keys joined."""
import streamlit as st

from budgetmap.report_text import report_text
from ui import report, sidebar
from ui.text import md

st.set_page_config(page_title="Load report · budgetmap", layout="wide")
picked = sidebar.pick_dataset()
if picked is None:
    st.stop()
entry, dataset = picked
st.title(f"Load report — {md(dataset.name)}")
st.caption(md(f"Manifest: {dataset.report.manifest}"))
report.details(dataset.report)
with st.expander("As text (the same as `python -m budgetmap check`)"):
    st.code(report_text(dataset.report, dataset.currency), language=None)
