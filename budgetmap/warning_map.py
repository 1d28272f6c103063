"""Build the MapSpec of the early-warning map: districts coloured by the money in projects behind plan.

At the view's as-of period (``budgetmap.watch_period``), each district of the
default layer (the one plans are placed in) gets the share of its monitored
projects' budget that sits in projects behind plan (``behind = "share"``, the
default) or the number of those projects (``"count"``). The department and
severity filters narrow both the projects behind plan and, for departments, the
projects counted as monitored. A district with monitored projects none of which
is behind is "0 behind" (the zero swatch); one with no monitored project has no
data (grey), so the two never look alike. Projects located by coordinates are
drawn as points. Every name is data text, never markup.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from budgetmap import fmt, monitor, watch_period
from budgetmap.classify import SCHEMES
from budgetmap.mapspec import FeatureStyle, LegendEntry, MapSpec, PointMark, class_fills, ranks, rows
from budgetmap.model import Dataset, SpendingQuery
from budgetmap.monitor.notices import plain, points
from budgetmap.palettes import DEFAULT_PALETTE, NO_DATA, PALETTES, ZERO
from budgetmap.reconcile import off_map_note
from budgetmap.view import SpendingView

#: How the map counts what is behind plan (``?behind=``): key -> label.
BEHIND: dict[str, str] = {"share": "Share of project budget behind plan", "count": "Projects behind plan"}
PALETTE = "Oranges"  # unless the view picks another palette: warm colours read as "look here"
NO_PROJECT = "No monitored project"
NONE_BEHIND = "No project behind plan"


@dataclass(frozen=True)
class DistrictWatch:
    """Per district of the default layer: monitored projects and those behind plan (cents exact)."""

    watch: monitor.Watch  # the rules' findings at the period, with the view's filters
    frame: pd.DataFrame  # district_id, name, projects, budget_cents, behind, behind_cents, shortfall_cents, names
    unplaced: tuple[monitor.ProjectWarning, ...]  # behind plan but in no district of the layer


def district_watch(dataset: Dataset, view: SpendingView) -> DistrictWatch | None:
    """The watch at the view's period with its filters, summed per district; None when nothing is monitored."""
    period = watch_period.resolve(dataset, view)
    if period is None:
        return None
    found = monitor.watch(dataset, period, departments=view.departments, severities=view.severities)
    chosen = set(view.departments)
    layer = dataset.layer()
    ids = [str(i) for i in layer.districts["district_id"]]
    rows = {i: {"projects": 0, "budget_cents": 0, "behind": 0, "behind_cents": 0, "shortfall_cents": 0,
                "names": []} for i in ids}
    for state in monitor.project_states(dataset, period):
        plan = state.plan
        if plan.district_id in rows and (not chosen or plan.department in chosen):
            rows[plan.district_id]["projects"] += 1
            rows[plan.district_id]["budget_cents"] += plan.budget_cents
    unplaced = []
    for w in found.warnings:
        row = rows.get(w.district_id) if w.district_id is not None else None
        if row is None:
            unplaced.append(w)
            continue
        row["behind"] += 1
        row["behind_cents"] += w.budget_cents
        row["shortfall_cents"] += w.shortfall_cents
        row["names"].append(f"{plain(w.project)} ({w.severity})")
    frame = pd.DataFrame([{"district_id": i, "name": layer.labels.get(i, i), **rows[i]} for i in ids])
    return DistrictWatch(found, frame, tuple(unplaced))


def _values(frame: pd.DataFrame, behind: str) -> np.ndarray:
    has = frame["projects"].to_numpy() > 0
    if behind == "count":
        raw = frame["behind"].to_numpy(float)
    else:
        budget = frame["budget_cents"].to_numpy(float)
        raw = np.divide(frame["behind_cents"].to_numpy(float), budget, out=np.zeros(len(frame)), where=budget > 0)
    return np.where(has, raw, np.nan)


def _text(value: float, behind: str) -> str:
    return fmt.count(value) if behind == "count" else fmt.percent(value * 100)


def _details(row: Mapping[str, Any], behind: str, currency: str) -> tuple[tuple[str, str], ...]:
    if not row["projects"]:
        return (("Behind plan", NO_PROJECT),)
    share = (f"{fmt.percent(row['behind_cents'] / row['budget_cents'] * 100)} of "
             f"{fmt.money_cents(row['budget_cents'], currency)}")
    return (("Behind plan", share if behind == "share" else f"{fmt.of(row['behind'], row['projects'])} projects"),
            ("Projects behind", fmt.of(row['behind'], row['projects'])),
            ("Shortfall", fmt.money_cents(int(row["shortfall_cents"]), currency)),
            ("Budget behind plan", fmt.money_cents(int(row["behind_cents"]), currency)),
            ("Which", ", ".join(row["names"]) or "none"))


