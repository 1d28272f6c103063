"""MapSpec: one description of a map, read by the browser map and the static snapshot.

Colours, classes, ranks, tooltip text and legend are all decided here in Python,
so the renderers only read them and can never disagree with each other.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from budgetmap import fmt
from budgetmap.model import Reconciliation
from budgetmap.palettes import NO_DATA, ZERO
from budgetmap.reconcile import reconciliation_line

NO_DATA_CLASS = -1
ZERO_CLASS = -2


@dataclass(frozen=True)
class FeatureStyle:
    """How one district is drawn and described."""

    district_id: str
    name: str
    value: float | None
    label: str
    class_index: int
    fill: str
    rank: int | None
    details: tuple[tuple[str, str], ...] = ()
    pattern: str = ""  # "hatch": a cue that needs no colour (misses its goal, outside locked classes)
    marks: tuple[str, ...] = ()  # "outlier", "small": outline styles (budgetmap.map_flags.MARKS), not colours


@dataclass(frozen=True)
class PointMark:
    """A line item located by coordinates (a capital project), drawn as a dot over the districts."""

    lon: float
    lat: float
    label: str  # "Pond (Parks): $1,000.00", text only


@dataclass(frozen=True)
class LegendEntry:
    label: str
    fill: str
    count: int
    kind: str  # "class", "zero", "no_data", "pattern" or "mark" (an outline style: ``pattern`` names the mark)
    pattern: str = ""


@dataclass(frozen=True)
class MapSpec:
    title: str
    subtitle: str
    measure_label: str
    features: tuple[FeatureStyle, ...]
    legend: tuple[LegendEntry, ...]
    breaks: tuple[float, ...] = ()
    notes: tuple[str, ...] = ()
    reconciliation: Reconciliation | None = None  # where the money went (spending maps); None: no line
    selected: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    tooltip: tuple[str, ...] = ()  # detail names the hover tooltip shows (empty: the first two)
    source: str = ""  # who published the data (snapshots and exports print it)
    as_of: str = ""  # the date the data describes, as the manifest states it
    kind: str = "spending"  # the map kind that built it (budgetmap.maps.MAP_KINDS)
    value_label: str = ""  # what FeatureStyle.value is, in words (default: measure_label)
    points: tuple[PointMark, ...] = ()  # located line items of the view (spending maps)
    layer: str | None = None  # the boundary layer it is drawn on (None: the dataset's default)
    citywide_label: str = fmt.CITYWIDE  # the dataset's name for the whole place ("Statewide")

    @property
    def reconciliation_text(self) -> str:
        """The reconciliation as one sentence ("" when the map has none)."""
        return reconciliation_line(self.reconciliation, self.citywide_label) if self.reconciliation is not None else ""

    def tooltip_rows(self, feature: FeatureStyle) -> list[list[str]]:
        """[name, [label, value], ...]: what hovering a district shows."""
        rows = [d for d in feature.details if d[0] in self.tooltip] if self.tooltip else feature.details[:2]
        return [feature.name, *[[k, v] for k, v in rows]]

    def feature(self, district_id: str) -> FeatureStyle | None:
        return next((f for f in self.features if f.district_id == district_id), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ranks(values: np.ndarray) -> list[int | None]:
    """1 = highest value; ties share the best rank; NaN has no rank."""
    out: list[int | None] = [None] * len(values)
    finite = [(v, i) for i, v in enumerate(values) if np.isfinite(v)]
    ordered = sorted((v for v, _ in finite), reverse=True)
    first = {}
    for pos, v in enumerate(ordered):
        first.setdefault(v, pos + 1)
    for v, i in finite:
        out[i] = first[v]
    return out


def class_fills(index: np.ndarray, values: np.ndarray, colors: list[str]) -> tuple[np.ndarray, list[str]]:
    """Final class per district (zero and no data get their own) and its fill colour."""
    final = np.where(~np.isfinite(values), NO_DATA_CLASS, np.where(values == 0, ZERO_CLASS, index))
    fills = [NO_DATA if c == NO_DATA_CLASS else ZERO if c == ZERO_CLASS else colors[c] for c in final]
    return final, fills


def legend_entries(bounds: tuple[float, ...], minimum: float, colors: list[str], final: np.ndarray,
                   kind: str, currency: str) -> tuple[LegendEntry, ...]:
    """Class ranges with counts, then separate swatches for zero and no data.

    Every range is written in one style chosen from all the breaks (``fmt.legend_ranges``),
    so a legend never mixes '$1,226' with '$729.5K'."""
    entries = []
    edges = (minimum, *bounds)
    for i, label in enumerate(fmt.legend_ranges(edges, kind, currency)[:len(bounds)]):
        entries.append(LegendEntry(label, colors[i], int((final == i).sum()), "class"))
    entries.append(LegendEntry("Zero", ZERO, int((final == ZERO_CLASS).sum()), "zero"))
    entries.append(LegendEntry("No data", NO_DATA, int((final == NO_DATA_CLASS).sum()), "no_data"))
    return tuple(entries)


def rows(frame: Any) -> list[dict[str, Any]]:
    """A frame's rows as dicts of Python values, in order: what ``iterrows`` gives a builder's
    per-district loop (``row["name"]``), without building a pandas Series per row, which
    was most of a 10,000-district map's build time (bench/bench_spec.py)."""
    return frame.to_dict("records")
