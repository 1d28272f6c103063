"""Add your data: upload boundaries and a spending table, confirm the columns, save to the workspace."""
import streamlit as st

from ui import add_data

st.set_page_config(page_title="Add your data · budgetmap", layout="wide")
add_data.page()
