"""Load report: what was read, used and refused, and how the keys joined."""
from pathlib import Path

import streamlit as st

from budgetmap.report_text import report_text
from ui import report, sidebar
from ui.errors import plain
from ui.text import md

st.set_page_config(page_title="Load report · budgetmap", layout="wide")
picked = sidebar.pick_dataset()
if picked is None:
    st.stop()
entry, dataset = picked
st.title(f"Load report — {md(dataset.name)}")
folder = [Path(entry.path).parent]  # paths shown relative: no server paths on screen
st.caption(md(f"Manifest: {plain(str(dataset.report.manifest), folder)}"))
report.details(dataset.report, dataset.citywide_label, dataset.currency)
with st.expander("As text (the same as `python -m budgetmap check`)"):
    st.code(plain(report_text(dataset.report, dataset.currency, dataset.citywide_label), folder), language=None)
