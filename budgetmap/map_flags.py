"""Outliers and small numbers, marked on every spending, indicator and cluster map.

A per-resident figure for a district of 300 people set beside one of 300,000
misleads unless the map says so, and a district far outside the rest should be
found, not just coloured. Both flags come from ``budgetmap.stats`` (the robust
rules of ``OUTLIER_RULES``, the dataset's ``[districts] min_population``) over
the very values the map is coloured by, so the CLI's ``outliers`` and
``small_numbers`` name the same districts.

The marks are outline styles (``MARKS``: a thick dashed line for an outlier, a
dotted one for small numbers, dash-dot for both), never a colour, so they read
in grey print and to colour-blind readers. The legend gains an entry only for a
mark some district carries, naming the rule or the threshold; a map with nothing
flagged is drawn exactly as before.

Smoothing (``?smooth=on``) adds each district's empirical Bayes rate beside its
raw one (tooltip and table) and moves the outlier rule onto the smoothed rates,
as ``python -m budgetmap stats --smooth`` does; the colours stay on the raw rates.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from budgetmap.mapspec import LegendEntry
from budgetmap.stats.outliers import OUTLIER_RULES, outliers
from budgetmap.stats.rates import small_numbers

#: mark -> (stroke dash pattern in px as SVG's stroke-dasharray, stroke width in px): what map.js and the
#: print renderer draw. Both together are drawn dash-dot (``BOTH``).
MARKS: dict[str, tuple[str, float]] = {"outlier": ("9 5", 3.5), "small": ("1.5 4.5", 3.0)}
BOTH = ("9 4 1.5 4", 3.5)
#: Detail names the tooltip and the figures table show.
SMOOTHED = "Smoothed (empirical Bayes)"
FLAGS = "Flags"


@dataclass(frozen=True)
class Flags:
    """Per district (the map's order): outlier, small numbers, and the smoothed rate when asked."""

    rule: str  # a key of OUTLIER_RULES
    outlier: np.ndarray
    small: np.ndarray
    min_population: int | None
    smoothed: np.ndarray | None  # None: smoothing off or not a per-resident rate
    high: np.ndarray  # outliers above the upper fence (the rest are below the lower one)

    def marks(self, i: int) -> tuple[str, ...]:
        return tuple(m for m, on in (("outlier", self.outlier[i]), ("small", self.small[i])) if on)

    def words(self, i: int) -> str:
        """'high outlier; fewer than 1,000 residents' ('' when neither)."""
        parts = []
        if self.outlier[i]:
            parts.append(f"{'high' if self.high[i] else 'low'} outlier by {OUTLIER_RULES[self.rule].label}")
        if self.small[i]:
            parts.append(f"small numbers (fewer than {self.min_population:,} residents)")
        return "; ".join(parts)

    @property
    def any(self) -> bool:
        return bool(self.outlier.any() or self.small.any() or self.smoothed is not None)


def flag(values: np.ndarray, population: np.ndarray, min_population: int | None, rule: str = "tukey", *,
         numerator: np.ndarray | None = None, smooth: bool = False) -> Flags:
    """The flags of one map's values; ``numerator`` (the dollars of a per-resident rate) allows smoothing."""
    values = np.asarray(values, dtype=float)
    smoothed = None
    if smooth and numerator is not None:
        from budgetmap.stats.rates import empirical_bayes  # esda: imported only when smoothing is asked for

        smoothed = empirical_bayes(np.asarray(numerator, dtype=float), np.asarray(population, dtype=float))
    judged = smoothed if smoothed is not None else values
    found = outliers(judged, rule)
    return Flags(rule, found.mask, small_numbers(np.asarray(population, dtype=float), min_population),
                 min_population, smoothed, found.high(judged))


def legend(flags: Flags) -> tuple[LegendEntry, ...]:
    """One entry per mark some district carries, with the count of districts that carry it."""
    out = []
    if flags.outlier.any():
        where = " of smoothed rates" if flags.smoothed is not None else ""
        out.append(LegendEntry(f"Dashed: outlier{where} by {OUTLIER_RULES[flags.rule].label}",
                               "#ffffff", int(flags.outlier.sum()), "mark", "outlier"))
    if flags.small.any():
        out.append(LegendEntry(f"Dotted: small numbers, fewer than {flags.min_population:,} residents", "#ffffff",
                               int(flags.small.sum()), "mark", "small"))
    return tuple(out)


def details(flags: Flags, i: int, smoothed_text: str | None = None) -> tuple[tuple[str, str], ...]:
    """The detail rows a flagged (or smoothed) district adds to its tooltip and table row."""
    out: list[tuple[str, str]] = []
    if flags.smoothed is not None:
        out.append((SMOOTHED, smoothed_text if smoothed_text is not None else "no data"))
    if words := flags.words(i):
        out.append((FLAGS, words))
    return tuple(out)


def stroke(marks: tuple[str, ...]) -> tuple[str, float] | None:
    """(dash pattern, width) of a district's outline; None for the ordinary outline."""
    if len(marks) > 1:
        return BOTH
    return MARKS[marks[0]] if marks else None
