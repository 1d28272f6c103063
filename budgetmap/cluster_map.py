"""Build the MapSpec of a cluster map: LISA quadrants or Gi* hot and cold spots of the values a map shows.

The statistics are ``budgetmap.stats.analysis.analyse`` over exactly the values
of the spending map (``?of=measure``) or the target map (``?of=indicator``), with
the view's weights, outlier rule and smoothing, so the map, its table, its
summary and ``python -m budgetmap stats --json`` describe the same numbers: the
JSON itself travels in ``MapSpec.meta["stats"]``, and the page's table and
summary are read from it.

Every district is in exactly one legend entry, counted from what is drawn: a
significant quadrant (or hot / cold spot), "not significant", an island (a value
but no neighbour with one: not tested, hatched so it reads without colour), or
no data. Outliers and small numbers carry the outlines of ``map_flags``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budgetmap import fmt, map_flags
from budgetmap.mapspec import NO_DATA_CLASS, FeatureStyle, LegendEntry, MapSpec, ranks
from budgetmap.measures import MEASURES
from budgetmap.model import Dataset
from budgetmap.palettes import NO_DATA
from budgetmap.spending_map import year_text
from budgetmap.stats.spatial import ALPHA, PERMUTATIONS, STATISTICS
from budgetmap.stats.values import DistrictValues, indicator_values, measure_values
from budgetmap.stats.weights import WEIGHTS
from budgetmap.targets import format_value, meta_for
from budgetmap.view import SpendingView

if TYPE_CHECKING:  # PySAL takes seconds to import: the analysis module is imported when a map is built
    from budgetmap.stats.analysis import Analysis

HATCH = "hatch"
ISLAND = "island"
NOT_SIGNIFICANT = "ns"


@dataclass(frozen=True)
class ClusterClass:
    """One legend entry of a cluster map, in legend order (its position is the class index)."""

    code: str  # a LISA quadrant code, "hot", "cold", "ns" or "island"
    label: str
    fill: str
    pattern: str = ""


#: ColorBrewer RdBu ends for the clusters, pale tints for the spatial outliers, as in GeoDa's LISA map.
_NS = ClusterClass(NOT_SIGNIFICANT, "Not significant", "#eeeeee")
_ISLAND = ClusterClass(ISLAND, "No neighbour with a value: not tested", "#ffffff", HATCH)
CLASSES: dict[str, tuple[ClusterClass, ...]] = {
    "lisa": (ClusterClass("HH", "High-high: high value, high neighbours", "#d7191c"),
             ClusterClass("LH", "Low-high: low value, high neighbours", "#abd9e9"),
             ClusterClass("LL", "Low-low: low value, low neighbours", "#2c7bb6"),
             ClusterClass("HL", "High-low: high value, low neighbours", "#fdae61"), _NS, _ISLAND),
    "gi": (ClusterClass("hot", "Hot spot: high values and high neighbours", "#d7191c"),
           ClusterClass("cold", "Cold spot: low values and low neighbours", "#2c7bb6"), _NS, _ISLAND),
}


def cluster_values(dataset: Dataset, view: SpendingView) -> DistrictValues | None:
    """The spending map's values (``stats_of == "measure"``) or the target map's; None without them."""
    if view.stats_of == "indicator":
        return indicator_values(dataset, view)
    return measure_values(dataset, view)


def analysis_of(dataset: Dataset, view: SpendingView) -> Analysis | None:
    """``analyse`` with the view's weights, outlier rule and smoothing (only for per-resident rates)."""
    from budgetmap.stats.analysis import analyse

    values = cluster_values(dataset, view)
    if values is None:
        return None
    return analyse(dataset, values, weights=view.weights, alpha=ALPHA, outlier_rule=view.outlier_rule,
                   smooth=view.smoothing == "on" and values.per_resident)


def _formatter(dataset: Dataset, values: DistrictValues) -> Callable[[float], str]:
    if values.subject == "measure":
        measure = MEASURES[values.key]
        return lambda v: measure.format(float(v), dataset.currency) if np.isfinite(v) else "no data"
    meta = meta_for(dataset, values.key)
    return lambda v: format_value(float(v), meta)


def _codes(analysis: Analysis, statistic: str) -> dict[str, tuple[str, float]]:
    """District id -> (legend code, p) for every district that was tested."""
    results = analysis.lisa if statistic == "lisa" else analysis.gi
    return {r.district_id: (r.code if r.significant else NOT_SIGNIFICANT, r.p_sim) for r in results}


