"""Sidebar widgets: the dataset picker and the spending-map filters."""
from __future__ import annotations

import streamlit as st

from budgetmap.classify import CLASS_RANGE, SCHEMES, parse_breaks
from budgetmap.measures import MEASURES, available
from budgetmap.palettes import PALETTES
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from budgetmap.fields import shown
from ui import auth, data, errors, hearing
from ui.state import seed
from ui.text import md


def pick_dataset() -> tuple[data.Entry, Dataset] | None:
    """Sidebar dataset choice (seeded from ?dataset=); a dataset that cannot be opened shows its
    message (never a traceback) and the others stay in the list."""
    auth.sidebar()
    entries = data.catalogue()
    keys = [e.key for e in entries]
    if st.session_state.get("dataset") not in (None, *keys):
        del st.session_state["dataset"]  # signed out, or unpublished meanwhile: chosen again as for a new session
    if "dataset" in st.session_state:
        # Streamlit resets a keyed widget when the page changes unless its value is set again
        st.session_state["dataset"] = st.session_state["dataset"]
    else:
        wanted = st.query_params.get("dataset", "demo")
        st.session_state["dataset"] = wanted if wanted in keys else keys[0]
        if wanted not in keys:
            st.toast(f"No dataset {md(shown(wanted))} here: showing {md(entries[0].label)}.")
    key = st.sidebar.selectbox("Dataset", keys, key="dataset",
                               format_func=lambda k: next(_label(e) for e in entries if e.key == k))
    entry = next(e for e in entries if e.key == key)
    hearing.switch()
    if entry.error:
        st.error(f"This dataset cannot be opened: {md(entry.error)}")
        return None
    try:
        return entry, data.load(entry.path)
    except Exception as exc:  # noqa: BLE001 - a person sees a message, never a traceback
        st.error(f"This dataset cannot be loaded: {md(errors.message(exc, entry.path, loading=True))}")
    return None


def _label(entry: data.Entry) -> str:
    """The picker's label: drafts say so, as only editors (or everyone, on an app without sign-in) see them."""
    return f"{entry.label} (draft)" if entry.draft and not entry.error else entry.label  # broken: says so already


def _categories(dataset: Dataset, start: SpendingView) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, tuple[str, ...]] = {}
    for column, label, initial in (("department", "Department", start.departments),
                                   ("program", "Program", start.programs), ("fund", "Fund", start.funds)):
        options = dataset.categories(column, chosen if column == "program" else None)
        if not options:
            chosen[column] = ()
            continue
        seed(f"f_{column}", [v for v in initial if v in options])
        st.session_state[f"f_{column}"] = [v for v in st.session_state[f"f_{column}"] if v in options]
        chosen[column] = tuple(st.multiselect(label, options, key=f"f_{column}", placeholder="All"))
    return chosen


def _years(years: list[int], start: SpendingView, span: bool,
           lock: bool = True) -> tuple[int | None, int | None, int | None]:
    """(year, since, classes_from): one year, or several added up, and an optional class lock."""
    if not years:
        return None, None, None
    since = None
    if span and len(years) > 1:
        seed("f_span", start.since is not None)
        if st.toggle("Add up several years", key="f_span",
                     help="For example five years of investment per resident."):
            first = start.since if start.since in years else years[0]
            last = start.fiscal_year if start.fiscal_year in years and start.fiscal_year > first else years[-1]
            if not isinstance(st.session_state.get("f_years"), tuple):
                st.session_state["f_years"] = (first, last)
            since, year = st.select_slider("Fiscal years", years, key="f_years", format_func=lambda y: f"FY{y}")
            return year, (since if since < year else None), None
    seed("f_year", start.fiscal_year if start.fiscal_year in years else years[-1])
    year = st.select_slider("Fiscal year", years, key="f_year", format_func=lambda y: f"FY{y}")
    if not span or not lock or len(years) < 2:
        return year, None, None
    seed("f_lock", start.classes_from is not None)
    if not st.toggle("Lock classes to one year", key="f_lock",
                     help="Keep one year's class breaks while the year changes; districts outside them are hatched."):
        return year, None, None
    if st.session_state.get("f_lock_year") not in years:
        st.session_state["f_lock_year"] = start.classes_from if start.classes_from in years else years[0]
    return year, None, st.selectbox("Classes from", years, key="f_lock_year", format_func=lambda y: f"FY{y}")


