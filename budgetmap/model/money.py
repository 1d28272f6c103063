"""Money in the model: exact sums of integer cents and the reconciliation they add up to.

Amounts are int64 cents per line item (about 92 quadrillion dollars each), but a
sum of several such rows does not fit int64 and numpy wraps silently. Sums are
therefore taken in two int64 halves (high and low 31 bits), which cannot
overflow below 2**31 rows, and joined as a Python int: exact at any size, at
numpy speed. DuckDB sums into HUGEINT, which is exact too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: Where a line item's money lands on a map; a reconciliation sums by it.
#: ``other_layer``: keyed to districts of another boundary layer than the one mapped.
LOCATIONS: tuple[str, ...] = ("district", "citywide", "unmatched", "no_location", "other_layer")
_SHIFT = 31
_LOW = (1 << _SHIFT) - 1


def exact_sum(cents: pd.Series | np.ndarray) -> int:
    """Sum of int64 cents (missing values skipped) as an exact Python int."""
    values = pd.Series(cents).dropna().to_numpy(dtype="int64")
    if not len(values):
        return 0
    return int((values >> _SHIFT).sum()) * (1 << _SHIFT) + int((values & _LOW).sum())


def exact_group_sum(cents: pd.Series, by: pd.Series | list[pd.Series]) -> dict[Any, int]:
    """Per-group exact sums of int64 cents (missing values skipped); groups with no value are left out."""
    return {key: total for key, (total, _) in exact_group_sum_count(cents, by).items()}


def exact_group_sum_count(cents: pd.Series, by: pd.Series | list[pd.Series]) -> dict[Any, tuple[int, int]]:
    """Per group: (exact sum of int64 cents, number of values summed); missing values skipped."""
    frame = pd.DataFrame({"v": cents}).assign(**(
        {f"k{i}": key.to_numpy() for i, key in enumerate(by)} if isinstance(by, list) else {"k0": by.to_numpy()}))
    frame = frame[frame["v"].notna()]
    keys = [c for c in frame.columns if c != "v"]
    values = frame["v"].to_numpy(dtype="int64")
    frame = frame.assign(hi=values >> _SHIFT, lo=values & _LOW, n=1)
    grouped = frame.groupby(keys if len(keys) > 1 else keys[0], dropna=False, sort=False)[["hi", "lo", "n"]].sum()
    return {key: (int(hi) * (1 << _SHIFT) + int(lo), int(n))
            for key, hi, lo, n in zip(grouped.index, grouped["hi"], grouped["lo"], grouped["n"])}


@dataclass(frozen=True)
class Reconciliation:
    """Where every cent of a selection went.

    ``input_total`` is summed over all the rows on its own, not added up from the
    parts, so ``balanced`` compares two independent computations: a row that
    lands in no part (or in two) shows as an imbalance.
    """

    currency: str
    input_total: int = 0
    districts: int = 0
    citywide: int = 0
    unmatched: int = 0
    no_location: int = 0
    rejected: int = 0
    other_layer: int = 0

    PARTS = ("districts", "citywide", "unmatched", "no_location", "other_layer", "rejected")

    @property
    def parts_total(self) -> int:
        return sum(getattr(self, p) for p in self.PARTS)

    @property
    def balanced(self) -> bool:
        return self.parts_total == self.input_total

    @property
    def off_map(self) -> int:
        """Cents read but on no map: an unknown district, no location, or a rejected row.

        Citywide money is a district-less figure by the manifest's own word, and
        money keyed to another boundary layer is on that layer's map: neither counts.
        """
        return self.unmatched + self.no_location + self.rejected

    @property
    def off_map_share(self) -> float:
        """``off_map`` as a share of the money read (by absolute value, so refunds cannot hide it)."""
        gross = abs(self.districts) + abs(self.citywide) + abs(self.other_layer) + abs(self.unmatched) \
            + abs(self.no_location) + abs(self.rejected)
        off = abs(self.unmatched) + abs(self.no_location) + abs(self.rejected)
        return off / gross if gross else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Dollars for people (float), and the exact cents beside them for machines."""
        keys = ("input_total", *self.PARTS)
        out: dict[str, Any] = {k: getattr(self, k) / 100 for k in keys}
        out["currency"] = self.currency
        out["balanced"] = self.balanced
        out["cents"] = {k: getattr(self, k) for k in keys}
        out["off_map"] = self.off_map / 100
        out["off_map_share"] = self.off_map_share
        return out
