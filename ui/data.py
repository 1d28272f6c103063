"""Which datasets exist, and loading them once per file version (cached).

Caches are keyed by simple values (manifest path plus the files' modification
times), never by a GeoDataFrame, as st.cache_* cannot hash those.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from budgetmap import access, workspace
from budgetmap.bivariate import Pairing, pair
from budgetmap.dataset import describe_manifest, open_dataset
from budgetmap.render.leaflet import LayerGeometry, layer_geometry
from budgetmap.maps import MAP_KINDS
from budgetmap.mapspec import MapSpec
from budgetmap.view import SpendingView
from budgetmap.model import Dataset
from budgetmap.model.errors import LoadError
from ui import auth, errors
from ui.text import md

if TYPE_CHECKING:  # statsmodels and scipy load when the regression is first computed, not with the app
    from budgetmap.stats.money import MoneyAndResults

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "geodata" / "demo" / "manifest.toml"
EXTRA_ENV = "BUDGETMAP_DATASETS"  # os.pathsep-separated manifest paths added to the list


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    path: str
    error: str = ""  # why its manifest cannot be read (shown when it is chosen); "" when it can
    workspace: bool = False  # added on the "Add your data" page: it can be removed there
    draft: bool = False  # unpublished: listed only for editors (budgetmap.access); unreadable manifests count as drafts


def _entry(path: Path, key: str | None = None, in_workspace: bool = False) -> Entry | None:
    """A catalogue entry; one whose manifest cannot be read carries the reason, so the
    picker lists it and every other dataset still opens. None for an example whose
    files are not in this checkout (the manifest or its boundary file is missing); a
    workspace dataset is never dropped that way: its missing file is its error."""
    key = key or path.stem
    if not path.exists():
        return None
    broken = f"{path.parent.name if in_workspace else path.name} (cannot be opened)"
    marked = in_workspace and workspace.is_draft(path.parent.name, path.parent.parent)
    try:
        info = describe_manifest(path)
    except Exception as exc:  # noqa: BLE001 - whatever breaks one dataset stays with it
        if isinstance(exc, LoadError) and _is_book(path):
            return None  # examples/ holds budget books beside the manifests
        return Entry(key, broken, str(path.resolve()), errors.message(exc, path), in_workspace, draft=True)
    if not info.boundaries_present:
        if in_workspace:
            return Entry(key, broken, str(path.resolve()), f"{path.parent.name}: its boundary file is missing from "
                         "the workspace folder; remove the dataset and add it again", True, draft=True)
        return None
    return Entry(key, info.name, str(path.resolve()), workspace=in_workspace, draft=info.draft or marked)


def _is_book(path: Path) -> bool:
    """A budget book (a list of [[view]] tables), not a dataset."""
    try:
        return isinstance(tomllib.loads(path.read_text(encoding="utf-8")).get("view"), list)
    except Exception:  # noqa: BLE001 - unreadable: not a book, so it is listed with its error
        return False


@st.cache_data(ttl=60, show_spinner=False)
def _catalogue(extra: str, space: str) -> list[Entry]:
    paths: list[tuple[Path, str | None, bool]] = [(DEMO, "demo", False)]
    paths += [(p, None, False) for p in sorted((ROOT / "examples").glob("*.toml"))]
    paths += [(Path(p), None, False) for p in extra.split(os.pathsep) if p]
    paths += [(p, p.parent.name, True) for p in workspace.manifests(Path(space))]  # key: the folder's name
    return _distinct([e for p, k, w in paths if (e := _entry(p, k, w)) is not None])


def _distinct(entries: list[Entry]) -> list[Entry]:
    """Unique keys and labels: the picker shows labels, and two cities may share a name."""
    seen_keys: set[str] = set()
    labels = [e.label for e in entries]
    out = []
    for entry in entries:
        key = entry.key
        if key in seen_keys:
            key = f"{Path(entry.path).parent.name}-{entry.key}"
        n = 2
        while key in seen_keys:
            key, n = f"{entry.key}-{n}", n + 1
        seen_keys.add(key)
        label = entry.label if labels.count(entry.label) == 1 else f"{entry.label} ({key})"
        out.append(Entry(key, label, entry.path, entry.error, entry.workspace, entry.draft))
    return out


def catalogue() -> list[Entry]:
    """The demo first, then the examples whose data is present, extra manifests, the workspace's datasets,
    less the drafts this session may not see (``budgetmap.access``).

    Only these can be opened: the URL names a key from this list, never a path, so a
    draft's key in a viewer's URL is as unknown as a key that never existed.
    """
    every = _catalogue(os.environ.get(EXTRA_ENV, ""), str(workspace.root()))
    return access.visible(every, auth.access(), lambda e: e.draft)


def refresh() -> None:
    """Forget the cached catalogue (a dataset was added to or removed from the workspace)."""
    _catalogue.clear()


def signature(path: str) -> tuple[tuple[str, int], ...]:
    """Modification times of the manifest and every file beside it that it may name.

    Database tables have no modification time: a change there shows once the
    cached dataset is dropped (restart, or a change to the manifest).
    """
    files = describe_manifest(path).files
    return tuple((str(f), f.stat().st_mtime_ns if f.exists() else 0) for f in files)


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=8)
def _load(path: str, sig: tuple) -> Dataset:
    return open_dataset(path, isolated=True)


def load(path: str) -> Dataset:
    """The dataset at ``path``; raises LoadError or anything else loading hit (the caller turns
    it into a message with ``ui.errors.message``, never a traceback)."""
    return _load(path, signature(path))


@st.cache_resource(show_spinner=False, max_entries=4)
def _draft(path: str, sig: tuple) -> Dataset:
    # The bar is made inside the cached function, so Streamlit replays it (ending at 100%) when the
    # draft comes from the cache: a bar made outside could not be moved from in here (st.cache_*
    # records every element a cached function touches and replays only those it made itself).
    bar = st.progress(0.0, text="Loading the draft dataset…")
    dataset = open_dataset(path, isolated=True, progress=lambda fraction, what: bar.progress(
        min(max(fraction, 0.0), 1.0), text=f"Loading the draft: {md(what)}"))
    bar.progress(1.0, text="Draft loaded: keys joined, join rules looked for")
    return dataset


def load_draft(path: str) -> Dataset:
    """The "Add your data" page's draft, with a progress bar of its load (boundaries, the table by the
    share read, the join, the rule search); its own small cache, so drafts never push the app's
    datasets out of theirs."""
    return _draft(path, signature(path))


@st.cache_resource(max_entries=8, show_spinner=False)
def _geometry(path: str, sig: tuple, layer: str | None) -> LayerGeometry:
    # a bar only when the shapes are encoded (once per layer: the files stay on disk)
    holder, bar = st.empty(), []

    def progress(fraction: float, what: str) -> None:
        if not bar:
            bar.append(holder.progress(0.0, text="Preparing the map's shapes (once for this layer)…"))
        bar[0].progress(min(max(fraction, 0.0), 1.0), text=f"Preparing the map's shapes: {md(what)}")

    geometry = layer_geometry(_load(path, sig).layer(layer).districts, progress)
    holder.empty()
    return geometry


def geometry(path: str, layer: str | None = None) -> LayerGeometry:
    """One boundary layer's shapes as the browser map fetches them, encoded once per file version
    (and kept on disk across restarts: budgetmap.render.mapfiles)."""
    return _geometry(path, signature(path), layer)


@st.cache_resource(max_entries=256)
def _spec(path: str, sig: tuple, kind: str, view: SpendingView) -> MapSpec | None:
    return MAP_KINDS[kind](_load(path, sig), view)


def map_spec(kind: str, path: str, view: SpendingView) -> MapSpec | None:
    """The MapSpec of one kind of map (see budgetmap.maps), cached per dataset version and view."""
    return _spec(path, signature(path), kind, view)


def spending_spec(path: str, view: SpendingView) -> MapSpec:
    """The MapSpec of a spending view."""
    return map_spec("spending", path, view)


@st.cache_resource(max_entries=64)
def _money(path: str, sig: tuple, view: SpendingView) -> MoneyAndResults | None:
    from budgetmap.stats.money import money_and_results

    return money_and_results(_load(path, sig), view, view.control)


def money(path: str, view: SpendingView) -> MoneyAndResults | None:
    """Correlation and regression of the gap to goal on spending (``view.control`` held fixed), cached."""
    return _money(path, signature(path), view)


@st.cache_resource(max_entries=64)
def _pairing(path: str, sig: tuple, view: SpendingView) -> Pairing | None:
    return pair(_load(path, sig), view)


def pairing(path: str, view: SpendingView) -> Pairing | None:
    """Money against results per district (budgetmap.bivariate), cached like the map specs."""
    return _pairing(path, signature(path), view)
