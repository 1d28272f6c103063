"""budgetmap: the router. Page config once, then the page the address names (ui/navigation.py)."""
import streamlit as st

from ui import first_paint, navigation, style

st.set_page_config(page_title="budgetmap", layout="wide")  # a :material: page_icon is fetched from a font CDN
style.apply()  # the few global rules Streamlit's theme cannot say (focus on the data grid)
first_paint.begin()  # the session's first run draws the map first (ui/first_paint.py)
navigation.run()
