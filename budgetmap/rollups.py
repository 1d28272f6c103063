"""How district values of an indicator add up to one citywide figure: a registry.

A citywide pavement figure is not the plain mean of district percentages: a
district with three times the street miles counts three times. Each indicator's
manifest names its rule; ROLLUPS is the table the pages, docs and tests read.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def _weighted(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not ok.any():
        return float("nan")
    return float(np.average(values[ok], weights=weights[ok]))


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values)
    return float(values[ok].mean()) if ok.any() else float("nan")


def _sum(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values)
    return float(values[ok].sum()) if ok.any() else float("nan")


@dataclass(frozen=True)
class Rollup:
    """One roll-up rule; ``weights`` says which per-district numbers it weighs by."""

    key: str
    label: str
    weights: str | None  # "population", "row" (the indicator's own weight column) or None
    combine: Callable[[np.ndarray, np.ndarray], float]

    def apply(self, values: np.ndarray, population: np.ndarray, row_weights: np.ndarray) -> float:
        """The citywide figure from district values; districts without a value are left out."""
        values = np.asarray(values, dtype=float)
        weights = {"population": population, "row": row_weights}.get(self.weights, np.ones_like(values))
        return self.combine(values, np.asarray(weights, dtype=float))


ROLLUPS: dict[str, Rollup] = {r.key: r for r in (
    Rollup("population", "Mean weighted by district population", "population", _weighted),
    Rollup("weighted", "Mean weighted by the manifest's weight column", "row", _weighted),
    Rollup("mean", "Plain mean of the districts", None, _mean),
    Rollup("sum", "Sum of the districts", None, _sum),
)}
