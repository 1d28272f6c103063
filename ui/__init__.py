"""The shared Streamlit pieces: the only package besides app.py and app_pages/ that imports streamlit."""
