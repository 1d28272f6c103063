"""Renderers: a MapSpec in, a drawable map out. No streamlit here."""
