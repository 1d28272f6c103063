"""Download buttons for any map: print snapshots, the data behind it, the standalone map.

Every file is made from the same MapSpec the browser map draws, and only when its
button is pressed (a callable), so a rerun never pays for a 300-dpi render.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import streamlit as st

from budgetmap import exports
from budgetmap.mapspec import MapSpec
from budgetmap.render import static
from budgetmap.render.furniture import context_for
from budgetmap.render.standalone import standalone_html
from budgetmap.view import SpendingView
from budgetmap.model import Dataset


@dataclass(frozen=True)
class Export:
    label: str
    extension: str
    mime: str
    make: Callable[..., bytes]  # (spec, dataset, view, link) -> bytes


def _snapshot(fmt: str, spec: MapSpec, dataset: Dataset, view: SpendingView, link: str) -> bytes:
    return static.render(spec, dataset.layer(spec.layer).districts, fmt, permalink=link,
                         context=context_for(dataset, spec.layer))


def _table(writer: Callable, spec: MapSpec, dataset: Dataset, view: SpendingView, link: str) -> bytes:
    return writer(spec, exports.map_reconciliation(dataset, view, spec))


def _geojson(spec: MapSpec, dataset: Dataset, view: SpendingView, link: str) -> bytes:
    return exports.to_geojson(spec, dataset.layer(spec.layer).districts, exports.map_reconciliation(dataset, view, spec))


def _html(spec: MapSpec, dataset: Dataset, view: SpendingView, link: str) -> bytes:
    return standalone_html(spec, dataset.layer(spec.layer).districts).encode("utf-8")


#: The download table: one row per file a map can be saved as.
EXPORTS: tuple[Export, ...] = (
    Export("Snapshot PNG (300 dpi)", "png", "image/png", partial(_snapshot, "png")),
    Export("Snapshot SVG", "svg", "image/svg+xml", partial(_snapshot, "svg")),
    Export("Snapshot PDF", "pdf", "application/pdf", partial(_snapshot, "pdf")),
    Export("Data CSV", "csv", "text/csv", partial(_table, exports.to_csv)),
    Export("Data Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           partial(_table, exports.to_xlsx)),
    Export("Data GeoJSON", "geojson", "application/geo+json", _geojson),
    Export("Interactive map, offline (HTML)", "html", "text/html", _html),
)


def menu(spec: MapSpec, dataset: Dataset, view: SpendingView, link: str, key: str) -> None:
    """A 'Download' popover with every format; files are made when their button is pressed."""
    with st.popover("Download", icon=":material/download:"):
        for item in EXPORTS:
            st.download_button(item.label, data=partial(item.make, spec, dataset, view, link),
                               file_name=exports.export_name(spec, item.extension), mime=item.mime,
                               on_click="ignore", key=f"{key}_{item.extension}", width="stretch")
