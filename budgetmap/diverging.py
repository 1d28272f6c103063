"""Classes that meet at a centre: a goal (gap 0) or "no change" between two years.

A target map must never put a district that misses the goal in the same class
as one that meets it, so the centre is always a class break. Each side is then
split into equal steps of a round size, which keeps the legend readable as
"up to 5 points short", "5-10 points short". Side colours come from a diverging
ColorBrewer ramp, darker with distance from the centre.
"""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import to_hex

#: Diverging, colour-blind-safe ramps. "good" is the side colour for "better than the goal".
DIVERGING: dict[str, tuple[str, str]] = {
    "RdBu": ("Red–blue (ColorBrewer)", "RdBu"),
    "PuOr": ("Orange–purple (ColorBrewer)", "PuOr"),
    "BrBG": ("Brown–teal (ColorBrewer)", "BrBG"),
}
DEFAULT_DIVERGING = "RdBu"


@dataclass(frozen=True)
class DivergingClasses:
    """Breaks below and above the centre; class index per value (-1: no data).

    Classes are numbered from the far low end: 0..len(low)-1 are below the
    centre, the rest at or above it. ``edges`` are all class edges, lowest first.
    """

    low: tuple[float, ...]  # lower edges of each class below the centre, far end first
    high: tuple[float, ...]  # upper edges of each class at or above the centre
    index: np.ndarray
    outside: np.ndarray  # True where a value lies beyond locked edges

    @property
    def count(self) -> int:
        return len(self.low) + len(self.high)

    @property
    def edges(self) -> tuple[float, ...]:
        return (*self.low, 0.0, *self.high)


def nice_step(span: float, k: int) -> float:
    """The smallest 'round' step (1, 2, 2.5, 3, 4 or 5 times a power of ten) with k steps covering span."""
    raw = span / k
    power = 10.0 ** np.floor(np.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 3, 4, 5, 10) if m * power * k >= span * (1 - 1e-12)))


def _side_edges(distances: np.ndarray, k: int) -> tuple[float, ...]:
    """Upper edges of up to k equal, round-numbered classes over positive distances from the centre.

    Round steps ("up to 10 points short", "10-20 points short") are what a reader can
    say out loud; the last edge is the first multiple of the step that reaches the data.
    """
    if distances.size == 0:
        return ()
    top = float(distances.max())
    if top <= 0:
        return (0.0,)
    k = max(1, min(k, np.unique(distances).size))
    step = nice_step(top, k)
    count = int(np.ceil(top / step - 1e-9))
    return tuple(round(step * i, 10) for i in range(1, count + 1))


def classify(values: np.ndarray, k_low: int = 3, k_high: int = 3,
             locked: tuple[tuple[float, ...], tuple[float, ...]] | None = None) -> DivergingClasses:
    """Classes for signed values around 0 (values < 0 below, >= 0 at or above).

    ``locked`` reuses another year's (low, high) edges; values beyond them are put in
    the end class and flagged in ``outside`` rather than widening the classes.
    """
    values = np.asarray(values, dtype=float)
    ok = np.isfinite(values)
    if locked is None:
        low_edges = _side_edges(-values[ok & (values < 0)], k_low)
        high_edges = _side_edges(values[ok & (values >= 0)], k_high)
        low = tuple(-e for e in reversed(low_edges))
        high = high_edges
    else:
        low, high = locked
    index = np.full(values.shape, -1, dtype=int)
    outside = np.zeros(values.shape, dtype=bool)
    below, above = ok & (values < 0), ok & (values >= 0)
    if low:
        # low = (-10, -5, -2.5): class 0 is [-10, -5), class 2 is [-2.5, 0)
        pos = np.searchsorted(np.asarray(low), values[below], side="right") - 1
        outside[below] = pos < 0
        index[below] = np.clip(pos, 0, len(low) - 1)
    else:
        outside[below] = True
        index[below] = len(low) if high else -1
    if high:
        pos = np.searchsorted(np.asarray(high), values[above], side="left")
        outside[above] = pos >= len(high)
        index[above] = len(low) + np.clip(pos, 0, len(high) - 1)
    else:
        outside[above] = True
        index[above] = max(len(low) - 1, -1)
    return DivergingClasses(low, high, index, outside)


def colors(palette: str, n_low: int, n_high: int) -> list[str]:
    """Colours for the classes, far-low first; the low side takes the ramp's first half."""
    cmap = matplotlib.colormaps[DIVERGING[palette][1]]
    low = [to_hex(cmap(float(p))) for p in np.linspace(0.05, 0.38, n_low)] if n_low else []
    high = [to_hex(cmap(float(p))) for p in np.linspace(0.62, 0.95, n_high)] if n_high else []
    if n_low == 1:
        low = [to_hex(cmap(0.25))]
    if n_high == 1:
        high = [to_hex(cmap(0.75))]
    return low + high
