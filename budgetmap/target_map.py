"""Build the MapSpec of a target map: districts coloured by their gap to the goal."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from budgetmap import diverging, fmt, map_flags
from budgetmap.mapspec import NO_DATA_CLASS, FeatureStyle, LegendEntry, MapSpec, ranks, rows
from budgetmap.palettes import NO_DATA
from budgetmap.targets import (city_summary, district_frame, format_gap, format_value, gap, indicator_layer,
                               indicator_years, mapped_indicators, meta_for, meets, summary_line)
from budgetmap.view import SpendingView
from budgetmap.model import Dataset, IndicatorMeta
from budgetmap.model.dataset import DIRECTIONS

HATCH = "hatch"


def resolve_indicator(dataset: Dataset, view: SpendingView) -> str | None:
    """The view's indicator if the data has it on the view's layer, else the first mapped one."""
    keys = mapped_indicators(dataset, indicator_layer(dataset, view.layer))
    if not keys:
        return None
    return view.indicator if view.indicator in keys else keys[0]


def resolve_indicator_year(dataset: Dataset, key: str, year: int | None, layer: str | None = None) -> int | None:
    """The year if the indicator has values then (on the layer), else its latest year."""
    years = indicator_years(dataset, key, layer)
    if not years:
        return None
    return year if year in years else years[-1]


def _unit(meta: IndicatorMeta) -> str:
    return "points" if meta.unit == "%" else meta.unit


def class_labels(classes: diverging.DivergingClasses, meta: IndicatorMeta, goal: bool = True) -> list[str]:
    """Legend words in the indicator's own units: '5–10 points short', 'meets: 0–2 min better'.

    Without a goal the reference is the citywide figure: 'worse by 5–10 points'.
    """
    unit, labels = _unit(meta), []
    style = fmt.legend_style([abs(v) for v in (*classes.low, *classes.high, 0.0)], "number")

    def edge(value: float) -> str:  # every edge of this legend in one style
        return style(abs(value))

    for i, lower in enumerate(classes.low):
        upper = classes.low[i + 1] if i + 1 < len(classes.low) else 0.0
        span = f"up to {edge(lower)}" if upper == 0 else f"{edge(upper)}–{edge(lower)}"
        labels.append(f"{span} {unit} short" if goal else f"worse by {span} {unit}")
    lower = 0.0
    for upper in classes.high:
        span = f"{edge(lower)}–{edge(upper)} {unit}"
        if upper <= 0:
            labels.append("meets: exactly at goal" if goal else "same as the city")
        else:
            labels.append(f"meets: {span} better" if goal else f"better by {span}")
        lower = upper
    return [label.replace("  ", " ") for label in labels]


def _details(row: Mapping[str, Any], meta: IndicatorMeta, rank: int | None, ranked: int,
             against: str) -> tuple[tuple[str, str], ...]:
    value = format_value(row["value"], meta) + (" (estimate)" if row["estimated"] else "")
    goal = format_value(row["target"], meta) if against == "the goal" else "none set"
    out = [(meta.label, value), ("Goal", goal),
           ("Gap", format_gap(row["gap"], meta, against)), ("Rank", fmt.of(rank, ranked) if rank else "—")]
    if np.isfinite(row["standard"]):
        out.append(("Standard", format_value(row["standard"], meta)))
    return tuple(out)


def locked_edges(dataset: Dataset, key: str, year: int | None,
                 layer: str | None = None) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    """Another year's class edges, for maps that keep their classes as the year changes."""
    if year is None or year not in indicator_years(dataset, key, layer):
        return None
    classes = diverging.classify(district_frame(dataset, key, year, layer)["gap"].to_numpy(float))
    return classes.low, classes.high