def build_cluster_map(dataset: Dataset, view: SpendingView) -> MapSpec | None:
    """Everything a cluster map draws; None when the view has no values (no indicator by district)."""
    from budgetmap.stats.report import to_dict

    analysis = analysis_of(dataset, view)
    if analysis is None:
        return None
    statistic = view.statistic
    values, classes = analysis.values, CLASSES[statistic]
    index = {c.code: i for i, c in enumerate(classes)}
    tested, islands = _codes(analysis, statistic), set(analysis.islands)
    shown = _formatter(dataset, values)
    flags = map_flags.Flags(analysis.outliers.rule, analysis.outliers.mask, analysis.small, values.min_population,
                            analysis.smoothed if analysis.smoothed_used else None,
                            analysis.outliers.high(analysis.smoothed if analysis.smoothed_used else values.values))
    raw = values.values
    order = ranks(raw)
    features = []
    for i, (district, name) in enumerate(zip(values.ids, values.frame["name"])):
        code = tested[district][0] if district in tested else ISLAND if district in islands else None
        cls = classes[index[code]] if code is not None else None
        p = tested[district][1] if district in tested else None
        where = (f"{cls.label} (p = {p:.3f})" if p is not None else cls.label) if cls else "no data"
        details = ((values.label, shown(raw[i])), (STATISTIC_WORD[statistic], where))
        smooth = analysis.smoothed[i] if analysis.smoothed is not None else np.nan
        details += map_flags.details(flags, i, shown(smooth) if np.isfinite(smooth) else None)
        features.append(FeatureStyle(district, str(name), float(raw[i]) if np.isfinite(raw[i]) else None,
                                     cls.label.split(":")[0] if cls else "no data",
                                     index[code] if cls else NO_DATA_CLASS, cls.fill if cls else NO_DATA,
                                     order[i], details, pattern=cls.pattern if cls else "", marks=flags.marks(i)))
    legend = tuple(LegendEntry(_legend_label(c, statistic), c.fill,
                               sum(1 for f in features if f.class_index == i), "class", c.pattern)
                   for i, c in enumerate(classes))
    legend += (LegendEntry("No data", NO_DATA, sum(1 for f in features if f.class_index == NO_DATA_CLASS),
                           "no_data"),) + map_flags.legend(flags)
    stats = to_dict(analysis)
    weights = WEIGHTS[analysis.weights].label
    year = values.years
    moran = (f"Moran's I {analysis.moran.I:.2f} (p = {analysis.moran.p_sim:.3f})" if analysis.moran
             else "Moran's I not computable")
    meta = {"statistic": statistic, "weights": analysis.weights, "alpha": analysis.alpha, "subject": values.subject,
            "key": values.key, "summary": " ".join(t for t in (stats["summary"], _hot_cold(analysis, statistic)) if t),
            "stats": stats,
            "fiscal_year": year[-1] if isinstance(year, tuple) else year}
    meta |= {"indicator": values.key} if values.subject == "indicator" else {"measure": values.key}
    return MapSpec(
        source=dataset.source, as_of=dataset.as_of, citywide_label=dataset.citywide_label,
        title=f"{STATISTICS[statistic]}: {values.label} — {dataset.name}",
        subtitle=f"{year_text(year)} · {weights}, row-standardised · {moran}",
        measure_label=f"{STATISTIC_WORD[statistic]}, significant at p < {analysis.alpha:g} "
                      f"({PERMUTATIONS} permutations) · {weights}",
        features=tuple(features), legend=legend, kind="cluster", layer=values.layer, value_label=values.label,
        tooltip=(values.label, map_flags.SMOOTHED, STATISTIC_WORD[statistic], map_flags.FLAGS),
        notes=_notes(dataset, analysis), selected=view.selected if view.selected in set(values.ids) else None,
        meta=meta)


#: The word for a district's class under each statistic (its detail name in tooltip and table).
STATISTIC_WORD = {"lisa": "LISA cluster", "gi": "Gi* hot or cold spot"}


def _hot_cold(analysis: Analysis, statistic: str) -> str:
    """The Gi* map's own sentence after the summary: where the significant hot and cold spots are."""
    from budgetmap.stats.words import names

    if statistic != "gi":
        return ""
    parts = [f"{word} in {fmt.plural(len(ids), 'district')} ({names(analysis, ids)})"
             for code, word in (("hot", "hot spots"), ("cold", "cold spots"))
             if (ids := [r.district_id for r in analysis.gi if r.code == code])]
    return (f"Getis-Ord Gi* at {analysis.alpha:g}: {'; '.join(parts)}." if parts
            else f"Getis-Ord Gi*: no hot or cold spot is significant at {analysis.alpha:g}.")


def _legend_label(cls: ClusterClass, statistic: str) -> str:
    if cls.code in (NOT_SIGNIFICANT, ISLAND):
        return cls.label
    return f"{cls.label} (p < {ALPHA:g})"


def _notes(dataset: Dataset, analysis: Analysis) -> tuple[str, ...]:
    notes = [dataset.note,
             f"Significant: fewer than {analysis.alpha:.0%} of {PERMUTATIONS} random shuffles of the values among "
             f"the districts are as extreme (a pseudo p-value); with no pattern at all about one district in "
             f"{round(1 / analysis.alpha)} passes by chance."]
    if analysis.smoothed_used:
        notes.append("Computed on empirical Bayes smoothed rates (each district's rate drawn towards the "
                     "rate of all districts together, the more the fewer its residents); the values shown are the raw "
                     "rates.")
    return tuple(n for n in notes if n)
