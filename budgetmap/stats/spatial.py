"""Clusters and hot spots: global Moran's I, local Moran (LISA) and Getis-Ord Gi*, from esda.

Each statistic is tested by permutation: the values are shuffled among the
districts ``PERMUTATIONS`` times and the observed statistic is compared with the
shuffles. ``p_sim`` is esda's pseudo p-value, (shuffles at least as extreme + 1)
/ (PERMUTATIONS + 1), one-sided in the direction observed; with 999 shuffles the
smallest possible is 0.001. The shuffles are drawn from a fixed seed (``SEED``),
so the same data gives the same p-values on every run and machine.

A result is significant when ``p_sim < alpha`` (default ``ALPHA`` = 0.05), as in
esda's own cluster labels. With many districts some will pass by chance (about
one in twenty under no pattern at all), which the docs say in words.
"""
from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from budgetmap.stats.weights import Neighbours

PERMUTATIONS = 999
SEED = 12345  # the seed esda's own tests use
ALPHA = 0.05

#: esda's quadrant numbers (``Moran_Local.q``) -> (code, label, what it means).
QUADRANTS: dict[int, tuple[str, str, str]] = {
    1: ("HH", "High-high", "a high value among high neighbours: part of a cluster of high values"),
    2: ("LH", "Low-high", "a low value among high neighbours: a low outlier in a high area"),
    3: ("LL", "Low-low", "a low value among low neighbours: part of a cluster of low values"),
    4: ("HL", "High-low", "a high value among low neighbours: a high outlier in a low area"),
}
#: Getis-Ord Gi* classes: key -> label.
HOTSPOTS: dict[str, str] = {"hot": "Hot spot (high values and high neighbours)",
                            "cold": "Cold spot (low values and low neighbours)",
                            "ns": "Not significant"}

#: The local statistics a cluster map can show: key -> label.
STATISTICS: dict[str, str] = {"lisa": "Local Moran (LISA) clusters and outliers",
                              "gi": "Getis-Ord Gi* hot and cold spots"}

_GLOBAL_RANDOM = threading.Lock()


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """esda's global Moran draws from numpy's global generator, and its local statistics seed that generator
    themselves: seed it here, and put back the state the rest of the program had."""
    with _GLOBAL_RANDOM:
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            yield
        finally:
            np.random.set_state(state)


@contextmanager
def _quiet() -> Iterator[None]:
    """esda's notice that its permutation test will become two-sided by default is not for readers:
    the p-values here are today's one-sided ones, and the docs say so."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


@dataclass(frozen=True)
class GlobalMoran:
    """Moran's I over all districts in the weights: above EI means like values sit together."""

    I: float  # noqa: E741 (the statistic's own name)
    EI: float  # its expected value with no pattern, -1 / (n - 1)
    p_sim: float
    z_sim: float
    n: int
    permutations: int

    def significant(self, alpha: float = ALPHA) -> bool:
        return bool(self.p_sim < alpha)


@dataclass(frozen=True)
class LocalResult:
    """One district's local statistic: its quadrant or hot/cold class, pseudo p-value and significance."""

    district_id: str
    code: str  # "HH", "LH", "LL", "HL"; or "hot", "cold" for Gi*
    p_sim: float
    significant: bool
    statistic: float  # the local Moran Ii, or Gi*'s z-score


def _pseudo_p(p: float) -> float:
    """esda's local p_sim come back as float32 (0.004999999888); each is a whole count over 1000."""
    shuffles = PERMUTATIONS + 1
    return round(float(p) * shuffles) / shuffles


def _usable(values: np.ndarray, neighbours: Neighbours) -> bool:
    return neighbours.weights is not None and neighbours.n >= 3 and float(np.nanstd(values)) > 0


def global_moran(values: np.ndarray, neighbours: Neighbours) -> GlobalMoran | None:
    """Moran's I of ``values`` (aligned with ``neighbours.ids``); None with fewer than three districts
    or values that are all the same (no variation, nothing to cluster)."""
    from esda.moran import Moran

    if not _usable(values, neighbours):
        return None
    with _seeded(SEED), _quiet():
        m = Moran(values, neighbours.weights, transformation="r", permutations=PERMUTATIONS)
    return GlobalMoran(float(m.I), float(m.EI), float(m.p_sim), float(m.z_sim), neighbours.n, PERMUTATIONS)


def local_moran(values: np.ndarray, neighbours: Neighbours, alpha: float = ALPHA) -> tuple[LocalResult, ...]:
    """Each district's LISA quadrant and pseudo p-value (conditional permutation, seeded)."""
    from esda.moran import Moran_Local

    if not _usable(values, neighbours):
        return ()
    with _seeded(SEED), _quiet():  # esda seeds numpy's global generator itself: put it back afterwards
        lm = Moran_Local(values, neighbours.weights, transformation="r", permutations=PERMUTATIONS,
                         seed=SEED, n_jobs=1, keep_simulations=False)
    return tuple(LocalResult(i, QUADRANTS[int(q)][0], _pseudo_p(p), _pseudo_p(p) < alpha, float(s))
                 for i, q, p, s in zip(neighbours.ids, lm.q, lm.p_sim, lm.Is))


def getis_ord(values: np.ndarray, neighbours: Neighbours, alpha: float = ALPHA) -> tuple[LocalResult, ...]:
    """Gi* (the district itself counted among its neighbours): hot where significant and above the
    mean, cold where significant and below, ``ns`` elsewhere. Row-standardised, as GeoDa does."""
    from esda.getisord import G_Local
    from libpysal.weights import W, fill_diagonal

    if not _usable(values, neighbours):
        return ()
    w = neighbours.weights  # a binary copy with each district its own neighbour, row-standardised by esda
    with_self = fill_diagonal(W(dict(w.neighbors), id_order=list(w.id_order), silence_warnings=True), 1.0)
    with _seeded(SEED), _quiet():
        g = G_Local(values, with_self, transform="R", permutations=PERMUTATIONS, star=True,
                    seed=SEED, n_jobs=1, keep_simulations=False)
    out = []
    for i, z, p in zip(neighbours.ids, g.Zs, map(_pseudo_p, g.p_sim)):
        significant = p < alpha
        code = ("hot" if z > 0 else "cold") if significant else "ns"
        out.append(LocalResult(i, code, p, significant, float(z)))
    return tuple(out)
