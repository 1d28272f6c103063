"""Peer districts: the districts most like one district on the indicators chosen.

"Compare like with like": a district's story is fairer beside districts that
resemble it than beside the city's average. Each chosen indicator is turned
into z-scores across the districts (scipy's ``zscore``: mean 0, standard
deviation 1, so percentages and minutes weigh alike) and districts are ranked
by Euclidean distance from the chosen one (scipy's ``cdist``). Equal distances
are broken by district id, so the list never changes between runs. Only
districts with a value for every chosen indicator take part; the others are
named in ``Peers.left_out``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap.model import Dataset
from budgetmap.target_map import resolve_indicator_year
from budgetmap.targets import district_frame, indicator_layer

#: Peers listed by default.
DEFAULT_PEERS = 5


@dataclass(frozen=True)
class Peer:
    district_id: str
    name: str
    distance: float  # in standard deviations (Euclidean over the z-scores)


@dataclass(frozen=True)
class Peers:
    """The nearest districts, nearest first, and what they were compared on."""

    district_id: str
    indicators: tuple[str, ...]
    years: tuple[int, ...]  # the year of each indicator: the one asked for, else its latest
    peers: tuple[Peer, ...]
    left_out: tuple[str, ...]  # districts missing a value of some chosen indicator


def indicator_table(dataset: Dataset, indicators: Sequence[str], year: int | None,
                    layer: str | None = None) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """One row per district, one column per indicator (its reported value), and the year of each."""
    layer = indicator_layer(dataset, layer)
    frame = pd.DataFrame(dataset.layer(layer).districts[["district_id", "name"]]).reset_index(drop=True)
    frame["district_id"] = frame["district_id"].astype(str)
    years = []
    for key in indicators:
        chosen = resolve_indicator_year(dataset, key, year, layer)
        if chosen is None:
            raise KeyError(f"{key!r} has no district values on this layer")
        years.append(chosen)
        frame[key] = district_frame(dataset, key, chosen, layer)["value"].to_numpy(float)
    return frame, tuple(years)


def peers(dataset: Dataset, district_id: str, indicators: Sequence[str], year: int | None = None,
          k: int = DEFAULT_PEERS, layer: str | None = None) -> Peers:
    """The ``k`` districts nearest ``district_id`` on ``indicators`` (z-scores, Euclidean, ties by id).

    A district with no value for a chosen indicator has no peers (``peers`` is
    empty); an indicator with no spread (every district alike) counts for nothing.
    """
    from scipy.spatial.distance import cdist
    from scipy.stats import zscore

    if not indicators:
        raise ValueError("choose at least one indicator to compare districts on")
    frame, years = indicator_table(dataset, indicators, year, layer)
    values = frame[list(indicators)].to_numpy(float)
    complete = np.isfinite(values).all(axis=1)
    left_out = tuple(frame.loc[~complete, "district_id"])
    if district_id not in set(frame.loc[complete, "district_id"]):
        return Peers(district_id, tuple(indicators), years, (), left_out)
    kept = frame[complete].reset_index(drop=True)
    scores = np.nan_to_num(zscore(values[complete], axis=0), nan=0.0)  # no spread: zscore gives NaN
    me = int(np.flatnonzero(kept["district_id"].to_numpy() == district_id)[0])
    distance = cdist(scores[me:me + 1], scores)[0]
    # rounded so that distances equal but for the last bits tie, and the id decides
    order = sorted((round(float(d), 9), str(i), str(n)) for d, i, n in zip(distance, kept["district_id"], kept["name"])
                   if i != district_id)
    return Peers(district_id, tuple(indicators), years,
                 tuple(Peer(i, n, d) for d, i, n in order[:k]), left_out)
