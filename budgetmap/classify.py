"""Class breaks for choropleths: a small registry of schemes backed by mapclassify.

As in mapclassify itself, each scheme overrides one method (``upper_bounds``);
SCHEMES is the table the widgets, the legend and the tests read.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import mapclassify
import numpy as np


class Scheme:
    """Base class: turn the mapped values into the upper bound of each class."""

    key = "base"
    label = "base"
    needs_manual = False

    def upper_bounds(self, values: np.ndarray, k: int, manual: Sequence[float]) -> list[float]:
        raise NotImplementedError

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
        return Classes(tuple(bounds), float(finite.min()), index)


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class, the lowest value, and each value's class (-1: no data)."""

    bounds: tuple[float, ...]
    minimum: float
    index: np.ndarray

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
            return Classes(self.bounds, self.minimum, index), outside
        pos = np.searchsorted(np.asarray(self.bounds), values[ok], side="left")
        index[ok] = np.clip(pos, 0, len(self.bounds) - 1)
        outside[ok] = (pos >= len(self.bounds)) | (values[ok] < self.minimum)
        return Classes(self.bounds, self.minimum, index), outside


class Quantiles(Scheme):
    key, label = "quantiles", "Quantiles (equal counts)"

    def upper_bounds(self, values, k, manual):
        return mapclassify.Quantiles(values, k=k).bins


class EqualInterval(Scheme):
    key, label = "equal_interval", "Equal intervals"

    def upper_bounds(self, values, k, manual):
        return mapclassify.EqualInterval(values, k=k).bins


class NaturalBreaks(Scheme):
    key, label = "natural_breaks", "Natural breaks (Fisher–Jenks)"

    def upper_bounds(self, values, k, manual):
        return mapclassify.FisherJenks(values, k=k).bins


class Manual(Scheme):
    key, label = "manual", "Manual breaks"
    needs_manual = True

    def upper_bounds(self, values, k, manual):
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
