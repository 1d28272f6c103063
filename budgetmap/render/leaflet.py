"""MapSpec -> what the browser map component draws: small arrays, not text.

A layer's shapes are encoded once (``budgetmap.render.geopack``), written to the
map's static files (``budgetmap.render.mapfiles``) and fetched by the browser over
HTTP. A repaint's arguments then carry, per district in the layer's drawing order,
one character naming its fill in a short palette, the few hatched or outlined
districts, and the name of one small file with the map's words (tooltips and each
district's accessible name), which the browser fetches when it needs them. So a
repaint at 70,000 districts is about 70 KB, not megabytes of tooltip text.

All data text stays plain strings; the front end inserts it with ``textContent``:
names are never markup. ``read_args`` turns the arguments back into per-district
dictionaries, for tests and anything else that wants to know what the map shows.
"""
from __future__ import annotations

import base64
import json
import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from budgetmap import geo_extent
from budgetmap.map_flags import stroke
from budgetmap.mapspec import MapSpec
from budgetmap.palettes import OUTLINE
from budgetmap.render import geopack, mapfiles

FRONTEND = Path(__file__).parent / "frontend"
#: Above this many districts the map draws on one canvas instead of one SVG path each
#: (``BUDGETMAP_CANVAS_FROM`` overrides it: the browser tests draw the demo on canvas too).
CANVAS_FROM = 2000
CANVAS_ENV = "BUDGETMAP_CANVAS_FROM"
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
#: Up to this many districts the map's words travel inside the arguments (about 20 KB at 100,
#: deflated several-fold on the socket): a city's repaint then needs no second round trip
#: before its fills and names change. Bigger maps fetch them as a file (``text_file``).
TEXT_INLINE_MAX = 100
NOT_MAPPED = "~"  # a district of the layer that the map has no feature for (drawn grey, no tooltip)
NO_FILL = "#bdbdbd"


@dataclass(frozen=True)
class LayerGeometry:
    """One layer's shapes as the browser gets them: ids in drawing order, and the header of its bands."""

    key: str
    ids: tuple[str, ...]
    header: dict[str, Any]
    bounds: list[list[float]]  # [[south, west], [north, east]]
    outline_weight: float = 1.0  # outlines thin when districts are small, so fills stay visible

    @cached_property
    def position(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.ids)}


