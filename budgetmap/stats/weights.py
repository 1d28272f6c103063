"""Who neighbours whom: spatial weights from district boundaries, as a registry.

Moran's I, LISA and Gi* all compare a district with its neighbours, so the
choice of neighbours is part of the answer. Queen contiguity (sharing a border
or a corner) is the default, as in GeoDa and most published work; rook (a
border only) and k nearest neighbours are offered. Weights are built with
libpysal and row-standardised, so each district's neighbours together weigh 1.

Only districts with a value take part: a district with no data is left out of
the weights altogether. A district left with no neighbour (an island across a
river or a sea, or one whose every neighbour has no data) is named in
``Neighbours.islands`` and left out of the statistics, never silently dropped.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd

if TYPE_CHECKING:
    from libpysal.weights import W

#: Neighbours of each district under ``knn``: four, as in GeoDa's default for k-nearest weights.
KNN_K = 4
#: Mean Earth radius in km (IUGG): k-nearest distances are great-circle distances between centroids.
EARTH_RADIUS_KM = 6371.0088
#: Equal-area CRS the centroids are found in (the one area_km2 is computed in), then read as lon/lat.
EQUAL_AREA = "EPSG:6933"


def _queen(frame: gpd.GeoDataFrame) -> W:
    from libpysal.weights import Queen

    return Queen.from_dataframe(frame, use_index=True, silence_warnings=True)


def _rook(frame: gpd.GeoDataFrame) -> W:
    from libpysal.weights import Rook

    return Rook.from_dataframe(frame, use_index=True, silence_warnings=True)


def _knn(frame: gpd.GeoDataFrame) -> W:
    from libpysal.weights import KNN

    centroids = frame.geometry.to_crs(EQUAL_AREA).centroid.to_crs("EPSG:4326")
    points = gpd.GeoDataFrame(geometry=centroids, index=frame.index)
    k = min(KNN_K, len(frame) - 1)
    return KNN.from_dataframe(points, k=k, radius=EARTH_RADIUS_KM, silence_warnings=True)


@dataclass(frozen=True)
class Weights:
    """One way of choosing neighbours; ``build`` takes districts indexed by id, in EPSG:4326."""

    key: str
    label: str
    description: str
    build: Callable[[gpd.GeoDataFrame], W]


WEIGHTS: dict[str, Weights] = {w.key: w for w in (
    Weights("queen", "Queen contiguity", "districts that share a border or a corner are neighbours; the default",
            _queen),
    Weights("rook", "Rook contiguity", "districts that share a border (a stretch of line, not a single point)",
            _rook),
    Weights("knn", f"{KNN_K} nearest neighbours",
            f"the {KNN_K} districts whose centroids are nearest (great-circle distance); no district is an "
            "island, so it suits cities cut by water", _knn),
)}
DEFAULT_WEIGHTS = "queen"


@dataclass(frozen=True)
class Neighbours:
    """Row-standardised weights over the districts that take part, and the islands left out."""

    weights: W | None  # None when fewer than two districts have neighbours
    ids: tuple[str, ...]  # districts in the weights, in the order of the values
    islands: tuple[str, ...]  # districts with a value but no neighbour with a value
    key: str  # the WEIGHTS entry used

    @property
    def n(self) -> int:
        return len(self.ids)


def neighbours(districts: gpd.GeoDataFrame, ids: Sequence[str], key: str = DEFAULT_WEIGHTS) -> Neighbours:
    """Weights among ``ids`` (districts with a value), in their order, with islands taken out.

    ``districts`` is a layer's frame (``district_id``, ``geometry``). An island
    has no neighbour, so taking it out changes no one else's neighbours; the
    weights are built again without the islands so the statistics see none.
    """
    rule = WEIGHTS[key]
    frame = districts.set_index("district_id").loc[list(ids), ["geometry"]]
    frame.index = frame.index.astype(str)
    if len(frame) < 2:
        return Neighbours(None, (), tuple(frame.index), key)
    w = _built(rule, frame)
    islands = tuple(str(i) for i in frame.index if i in set(map(str, w.islands)))
    kept = frame.drop(index=list(islands))
    if len(kept) < 2:
        return Neighbours(None, (), tuple(frame.index), key)
    if islands:
        w = _built(rule, kept)
    w.transform = "r"
    return Neighbours(w, tuple(kept.index), islands, key)


def _built(rule: Weights, frame: gpd.GeoDataFrame) -> W:
    """libpysal's weights with plain-str ids (KNN hands back numpy strings)."""
    from libpysal.weights import W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not fully connected": islands are reported, not warned about
        built = rule.build(frame)
        neighbours = {str(i): [str(j) for j in built.neighbors[i]] for i in built.id_order}
        weights = {str(i): list(built.weights[i]) for i in built.id_order}
        return W(neighbours, weights, id_order=[str(i) for i in frame.index], silence_warnings=True)