def build_target_map(dataset: Dataset, view: SpendingView) -> MapSpec | None:
    """Everything a target map draws; None when the dataset has no district indicator."""
    layer = indicator_layer(dataset, view.layer)
    key = resolve_indicator(dataset, view)
    year = resolve_indicator_year(dataset, key, view.fiscal_year, layer) if key else None
    if key is None or year is None:
        return None
    meta = meta_for(dataset, key)
    frame = district_frame(dataset, key, year, layer)
    summary = city_summary(dataset, key, year, frame, layer)
    against = "the goal"
    if frame["target"].isna().all() and np.isfinite(summary.value):
        # no goal at all: compare each district with the citywide figure instead
        frame["target"] = summary.value
        frame["gap"] = gap(frame["value"], frame["target"], meta.direction)
        frame["meets"] = meets(frame["gap"].to_numpy())
        against = f"the {fmt.in_sentence(dataset.citywide_label)} figure"
    gaps = frame["gap"].to_numpy(float)
    locked = locked_edges(dataset, key, view.classes_from, layer) if view.classes_from != year else None
    classes = diverging.classify(gaps, locked=locked)
    fills = diverging.colors(view.diverging, len(classes.low), len(classes.high))
    order = ranks(gaps)
    ranked = sum(r is not None for r in order)
    flags = map_flags.flag(frame["value"].to_numpy(float), frame["population"].to_numpy(float),
                           dataset.layer(layer).min_population, view.outlier_rule)
    features = []
    for i, row in enumerate(rows(frame)):
        has = np.isfinite(gaps[i])
        label = format_value(row["value"], meta) if np.isfinite(row["value"]) else "no data"
        features.append(FeatureStyle(
            row["district_id"], row["name"], float(row["value"]) if np.isfinite(row["value"]) else None,
            label, int(classes.index[i]) if has else NO_DATA_CLASS,
            fills[classes.index[i]] if has else NO_DATA, order[i],
            _details(row, meta, order[i], ranked, against) + map_flags.details(flags, i),
            pattern=HATCH if has and not row["meets"] else "", marks=flags.marks(i)))
    return MapSpec(
        source=dataset.source, as_of=dataset.as_of, citywide_label=dataset.citywide_label,
        title=f"{meta.label}: districts against the goal — {dataset.name}",
        subtitle=f"FY{year} · {DIRECTIONS[meta.direction].label} · "
                 + summary_line(summary, meta, year, dataset.citywide_label),
        measure_label=f"Goal: {format_value(summary.goal, meta)} (FY{year})" if summary.goal is not None
        else f"No goal set: against the {fmt.in_sentence(dataset.citywide_label)} "
             f"{format_value(summary.value, meta)} (FY{year})",
        features=tuple(features),
        legend=_legend(classes, fills, meta, frame, against) + map_flags.legend(flags),
        tooltip=(meta.label, "Goal", "Gap", "Standard", map_flags.FLAGS), kind="target", layer=dataset.layer(layer).key,
        value_label=meta.label,
        breaks=classes.edges, notes=_notes(dataset, meta, frame, classes, view, year),
        selected=view.selected if view.selected in set(frame["district_id"]) else None,
        meta={"indicator": key, "fiscal_year": year, "goal": summary.goal, "direction": meta.direction,
              "city_value": summary.value, "meeting": summary.meeting, "with_data": summary.with_data,
              "summary": summary_line(summary, meta, year, dataset.citywide_label),
              "outside": int(classes.outside.sum()),
              "city_text": format_value(summary.value, meta),
              "goal_text": format_value(summary.goal, meta) if summary.goal is not None else "none set",
              "rollup_note": _rollup_note(summary, meta, dataset.citywide_label)},
    )


def _rollup_note(summary, meta: IndicatorMeta, citywide: str = fmt.CITYWIDE) -> str:
    """How the citywide figure was made, and the data's own citywide figure when it differs."""
    text = f"{citywide} figure: {summary.rule.lower()} of the {fmt.plural(summary.with_data, 'district')} with data"
    if meta.rollup == "weighted" and meta.weight:
        text += f" (weight: {meta.weight})"
    if summary.reported is not None:
        text += f"; the data's own {fmt.in_sentence(citywide)} figure is {format_value(summary.reported, meta)}"
    return text + "."


def _legend(classes: diverging.DivergingClasses, fills: list[str], meta: IndicatorMeta,
            frame: pd.DataFrame, against: str) -> tuple[LegendEntry, ...]:
    has = frame["gap"].notna().to_numpy()
    entries = [LegendEntry(label, fills[i], int(((classes.index == i) & has).sum()), "class",
                           HATCH if i < len(classes.low) else "")
               for i, label in enumerate(class_labels(classes, meta, against == "the goal"))]
    missing = "misses the goal" if against == "the goal" else f"worse than {against}"
    entries.append(LegendEntry(f"Hatched: {missing}", "#ffffff", int((~frame["meets"] & has).sum()),
                               "pattern", HATCH))
    entries.append(LegendEntry("No data or no goal", NO_DATA, int((~has).sum()), "no_data"))
    return tuple(entries)


def _notes(dataset: Dataset, meta: IndicatorMeta, frame: pd.DataFrame,
           classes: diverging.DivergingClasses, view: SpendingView, year: int) -> tuple[str, ...]:
    notes = [dataset.note, meta.note]
    if frame["estimated"].any():
        notes.append(f"{int(frame['estimated'].sum())} district value(s) are estimates: no actual reported yet.")
    if view.classes_from is not None and view.classes_from != year:
        notes.append(f"Classes are locked to FY{view.classes_from}'s gaps; "
                     f"{int(classes.outside.sum())} district(s) fall outside them and sit in the end class.")
    return tuple(n for n in notes if n)
