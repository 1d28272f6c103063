"""Districts that stand out: robust outlier rules, as a registry the legend can name.

A rule built on the mean and standard deviation is pulled by the very values it
should find (one district spending $729K per resident widens the "normal" band
until nothing is unusual). Both rules here rest on the median and quartiles,
which a few extreme districts barely move. ``OUTLIER_RULES`` is the table the
legend, the docs and the tests read; the default is Tukey's fences.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Tukey's fences lie this many interquartile ranges beyond the quartiles (Tukey 1977).
TUKEY_K = 1.5
#: A modified z-score beyond this is an outlier (Iglewicz and Hoaglin 1993).
MAD_LIMIT = 3.5


@dataclass(frozen=True)
class Fences:
    """Values below ``low`` or above ``high`` are outliers; NaN fences mean too few values to judge."""

    low: float
    high: float


def _tukey(values: np.ndarray) -> Fences:
    # numpy's default (linear) percentiles: Hyndman and Fan's type 7, as in R and spreadsheets
    q1, q3 = np.percentile(values, [25, 75])
    spread = TUKEY_K * (q3 - q1)
    return Fences(float(q1 - spread), float(q3 + spread))


def _mad(values: np.ndarray) -> Fences:
    from scipy.stats import median_abs_deviation

    median = float(np.median(values))
    scale = float(median_abs_deviation(values, scale="normal"))  # MAD x 1.4826: the sd for normal data
    if scale == 0:  # more than half the values are equal: the modified z-score is undefined, nothing is judged
        return Fences(float("nan"), float("nan"))
    return Fences(median - MAD_LIMIT * scale, median + MAD_LIMIT * scale)


@dataclass(frozen=True)
class OutlierRule:
    """One rule: where its fences lie for a set of values."""

    key: str
    label: str  # what the legend says
    description: str
    fences: Callable[[np.ndarray], Fences]


OUTLIER_RULES: dict[str, OutlierRule] = {r.key: r for r in (
    OutlierRule("tukey", f"Tukey's fences ({TUKEY_K:g} × IQR)",
                f"below the lower quartile or above the upper quartile by more than {TUKEY_K:g} times the "
                "interquartile range; the default", _tukey),
    OutlierRule("mad", f"Median ± {MAD_LIMIT:g} scaled MADs",
                f"a modified z-score beyond {MAD_LIMIT:g}: further from the median than {MAD_LIMIT:g} times the "
                "median absolute deviation scaled by 1.4826", _mad),
)}
DEFAULT_OUTLIER_RULE = "tukey"
#: Fewer districts with a value than this and no outlier is named: quartiles of three numbers mean little.
MIN_VALUES = 4


@dataclass(frozen=True)
class Outliers:
    """Which values are outliers (a mask over all districts) and the fences that decided it."""

    rule: str
    fences: Fences
    mask: np.ndarray  # True: outlier; False also for districts without a value

    def high(self, values: np.ndarray) -> np.ndarray:
        """The outliers above the upper fence."""
        return self.mask & (np.asarray(values, dtype=float) > self.fences.high)


def outliers(values: np.ndarray, rule: str = DEFAULT_OUTLIER_RULE) -> Outliers:
    """Outliers among the finite values; districts without one are never flagged."""
    values = np.asarray(values, dtype=float)
    ok = np.isfinite(values)
    mask = np.zeros(values.shape, dtype=bool)
    if ok.sum() < MIN_VALUES:
        return Outliers(rule, Fences(float("nan"), float("nan")), mask)
    fences = OUTLIER_RULES[rule].fences(values[ok])
    mask[ok] = (values[ok] < fences.low) | (values[ok] > fences.high)
    return Outliers(rule, fences, mask)
