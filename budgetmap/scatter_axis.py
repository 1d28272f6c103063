"""How the Money vs results scatter draws its spending axis when a few districts spend far more.

Per-resident spending is skewed where a district has few residents and a large
site (3,000 US counties: one spends $729K a head, the rest under $5K): on a
linear axis every other point sits in one column at the left. The page offers the
choices below (``?axis=`` in the URL); with none chosen, ``suggested`` picks the
logarithmic axis when the data is that skewed, else the linear one.

The log axis is Vega-Lite's ``symlog`` (linear up to the 10th percentile of the
positive values, logarithmic beyond), so
districts with zero or negative spending (refunds) stay on the chart; the clipped
axis ends at the 99th percentile and draws the districts beyond it at the edge,
counted under the chart.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AxisKind:
    """One way to draw the axis: its label and Vega-Lite scale type."""

    label: str
    scale: str
    doc: str


SCATTER_AXES: dict[str, AxisKind] = {
    "linear": AxisKind("Linear", "linear", "equal steps; best when districts spend alike"),
    "log": AxisKind("Logarithmic", "symlog", "equal ratios; zero and negative spending stay on the chart"),
    "clipped": AxisKind("Clipped at the 99th percentile", "linear",
                        "the top 1% drawn at the right edge and counted under the chart"),
}
#: A largest value this many times the median of the positive ones makes the log axis the default.
SKEW = 20.0
CLIP_QUANTILE = 0.99


@dataclass(frozen=True)
class Axis:
    """The axis to draw: scale type, the domain (None: from the data) and how many points sit at its edge."""

    key: str
    scale: str
    domain: tuple[float, float] | None
    beyond: int
    cap: float | None
    constant: float | None = None  # symlog: where the axis turns from linear to logarithmic


def suggested(values: np.ndarray) -> str:
    """``log`` when a few values dwarf the rest (largest > SKEW x the median of positive values), else ``linear``."""
    finite = np.asarray(values, dtype=float)
    positive = finite[np.isfinite(finite) & (finite > 0)]
    if positive.size < 3:
        return "linear"
    return "log" if positive.max() > SKEW * float(np.median(positive)) else "linear"


def spending_axis(values: np.ndarray, key: str | None) -> Axis:
    """The axis for ``values`` drawn the ``key`` way (None or unknown: the suggested one)."""
    key = key if key in SCATTER_AXES else suggested(values)
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if key == "log":
        positive = finite[finite > 0]
        # linear below the 10th percentile of positive values, so the bulk of the points spreads out
        constant = float(np.quantile(positive, 0.1)) if positive.size else 1.0
        return Axis(key, "symlog", None, 0, None, constant)
    if key != "clipped" or finite.size == 0:
        return Axis(key, SCATTER_AXES[key].scale, None, 0, None)
    cap = float(np.quantile(finite, CLIP_QUANTILE))
    low = float(min(finite.min(), 0.0))
    return Axis(key, "linear", (low, cap), int((finite > cap).sum()), cap)
