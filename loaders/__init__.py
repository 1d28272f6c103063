"""Loaders: manifest, file reading, joins, load report and the Dataset model (no Streamlit)."""