def spending_filters(dataset: Dataset, start: SpendingView, *, span: bool = True, classes: bool = True) -> SpendingView:
    """All spending-map widgets; returns the view they describe (``span``: offer several years;
    ``classes``: the class and palette widgets, which a map not coloured by classes has no use for)."""
    side = st.sidebar
    with side:
        layer = layer_picker(dataset, start)
        districts = dataset.layer(layer).districts
        measures = [m.key for m in available(districts["population"].notna().any())]
        seed("f_measure", start.measure if start.measure in measures else measures[0])
        measure = st.selectbox("Measure", measures, key="f_measure", format_func=lambda k: MEASURES[k].label)
        year, since, classes_from = _years(dataset.fiscal_years, start, span, lock=classes)
        amount = "actual"
        if dataset.has_budget and dataset.has_actual:
            seed("f_amount", start.amount)
            amount = st.radio("Amount", ["actual", "budget"], key="f_amount", horizontal=True,
                              format_func=str.capitalize)
        elif dataset.has_budget:
            amount = "budget"
        chosen = _categories(dataset, start)
        if not classes:
            return start.with_(measure=measure, fiscal_year=year, amount=amount, since=since, classes_from=None,
                               departments=chosen["department"], programs=chosen["program"], funds=chosen["fund"],
                               selected=st.session_state.get("selected", start.selected), layer=layer)
        st.subheader("Classes")
        seed("f_scheme", start.scheme)
        scheme = st.selectbox("Classification", list(SCHEMES), key="f_scheme", format_func=lambda k: SCHEMES[k].label)
        seed("f_k", start.k)
        k = st.slider("Number of classes", *CLASS_RANGE, key="f_k")
        manual = _manual_breaks(start) if SCHEMES[scheme].needs_manual else ()
        seed("f_palette", start.palette)
        palette = st.selectbox("Palette (colour-blind safe)", list(PALETTES), key="f_palette",
                               format_func=lambda k: PALETTES[k].label)
    return start.with_(measure=measure, fiscal_year=year, amount=amount, since=since, classes_from=classes_from,
                       departments=chosen["department"], programs=chosen["program"],
                       funds=chosen["fund"], scheme=scheme, k=k, manual_breaks=manual,
                       palette=palette, selected=st.session_state.get("selected", start.selected), layer=layer)


def layer_picker(dataset: Dataset, start: SpendingView, keys: list[str] | None = None,
                 help: str = "Which set of districts the money is mapped on.") -> str | None:
    """Which boundary layer the map is drawn on, among ``keys`` (default: all) where there are two or more.

    Returns None for the dataset's default layer, as ``SpendingView.layer`` holds it.
    """
    keys = dataset.layer_keys() if keys is None else keys
    if len(keys) < 2:
        return None if not keys or keys[0] == dataset.default_layer else keys[0]
    labels = {layer.key: layer.label for layer in dataset.layers}
    first = start.layer if start.layer in keys else (dataset.default_layer if dataset.default_layer in keys
                                                     else keys[0])
    # Re-asserted, not seeded: each page's picker is another widget (its own help and choices), and
    # Streamlit gives a new widget its default even when the key still holds the last page's choice.
    current = st.session_state.get("f_layer")
    st.session_state["f_layer"] = current if current in keys else first
    chosen = st.selectbox("Boundaries", keys, key="f_layer", format_func=lambda k: labels[k], help=help)
    return None if chosen == dataset.default_layer else chosen


def _manual_breaks(start: SpendingView) -> tuple[float, ...]:
    seed("f_breaks", ", ".join(f"{b:g}" for b in start.manual_breaks))
    text = st.text_input("Class breaks (upper bounds, separated by commas)", key="f_breaks",
                         help="For example: 200, 400, 800. No thousands separators.")
    try:
        return parse_breaks(text)
    except ValueError as exc:
        st.warning(f"Manual breaks ignored: {md(exc)}")
        return ()