def _lonlat(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lon/lat, with a layer that crosses the 180th meridian made contiguous (the Aleutians
    beside Alaska, not across the globe), so the map fits where the districts are."""
    if districts.crs is not None and districts.crs.to_epsg() != 4326:
        districts = districts.to_crs(4326)
    return geo_extent.unwrap(districts)


def layer_geometry(districts: gpd.GeoDataFrame,
                   progress: Callable[[float, str], None] | None = None) -> LayerGeometry:
    """Encode a layer (or find it already on disk) and write its files; fast on a second call.
    ``progress`` hears of the encoding's steps, and is not called when the files exist."""
    districts = _lonlat(districts)
    ids = tuple(str(d) for d in districts["district_id"])
    geoms = districts.geometry.values
    key = geopack.geometry_key(ids, np.asarray(geoms, dtype=object))
    header = mapfiles.cached_header(key)
    if header is None:
        header = mapfiles.write_pack(geopack.pack(ids, geoms, key, progress))
    return LayerGeometry(key, ids, header, bounds(districts), geo_extent.outline_width(districts, geopack.FIT_PX))


def inline_geometry(districts: gpd.GeoDataFrame) -> tuple[LayerGeometry, dict[str, Any]]:
    """A layer's full-detail band inside the arguments (the standalone HTML file has no server)."""
    districts = _lonlat(districts)
    ids = tuple(str(d) for d in districts["district_id"])
    packed = geopack.pack(ids, districts.geometry.values)
    header = packed.header()
    full = packed.bands[-1]
    header["bands"] = [{**header["bands"][-1], "data": base64.b64encode(full.data).decode("ascii")}]
    return LayerGeometry(packed.key, ids, header, bounds(districts),
                         geo_extent.outline_width(districts, geopack.FIT_PX)), header


def bounds(districts: gpd.GeoDataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] of a layer ``_lonlat`` has already unwrapped, as Leaflet fits it
    (its plain bounds: asking ``geo_extent.bounds`` would plan the unwrapping a second time)."""
    minx, miny, maxx, maxy = districts.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def map_text(spec: MapSpec, geometry: LayerGeometry) -> dict[str, Any]:
    """The map's words in drawing order: each district's accessible name and tooltip rows (None: unmapped)."""
    labels: list[str | None] = [None] * len(geometry.ids)
    tips: list[list | None] = [None] * len(geometry.ids)
    where = geometry.position
    for f in spec.features:
        i = where.get(f.district_id)
        if i is not None:
            labels[i] = f"{f.name}: {f.label}"
            tips[i] = spec.tooltip_rows(f)
    return {"title": spec.title, "labels": labels, "tips": tips}


_written: dict[tuple[int, str], tuple[weakref.ref, str]] = {}


def text_file(spec: MapSpec, geometry: LayerGeometry) -> str | None:
    """Write the map's words to the static files once per (spec, layer); returns the file name,
    or None for a map of at most ``TEXT_INLINE_MAX`` districts (its words go in the arguments).

    Specs are cached by the app, so a repaint to a view seen before writes nothing.
    """
    if len(geometry.ids) <= TEXT_INLINE_MAX:
        return None
    memo = _written.get((id(spec), geometry.key))
    if memo is not None and memo[0]() is spec:
        return memo[1]
    name = mapfiles.write_text(map_text(spec, geometry))
    if len(_written) > 2048:
        for k in [k for k, (ref, _) in _written.items() if ref() is None]:
            del _written[k]
    _written[(id(spec), geometry.key)] = (weakref.ref(spec), name)
    return name


def map_arrays(spec: MapSpec, geometry: LayerGeometry) -> dict[str, Any]:
    """Per district, in drawing order: fill (a palette letter), hatching and outline marks."""
    palette: list[str] = []
    letters = [NOT_MAPPED] * len(geometry.ids)
    hatch: list[int] = []
    marks: dict[tuple, list[int]] = {}
    where = geometry.position
    for f in spec.features:
        i = where.get(f.district_id)
        if i is None:
            continue
        if f.fill not in palette:
            palette.append(f.fill)
        letters[i] = ALPHABET[palette.index(f.fill)]
        if f.pattern == "hatch":
            hatch.append(i)
        if f.marks:
            marks.setdefault((*stroke(f.marks), " ".join(f.marks)), []).append(i)
    if len(palette) > len(ALPHABET):
        raise ValueError(f"a map of {len(palette)} colours cannot be sent (at most {len(ALPHABET)})")
    # marks: one entry per outline style with the districts that carry it (7,000 outliers at 70,000
    # districts cost 220 KB per repaint keyed one by one)
    return {"palette": palette, "fills": "".join(letters), "hatch": sorted(hatch),
            "marks": [[*style, sorted(at)] for style, at in marks.items()]}


def canvas_from() -> int:
    """The district count above which the map is drawn on canvas."""
    try:
        return int(os.environ.get(CANVAS_ENV, "").strip() or CANVAS_FROM)
    except ValueError:
        return CANVAS_FROM


def component_args(spec: MapSpec, geometry: LayerGeometry, *, files: str | None = None,
                   inline_geometry_header: dict[str, Any] | None = None, text_name: str | None = None,
                   height: int = 560, basemap: dict[str, str] | None = None,
                   outline_weight: float | None = None) -> dict[str, Any]:
    """Everything the front end needs, as JSON-safe values.

    ``files`` is the URL folder of the map's static files (the app); without it the
    geometry header and the map's words travel inline (the standalone HTML file, tests).
    """
    inline = files is None
    return {
        "geometry": {"key": geometry.key, "files": files, "header": inline_geometry_header if inline else None},
        "text": {"name": text_name, "inline": map_text(spec, geometry) if inline or text_name is None else None},
        "renderer": "canvas" if len(geometry.ids) > canvas_from() else "svg",
        **map_arrays(spec, geometry),
        "selected": spec.selected,
        "bounds": geometry.bounds,
        "outline": OUTLINE,
        "outline_weight": geometry.outline_weight if outline_weight is None else outline_weight,
        "height": height,
        "basemap": basemap,
        "title": spec.title,
        "points": [[p.lat, p.lon, p.label] for p in spec.points],
    }


def read_args(args: dict[str, Any]) -> dict[str, Any]:
    """The arguments with what they draw, per district id: ``ids``, ``styles``, ``patterns``,
    ``marks`` (these keyed by id), ``tooltips`` and ``labels`` (unmapped districts left out), read back
    from the arrays and the files they name, as the front end reads them."""
    header = args["geometry"]["header"] or json.loads(mapfiles.read(mapfiles.header_name(args["geometry"]["key"])))
    text = args["text"]["inline"] or json.loads(mapfiles.read(args["text"]["name"]))
    ids = header["ids"]
    out: dict[str, Any] = {**args, "ids": ids, "styles": {}, "patterns": {}, "marks": {}, "tooltips": {},
                           "labels": {}}
    for i, (district, letter) in enumerate(zip(ids, args["fills"])):
        if letter == NOT_MAPPED:
            continue
        out["styles"][district] = args["palette"][ALPHABET.index(letter)]
        out["tooltips"][district] = text["tips"][i]
        out["labels"][district] = text["labels"][i]
    for i in args["hatch"]:
        out["patterns"][ids[i]] = "hatch"
    for *style, at in args["marks"]:
        for i in at:
            out["marks"][ids[i]] = style
    return out


def drawn(spec: MapSpec, districts: gpd.GeoDataFrame | None = None) -> dict[str, Any]:
    """``read_args`` of the arguments the app would send for ``spec`` (on ``districts``, or on
    the spec's own districts in its order when no layer is given)."""
    if districts is not None:
        geometry, header = inline_geometry(districts)
    else:
        ids = tuple(f.district_id for f in spec.features)
        header = {"ids": list(ids)}
        geometry = LayerGeometry("spec", ids, header, [])
    return read_args(component_args(spec, geometry, inline_geometry_header=header))
