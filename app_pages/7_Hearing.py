"""Hearing: step through prepared views on a projector, one title card and map at a time."""
import streamlit as st

from budgetmap.hearing import default_slides
from ui import hearing, layout, slideshow

entry, dataset, start = layout.open_page("Hearing")
hearing.apply_style()
slides = hearing.slides() or default_slides(entry.key, dataset)
index = slideshow.current(len(slides))
slideshow.stepper(index, len(slides))
slideshow.show(slides[index], index + 1)
wanted = {"dataset": entry.key, slideshow.STEP: str(index + 1)}
if {k: st.query_params.get(k) for k in st.query_params} != wanted:
    st.query_params.from_dict(wanted)
slideshow.list_tools(slides, ready_made=not hearing.slides())
