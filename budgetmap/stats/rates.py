"""Figures too small to trust, and per-resident rates steadied by empirical Bayes.

A per-resident figure for a district of 300 people swings with one contract; set
beside one of 300,000 it misleads unless the map says so. Two answers, both from
the practice: flag districts whose population is below a threshold the dataset
sets (``[districts] min_population``; none by default, since a village and a
county need different ones), and smooth the rates.

Empirical Bayes smoothing (esda's ``Empirical_Bayes``, after Marshall 1991) pulls
each district's rate towards the citywide rate, the more the fewer residents it
has: a large district keeps nearly its own rate, a tiny one moves most of the way
to the city's. It treats the numerator as a count of events (here: dollars), so
the raw rate is always shown beside the smoothed one.
"""
from __future__ import annotations

import numpy as np


def small_numbers(population: np.ndarray, min_population: int | None) -> np.ndarray:
    """True where a district has fewer residents than ``min_population`` (or none counted).

    No threshold flags nothing; a district with no population figure is flagged
    only when there is a threshold (its per-resident figure is no data anyway).
    """
    population = np.asarray(population, dtype=float)
    if min_population is None:
        return np.zeros(population.shape, dtype=bool)
    return ~(np.isfinite(population) & (population >= min_population))


def empirical_bayes(numerator: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Smoothed rates (numerator / population), NaN where the raw rate is undefined.

    Only districts with a population above zero and a numerator take part in the
    citywide mean and variance the smoothing uses.
    """
    from esda.smoothing import Empirical_Bayes

    numerator = np.asarray(numerator, dtype=float)
    population = np.asarray(population, dtype=float)
    out = np.full(numerator.shape, np.nan)
    ok = np.isfinite(numerator) & np.isfinite(population) & (population > 0)
    if ok.sum() < 2:
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        out[ok] = Empirical_Bayes(numerator[ok], population[ok]).r.ravel()
    return out
