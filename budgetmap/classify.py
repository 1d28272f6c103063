"""Class breaks for choropleths: a small registry of schemes backed by mapclassify.

As in mapclassify itself, each scheme overrides one method (``upper_bounds``);
SCHEMES is the table the widgets, the legend and the tests read.

mapclassify (and scipy.stats behind it) costs seconds to import, so it is imported
when a map is first classified, not when the registry is read (the CLI's ``--help``,
the URL fields table). Fisher-Jenks without numba is quadratic in pure Python
(about a minute on 3,100 values), so above ``NaturalBreaks.EXACT_UP_TO`` values the
breaks are found on a fixed sample and the map says so (``Classes.note``).
"""
from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


class Scheme:
    """Base class: turn the mapped values into the upper bound of each class."""

    key = "base"
    label = "base"
    needs_manual = False

    def upper_bounds(self, values: np.ndarray, k: int, manual: Sequence[float]) -> list[float]:
        raise NotImplementedError

    def note(self, n: int, k: int) -> str:
        """What a reader should know about ``k`` classes found from ``n`` values (empty: nothing)."""
        return ""

    def classify(self, values: np.ndarray, k: int, manual: Sequence[float] = ()) -> "Classes":
        """Classes for the finite values; NaN gets class -1 (no data)."""
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return Classes((), float("nan"), np.full(values.shape, -1, dtype=int))
        k = max(1, min(k, np.unique(finite).size))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # mapclassify warns when k exceeds distinct values
            bounds = sorted(set(float(b) for b in self.upper_bounds(finite, k, manual)))
        if bounds[-1] < finite.max():
            bounds.append(float(finite.max()))
        index = np.full(values.shape, -1, dtype=int)
        ok = np.isfinite(values)
        index[ok] = np.searchsorted(np.asarray(bounds), values[ok], side="left")
        return Classes(tuple(bounds), float(finite.min()), index, self.note(int(finite.size), k))


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class, the lowest value, each value's class (-1: no data), and a
    note for the map when the breaks are approximate (empty otherwise)."""

    bounds: tuple[float, ...]
    minimum: float
    index: np.ndarray
    note: str = ""

    def counts(self) -> list[int]:
        return [int((self.index == i).sum()) for i in range(len(self.bounds))]

    def apply(self, values: np.ndarray) -> tuple["Classes", np.ndarray]:
        """Classify other values (another year) with these breaks, and flag those outside them.

        Values above the top break go in the top class and values below the lowest
        value in the bottom one: the classes stay comparable, and the flag says so.
        """
        values = np.asarray(values, dtype=float)
        ok = np.isfinite(values)
        index = np.full(values.shape, -1, dtype=int)
        outside = np.zeros(values.shape, dtype=bool)
        if not self.bounds:
            return Classes(self.bounds, self.minimum, index, self.note), outside
        pos = np.searchsorted(np.asarray(self.bounds), values[ok], side="left")
        index[ok] = np.clip(pos, 0, len(self.bounds) - 1)
        outside[ok] = (pos >= len(self.bounds)) | (values[ok] < self.minimum)
        return Classes(self.bounds, self.minimum, index, self.note), outside


class Quantiles(Scheme):
    key, label = "quantiles", "Quantiles (equal counts)"

    def upper_bounds(self, values, k, manual):
        import mapclassify
        return mapclassify.Quantiles(values, k=k).bins


class EqualInterval(Scheme):
    key, label = "equal_interval", "Equal intervals"

    def upper_bounds(self, values, k, manual):
        import mapclassify
        return mapclassify.EqualInterval(values, k=k).bins


class NaturalBreaks(Scheme):
    """mapclassify's exact Fisher-Jenks up to EXACT_UP_TO values, else on a sample of that many.

    The sample is the values at evenly spaced ranks (the smallest and the largest
    always among them), not a random draw as in mapclassify's FisherJenksSampled:
    the same values give the same breaks in every session and snapshot, whatever
    the order of the districts, and every part of the distribution is represented.
    The algorithm's work grows as n² (k - 1), so the sample shrinks as k grows
    (``size``): 160 values at k = 5, 113 at k = 9, a tenth of a second or two each; on
    lognormal values their goodness of variance fit is within 0.001 (k = 5) and 0.012
    (k = 9) of the exact breaks on all 1,200 values, which take 16 s here.
    """

    key, label = "natural_breaks", "Natural breaks (Fisher–Jenks)"
    EXACT_UP_TO = 160  # at the default k = 5
    WORK = EXACT_UP_TO ** 2 * 4

    def size(self, k: int) -> int:
        """How many values Fisher-Jenks is run on at ``k`` classes (all of them up to this many)."""
        return min(400, int(math.sqrt(self.WORK / max(k - 1, 1))))

    def upper_bounds(self, values, k, manual):
        import mapclassify
        sample = self.sample(values, k)
        k = min(k, np.unique(sample).size)
        bins = mapclassify.FisherJenks(sample, k=k).bins
        return bins if sample is values else _to_gaps(np.sort(values), sample, bins)

    def sample(self, values: np.ndarray, k: int) -> np.ndarray:
        """The values the breaks are found from: all of them, or ``size(k)`` at evenly spaced ranks."""
        size = self.size(k)
        if values.size <= size:
            return values
        ranks = np.round(np.linspace(0, values.size - 1, size)).astype(int)
        return np.sort(values)[ranks]

    def note(self, n: int, k: int) -> str:
        if n <= self.size(k):
            return ""
        return (f"Natural breaks from a sample of {self.size(k):,} of the {n:,} values (evenly spaced "
                "in rank, smallest and largest included), so they are found in a fraction of a second.")


def _to_gaps(ordered: np.ndarray, sample: np.ndarray, bins: np.ndarray) -> list[float]:
    """Move each break found on the sample to the widest gap in all the values before the next
    sampled value: the values the sample skipped go with the class they are closest to as a run,
    instead of all landing above a break that happens to be a sampled value."""
    out = []
    for b in bins[:-1]:
        later = sample[sample > b]
        lo = np.searchsorted(ordered, b, side="left")
        hi = np.searchsorted(ordered, later[0], side="left") if later.size else ordered.size - 1
        run = ordered[lo:hi + 1]
        out.append(float(run[np.argmax(np.diff(run))]) if run.size > 1 else float(b))
    return out + [float(bins[-1])]


class Manual(Scheme):
    key, label = "manual", "Manual breaks"
    needs_manual = True

    def upper_bounds(self, values, k, manual):
        import mapclassify
        if not manual:
            return mapclassify.Quantiles(values, k=k).bins
        return mapclassify.UserDefined(values, bins=sorted(manual)).bins


SCHEMES: dict[str, Scheme] = {s.key: s for s in (Quantiles(), EqualInterval(), NaturalBreaks(), Manual())}
DEFAULT_SCHEME = "quantiles"
CLASS_RANGE = (2, 9)


def parse_breaks(text: str) -> tuple[float, ...]:
    """'100, 250, 500' -> (100.0, 250.0, 500.0); raises ValueError naming the bad part.

    Commas, semicolons and spaces all separate breaks, so thousands separators
    cannot be used ("1500", not "1,500").
    """
    parts = [p.strip().lstrip("$") for p in re.split(r"[,;\s]+", text)]
    out = []
    for part in parts:
        if not part:
            continue
        try:
            out.append(float(part))
        except ValueError:
            raise ValueError(f"'{part}' is not a number") from None
    return tuple(sorted(set(out)))