def _legend(bounds: tuple[float, ...], minimum: float, colors: list[str], final: np.ndarray,
            behind: str) -> tuple[LegendEntry, ...]:
    entries = []
    edges = [minimum, *bounds] if behind == "count" else [100 * e for e in (minimum, *bounds)]
    spans = fmt.legend_ranges(edges, "count" if behind == "count" else "percent")  # one style for all
    for i, span in enumerate(spans):
        entries.append(LegendEntry(span, colors[i], int((final == i).sum()), "class"))
    entries.append(LegendEntry(NONE_BEHIND, ZERO, int((final == -2).sum()), "zero"))
    entries.append(LegendEntry(NO_PROJECT, NO_DATA, int((final == -1).sum()), "no_data"))
    return tuple(entries)


def point_marks(dataset: Dataset, found: monitor.Watch, departments: tuple[str, ...]) -> tuple[PointMark, ...]:
    """One dot per monitored project located by coordinates, saying whether it is behind plan."""
    behind = {w.project: w for w in found.warnings}
    marks = []
    for state in monitor.project_states(dataset, found.period):
        plan = state.plan
        if state.point is None or (departments and plan.department not in departments):
            continue
        w = behind.get(plan.project)
        how = (f"{w.severity}, {points(w.shortfall_points)} points behind, "
               f"{fmt.money_cents(w.shortfall_cents, dataset.currency)} short") if w else "not behind plan"
        marks.append(PointMark(state.point[0], state.point[1], f"{plain(plan.project)} ({plain(plan.department)}): {how}"))
    return tuple(marks)


def _notes(dataset: Dataset, view: SpendingView, watched: DistrictWatch) -> tuple[str, ...]:
    found = watched.watch
    notes = [dataset.note]
    if watched.unplaced:
        short = sum(w.shortfall_cents for w in watched.unplaced)
        notes.append(f"{fmt.count(len(watched.unplaced))} project(s) behind plan are in no district "
                     f"({fmt.money_cents(short, dataset.currency)} short): "
                     + ", ".join(plain(w.project) for w in watched.unplaced) + "; the watch list shows them.")
    query = SpendingQuery(amount="actual_cents", years=(found.period.year,), departments=view.departments)
    if dataset.has_actual:
        notes.append(off_map_note(dataset.totals(query).reconciliation))
    if view.layer not in (None, dataset.layer().key):
        notes.append(f"Plans are placed in the districts of the default layer ({dataset.layer().label}).")
    notes.append(f"Replaying {found.period.name}: actual spending reported through that period, as of "
                 f"{dataset.as_of or 'the data'}; tolerance {points(float(found.settings.tolerance))} points.")
    return tuple(n for n in notes if n)


def build_warning_map(dataset: Dataset, view: SpendingView) -> MapSpec | None:
    """Everything the early-warning map draws; None when the dataset has no period to monitor."""
    watched = district_watch(dataset, view)
    if watched is None:
        return None
    found, frame = watched.watch, watched.frame
    behind = view.behind if view.behind in BEHIND else "share"
    values = _values(frame, behind)
    classes = SCHEMES[view.scheme].classify(np.where(values == 0, np.nan, values), view.k, view.manual_breaks)
    palette = PALETTES[view.palette if view.palette != DEFAULT_PALETTE else PALETTE]
    colors = palette.colors(len(classes.bounds))
    final, fills = class_fills(classes.index, values, colors)
    order = ranks(np.where(values == 0, np.nan, values))
    features = []
    for i, row in enumerate(rows(frame)):
        value = None if not np.isfinite(values[i]) else float(values[i])
        label = NO_PROJECT if value is None else _text(value, behind)
        features.append(FeatureStyle(row["district_id"], row["name"], value, label, int(final[i]), fills[i],
                                     order[i], _details(row, behind, dataset.currency)))
    counts = found.counts()
    filters = [f"departments: {', '.join(view.departments)}" if view.departments else "",
               f"severity: {', '.join(view.severities)}" if view.severities else ""]
    return MapSpec(
        source=dataset.source, as_of=dataset.as_of, citywide_label=dataset.citywide_label,
        title=f"{BEHIND[behind]} — {dataset.name}",
        subtitle=" · ".join(p for p in (f"as of {found.period.name}", f"{counts['red']} red, {counts['amber']} amber",
                                        *filters) if p),
        measure_label=BEHIND[behind], features=tuple(features),
        legend=_legend(classes.bounds, classes.minimum, colors, final, behind), breaks=classes.bounds,
        notes=(*_notes(dataset, view, watched), *filter(None, [classes.note])), kind="warning", layer=dataset.layer().key,
        selected=view.selected if view.selected in set(frame["district_id"]) else None,
        tooltip=("Behind plan", "Projects behind", "Shortfall"), value_label=BEHIND[behind],
        points=point_marks(dataset, found, view.departments),
        meta={"period": watch_period.canonical(found.period), "period_name": found.period.name,
              "fiscal_year": found.period.year, "behind": behind, "currency": dataset.currency,
              "counts": counts, "unplaced": len(watched.unplaced)},
    )
